/**
 * The fax client: the user's fax extensions, sending, and the history of sent and received faxes with live status.
 *
 * @packageDocumentation
 */
import { CentrexError, isCentrexError } from '../errors.js';
import { checkDialPlan, type DialPlan } from '../numbers/dial-plan.js';
import { formatNumber } from '../numbers/format.js';
import { normalizeNumber, type InvalidNumberReason } from '../numbers/normalize.js';
import { checkFaxDocument, readFaxDocument } from './check.js';
import { type CoverSheetContent, prependCoverSheet } from './cover-render.js';
import {
  canTransitionFaxJob,
  FAX_JOB_TRANSITIONS,
  type FaxHistoryEntry,
  type FaxJob,
  type ReceivedFax,
  transitionFaxJob,
} from './job.js';
import { type FaxDocumentLimits, resolveFaxDocumentLimits } from './limits.js';
import type { FaxDocumentSandbox } from './sandbox.js';
import type { FaxExtension, FaxStatusEvent, FaxTransport } from './transport.js';
import { createWorkerFaxSandbox, hasWebWorkers } from './worker-sandbox.js';

/** Options of {@link FaxClient}. */
export interface FaxClientOptions {
  /** The fax service. */
  readonly transport: FaxTransport;
  /** How destination numbers are read (country, extension lengths). */
  readonly dialPlan: DialPlan;
  /** The sender printed on cover sheets; default: the sending extension's name. */
  readonly senderName?: string;
  /** Language of cover sheets (`de…` German, otherwise English). */
  readonly locale?: string;
  /** Time zone of the date on cover sheets; default: the runtime's. */
  readonly timeZone?: string;
  /** The clock for cover sheet dates; default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Where documents are checked. Default: a Web Worker sandbox, started on the first send and stopped by
   * {@link FaxClient.dispose}. In Node pass `createNodeFaxSandbox()`; a sandbox passed in is not disposed here.
   */
  readonly sandbox?: FaxDocumentSandbox;
  /** Document limits that differ from the defaults. */
  readonly limits?: Partial<FaxDocumentLimits>;
}

/** What {@link FaxClient.send} needs (manual: "Sending a fax"). */
export interface FaxSendOptions {
  /** The number to send to, as the person typed it. */
  readonly to: string;
  /** The PDF (a dropped `File` is a `Blob`). */
  readonly document: Uint8Array | ArrayBuffer | Blob;
  /** The cover sheet to put in front ("Send with cover sheet"); none when omitted. */
  readonly coverSheet?: CoverSheetContent;
  /** The sending extension; default: the selected one. */
  readonly extensionId?: string;
  /** Aborting stops the document check (sending itself is not aborted once handed over). */
  readonly signal?: AbortSignal;
}

/** The events of a {@link FaxClient} and what each carries. */
export interface FaxClientEventMap {
  /** The list of linked extensions or the selection changed. */
  extensions: { readonly extensions: readonly FaxExtension[]; readonly selected: FaxExtension | undefined };
  /** A job appeared or changed; `previous` is the job before the change. */
  job: { readonly job: FaxJob; readonly previous: FaxJob | undefined };
  /** A fax arrived. */
  received: { readonly fax: ReceivedFax };
  /** Something went wrong outside a call the application made (a status event the client could not use). */
  error: { readonly error: CentrexError };
}

type Listener<T> = (event: T) => void;

/**
 * Sends faxes and follows them. Construct it with a {@link FaxTransport}, call {@link FaxClient.start}, then
 * {@link FaxClient.send}. The job comes back `queued` at once (show "Adding fax to queue"); `job` events report
 * `sending`, retries, `sent` or `failed`.
 *
 * @example
 * ```ts
 * const fax = new FaxClient({ transport, dialPlan: { country: 'DE' }, senderName: 'Anna Schmidt', locale: 'de' });
 * await fax.start();
 * fax.on('job', ({ job }) => render(job.state));
 * const job = await fax.send({ to: '089 1234567', document: file, coverSheet: { subject: 'Angebot', message: '…' } });
 * ```
 */
