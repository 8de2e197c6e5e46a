/**
 * The types every route shares: options, the per-request context and the route table entries.
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaxDocumentInfo } from '../../core/fax/limits.js';
import type { PbxEvents } from '../events.js';
import type { Session, Store, Tenant, User } from '../store/index.js';
import type { Headers } from './http.js';
import type { FailureLimiter, FailureLimitOptions } from './limiter.js';

/** Severity of a log line. */
export type LogLevel = 'info' | 'warn' | 'error';

/** Where the API writes what happened (never passwords; set-password links only in development setups). */
export type ApiLog = (level: LogLevel, message: string, data?: Readonly<Record<string, unknown>>) => void;

/** What click-to-dial asks the SIP side to do: ring `deviceId` first, then connect it to `to`. */
export interface ClickToDialRequest {
  readonly tenantId: string;
  readonly userId: string;
  readonly deviceId: string;
  /** An extension of the tenant, or an E.164 number that passed the toll-fraud policy. */
  readonly to: string;
}

/** Why click-to-dial failed, as {@link CallControlError} reports it. */
export type CallControlFailure = 'device-unavailable' | 'call-limit' | 'failed';

/** Thrown by a {@link CallControl} to give the API a precise answer. */
export class CallControlError extends Error {
  /** What went wrong. */
  readonly reason: CallControlFailure;

  /**
   * @param reason - what went wrong
   * @param message - for people
   */
  constructor(reason: CallControlFailure, message: string) {
    super(message);
    this.name = 'CallControlError';
    this.reason = reason;
  }
}

/** The part of the SIP side the API calls for click-to-dial. */
export interface CallControl {
  /**
   * Starts a third-party call. Resolves once the PBX has started ringing the device (not when it is answered).
   * @throws CallControlError for outcomes the user should see
   */
  clickToDial(request: ClickToDialRequest): Promise<{ readonly callId: string }>;
}

/** What the API needs of the PBX's fax service (`src/pbx/fax`) to accept fax jobs. */
export interface FaxQueue {
  /**
   * Checks a document the way the client did (the core's `checkFaxDocument`, in a sandbox), because a client can be
   * bypassed.
   * @throws CentrexError `pdf-encrypted`, `pdf-extraction-forbidden`, `pdf-has-form-fields`, `pdf-invalid`,
   *   `pdf-too-large`; other codes when the check itself could not run
   */
  checkDocument(document: Uint8Array): Promise<FaxDocumentInfo>;
  /** How many attempts a new job gets. */
  readonly maxAttempts: number;
  /** The largest document accepted, in bytes. */
  readonly maxDocumentBytes: number;
  /** Tells the service that a job was queued, so it does not wait for its next look at the queue. */
  wake(): void;
}

/** Options of `createApiHandler`. */
export interface ApiOptions {
  readonly store: Store;
  readonly events: PbxEvents;
  /** The URL people reach the PBX at (`https://pbx.example.com`); set-password links and the SIP WebSocket URL use it. */
  readonly publicUrl: string;
  /** Development mail outbox: set-password mails are written here as `.eml` files. */
  readonly outboxDir?: string;
  readonly log?: ApiLog;
  /** The clock, in ms since the epoch; default the store's clock (pass the same one to both). */
  readonly clock?: () => number;
  /** Click-to-dial; without it `POST /api/v1/calls` answers `503 not-available`. */
  readonly callControl?: CallControl;
  /** The fax service; without it `POST /api/v1/fax/jobs` answers `503 not-available`. */
  readonly fax?: FaxQueue;
  /** Lifetime of an API session (default 12 h). */
  readonly sessionTtlMs?: number;
  /** Lifetime of a SIP credential from `/me/sip` (default 12 h, never beyond the session). */
  readonly sipCredentialTtlMs?: number;
  /** Lifetime of a set-password link (default 72 h). */
  readonly setPasswordTtlMs?: number;
  /** Login lockout thresholds (default 10 failures in 5 min → 300 s lock). Also used for room PIN failures. */
  readonly loginLimit?: FailureLimitOptions;
  /** The address a request comes from, for lockouts; default the socket's peer address. */
  readonly clientAddress?: (req: IncomingMessage) => string;
  /** The largest request body, in bytes (default 64 KiB). */
  readonly maxBodyBytes?: number;
  /**
   * The largest body of an upload route (a fax document), in bytes; default: room for the fax service's largest
   * document in base64 (4/3 of it) plus 64 KiB for the other fields.
   */
  readonly maxUploadBytes?: number;
  /** How often an event stream sends a heartbeat comment, in ms (default 25 000). */
  readonly heartbeatMs?: number;
}

