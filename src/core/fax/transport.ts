/**
 * The contract between the {@link FaxClient} and the fax service of the PBX. The client knows nothing of HTTP: the
 * Centrex API client implements this interface over its endpoints, and tests use an in-memory fake.
 *
 * @packageDocumentation
 */
import type { FaxHistoryEntry, FaxJob, ReceivedFax } from './job.js';

/** A fax extension linked to the user (manual: "Fax hinzufügen" with fax login and PIN). */
export interface FaxExtension {
  /** Unique id, assigned by the server. */
  readonly id: string;
  /** The name shown in the drop-down (manual: "Select an eFax name"). */
  readonly name: string;
  /** The extension's fax number (E.164 or internal extension); printed on cover sheets as the sender's fax. */
  readonly number: string;
  /** The fax login the user linked it with. */
  readonly login: string;
}

/** What the client hands to {@link FaxTransport.send}: a checked document and a normalized destination. */
export interface FaxSendRequest {
  /** The fax extension that sends. */
  readonly extensionId: string;
  /** The destination as normalized with the dial plan: E.164 (`+4989…`) or an internal extension (`"33"`). */
  readonly to: string;
  /** The PDF to send, cover page (if any) already in front. */
  readonly document: Uint8Array;
  /** Its page count, including the cover page. */
  readonly pages: number;
  /** Whether the first page is a cover page. */
  readonly coverSheet: boolean;
}

/** A change the server pushes. */
export type FaxStatusEvent =
  /** A job was created or changed state; carries the whole job (its `revision` orders the events). */
  | { readonly type: 'job'; readonly job: FaxJob }
  /** A fax arrived at one of the user's extensions. */
  | { readonly type: 'received'; readonly fax: ReceivedFax };

/**
 * The fax service as the client needs it. Every method rejects with a `CentrexError` on failure: wrong login or
 * PIN is `fax-login-failed`, a lockout after repeated wrong PINs `fax-login-locked`, a refused document one of the
 * `pdf-*` codes (the server checks again), anything else `fax-request-failed` (the client wraps other errors in it).
 *
 * A suggested mapping onto the Centrex API (see docs/decisions/0010-fax-core.md): `GET /fax/extensions`,
 * `POST /fax/extensions {login, pin}`, `POST /fax/jobs` (multipart), `GET /fax/history`, server-sent events
 * `fax-job` / `fax-received`, `GET /fax/history/{id}/document`.
 */
export interface FaxTransport {
  /** The fax extensions linked to the user. */
  listExtensions(): Promise<readonly FaxExtension[]>;
  /** Links a fax extension with the login and PIN the administrator gave the user; resolves with it. */
  linkExtension(login: string, pin: string): Promise<FaxExtension>;
  /**
   * Hands a fax to the server. The server stores it and answers at once with the job in state `queued` (the manual's
   * "Adding fax to queue"); progress arrives through {@link FaxTransport.onStatus}.
   */
  send(request: FaxSendRequest): Promise<FaxJob>;
  /** The history of the user's fax extensions: sent jobs (any state) and received faxes. */
  jobs(): Promise<readonly FaxHistoryEntry[]>;
  /**
   * Calls `listener` for every status event until the returned function is called. After a reconnect the client may
   * have missed events; it reloads {@link FaxTransport.jobs} when {@link FaxClient.refresh} is called.
   */
  onStatus(listener: (event: FaxStatusEvent) => void): () => void;
  /** The PDF of a history entry (sent or received). Optional: without it, the client cannot download. */
  download?(entryId: string): Promise<Uint8Array>;
}
