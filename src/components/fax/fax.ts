import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { msg, str } from '@lit/localize';
import type { ApiEventStream } from '../../core/api/index.js';
import type { CentrexClient, ClientArea } from '../../core/client/index.js';
import { isCentrexError } from '../../core/errors.js';
import {
  COVER_SHEET_LIMITS,
  type CoverSheet,
  type CoverSheetContent,
  type CoverSheetDraft,
  type CoverSheetRenderOptions,
  createWorkerFaxSandbox,
  type FaxDocumentInfo,
  type FaxDocumentSandbox,
  type FaxExtension,
  type FaxHistoryEntry,
  type FaxJob,
  type ReceivedFax,
  FaxClient,
  HttpFaxTransport,
  checkFaxDocument,
  listCoverSheets,
  normalizeCoverSheet,
  renderCoverSheet,
  unsupportedCoverCharacters,
  validateCoverSheet,
} from '../../core/fax/index.js';
import { formatNumber, normalizeNumber, type DialPlan } from '../../core/numbers/index.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { dispatch } from '../shared/events.js';
import { currentLanguage, formatCount, formatDateTime } from '../shared/localize.js';
import { controls, tokens } from '../shared/styles.js';
import { faxStyles } from './fax.styles.js';
import {
  coverIssueText,
  isDocumentError,
  jobStateText,
  linkErrorText,
  numberErrorText,
  sendErrorText,
} from './fax-text.js';

/**
 * Starts the workers `<centrex-fax>` needs, for pages where they do not sit beside the SDK's modules (a page that
 * serves the SDK from elsewhere, or a test server that compiles TypeScript on request). Each must return a module
 * worker from the page's own origin.
 */
export interface FaxWorkers {
  /** The document check's worker (the core's `fax-document.worker.js`). */
  readonly check?: () => Worker;
  /** pdf.js's worker for page previews (`pdf-preview.worker.js` beside the element's module). */
  readonly preview?: () => Worker;
}

/** `detail` of `centrex-fax-linked`: a fax extension was added with login and PIN. */
export interface FaxLinkedDetail {
  readonly extension: FaxExtension;
}

/** `detail` of `centrex-fax-queued`: the telephone system accepted a fax ("Adding fax to queue"). */
export interface FaxQueuedDetail {
  readonly job: FaxJob;
}

/** `detail` of `centrex-fax-job`: a sent fax changed state (queued, sending, sent, failed). */
export interface FaxJobDetail {
  readonly job: FaxJob;
  /** The job before the change; `undefined` when it is new. */
  readonly previous: FaxJob | undefined;
}

/** `detail` of `centrex-fax-received`: a fax arrived at one of the user's fax extensions. */
export interface FaxReceivedDetail {
  readonly fax: ReceivedFax;
}

/**
 * `detail` of `centrex-fax-download` (cancelable): the PDF of a history entry, before the element saves it as a
 * file. Call `preventDefault()` to show or store it yourself.
 */
export interface FaxDownloadDetail {
  readonly entry: FaxHistoryEntry;
  /** The PDF. */
  readonly document: Uint8Array;
  /** The file name the element would save it under. */
  readonly filename: string;
}

/**
 * A sentence to show, made when rendering: a message stays in the current language when the language changes while
 * it is shown.
 */
type Say = () => string;

const say = (text: Say | undefined): string => text?.() ?? '';

const noDocument: Say = () => msg('Choose the PDF to send: drop it on the field or use "Choose PDF".', { id: 'fax.send.no-document' });

/** The PDF chosen for sending and what the element knows about it. */
interface ChosenDocument {
  readonly file: File;
  readonly status: 'checking' | 'ok' | 'refused';
  readonly bytes?: Uint8Array;
  readonly info?: FaxDocumentInfo;
  readonly error?: Say;
  readonly preview: 'waiting' | 'loading' | 'done' | 'failed';
  readonly pages?: readonly HTMLCanvasElement[];
}

/** The cover sheet being written or changed. */
interface CoverEditor {
  /** The sheet being changed; none for a new one. */
  readonly id?: string;
  readonly name: string;
  readonly subject: string;
  readonly message: string;
}

/** One signed-in user's fax: the fax client, its event stream and its sandbox, for as long as the element shows it. */
interface Session {
  readonly client: CentrexClient;
  readonly fax: FaxClient;
  readonly events: ApiEventStream;
  readonly sandbox: FaxDocumentSandbox;
  readonly dialPlan: DialPlan;
  readonly stop: () => void;
}

// Thumbnails and the cover preview are drawn at these widths (CSS pixels); CSS may show them smaller.
const THUMBNAIL_WIDTH = 120;
const COVER_PREVIEW_WIDTH = 260;
const MAX_THUMBNAILS = 12;
const MAX_HISTORY = 100;
const SNACKBAR_MS = 5000;
const COVER_PREVIEW_DELAY_MS = 250;

