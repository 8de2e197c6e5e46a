/** The location service: bindings of addresses-of-record to contacts (RFC 3261 §10, RFC 5626 flows). */
import type { URI } from 'sip.js/lib/grammar/index.js';
import { parseSipUri } from '../message/address.js';
import type { SipParams } from '../message/params.js';
import type { TimerScope, SipTimer } from '../transaction/clock.js';
import type { SipEndpoint } from '../transport/types.js';
import { sameInstance } from './gruu.js';

/** The user a binding belongs to. */
export interface BindingOwner {
  /** The PBX user. */
  readonly userId: string;
  /** The user's tenant. */
  readonly tenantId: string;
  /** The device, when the credential named one. */
  readonly deviceId?: string;
  /** The user's extension. */
  readonly extension: string;
}

/** One registered contact of an address-of-record. */
export interface SipBinding {
  /** The address-of-record, normalised (see {@link normalizeAor}). */
  readonly aor: string;
  /** The contact URI as registered. */
  readonly contact: string;
  /** The contact's header parameters (q, expires, +sip.instance, reg-id, …). */
  readonly params: SipParams;
  /** When the binding expires, in clock milliseconds. */
  readonly expiresAt: number;
  /** When it was first registered. */
  readonly registeredAt: number;
  /** Call-ID and CSeq of the REGISTER that wrote the binding (RFC 3261 §10.3 step 7 ordering). */
  readonly callId: string;
  readonly cseq: number;
  /** `+sip.instance` without quotes (RFC 5626 / 5627), if given. */
  readonly instanceId: string | undefined;
  /** `reg-id` (RFC 5626), only with an instance id. */
  readonly regId: number | undefined;
  /** The flow the REGISTER arrived on: requests for this contact should go out on it. */
  readonly flowId: string;
  /** Where the REGISTER came from. */
  readonly source: SipEndpoint;
  /** Path header values of the REGISTER (RFC 3327), to be used as Route towards the contact. */
  readonly path: readonly string[];
  /** The User-Agent header of the REGISTER. */
  readonly userAgent: string | undefined;
  /** The authenticated user that registered the contact. */
  readonly owner: BindingOwner;
  /** q as a number (1.0 when absent). */
  readonly q: number;
}

/** Why a binding went away. */
export type UnregisterReason = 'removed' | 'expired' | 'flow-closed';

/** A change in the location service, for presence ("registered") and logs. */
export type RegistrationEvent =
  | { readonly type: 'registered'; readonly binding: SipBinding }
  | { readonly type: 'refreshed'; readonly binding: SipBinding }
  | { readonly type: 'unregistered'; readonly binding: SipBinding; readonly reason: UnregisterReason };

/**
 * Normalises an address-of-record for comparison: `sip:user@host[:port]` with the host in lower case and sips
 * treated like sip (the same user). Accepts a URI string or a parsed URI; undefined when it is not a SIP URI.
 */
export function normalizeAor(aor: string | URI): string | undefined {
  if (typeof aor === 'string') {
    return remember(aorCache, aor, () => {
      const uri = parseSipUri(aor);
      return uri ? normalizeAor(uri) : undefined;
    });
  }
  const uri = aor;
  if (uri.user === undefined || uri.user === '') return undefined;
  const port = uri.port === undefined ? '' : `:${uri.port}`;
  return `sip:${uri.user}@${uri.host.toLowerCase()}${port}`;
}

/** The identity of a binding within its AOR (RFC 3261 URI match, or RFC 5626 instance and reg-id). */
export function bindingKey(binding: Pick<SipBinding, 'contact' | 'instanceId' | 'regId'>): string {
  if (binding.instanceId !== undefined) return `instance:${binding.instanceId}|${binding.regId ?? ''}`;
  return remember(contactCache, binding.contact, () => {
    const uri = parseSipUri(binding.contact);
    return uri ? `uri:${uri.toString().replace(/@([^;:>?]+)/, (_, host: string) => `@${host.toLowerCase()}`)}` : `raw:${binding.contact}`;
  });
}

// Lookups and refreshes normalise the same few strings over and over; parsing them runs the SIP grammar. Results are
// strings (immutable), so a bounded map of recent ones is safe to share.
const CACHE_LIMIT = 10_000;
const aorCache = new Map<string, string | undefined>();
const contactCache = new Map<string, string>();

function remember<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  if (cache.has(key)) return cache.get(key) as T;
  const value = compute();
  cache.set(key, value);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return value;
}

/** Bindings by AOR, with expiry and change events. */
export class LocationService {
  readonly #aors = new Map<string, Map<string, SipBinding>>();
  readonly #scope: TimerScope;
  readonly #listener: (event: RegistrationEvent) => void;
  #sweepAt = Infinity;
  #sweepTimer: SipTimer | undefined;

