/**
 * The registration state machine of a {@link Phone}.
 *
 * ```
 *            start()                  WebSocket open           200 OK
 *   idle ───────────────▶ connecting ───────────────▶ registering ─────────▶ registered
 *     │                    │     ▲                      │   │                  │  │
 *     │        connect fails│     │ backoff elapsed      │   │ 401/403          │  │ WebSocket lost,
 *     │                    ▼     │                      │   ▼                  │  │ keep-alive silent,
 *     │                  reconnecting ◀─────────────────┘  failed ◀────────────┘  │ refresh failed
 *     │                    ▲  (WebSocket lost, 5xx, timeout)                      │
 *     │                    └──────────────────────────────────────────────────────┘
 *     │   stop() from any state: ──▶ unregistering (when registered) ──▶ stopped;  stopped/failed ──start()──▶ connecting
 * ```
 *
 * @packageDocumentation
 */
import type { TransitionTable } from './state-machine.js';

/** The states of a phone's registration. */
export const RegistrationStates = {
  /** Created; `start()` not called yet. */
  idle: 'idle',
  /** Opening the WebSocket. */
  connecting: 'connecting',
  /** Connected; REGISTER sent, waiting for the PBX. */
  registering: 'registering',
  /** Registered: calls can be made and received. */
  registered: 'registered',
  /** The connection was lost or could not be made; the next attempt is scheduled (see `reconnecting` events). */
  reconnecting: 'reconnecting',
  /** `stop()` is removing the registration. */
  unregistering: 'unregistering',
  /** Stopped by the application. `start()` may be called again. */
  stopped: 'stopped',
  /** The PBX refused the credentials; retrying would not help. `start()` (with new credentials) may be called again. */
  failed: 'failed',
} as const;

/** One of {@link RegistrationStates}. */
export type RegistrationState = (typeof RegistrationStates)[keyof typeof RegistrationStates];

/** The allowed registration transitions (see the diagram in the module comment). */
export const REGISTRATION_TRANSITIONS: TransitionTable<RegistrationState> = Object.freeze({
  idle: ['connecting', 'stopped'],
  connecting: ['registering', 'reconnecting', 'stopped'],
  registering: ['registered', 'reconnecting', 'failed', 'stopped', 'unregistering'],
  registered: ['reconnecting', 'failed', 'unregistering', 'stopped'],
  reconnecting: ['connecting', 'stopped'],
  unregistering: ['stopped'],
  stopped: ['connecting'],
  failed: ['connecting', 'stopped'],
});