export class FaxClient {
  readonly #options: FaxClientOptions;
  readonly #limits: FaxDocumentLimits;
  readonly #listeners = new Map<keyof FaxClientEventMap, Set<Listener<never>>>();
  readonly #entries = new Map<string, FaxHistoryEntry>();
  #extensions: readonly FaxExtension[] = [];
  #selectedId: string | undefined;
  #unsubscribe: (() => void) | undefined;
  #ownSandbox: FaxDocumentSandbox | undefined;

  /**
   * @throws CentrexError `invalid-argument` without a transport; `invalid-dial-plan` or `invalid-argument` for a bad
   *   dial plan or limits
   */
  constructor(options: FaxClientOptions) {
    if (typeof options?.transport?.send !== 'function') {
      throw new CentrexError('invalid-argument', 'A FaxClient needs a transport (the fax service).', {
        details: { field: 'transport' },
      });
    }
    // Fail on a bad dial plan now rather than at the first send.
    checkDialPlan(options.dialPlan);
    this.#options = options;
    this.#limits = resolveFaxDocumentLimits(options.limits);
  }

  /**
   * Subscribes to status events and loads the extensions and the history. Events that arrive while loading are not
   * lost: each job's `revision` decides which version wins.
   */
  async start(): Promise<void> {
    this.#unsubscribe ??= this.#options.transport.onStatus((event) => this.#onStatus(event));
    await Promise.all([this.refreshExtensions(), this.refresh()]);
  }

  /** Reloads the history (after a reconnect, when status events may have been missed). */
  async refresh(): Promise<void> {
    const entries = await this.#call('load the fax history', () => this.#options.transport.jobs());
    for (const entry of entries) {
      if (entry.direction === 'incoming') this.#addReceived(entry);
      else this.#applyJob(entry, false);
    }
  }

  /** Reloads the linked extensions. */
  async refreshExtensions(): Promise<void> {
    const extensions = await this.#call('load the fax extensions', () => this.#options.transport.listExtensions());
    this.#setExtensions(extensions);
  }