/**
 * Fax (manual B.3 "Fax"): add a fax extension with the fax login and PIN from the administrator, choose which one to
 * send from, enter the number, tick "Send with cover sheet" (pick, add, change or delete cover sheets, with a preview
 * of the page), drop a PDF or choose it with the button, and send. The PDF is checked before anything is sent (in a
 * worker): encrypted files, files that forbid page extraction and files with editable form fields are refused with
 * what to do about it. Send shows the snackbar "Adding fax to queue"; the history below follows each sent fax
 * (queued, sending, retries, sent or failed with the reason) and lists received faxes as they arrive, each with a
 * download button.
 *
 * pdf-lib and pdf.js are loaded only when a document is checked or a preview drawn. Under a strict Content Security
 * Policy (`script-src 'self'`) the two workers must come from the page's own origin: they do when the SDK is served
 * from it (npm build or `dist/cdn/`); otherwise hand the element {@link CentrexFax.workers}.
 *
 * @summary Send faxes from PDFs (with cover sheets) and see sent and received faxes.
 * @fires centrex-fax-linked - a fax extension was added ({@link FaxLinkedDetail})
 * @fires centrex-fax-queued - the telephone system accepted a fax ({@link FaxQueuedDetail})
 * @fires centrex-fax-job - a sent fax changed state ({@link FaxJobDetail})
 * @fires centrex-fax-received - a fax arrived ({@link FaxReceivedDetail})
 * @fires centrex-fax-download - cancelable, before a PDF from the history is saved ({@link FaxDownloadDetail})
 * @csspart base - the whole element
 * @csspart extensions - choosing and adding fax extensions
 * @csspart add-extension - the "Add fax" button
 * @csspart link-form - the form for fax login and PIN
 * @csspart send - the area for a new fax (number, cover sheet, document, Send)
 * @csspart number - the fax number field
 * @csspart number-hint - the number as it will be dialled, or what is wrong with it
 * @csspart cover - the cover sheet choice, editor and preview
 * @csspart cover-editor - the form for a cover sheet's name, subject and message
 * @csspart cover-preview - the preview of the cover page
 * @csspart drop-zone - where a PDF is dropped (holds the file button)
 * @csspart file-button - the button that opens the file chooser
 * @csspart document - the chosen PDF: name, check result, pages
 * @csspart document-error - why the PDF cannot be sent
 * @csspart pages - the page previews
 * @csspart page - one page preview
 * @csspart send-button - the Send button
 * @csspart error - an error message
 * @csspart history - sent and received faxes
 * @csspart entry - one fax of the history (`data-direction`, and `data-state` for sent ones)
 * @csspart state - where a sent fax stands
 * @csspart download - a download button
 * @csspart snackbar - "Adding fax to queue" (a live region)
 * @cssprop --centrex-fax-drop-border - border colour of the drop zone
 * @cssprop --centrex-fax-drop-active - background of the drop zone while a file is dragged over it
 * @cssprop --centrex-fax-thumbnail-width - width of a page preview (default `6rem`)
 * @cssprop --centrex-fax-cover-preview-width - width of the cover page preview (default `14rem`)
 * @cssprop --centrex-fax-snackbar-background - background of the snackbar
 * @cssprop --centrex-fax-snackbar-color - text colour of the snackbar
 * @cssprop --centrex-fax-sent - colour of the "Sent" state
 * @cssprop --centrex-fax-failed - colour of the "Failed" state
 */
export class CentrexFax extends CentrexElement {
  static override clientAreas: readonly ClientArea[] = ['status', 'me'];
  static override styles = [tokens, controls, faxStyles];

  /**
   * Where the element's workers come from, when they do not sit beside its modules. Read when the element starts
   * for a user; set it before.
   */
  @property({ attribute: false }) workers: FaxWorkers | undefined;

  @state() private loading = false;
  @state() private loadError: unknown;
  @state() private coverSheets: readonly CoverSheet[] = [];
  @state() private linkOpen = false;
  @state() private linkLogin = '';
  @state() private linkPin = '';
  @state() private linkBusy = false;
  @state() private linkError: Say | undefined;
  @state() private to = '';
  @state() private toTouched = false;
  @state() private withCover = false;
  @state() private coverId: string | undefined;
  @state() private editor: CoverEditor | undefined;
  @state() private editorTouched = false;
  @state() private editorBusy = false;
  @state() private editorError: Say | undefined;
  @state() private confirmDelete = false;
  @state() private coverPreview: HTMLCanvasElement | 'loading' | 'failed' | undefined;
  @state() private doc: ChosenDocument | undefined;
  @state() private dragging = false;
  @state() private sending = false;
  @state() private sendError: Say | undefined;
  @state() private snackbar = '';
  @state() private announcement = '';
  @state() private historyError: Say | undefined;
  @state() private downloading: ReadonlySet<string> = new Set();

  #session: Session | undefined;
  // Jobs sent from this element: their outcome is announced.
  readonly #mine = new Set<string>();
  #docRun = 0;
  #docChecked: Promise<void> | undefined;
  #coverRun = 0;
  #coverKey = '';
  #coverTimer: ReturnType<typeof setTimeout> | undefined;
  #snackbarTimer: ReturnType<typeof setTimeout> | undefined;
  #previews = new AbortController();

  /** The fax client the element works with for the current user (to send from code, for example). */
  get faxClient(): FaxClient | undefined {
    return this.#session?.fax;
  }

  protected override clientChanged(area: ClientArea): void {
    if (area === 'status' || area === 'me') this.#sync();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#previews = new AbortController();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Nothing keeps running for an element that left the page: no event stream, no worker, no timer.
    this.#teardown();
    this.#previews.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Here rather than in updated(): a preview state set now is part of this render, not a second one.
    this.#scheduleCoverPreview();
  }

  // ——— session ———

  #sync(): void {
    const client = this.activeClient;
    const dialPlan = client?.dialPlan;
    if (client === undefined || client.status === 'signed-out' || client.me === undefined || dialPlan === undefined) {
      this.#teardown();
      return;
    }
    if (this.#session?.client === client) return;
    this.#teardown();
    try {
      this.#start(client, dialPlan);
    } catch (error) {
      // A dial plan the fax client refuses, for example: say so rather than break the page's rendering.
      this.loadError = error;
    }
  }