  constructor(scope: TimerScope, listener: (event: RegistrationEvent) => void) {
    this.#scope = scope;
    this.#listener = listener;
  }

  /** The live bindings of an AOR, best first (highest q, then most recently registered). */
  lookup(aor: string | URI): SipBinding[] {
    const key = normalizeAor(aor);
    const bindings = key === undefined ? undefined : this.#aors.get(key);
    if (!bindings) return [];
    const now = this.#scope.now();
    return [...bindings.values()]
      .filter((binding) => binding.expiresAt > now)
      .sort((a, b) => b.q - a.q || b.registeredAt - a.registeredAt);
  }

  /**
   * The live binding of one device (`+sip.instance`) under an AOR, the most recently registered if it has several
   * (one per `reg-id`); undefined when the device is not registered.
   */
  findInstance(aor: string, instanceId: string): SipBinding | undefined {
    return this.lookup(aor)
      .filter((binding) => binding.instanceId !== undefined && sameInstance(binding.instanceId, instanceId))
      .sort((a, b) => b.registeredAt - a.registeredAt)[0];
  }

  /** Every live binding (for administration and tests). */
  all(): SipBinding[] {
    const now = this.#scope.now();
    const result: SipBinding[] = [];
    for (const bindings of this.#aors.values()) {
      for (const binding of bindings.values()) if (binding.expiresAt > now) result.push(binding);
    }
    return result;
  }

  /** @internal The raw binding map of an AOR (the registrar edits it atomically). */
  bindingsOf(aor: string): ReadonlyMap<string, SipBinding> {
    return this.#aors.get(aor) ?? new Map();
  }

  /** @internal Applies a registrar decision: puts and removes bindings, then reports the changes. */
  apply(aor: string, puts: readonly SipBinding[], removals: readonly string[]): void {
    let bindings = this.#aors.get(aor);
    if (!bindings) {
      bindings = new Map();
      this.#aors.set(aor, bindings);
    }
    const events: RegistrationEvent[] = [];
    for (const key of removals) {
      const binding = bindings.get(key);
      if (!binding) continue;
      bindings.delete(key);
      events.push({ type: 'unregistered', binding, reason: 'removed' });
    }
    for (const binding of puts) {
      const key = bindingKey(binding);
      const existing = bindings.get(key);
      bindings.set(key, binding);
      events.push({ type: existing && existing.expiresAt > this.#scope.now() ? 'refreshed' : 'registered', binding });
      this.#scheduleSweep(binding.expiresAt);
    }
    if (bindings.size === 0) this.#aors.delete(aor);
    this.#emit(events);
  }

  /**
   * A connection closed: bindings that can only be reached over it go away — every binding on a WebSocket flow
   * (browsers accept no connections) and outbound (reg-id) bindings on TCP (RFC 5626 §5.3).
   */
  flowClosed(flowId: string, transport: SipEndpoint['transport']): void {
    const events: RegistrationEvent[] = [];
    for (const [aor, bindings] of this.#aors) {
      for (const [key, binding] of bindings) {
        if (binding.flowId !== flowId) continue;
        if (transport !== 'ws' && binding.regId === undefined) continue;
        bindings.delete(key);
        if (binding.expiresAt > this.#scope.now()) events.push({ type: 'unregistered', binding, reason: 'flow-closed' });
      }
      if (bindings.size === 0) this.#aors.delete(aor);
    }
    this.#emit(events);
  }

  /** Removes expired bindings and reports them. */
  sweep(): void {
    const now = this.#scope.now();
    const events: RegistrationEvent[] = [];
    let next = Infinity;
    for (const [aor, bindings] of this.#aors) {
      for (const [key, binding] of bindings) {
        if (binding.expiresAt <= now) {
          bindings.delete(key);
          events.push({ type: 'unregistered', binding, reason: 'expired' });
        } else next = Math.min(next, binding.expiresAt);
      }
      if (bindings.size === 0) this.#aors.delete(aor);
    }
    this.#sweepAt = Infinity;
    this.#sweepTimer = undefined;
    if (next !== Infinity) this.#scheduleSweep(next);
    this.#emit(events);
  }

  /** Stops the expiry timer. */
  close(): void {
    this.#sweepTimer?.cancel();
    this.#sweepTimer = undefined;
    this.#sweepAt = Infinity;
  }

  #scheduleSweep(at: number): void {
    if (at >= this.#sweepAt) return;
    this.#sweepTimer?.cancel();
    this.#sweepAt = at;
    this.#sweepTimer = this.#scope.setTimer(() => this.sweep(), Math.max(0, at - this.#scope.now()));
  }

  #emit(events: readonly RegistrationEvent[]): void {
    for (const event of events) {
      try {
        this.#listener(event);
      } catch {
        // A listener's fault must not undo a registration or break the transport.
      }
    }
  }
}
