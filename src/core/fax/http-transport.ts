/**
 * {@link HttpFaxTransport}: the {@link FaxTransport} of the Centrex API, so a {@link FaxClient} can work against the
 * reference PBX (or any server that speaks the API's fax endpoints).
 *
 * @packageDocumentation
 */
import type { ApiEventStream, ApiStreamItem } from '../api/events.js';
import type { HttpApi } from '../api/http-api.js';
import { CentrexError, isCentrexError } from '../errors.js';
import type { FaxHistoryEntry, FaxJob } from './job.js';
import type { FaxExtension, FaxSendRequest, FaxStatusEvent, FaxTransport } from './transport.js';

/** Options of {@link HttpFaxTransport}. */
export interface HttpFaxTransportOptions {
  /** The signed-in API client. */
  readonly api: HttpApi;
  /**
   * An event stream of the same session to read `fax-job` and `fax-received` from, when the app has one open
   * already. Without it the transport opens its own (`api.events()`) while someone listens, and closes it when the
   * last listener leaves.
   */
  readonly events?: ApiEventStream;
}

type StatusListener = (event: FaxStatusEvent) => void;

/**
 * The fax service over the Centrex API: `GET/POST /fax/extensions`, `POST /fax/jobs` (the document as a file, with
 * `coverIncluded` when the client put a cover page in front), `GET /fax/jobs` and `GET /fax/received` for the
 * history, the server-sent events `fax-job` and `fax-received`, and the document downloads.
 *
 * Errors are the ones {@link FaxTransport} promises: `fax-login-failed` for a wrong login or PIN,
 * `fax-login-locked` (with `details.retryAfter` in seconds) after too many, the `pdf-…` codes when the PBX's own
 * check refuses a document, and the `api-…` codes of {@link HttpApi} for everything else.
 *
 * @example
 * ```ts
 * const api = new HttpApi({ baseUrl: 'https://pbx.example.com' });
 * await api.login(email, password);
 * const fax = new FaxClient({ transport: new HttpFaxTransport({ api }), dialPlan: { country: 'DE' } });
 * await fax.start();
 * ```
 */
export class HttpFaxTransport implements FaxTransport {
  readonly #api: HttpApi;
  readonly #shared: ApiEventStream | undefined;
  readonly #listeners = new Set<StatusListener>();
  // Which history entries are sent jobs and which received faxes: they are downloaded from different paths.
  readonly #directions = new Map<string, FaxHistoryEntry['direction']>();
  #own: ApiEventStream | undefined;
  #unsubscribe: (() => void) | undefined;

  /**
   * @param options - the API client, and optionally an event stream to share
   * @throws CentrexError `invalid-argument` without an API client
   */
  constructor(options: HttpFaxTransportOptions) {
    if (typeof options?.api?.listFaxExtensions !== 'function') {
      throw new CentrexError('invalid-argument', 'An HttpFaxTransport needs an HttpApi client.', { details: { field: 'api' } });
    }
    this.#api = options.api;
    this.#shared = options.events;
  }

  /** The fax extensions the user has linked. */
  listExtensions(): Promise<readonly FaxExtension[]> {
    return this.#api.listFaxExtensions();
  }

  /**
   * Links a fax extension with its login and PIN.
   * @throws CentrexError `fax-login-failed`, `fax-login-locked`, or an `api-…` code
   */
  async linkExtension(login: string, pin: string): Promise<FaxExtension> {
    try {
      return await this.#api.linkFaxExtension(login, pin);
    } catch (error) {
      if (isCentrexError(error, 'api-rate-limited')) {
        const retryAfter = error.details?.['retryAfter'];
        throw new CentrexError(
          'fax-login-locked',
          typeof retryAfter === 'number'
            ? `Too many wrong fax PINs: linking is locked for ${retryAfter} s. Check the login and PIN with your administrator.`
            : 'Too many wrong fax PINs: linking is locked for a few minutes. Check the login and PIN with your administrator.',
          { cause: error, details: typeof retryAfter === 'number' ? { retryAfter } : {} },
        );
      }
      throw error;
    }
  }

  /** Uploads a checked document; resolves with the job in state `queued`. */
  async send(request: FaxSendRequest): Promise<FaxJob> {
    const job = await this.#api.sendFax({
      extensionId: request.extensionId,
      to: request.to,
      document: request.document,
      coverIncluded: request.coverSheet,
    });
    this.#directions.set(job.id, 'outgoing');
    return job;
  }

  /** Sent jobs and received faxes (the newest 1000 of each). */
  async jobs(): Promise<readonly FaxHistoryEntry[]> {
    const [sent, received] = await Promise.all([
      this.#api.listFaxJobs({ limit: 1000 }),
      this.#api.listReceivedFaxes({ limit: 1000 }),
    ]);
    const entries: FaxHistoryEntry[] = [...sent, ...received];
    for (const entry of entries) this.#directions.set(entry.id, entry.direction);
    return entries;
  }

  /** Follows `fax-job` and `fax-received` events until the returned function is called. */
  onStatus(listener: (event: FaxStatusEvent) => void): () => void {
    const entry: StatusListener = (event) => listener(event);
    this.#listeners.add(entry);
    this.#unsubscribe ??= this.#stream().subscribe((item) => this.#onItem(item));
    return () => {
      this.#listeners.delete(entry);
      if (this.#listeners.size > 0) return;
      this.#unsubscribe?.();
      this.#unsubscribe = undefined;
      this.#own?.close();
      this.#own = undefined;
    };
  }

  /**
   * The PDF of a history entry: a sent job as it was sent (cover page included), or a received fax.
   * @throws CentrexError `api-not-found` for an entry that does not exist or is not the user's
   */
  async download(entryId: string): Promise<Uint8Array> {
    const direction = this.#directions.get(entryId);
    if (direction === 'incoming') return this.#api.downloadReceivedFax(entryId);
    if (direction === 'outgoing') return this.#api.downloadFaxJob(entryId);
    // Not seen yet (no history loaded): a received fax is the likelier wish; fall back to a sent job.
    try {
      return await this.#api.downloadReceivedFax(entryId);
    } catch (error) {
      if (!isCentrexError(error, 'api-not-found')) throw error;
      return this.#api.downloadFaxJob(entryId);
    }
  }

  #stream(): ApiEventStream {
    if (this.#shared) return this.#shared;
    this.#own ??= this.#api.events();
    return this.#own;
  }

  #onItem(item: ApiStreamItem): void {
    let event: FaxStatusEvent;
    if (item.type === 'fax-job') {
      this.#directions.set(item.data.id, 'outgoing');
      event = { type: 'job', job: item.data };
    } else if (item.type === 'fax-received') {
      this.#directions.set(item.data.id, 'incoming');
      event = { type: 'received', fax: item.data };
    } else {
      return;
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // One broken listener must not keep the others from their events; the FaxClient reports its own failures.
      }
    }
  }
}