  #start(client: CentrexClient, dialPlan: DialPlan): void {
    const check = this.workers?.check;
    const sandbox = createWorkerFaxSandbox(check ? { createWorker: check } : {});
    // An event stream of the element's own: it also says when it (re)connects, when missed events must be reloaded.
    const events = client.api.events();
    let fax: FaxClient;
    try {
      fax = new FaxClient({
        transport: new HttpFaxTransport({ api: client.api, events }),
        dialPlan,
        senderName: client.me?.name ?? '',
        sandbox,
        // Read at every send, so a cover page speaks the language the elements speak at that moment.
        get locale(): string {
          return currentLanguage();
        },
      });
    } catch (error) {
      events.close();
      sandbox.dispose();
      throw error;
    }
    let started = false;
    const stops = [
      fax.on('extensions', () => this.requestUpdate()),
      // What the first load brings is history, not news: only later changes are announced and dispatched.
      fax.on('job', ({ job, previous }) => (started ? this.#onJob(job, previous) : this.requestUpdate())),
      fax.on('received', ({ fax: received }) => (started ? this.#onReceived(received) : this.requestUpdate())),
      events.subscribe((item) => {
        if (item.type === 'open' && started) void fax.refresh().catch(() => undefined);
      }),
    ];
    const session: Session = {
      client,
      fax,
      events,
      sandbox,
      dialPlan,
      stop: () => {
        for (const stop of stops) stop();
        fax.dispose();
        events.close();
        sandbox.dispose();
      },
    };
    this.#session = session;
    this.loading = true;
    this.loadError = undefined;
    void Promise.all([fax.start(), this.#loadCoverSheets(session)])
      .then(
        () => {
          started = true;
          // Events that came between loading the history and the stream opening are fetched once more.
          if (events.state === 'open') void fax.refresh().catch(() => undefined);
        },
        (error: unknown) => {
          if (this.#session === session) this.loadError = error;
        },
      )
      .finally(() => {
        if (this.#session === session) this.loading = false;
      });
  }

  #teardown(): void {
    const session = this.#session;
    if (session === undefined) return;
    this.#session = undefined;
    session.stop();
    clearTimeout(this.#coverTimer);
    clearTimeout(this.#snackbarTimer);
    this.#previews.abort();
    this.#previews = new AbortController();
    this.#mine.clear();
    this.#docRun++;
    this.#coverRun++;
    this.#coverKey = '';
    Object.assign(this, {
      loading: false,
      loadError: undefined,
      coverSheets: [],
      linkOpen: false,
      linkLogin: '',
      linkPin: '',
      linkError: undefined,
      to: '',
      toTouched: false,
      withCover: false,
      coverId: undefined,
      editor: undefined,
      editorError: undefined,
      confirmDelete: false,
      coverPreview: undefined,
      doc: undefined,
      sending: false,
      sendError: undefined,
      snackbar: '',
      historyError: undefined,
      downloading: new Set(),
    });
  }

  async #loadCoverSheets(session: Session): Promise<void> {
    const sheets = await session.client.api.listFaxCoverSheets();
    if (this.#session !== session) return;
    this.coverSheets = listCoverSheets(sheets, currentLanguage());
    if (this.coverId === undefined || !sheets.some((sheet) => sheet.id === this.coverId)) this.coverId = this.coverSheets[0]?.id;
  }

  #onJob(job: FaxJob, previous: FaxJob | undefined): void {
    this.requestUpdate();
    dispatch<FaxJobDetail>(this, 'centrex-fax-job', { job, previous });
    if (!this.#mine.has(job.id) || previous?.state === job.state) return;
    const to = this.#formatted(job.to);
    if (job.state === 'sent') this.#announce(msg(str`Fax to ${to} sent.`, { id: 'fax.announce.sent' }));
    if (job.state === 'failed') this.#announce(msg(str`Fax to ${to}: ${jobStateText(job)}.`, { id: 'fax.announce.failed' }));
  }

  #onReceived(received: ReceivedFax): void {
    this.requestUpdate();
    dispatch<FaxReceivedDetail>(this, 'centrex-fax-received', { fax: received });
    this.#announce(msg(str`New fax from ${this.#sender(received)}.`, { id: 'fax.announce.received' }));
  }

  #announce(text: string): void {
    // The same sentence twice in a row must still be heard: clear first, then set.
    this.announcement = '';
    void this.updateComplete.then(() => (this.announcement = text));
  }

  #formatted(number: string): string {
    const plan = this.#session?.dialPlan;
    return plan === undefined ? number : formatNumber(number, plan);
  }

  #sender(received: ReceivedFax): string {
    return received.from === '' ? msg('unknown sender', { id: 'fax.unknown-sender' }) : this.#formatted(received.from);
  }

  // ——— rendering ———

  protected override render(): TemplateResult {
    const client = this.activeClient;
    const session = this.#session;
    if (client === undefined || client.status === 'signed-out') {
      return html`<p class="muted">${msg('Sign in to send and receive faxes.', { id: 'fax.signed-out' })}</p>`;
    }
    if (session === undefined) {
      return this.loadError === undefined
        ? html`<p class="muted" role="status">${msg('Loading your faxes…', { id: 'fax.loading' })}</p>`
        : html`<p part="error" class="error" role="alert">${errorText(this.loadError)}</p>`;
    }
    const fax = session.fax;
    return html`<section part="base" class="base" aria-labelledby="fax-title">
      <h2 id="fax-title" class="title">${msg('Fax', { id: 'fax.title' })}</h2>
      ${this.loadError === undefined
        ? nothing
        : html`<p part="error" class="error" role="alert">
            ${errorText(this.loadError)}
            <button type="button" @click=${() => this.#retryLoad()}>${msg('Try again', { id: 'fax.retry' })}</button>
          </p>`}
      ${this.loading && fax.extensions.length === 0
        ? html`<p class="muted" role="status">${msg('Loading your faxes…', { id: 'fax.loading' })}</p>`
        : nothing}
      ${this.#renderExtensions(fax)} ${fax.selectedExtension === undefined ? nothing : this.#renderSend(session)}
      ${this.#renderHistory(fax)}
      <div part="snackbar" class=${this.snackbar === '' ? 'snackbar' : 'snackbar shown'} role="status">${this.snackbar}</div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </section>`;
  }

  #retryLoad(): void {
    this.#teardown();
    this.#sync();
  }

  #renderExtensions(fax: FaxClient): TemplateResult {
    const extensions = fax.extensions;
    const selected = fax.selectedExtension;
    const label = (extension: FaxExtension): string => `${extension.name} (${this.#formatted(extension.number)})`;
    let choice: TemplateResult;
    if (extensions.length > 1) {
      choice = html`<label for="extension">${msg('Send from', { id: 'fax.extension.choose' })}</label>
        <select id="extension" @change=${(event: Event) => fax.selectExtension((event.target as HTMLSelectElement).value)}>
          ${extensions.map((extension) => html`<option value=${extension.id} .selected=${live(extension.id === selected?.id)}>${label(extension)}</option>`)}
        </select>`;
    } else if (selected !== undefined) {
      choice = html`<p class="extension">
        ${msg('Send from', { id: 'fax.extension.choose' })}: <strong part="extension-name">${label(selected)}</strong>
      </p>`;
    } else if (this.loading) {
      choice = html``;
    } else {
      choice = html`<p class="muted">
        ${msg('No fax extension yet. Add yours with the fax login and PIN from your administrator.', { id: 'fax.extension.none' })}
      </p>`;
    }
    return html`<div part="extensions" class="extensions">
      ${choice}
      <button
        type="button"
        part="add-extension"
        aria-expanded=${this.linkOpen ? 'true' : 'false'}
        aria-controls="link-form"
        @click=${() => this.#toggleLink()}
      >
        <span aria-hidden="true">+</span> ${msg('Add fax', { id: 'fax.link.open' })}
      </button>
      ${this.linkOpen ? this.#renderLinkForm() : nothing}
    </div>`;
  }

  #renderLinkForm(): TemplateResult {
    const invalid = this.linkError === undefined ? 'false' : 'true';
    return html`<form id="link-form" part="link-form" class="link-form" @submit=${(event: SubmitEvent) => this.#link(event)}>
      <div class="field">
        <label for="fax-login">${msg('Fax login', { id: 'fax.link.login' })}</label>
        <input
          id="fax-login"
          autocomplete="off"
          spellcheck="false"
          .value=${live(this.linkLogin)}
          aria-invalid=${invalid}
          aria-describedby="link-error"
          @input=${(event: Event) => (this.linkLogin = (event.target as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="fax-pin">${msg('PIN', { id: 'fax.link.pin' })}</label>
        <input
          id="fax-pin"
          type="password"
          inputmode="numeric"
          autocomplete="off"
          .value=${live(this.linkPin)}
          aria-invalid=${invalid}
          aria-describedby="link-error"
          @input=${(event: Event) => (this.linkPin = (event.target as HTMLInputElement).value)}
        />
      </div>
      <div class="row">
        <button type="submit" class="primary" ?disabled=${this.linkBusy}>${msg('Save', { id: 'fax.save' })}</button>
        <button type="button" @click=${() => this.#toggleLink(false)}>${msg('Cancel', { id: 'fax.cancel' })}</button>
      </div>
      <p id="link-error" part="error" class="error" role="alert">${say(this.linkError)}</p>
    </form>`;
  }

  #renderSend(session: Session): TemplateResult {
    const number = this.#numberInfo(session.dialPlan);
    return html`<div part="send" class="send" role="group" aria-labelledby="send-title">
      <h3 id="send-title">${msg('New fax', { id: 'fax.send.title' })}</h3>
      <div class="field">
        <label for="to">${msg('Fax number', { id: 'fax.number' })}</label>
        <input
          id="to"
          part="number"
          type="tel"
          autocomplete="off"
          .value=${live(this.to)}
          aria-invalid=${number?.error ? 'true' : 'false'}
          aria-describedby="to-hint"
          @input=${(event: Event) => {
            this.to = (event.target as HTMLInputElement).value;
            this.sendError = undefined;
          }}
          @blur=${() => (this.toTouched = this.to.trim() !== '')}
        />
        <p id="to-hint" part="number-hint" class=${number?.error ? 'hint error' : 'hint'}>${number?.text ?? ''}</p>
      </div>
      <div class="check">
        <input
          id="with-cover"
          type="checkbox"
          .checked=${live(this.withCover)}
          @change=${(event: Event) => (this.withCover = (event.target as HTMLInputElement).checked)}
        />
        <label for="with-cover">${msg('Send with cover sheet', { id: 'fax.cover.with' })}</label>
      </div>
      ${this.withCover ? this.#renderCover() : nothing} ${this.#renderDropZone()} ${this.#renderDocument()}
      <div class="row">
        <button
          type="button"
          part="send-button"
          class="primary send-button"
          aria-describedby="send-error"
          ?disabled=${this.sending}
          @click=${() => void this.#send()}
        >
          ${msg('Send', { id: 'fax.send' })}
        </button>
      </div>
      <p id="send-error" part="error" class="error" role="alert">${say(this.sendError)}</p>
    </div>`;
  }

  /** The number as it will be dialled, or (once the person left the field) what is wrong with it. */
  #numberInfo(plan: DialPlan): { text: string; error: boolean } | undefined {
    if (this.to.trim() === '') return undefined;
    const normalized = normalizeNumber(this.to, plan);
    if (normalized.kind === 'extension') {
      return { text: msg(str`Internal fax extension ${normalized.extension}`, { id: 'fax.number.internal' }), error: false };
    }
    if (normalized.kind === 'external') {
      return { text: msg(str`Dials ${formatNumber(normalized.e164, plan, 'international')}`, { id: 'fax.number.external' }), error: false };
    }
    return this.toTouched ? { text: numberErrorText(normalized.reason), error: true } : undefined;
  }