/** The resolved options and shared services of one API handler. */
export interface ApiDeps {
  readonly store: Store;
  readonly events: PbxEvents;
  readonly publicUrl: URL;
  readonly outboxDir: string | undefined;
  readonly log: ApiLog;
  readonly now: () => number;
  readonly callControl: CallControl | undefined;
  readonly fax: FaxQueue | undefined;
  readonly sessionTtlMs: number;
  readonly sipCredentialTtlMs: number;
  readonly setPasswordTtlMs: number;
  readonly loginLimiter: FailureLimiter;
  readonly pinLimiter: FailureLimiter;
  readonly heartbeatMs: number;
  /** Ends the event streams of a session (on logout). */
  readonly closeStreams: (sessionId: string) => void;
  /** Registers an event stream so it can be closed on logout and shutdown. */
  readonly trackStream: (sessionId: string, close: () => void) => () => void;
}

/** Who is signed in. */
export interface Auth {
  readonly session: Session;
  readonly user: User;
  readonly tenant: Tenant;
}

/** What a public route gets. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly deps: ApiDeps;
  /** Path parameters (`{id}`). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, `undefined` when there was none (and always for upload routes). */
  readonly body: unknown;
  /** The raw body of an upload route (which parses it itself: JSON or multipart); `undefined` for other routes. */
  readonly raw: Buffer | undefined;
  /** The lockout key of the client. */
  readonly client: string;
  /** The request's `Origin`, if any. */
  readonly origin: string | undefined;
  /** Whether that origin is the API's own. */
  readonly sameOrigin: boolean;
  /** CORS headers the answer must carry (empty for same-origin and non-browser requests). */
  readonly cors: Headers;
}

/** What a signed-in route gets. */
export interface AuthedContext extends RequestContext {
  readonly auth: Auth;
}

/** A JSON answer, or `'streaming'` when the route wrote the answer itself (server-sent events). */
export type Reply = { readonly status: number; readonly body?: unknown; readonly headers?: Headers } | 'streaming';

/** One entry of the route table. */
export type Route =
  | {
      readonly method: string;
      readonly path: string;
      readonly access: 'public';
      readonly handle: (ctx: RequestContext) => Reply | Promise<Reply>;
    }
  | {
      readonly method: string;
      readonly path: string;
      /** `user`: any signed-in user; `admin`: admins of the tenant only. */
      readonly access: 'user' | 'admin';
      /**
       * An upload route: its body may be as large as `maxUploadBytes`, is handed over raw (`ctx.raw`) and may be
       * JSON or `multipart/form-data`; the route parses it.
       */
      readonly upload?: boolean;
      readonly handle: (ctx: AuthedContext) => Reply | Promise<Reply>;
    };

/** `200` with a body. */
export function ok(body: unknown, headers?: Headers): Reply {
  return headers ? { status: 200, body, headers } : { status: 200, body };
}

/** `201` with a body. */
export function created(body: unknown): Reply {
  return { status: 201, body };
}

/** `204`, no body. */
export function noContent(headers?: Headers): Reply {
  return headers ? { status: 204, headers } : { status: 204 };
}