  /** Stops listening for status events, stops the client's own sandbox and removes all listeners. */
  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#ownSandbox?.dispose();
    this.#ownSandbox = undefined;
    this.#listeners.clear();
  }

  /** The linked fax extensions, in the server's order. */
  get extensions(): readonly FaxExtension[] {
    return this.#extensions;
  }

  /** The extension faxes are sent from; the first one until another is chosen. */
  get selectedExtension(): FaxExtension | undefined {
    return this.#extensions.find((extension) => extension.id === this.#selectedId);
  }

  /**
   * Chooses the extension to send from (manual: "Select an eFax name from the drop-down menu").
   *
   * @throws CentrexError `fax-no-extension` when no linked extension has this id
   */
  selectExtension(id: string): void {
    this.#requireExtension(id);
    if (this.#selectedId === id) return;
    this.#selectedId = id;
    this.#emit('extensions', { extensions: this.#extensions, selected: this.selectedExtension });
  }

  /**
   * Links a fax extension with the login and PIN from the administrator (manual: "Fax hinzufügen"). The first linked
   * extension becomes the selected one.
   *
   * @throws CentrexError `invalid-argument` for an empty login or PIN; from the server `fax-login-failed`,
   *   `fax-login-locked` or `fax-request-failed`
   */
  async linkExtension(login: string, pin: string): Promise<FaxExtension> {
    for (const [field, value] of [
      ['login', login],
      ['pin', pin],
    ] as const) {
      if (typeof value !== 'string' || value.trim() === '') {
        throw new CentrexError(
          'invalid-argument',
          field === 'login' ? 'Enter your fax login.' : 'Enter your fax PIN.',
          {
            details: { field },
          },
        );
      }
    }
    const extension = await this.#call('link the fax extension', () =>
      this.#options.transport.linkExtension(login.trim(), pin.trim()),
    );
    this.#setExtensions([...this.#extensions.filter((known) => known.id !== extension.id), extension]);
    return extension;
  }

  /**
   * Sends a fax: reads the number with the dial plan, checks the PDF (in the sandbox), puts the cover sheet in front
   * when one is given, and hands it to the server. Resolves with the job as soon as the server has queued it.
   *
   * @throws CentrexError `fax-no-extension`; `invalid-number` (with `details.reason`); any code of
   *   `checkFaxDocument()` (`pdf-encrypted`, `pdf-has-form-fields`, …); `fax-request-failed` or a server error
   */
  async send(options: FaxSendOptions): Promise<FaxJob> {
    const extension = this.#requireExtension(options.extensionId ?? this.#selectedId);
    const normalized = normalizeNumber(options.to, this.#options.dialPlan);
    if (normalized.kind === 'invalid') throw invalidNumber(options.to, normalized.reason);
    const to = normalized.kind === 'extension' ? normalized.extension : normalized.e164;

    const bytes = await readFaxDocument(options.document, this.#limits);
    const checkOptions = options.signal ? { signal: options.signal } : {};
    const info = await checkFaxDocument(bytes, { limits: this.#limits, sandbox: this.#sandbox(), ...checkOptions });
    let document = bytes;
    let pages = info.pages;
    if (options.coverSheet) {
      const { locale, timeZone } = this.#options;
      document = await prependCoverSheet(bytes, options.coverSheet, {
        sender: {
          name: this.#options.senderName ?? extension.name,
          number: formatNumber(extension.number, this.#options.dialPlan),
        },
        date: (this.#options.now ?? (() => new Date()))(),
        recipient: formatNumber(to, this.#options.dialPlan),
        pages: pages + 1,
        ...(locale === undefined ? {} : { locale }),
        ...(timeZone === undefined ? {} : { timeZone }),
      });
      pages += 1;
    }
    const job = await this.#call('queue the fax', () =>
      this.#options.transport.send({
        extensionId: extension.id,
        to,
        document,
        pages,
        coverSheet: !!options.coverSheet,
      }),
    );
    this.#applyJob(job, false);
    // A status event may already have moved the job on; return the newest version.
    const current = this.#entries.get(job.id);
    return current?.direction === 'outgoing' ? current : job;
  }

  /** Sent and received faxes, newest first. */
  get history(): readonly FaxHistoryEntry[] {
    const time = (entry: FaxHistoryEntry): number =>
      Date.parse(entry.direction === 'outgoing' ? entry.createdAt : entry.receivedAt);
    return [...this.#entries.values()].sort((a, b) => time(b) - time(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  /** A job of the history by id. */
  job(id: string): FaxJob | undefined {
    const entry = this.#entries.get(id);
    return entry?.direction === 'outgoing' ? entry : undefined;
  }

  /**
   * The PDF of a history entry, to open or save.
   *
   * @throws CentrexError `not-supported` when the transport cannot download; `fax-request-failed` or a server error
   */
  async download(entryId: string): Promise<Uint8Array> {
    const { transport } = this.#options;
    if (!transport.download) {
      throw new CentrexError('not-supported', 'This fax service does not offer downloads.', { details: { entryId } });
    }
    return this.#call('download the fax', () => transport.download!(entryId));
  }

  /** Calls `listener` for every `type` event until the returned function is called. */
  on<K extends keyof FaxClientEventMap>(type: K, listener: (event: FaxClientEventMap[K]) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => void set.delete(listener as Listener<never>);
  }

  #emit<K extends keyof FaxClientEventMap>(type: K, event: FaxClientEventMap[K]): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        (listener as Listener<FaxClientEventMap[K]>)(event);
      } catch (error) {
        // A broken listener must not stop the others or the status stream; it still surfaces as uncaught.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #sandbox(): FaxDocumentSandbox {
    if (this.#options.sandbox) return this.#options.sandbox;
    if (!this.#ownSandbox) {
      if (!hasWebWorkers()) {
        throw new CentrexError(
          'not-supported',
          'Fax documents are checked in a worker, and this environment has no Web Workers. In Node, pass ' +
            '{ sandbox: createNodeFaxSandbox() } from "centrex-sdk/core/fax/node".',
        );
      }
      this.#ownSandbox = createWorkerFaxSandbox();
    }
    return this.#ownSandbox;
  }

  #requireExtension(id: string | undefined): FaxExtension {
    const extension = this.#extensions.find((known) => known.id === id);
    if (extension) return extension;
    throw new CentrexError(
      'fax-no-extension',
      this.#extensions.length === 0
        ? 'Add a fax extension first: you need the fax login and PIN from your administrator.'
        : `The fax extension "${String(id)}" is not linked to you; choose one of your fax extensions.`,
      { details: { extensionId: id } },
    );
  }

  #setExtensions(extensions: readonly FaxExtension[]): void {
    this.#extensions = [...extensions];
    if (!this.#extensions.some((extension) => extension.id === this.#selectedId))
      this.#selectedId = this.#extensions[0]?.id;
    this.#emit('extensions', { extensions: this.#extensions, selected: this.selectedExtension });
  }

  #onStatus(event: FaxStatusEvent): void {
    if (event?.type === 'job' && isFaxJob(event.job)) this.#applyJob(event.job, true);
    else if (event?.type === 'received' && isReceivedFax(event.fax)) this.#addReceived(event.fax);
    else {
      this.#emit('error', {
        error: new CentrexError('unexpected-document', 'The fax service sent a status event the client cannot read.', {
          details: { event },
        }),
      });
    }
  }

  /**
   * Takes a job from the server unless a newer revision is known. A consecutive event whose state change the table
   * does not allow is reported as an `error` event, and the server's version is still taken: the server is the
   * authority on where a fax stands, the report is for finding its bug.
   */
  #applyJob(job: FaxJob, fromEvent: boolean): void {
    const previous = this.#entries.get(job.id);
    if (previous && previous.direction !== 'outgoing') return;
    if (previous && job.revision <= previous.revision) return;
    if (fromEvent && previous && job.revision === previous.revision + 1 && !canTransitionFaxJob(previous, job.state)) {
      try {
        transitionFaxJob(previous, job.state, {
          at: new Date(job.updatedAt),
          ...(job.failure ? { failure: job.failure } : {}),
        });
      } catch (error) {
        if (isCentrexError(error)) this.#emit('error', { error });
      }
    }
    this.#entries.set(job.id, job);
    this.#emit('job', { job, previous });
  }

  #addReceived(fax: ReceivedFax): void {
    if (this.#entries.has(fax.id)) return;
    this.#entries.set(fax.id, fax);
    this.#emit('received', { fax });
  }

  async #call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (isCentrexError(error)) throw error;
      throw new CentrexError('fax-request-failed', `The fax service could not ${what}. Try again in a moment.`, {
        cause: error,
      });
    }
  }
}