  #renderCover(): TemplateResult {
    const selected = this.coverSheets.find((sheet) => sheet.id === this.coverId);
    return html`<fieldset part="cover" class="cover">
      <legend>${msg('Cover sheet', { id: 'fax.cover.legend' })}</legend>
      <div class="cover-layout">
        <div class="cover-controls">
          ${this.coverSheets.length > 0
            ? html`<div class="field">
                <label for="cover-sheet">${msg('Saved cover sheets', { id: 'fax.cover.saved-sheets' })}</label>
                <select
                  id="cover-sheet"
                  ?disabled=${this.editor !== undefined}
                  @change=${(event: Event) => {
                    this.coverId = (event.target as HTMLSelectElement).value;
                    this.confirmDelete = false;
                  }}
                >
                  ${this.coverSheets.map((sheet) => html`<option value=${sheet.id} .selected=${live(sheet.id === this.coverId)}>${sheet.name}</option>`)}
                </select>
              </div>`
            : html`<p class="muted">${msg('No cover sheet yet. Add one.', { id: 'fax.cover.none' })}</p>`}
          <div class="row">
            <button type="button" part="cover-add" ?disabled=${this.editor !== undefined} @click=${() => this.#editCover(undefined)}>
              <span aria-hidden="true">+</span> ${msg('Add cover sheet', { id: 'fax.cover.add' })}
            </button>
            ${selected === undefined
              ? nothing
              : html`<button type="button" part="cover-edit" ?disabled=${this.editor !== undefined} @click=${() => this.#editCover(selected)}>
                    ${msg('Edit', { id: 'fax.cover.edit' })}<span class="visually-hidden"> ${selected.name}</span>
                  </button>
                  <button
                    type="button"
                    part="cover-delete"
                    ?disabled=${this.editor !== undefined}
                    @click=${() => (this.confirmDelete = true)}
                  >
                    ${msg('Delete', { id: 'fax.cover.delete' })}<span class="visually-hidden"> ${selected.name}</span>
                  </button>`}
          </div>
          ${this.confirmDelete && selected !== undefined
            ? html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                <p id="confirm-text">${msg(str`Delete the cover sheet "${selected.name}"?`, { id: 'fax.cover.confirm-delete' })}</p>
                <div class="row">
                  <button type="button" class="danger" @click=${() => void this.#deleteCover(selected)}>
                    ${msg('Delete', { id: 'fax.cover.delete' })}
                  </button>
                  <button type="button" @click=${() => (this.confirmDelete = false)}>${msg('Keep', { id: 'fax.cover.keep' })}</button>
                </div>
              </div>`
            : nothing}
          ${this.editor === undefined ? nothing : this.#renderEditor(this.editor)}
          ${this.editor === undefined && this.editorError !== undefined
            ? html`<p part="error" class="error" role="alert">${say(this.editorError)}</p>`
            : nothing}
        </div>
        ${this.#renderCoverPreview()}
      </div>
    </fieldset>`;
  }

  #renderEditor(editor: CoverEditor): TemplateResult {
    const issues = this.editorTouched ? validateCoverSheet(editor, this.coverSheets, editor.id) : [];
    const issueOf = (field: 'name' | 'subject' | 'message'): string => {
      const issue = issues.find((item) => item.field === field);
      return issue === undefined ? '' : coverIssueText(issue, issue.problem === 'too-many-lines' ? COVER_SHEET_LIMITS.messageLines : COVER_SHEET_LIMITS[field]);
    };
    const unsupported = [...new Set(unsupportedCoverCharacters(`${editor.subject}\n${editor.message}`))];
    const field = (name: 'name' | 'subject' | 'message', label: string, control: TemplateResult): TemplateResult => html`<div class="field">
      <label for=${`cover-${name}`}>${label}</label>
      ${control}
      <p id=${`cover-${name}-error`} class="error">${issueOf(name)}</p>
    </div>`;
    // From the editor as it is now, not as it was rendered: several inputs may come before the next render.
    const input = (name: 'name' | 'subject' | 'message') => (event: Event) => {
      if (this.editor !== undefined) this.editor = { ...this.editor, [name]: (event.target as HTMLInputElement | HTMLTextAreaElement).value };
    };
    const invalid = (name: 'name' | 'subject' | 'message'): string => (issueOf(name) === '' ? 'false' : 'true');
    return html`<form part="cover-editor" class="cover-editor" aria-labelledby="cover-editor-title" @submit=${(event: SubmitEvent) => this.#saveCover(event)}>
      <h4 id="cover-editor-title">
        ${editor.id === undefined ? msg('New cover sheet', { id: 'fax.cover.new' }) : msg('Change cover sheet', { id: 'fax.cover.change' })}
      </h4>
      ${field(
        'name',
        msg('Name', { id: 'fax.cover.name' }),
        html`<input
          id="cover-name"
          autocomplete="off"
          .value=${live(editor.name)}
          aria-invalid=${invalid('name')}
          aria-describedby="cover-name-error"
          @input=${input('name')}
        />`,
      )}
      ${field(
        'subject',
        msg('Subject', { id: 'fax.cover.subject' }),
        html`<input
          id="cover-subject"
          autocomplete="off"
          .value=${live(editor.subject)}
          aria-invalid=${invalid('subject')}
          aria-describedby="cover-subject-error"
          @input=${input('subject')}
        />`,
      )}
      ${field(
        'message',
        msg('Message', { id: 'fax.cover.message' }),
        html`<textarea
          id="cover-message"
          rows="6"
          .value=${live(editor.message)}
          aria-invalid=${invalid('message')}
          aria-describedby="cover-message-error cover-hint"
          @input=${input('message')}
        ></textarea>`,
      )}
      <p id="cover-hint" class="hint">${msg('The date and the sender are added automatically.', { id: 'fax.cover.auto' })}</p>
      ${unsupported.length === 0
        ? nothing
        : html`<p class="hint warning">
            ${msg(str`These characters cannot be printed on a fax cover sheet and are replaced: ${unsupported.join(' ')}`, { id: 'fax.cover.unsupported' })}
          </p>`}
      <div class="row">
        <button type="submit" class="primary" ?disabled=${this.editorBusy}>${msg('Save', { id: 'fax.save' })}</button>
        <button type="button" @click=${() => this.#closeEditor()}>${msg('Cancel', { id: 'fax.cancel' })}</button>
      </div>
      <p part="error" class="error" role="alert">${say(this.editorError)}</p>
    </form>`;
  }

  #renderCoverPreview(): TemplateResult {
    const preview = this.coverPreview;
    let content: TemplateResult | HTMLCanvasElement;
    if (preview instanceof HTMLCanvasElement) content = preview;
    else if (preview === 'failed') content = html`<p class="muted">${msg('The preview cannot be shown.', { id: 'fax.preview.failed' })}</p>`;
    else if (preview === 'loading') content = html`<p class="muted">${msg('Preparing the preview…', { id: 'fax.preview.loading' })}</p>`;
    else content = html`<p class="muted">${msg('Choose or add a cover sheet to see it here.', { id: 'fax.preview.empty' })}</p>`;
    return html`<figure part="cover-preview" class="cover-preview">
      <div class="sheet">${content}</div>
      <figcaption>${msg('Preview of the cover page', { id: 'fax.preview.caption' })}</figcaption>
    </figure>`;
  }

  #renderDropZone(): TemplateResult {
    return html`<div
      part="drop-zone"
      class=${this.dragging ? 'drop dragging' : 'drop'}
      @dragenter=${(event: DragEvent) => this.#dragOver(event)}
      @dragover=${(event: DragEvent) => this.#dragOver(event)}
      @dragleave=${(event: DragEvent) => this.#dragLeave(event)}
      @drop=${(event: DragEvent) => this.#drop(event)}
    >
      <p id="drop-hint">${msg('Drag and drop the PDF to send here, or', { id: 'fax.drop.hint' })}</p>
      <button type="button" part="file-button" aria-describedby="drop-hint" @click=${() => this.#chooseFile()}>
        ${msg('Choose PDF', { id: 'fax.drop.choose' })}
      </button>
      <input id="file" type="file" accept="application/pdf,.pdf" hidden @change=${(event: Event) => this.#fileChosen(event)} />
    </div>`;
  }

  #renderDocument(): TemplateResult | typeof nothing {
    const doc = this.doc;
    if (doc === undefined) return nothing;
    let status = '';
    if (doc.status === 'checking') status = msg('Checking the PDF…', { id: 'fax.doc.checking' });
    else if (doc.status === 'ok') {
      const pages = doc.info?.pages ?? 0;
      status = pages === 1 ? msg('1 page, ready to send.', { id: 'fax.doc.ready-one' }) : msg(str`${formatCount(pages)} pages, ready to send.`, { id: 'fax.doc.ready' });
    }
    const total = doc.info?.pages ?? 0;
    return html`<div part="document" class="document">
      <div class="row">
        <span class="file-name">${doc.file.name}</span>
        <button type="button" part="remove-document" @click=${() => this.#clearDocument()}>
          ${msg('Remove', { id: 'fax.doc.remove' })}<span class="visually-hidden"> ${doc.file.name}</span>
        </button>
      </div>
      <p class="muted" role="status">${status}</p>
      ${doc.status === 'refused' ? html`<p part="document-error" class="error" role="alert">${say(doc.error)}</p>` : nothing}
      ${doc.preview === 'loading' ? html`<p class="muted">${msg('Preparing the preview…', { id: 'fax.preview.loading' })}</p>` : nothing}
      ${doc.preview === 'failed' ? html`<p class="muted">${msg('The preview cannot be shown.', { id: 'fax.preview.failed' })}</p>` : nothing}
      ${doc.pages && doc.pages.length > 0
        ? html`<ol part="pages" class="pages" aria-label=${msg('Pages', { id: 'fax.doc.pages' })}>
            ${doc.pages.map(
              (canvas, index) =>
                html`<li part="page" class="page">
                  ${canvas}<span class="page-number">${msg(str`Page ${formatCount(index + 1)} of ${formatCount(total)}`, { id: 'fax.doc.page' })}</span>
                </li>`,
            )}
          </ol>`
        : nothing}
      ${doc.pages && total > doc.pages.length
        ? html`<p class="muted">${msg(str`${formatCount(total - doc.pages.length)} more pages are not shown.`, { id: 'fax.doc.more' })}</p>`
        : nothing}
    </div>`;
  }

  #renderHistory(fax: FaxClient): TemplateResult {
    const history = fax.history;
    const sent = history.filter((entry): entry is FaxJob => entry.direction === 'outgoing').slice(0, MAX_HISTORY);
    const received = history.filter((entry): entry is ReceivedFax => entry.direction === 'incoming').slice(0, MAX_HISTORY);
    const several = fax.extensions.length > 1;
    const extensionName = (id: string): string => fax.extensions.find((extension) => extension.id === id)?.name ?? '';
    const pages = (count: number): string =>
      count === 1 ? msg('1 page', { id: 'fax.history.page' }) : msg(str`${formatCount(count)} pages`, { id: 'fax.history.pages' });
    return html`<section part="history" class="history" aria-labelledby="history-title">
      <h3 id="history-title">${msg('Fax history', { id: 'fax.history.title' })}</h3>
      <p part="error" class="error" role="alert">${say(this.historyError)}</p>
      <h4 id="sent-title">${msg('Sent', { id: 'fax.history.sent' })}</h4>
      ${sent.length === 0
        ? html`<p class="muted">${msg('No faxes sent yet.', { id: 'fax.history.no-sent' })}</p>`
        : html`<ul class="plain list" aria-labelledby="sent-title">
            ${sent.map(
              (job) => html`<li part="entry" class="entry" data-direction="outgoing" data-id=${job.id} data-state=${job.state}>
                <div class="entry-main">
                  <span class="peer">${msg(str`To ${this.#formatted(job.to)}`, { id: 'fax.history.to' })}</span>
                  <span part="state" class="state" data-state=${job.state}>${jobStateText(job)}</span>
                </div>
                <div class="meta">
                  ${formatDateTime(job.createdAt)} · ${pages(job.pages)}${several ? html` · ${extensionName(job.extensionId)}` : nothing}
                </div>
                ${this.#downloadButton(job, msg(str`Download the fax to ${this.#formatted(job.to)}`, { id: 'fax.history.download-sent' }))}
              </li>`,
            )}
          </ul>`}
      <h4 id="received-title">${msg('Received', { id: 'fax.history.received' })}</h4>
      ${received.length === 0
        ? html`<p class="muted">${msg('No faxes received yet.', { id: 'fax.history.no-received' })}</p>`
        : html`<ul class="plain list" aria-labelledby="received-title">
            ${received.map(
              (item) => html`<li part="entry" class="entry" data-direction="incoming" data-id=${item.id}>
                <div class="entry-main">
                  <span class="peer">${msg(str`From ${this.#sender(item)}`, { id: 'fax.history.from' })}</span>
                </div>
                <div class="meta">
                  ${formatDateTime(item.receivedAt)} · ${pages(item.pages)}${several ? html` · ${extensionName(item.extensionId)}` : nothing}
                </div>
                ${this.#downloadButton(item, msg(str`Download the fax from ${this.#sender(item)}`, { id: 'fax.history.download-received' }))}
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  #downloadButton(entry: FaxHistoryEntry, label: string): TemplateResult {
    return html`<button
      type="button"
      part="download"
      class="download"
      aria-label=${label}
      ?disabled=${this.downloading.has(entry.id)}
      @click=${() => void this.#download(entry)}
    >
      ${msg('Download', { id: 'fax.history.download' })}
    </button>`;
  }

  // ——— extensions ———

  #toggleLink(open = !this.linkOpen): void {
    this.linkOpen = open;
    this.linkError = undefined;
    if (!open) {
      this.linkLogin = '';
      this.linkPin = '';
      return;
    }
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#fax-login')?.focus());
  }

  async #link(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const session = this.#session;
    if (session === undefined || this.linkBusy) return;
    this.linkBusy = true;
    this.linkError = undefined;
    try {
      const extension = await session.fax.linkExtension(this.linkLogin, this.linkPin);
      if (this.#session !== session) return;
      session.fax.selectExtension(extension.id);
      this.linkOpen = false;
      this.linkLogin = '';
      this.linkPin = '';
      this.#announce(msg(str`${extension.name} added.`, { id: 'fax.link.done' }));
      dispatch<FaxLinkedDetail>(this, 'centrex-fax-linked', { extension });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('[part="add-extension"]')?.focus();
    } catch (error) {
      if (this.#session !== session) return;
      this.linkError = () => linkErrorText(error);
      // A wrong PIN is typed again; the login usually stays right.
      this.linkPin = '';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#fax-pin')?.focus();
    } finally {
      if (this.#session === session) this.linkBusy = false;
    }
  }

  // ——— cover sheets ———

  #editCover(sheet: CoverSheet | undefined): void {
    this.confirmDelete = false;
    this.editorTouched = false;
    this.editorError = undefined;
    this.editor = sheet === undefined ? { name: '', subject: '', message: '' } : { id: sheet.id, name: sheet.name, subject: sheet.subject, message: sheet.message };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#cover-name')?.focus());
  }

  #closeEditor(): void {
    this.editor = undefined;
    this.editorError = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('[part="cover-add"]')?.focus());
  }

  async #saveCover(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const session = this.#session;
    const editor = this.editor;
    if (session === undefined || editor === undefined || this.editorBusy) return;
    const draft: CoverSheetDraft = normalizeCoverSheet(editor);
    const issues = validateCoverSheet(draft, this.coverSheets, editor.id);
    this.editorTouched = true;
    if (issues.length > 0) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#cover-${issues[0]!.field}`)?.focus();
      return;
    }
    this.editorBusy = true;
    this.editorError = undefined;
    try {
      const api = session.client.api;
      const saved = editor.id === undefined ? await api.createFaxCoverSheet(draft) : await api.updateFaxCoverSheet(editor.id, draft);
      if (this.#session !== session) return;
      this.coverSheets = listCoverSheets([...this.coverSheets.filter((sheet) => sheet.id !== saved.id), saved], currentLanguage());
      this.coverId = saved.id;
      this.editor = undefined;
      this.#announce(msg(str`Cover sheet "${saved.name}" saved.`, { id: 'fax.cover.saved' }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLSelectElement>('#cover-sheet')?.focus();
    } catch (error) {
      if (this.#session !== session) return;
      this.editorError = () =>
        isCentrexError(error, 'api-conflict')
          ? msg('A cover sheet with this name exists already. Choose another name.', { id: 'fax.cover.name-taken' })
          : errorText(error);
    } finally {
      if (this.#session === session) this.editorBusy = false;
    }
  }

  async #deleteCover(sheet: CoverSheet): Promise<void> {
    const session = this.#session;
    if (session === undefined) return;
    this.confirmDelete = false;
    this.editorError = undefined;
    try {
      await session.client.api.deleteFaxCoverSheet(sheet.id);
      if (this.#session !== session) return;
      this.coverSheets = this.coverSheets.filter((item) => item.id !== sheet.id);
      this.coverId = this.coverSheets[0]?.id;
      this.#announce(msg(str`Cover sheet "${sheet.name}" deleted.`, { id: 'fax.cover.deleted' }));
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>('[part="cover-add"]')?.focus();
    } catch (error) {
      if (this.#session === session) this.editorError = () => errorText(error);
    }
  }

  /** What the cover page will say: the editor's text while it is open, else the chosen sheet's. */
  #coverContent(): CoverSheetContent | undefined {
    if (this.editor !== undefined) return { subject: this.editor.subject, message: this.editor.message };
    const sheet = this.coverSheets.find((item) => item.id === this.coverId);
    return sheet === undefined ? undefined : { subject: sheet.subject, message: sheet.message };
  }

  #scheduleCoverPreview(): void {
    const session = this.#session;
    const content = this.withCover ? this.#coverContent() : undefined;
    const extension = session?.fax.selectedExtension;
    if (session === undefined || content === undefined || extension === undefined) {
      if (this.#coverKey !== '') {
        this.#coverKey = '';
        this.#coverRun++;
        clearTimeout(this.#coverTimer);
        this.coverPreview = undefined;
      }
      return;
    }
    const normalized = normalizeNumber(this.to, session.dialPlan);
    const recipient = normalized.kind === 'extension' ? normalized.extension : normalized.kind === 'external' ? normalized.e164 : undefined;
    const language = currentLanguage();
    const key = JSON.stringify([content.subject, content.message, extension.id, recipient ?? '', language]);
    if (key === this.#coverKey) return;
    this.#coverKey = key;
    const run = ++this.#coverRun;
    clearTimeout(this.#coverTimer);
    if (!(this.coverPreview instanceof HTMLCanvasElement)) this.coverPreview = 'loading';
    // Typing changes the text with every key: draw once the person pauses.
    this.#coverTimer = setTimeout(() => {
      void this.#drawCover(session, run, content, {
        sender: { name: session.client.me?.name ?? extension.name, number: formatNumber(extension.number, session.dialPlan) },
        date: new Date(),
        locale: language,
        ...(recipient === undefined ? {} : { recipient: formatNumber(recipient, session.dialPlan) }),
      });
    }, COVER_PREVIEW_DELAY_MS);
  }

  async #drawCover(session: Session, run: number, content: CoverSheetContent, options: CoverSheetRenderOptions): Promise<void> {
    const signal = this.#previews.signal;
    try {
      const bytes = await renderCoverSheet(content, options);
      const { renderPdfPages } = await import('./pdf-preview.js');
      const preview = await renderPdfPages(bytes, { width: COVER_PREVIEW_WIDTH, maxPages: 1, createWorker: this.workers?.preview, signal });
      if (run !== this.#coverRun || this.#session !== session) return;
      const canvas = preview.canvases[0];
      canvas?.setAttribute('aria-hidden', 'true');
      this.coverPreview = canvas ?? 'failed';
    } catch {
      if (run === this.#coverRun && this.#session === session) this.coverPreview = 'failed';
    }
  }

  // ——— the document ———

  #dragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    // Without preventDefault the browser would not allow the drop (and would open the file itself).
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  #dragLeave(event: DragEvent): void {
    const zone = event.currentTarget as HTMLElement;
    if (event.relatedTarget instanceof Node && zone.contains(event.relatedTarget)) return;
    this.dragging = false;
  }

  #drop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    const file = files.find((item) => item.type === 'application/pdf' || item.name.toLowerCase().endsWith('.pdf')) ?? files[0];
    if (file !== undefined) this.#useFile(file);
  }

  #chooseFile(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#file')?.click();
  }

  #fileChosen(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared, so that choosing the same file again is a change too.
    input.value = '';
    if (file !== undefined) this.#useFile(file);
  }

  #clearDocument(): void {
    this.#docRun++;
    this.doc = undefined;
    this.#docChecked = undefined;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('[part="file-button"]')?.focus());
  }

  #useFile(file: File): void {
    const session = this.#session;
    if (session === undefined) return;
    const run = ++this.#docRun;
    this.sendError = undefined;
    this.doc = { file, status: 'checking', preview: 'waiting' };
    this.#docChecked = this.#checkDocument(session, run, file);
  }

  async #checkDocument(session: Session, run: number, file: File): Promise<void> {
    const current = (): boolean => run === this.#docRun && this.#session === session;
    let bytes: Uint8Array;
    let info: FaxDocumentInfo;
    try {
      // The file itself goes to the check, which refuses one that is too large before reading it.
      info = await checkFaxDocument(file, { sandbox: session.sandbox });
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (error) {
      if (current()) {
        this.doc = { file, status: 'refused', error: () => sendErrorText(error), preview: 'waiting' };
      }
      return;
    }
    if (!current()) return;
    this.doc = { file, status: 'ok', bytes, info, preview: 'loading' };
    void this.#drawPages(session, run, file, bytes, info);
  }

  async #drawPages(session: Session, run: number, file: File, bytes: Uint8Array, info: FaxDocumentInfo): Promise<void> {
    const current = (): boolean => run === this.#docRun && this.#session === session;
    try {
      const { renderPdfPages } = await import('./pdf-preview.js');
      const preview = await renderPdfPages(bytes, {
        width: THUMBNAIL_WIDTH,
        maxPages: MAX_THUMBNAILS,
        createWorker: this.workers?.preview,
        signal: this.#previews.signal,
      });
      if (!current()) return;
      for (const canvas of preview.canvases) canvas.setAttribute('aria-hidden', 'true');
      this.doc = { file, status: 'ok', bytes, info, preview: 'done', pages: preview.canvases };
    } catch {
      if (current()) this.doc = { file, status: 'ok', bytes, info, preview: 'failed' };
    }
  }

  // ——— sending ———

  async #send(): Promise<void> {
    const session = this.#session;
    if (session === undefined || this.sending) return;
    const fax = session.fax;
    this.sendError = undefined;
    this.toTouched = true;
    const fail = async (text: Say, focus?: string): Promise<void> => {
      this.sendError = text;
      await this.updateComplete;
      if (focus !== undefined) this.renderRoot.querySelector<HTMLElement>(focus)?.focus();
    };
    const normalized = normalizeNumber(this.to, session.dialPlan);
    if (normalized.kind === 'invalid') return fail(() => numberErrorText(normalized.reason), '#to');
    if (this.withCover && this.#coverContent() === undefined) {
      return fail(() => msg('Choose a cover sheet, add one, or untick "Send with cover sheet".', { id: 'fax.send.no-cover' }), '[part="cover-add"]');
    }
    if (this.doc === undefined) return fail(noDocument, '[part="file-button"]');
    this.sending = true;
    this.snackbar = msg('Adding fax to queue', { id: 'fax.snackbar.queue' });
    clearTimeout(this.#snackbarTimer);
    try {
      await this.#docChecked;
      const doc = this.doc;
      if (doc === undefined || doc.status !== 'ok' || doc.bytes === undefined) {
        this.snackbar = '';
        return await fail(doc?.error ?? noDocument);
      }
      const coverSheet = this.withCover ? this.#coverContent() : undefined;
      const job = await fax.send({ to: this.to, document: doc.bytes, ...(coverSheet === undefined ? {} : { coverSheet }) });
      if (this.#session !== session) return;
      this.#mine.add(job.id);
      dispatch<FaxQueuedDetail>(this, 'centrex-fax-queued', { job });
      // The fax is on its way: the form is ready for the next one (the number and cover choice stay).
      this.#docRun++;
      this.doc = undefined;
      this.#docChecked = undefined;
      this.#snackbarTimer = setTimeout(() => (this.snackbar = ''), SNACKBAR_MS);
    } catch (error) {
      if (this.#session !== session) return;
      this.snackbar = '';
      const text: Say = () => sendErrorText(error);
      // The PBX checks again; when it refuses the document, it is shown where the document is.
      if (isDocumentError(error) && this.doc !== undefined) this.doc = { ...this.doc, status: 'refused', error: text };
      await fail(text);
    } finally {
      if (this.#session === session) this.sending = false;
    }
  }

  // ——— history ———

  async #download(entry: FaxHistoryEntry): Promise<void> {
    const session = this.#session;
    if (session === undefined) return;
    this.historyError = undefined;
    this.downloading = new Set([...this.downloading, entry.id]);
    try {
      const document = await session.fax.download(entry.id);
      if (this.#session !== session) return;
      const when = (entry.direction === 'outgoing' ? entry.createdAt : entry.receivedAt).slice(0, 19).replace(/[^0-9]/g, '');
      const filename = `fax-${entry.direction === 'outgoing' ? 'sent' : 'received'}-${when}.pdf`;
      if (dispatch<FaxDownloadDetail>(this, 'centrex-fax-download', { entry, document, filename }, true)) saveFile(document, filename);
    } catch (error) {
      if (this.#session === session) this.historyError = () => sendErrorText(error);
    } finally {
      if (this.#session === session) this.downloading = new Set([...this.downloading].filter((id) => id !== entry.id));
    }
  }
}

/** Hands a PDF to the browser's download, without attaching anything to the page. */
function saveFile(bytes: Uint8Array, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/pdf' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.click();
  // The download has started by then; the URL is only kept so slow browsers can still read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-fax': CentrexFax;
  }
  interface HTMLElementEventMap {
    'centrex-fax-linked': CustomEvent<FaxLinkedDetail>;
    'centrex-fax-queued': CustomEvent<FaxQueuedDetail>;
    'centrex-fax-job': CustomEvent<FaxJobDetail>;
    'centrex-fax-received': CustomEvent<FaxReceivedDetail>;
    'centrex-fax-download': CustomEvent<FaxDownloadDetail>;
  }
}