function invalidNumber(input: string, reason: InvalidNumberReason): CentrexError {
  const shown = typeof input === 'string' ? input.trim() : '';
  const message = {
    empty: 'Enter the fax number to send to.',
    'not-a-number': `"${shown}" contains characters that are not part of a fax number.`,
    'unknown-format':
      `"${shown}" is neither an internal extension nor a complete fax number. ` +
      'Enter the full number with area code, for example 089 1234567 or +49 89 1234567.',
    impossible: `"${shown}" cannot be a fax number: it is too short or too long.`,
  }[reason];
  return new CentrexError('invalid-number', message, { details: { field: 'to', input: shown, reason } });
}

function isFaxJob(value: unknown): value is FaxJob {
  const job = value as Partial<FaxJob> | null;
  return (
    typeof job === 'object' &&
    job !== null &&
    job.direction === 'outgoing' &&
    typeof job.id === 'string' &&
    typeof job.state === 'string' &&
    Object.hasOwn(FAX_JOB_TRANSITIONS, job.state) &&
    Number.isInteger(job.revision)
  );
}

function isReceivedFax(value: unknown): value is ReceivedFax {
  const fax = value as Partial<ReceivedFax> | null;
  return typeof fax === 'object' && fax !== null && fax.direction === 'incoming' && typeof fax.id === 'string';
}
