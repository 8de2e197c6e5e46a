import { html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { CallResult, HistoryEntry, HistoryParty } from '../../core/api/index.js';
import type { CentrexClient, ClientArea } from '../../core/client/index.js';
import { formatNumber } from '../../core/numbers/index.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { formatDateTime, formatDuration } from '../shared/localize.js';
import { controls, tokens } from '../shared/styles.js';
import { requestCall } from '../shared/call-request.js';
import { historyStyles } from './history.styles.js';

/** Which entries the list shows: every call, or only missed incoming ones. */
export type HistoryFilter = 'all' | 'missed';

const FILTERS: readonly HistoryFilter[] = ['all', 'missed'];

/** An incoming call nobody answered. */
function isMissed(entry: HistoryEntry): boolean {
  return entry.direction === 'in' && entry.result === 'missed';
}

/** What to dial or copy for a party: the extension for colleagues, else the number. */
function reachOf(party: HistoryParty | null): string | undefined {
  if (party === null) return undefined;
  return party.extension ?? party.number ?? undefined;
}

// Arrows drawn with paths (no text, no external files): in points down-left, out points up-right.
const ARROW_IN = svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M18 6 6 18M6 9v9h9" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
const ARROW_OUT = svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M6 18 18 6M9 6h9v9" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

/**
 * The call list (manual B.1 "Ruflisten", tab "Anrufe"): incoming, outgoing and missed calls, newest first, updated
 * live as calls end. Each entry shows the direction (an icon with a text alternative), who the other party was, who
 * forwarded the call, the result, date, time and talk time in the current language. Per entry the user calls back,
 * opens the details, copies the number to the clipboard, or deletes the entry.
 *
 * @summary Recent calls with call back, details, copy and delete.
 * @fires centrex-call - before calling back (cancelable: `preventDefault()` stops the call); detail `CallRequestDetail`
 * @csspart base - the whole element (a section labelled by its heading)
 * @csspart header - the heading row with the filter
 * @csspart filter - the all / missed buttons
 * @csspart list - the list of calls
 * @csspart entry - one call (`data-result`, `data-direction`; `data-missed` on missed incoming calls)
 * @csspart direction - the direction icon (`data-kind` is `in`, `out` or `missed`)
 * @csspart peer - the other party's name or number
 * @csspart number - the other party's number under a name
 * @csspart forwarded-by - who forwarded the call
 * @csspart meta - result, date and time, talk time
 * @csspart result - the result in words
 * @csspart time - date and time
 * @csspart duration - the talk time
 * @csspart actions - the buttons of an entry
 * @csspart details - the expanded details of an entry
 * @csspart status - messages (copied, deleted, new missed call, errors)
 * @cssprop --centrex-history-incoming - colour of the incoming arrow
 * @cssprop --centrex-history-outgoing - colour of the outgoing arrow
 * @cssprop --centrex-history-missed - colour of missed calls
 */
export class CentrexHistory extends CentrexElement {
  static override clientAreas: readonly ClientArea[] = ['history', 'me'];
  static override styles = [tokens, controls, historyStyles];

  /** Which calls to show. */
  @property({ reflect: true }) filter: HistoryFilter = 'all';

  @state() private expanded: ReadonlySet<string> = new Set();
  @state() private status = '';
  @state() private busy = false;

  #listening: CentrexClient | undefined;
  #stopListening: (() => void) | undefined;
  #focusAfterUpdate: string | undefined;

  /** The entries shown now, newest first. */
  get entries(): readonly HistoryEntry[] {
    const all = this.activeClient?.history ?? [];
    return this.filter === 'missed' ? all.filter(isMissed) : all;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listen(undefined);
  }

  protected override clientChanged(area: ClientArea): void {
    if (area === 'status') this.#listen(this.activeClient);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#focusAfterUpdate !== undefined) {
      const target = this.renderRoot.querySelector<HTMLElement>(this.#focusAfterUpdate);
      if (target !== null) {
        this.#focusAfterUpdate = undefined;
        target.focus();
      }
    }
  }

  /** Follows the client's new call-list entries, to tell a screen reader user about a missed call. */
  #listen(client: CentrexClient | undefined): void {
    if (client === this.#listening) return;
    this.#stopListening?.();
    this.#stopListening = undefined;
    this.#listening = client;
    if (client === undefined) return;
    this.#stopListening = client.on('history', ({ entry }) => {
      if (isMissed(entry)) this.status = msg(str`Missed call from ${this.#peerText(entry.peer)}.`, { id: 'history.new-missed' });
    });
  }

  protected override render() {
    const entries = this.entries;
    return html`
      <section part="base" aria-labelledby="heading">
        <div part="header">
          <h2 id="heading" tabindex="-1">${msg('Calls', { id: 'history.heading' })}</h2>
          <div part="filter" role="group" aria-label=${msg('Show', { id: 'history.filter' })}>
            ${FILTERS.map(
              (filter) => html`<button
                type="button"
                class="filter"
                data-filter=${filter}
                aria-pressed=${this.filter === filter ? 'true' : 'false'}
                @click=${() => (this.filter = filter)}
              >
                ${filter === 'all' ? msg('All', { id: 'history.all' }) : msg('Missed', { id: 'history.missed' })}
              </button>`,
            )}
          </div>
        </div>
        ${entries.length === 0
          ? html`<p class="empty">
              ${this.filter === 'missed' ? msg('No missed calls.', { id: 'history.empty-missed' }) : msg('No calls yet.', { id: 'history.empty' })}
            </p>`
          : html`<ul part="list" class="plain" aria-labelledby="heading">
              ${entries.map((entry) => this.#renderEntry(entry))}
            </ul>`}
        <p part="status" role="status">${this.status}</p>
      </section>
    `;
  }

  #renderEntry(entry: HistoryEntry) {
    const missed = isMissed(entry);
    const kind = missed ? 'missed' : entry.direction;
    const peer = this.#peerText(entry.peer);
    const number = this.#numberText(entry.peer);
    const reach = reachOf(entry.peer);
    const open = this.expanded.has(entry.id);
    const detailsId = `details-${entry.id}`;
    const forwardedBy = entry.forwardedBy === null ? undefined : this.#peerText(entry.forwardedBy);
    return html`
      <li
        part="entry"
        data-id=${entry.id}
        data-result=${entry.result}
        data-direction=${entry.direction}
        ?data-missed=${missed}
      >
        <span part="direction" data-kind=${kind} role="img" aria-label=${this.#directionText(entry)}>
          ${entry.direction === 'in' ? ARROW_IN : ARROW_OUT}
        </span>
        <div class="peer">
          <span part="peer">${peer}</span>
          ${number !== undefined && number !== peer ? html`<span part="number">${number}</span>` : nothing}
          ${forwardedBy === undefined
            ? nothing
            : html`<span part="forwarded-by">${msg(str`forwarded by ${forwardedBy}`, { id: 'history.forwarded-by' })}</span>`}
        </div>
        <div part="meta">
          <span part="result">${this.#resultText(entry.result)}</span>
          <time part="time" datetime=${entry.startedAt}>${formatDateTime(entry.startedAt)}</time>
          ${entry.result === 'answered' ? html`<span part="duration">${this.#durationText(entry.durationS)}</span>` : nothing}
        </div>
        <div part="actions">
          <button
            type="button"
            class="call-back primary"
            ?disabled=${reach === undefined || this.activeClient === undefined}
            @click=${() => void this.#callBack(entry)}
          >
            ${msg('Call back', { id: 'history.call-back' })}<span class="visually-hidden">: ${peer}</span>
          </button>
          <button type="button" class="info" aria-expanded=${open ? 'true' : 'false'} aria-controls=${detailsId} @click=${() => this.#toggle(entry)}>
            ${msg('Info', { id: 'history.info' })}<span class="visually-hidden">: ${peer}, ${formatDateTime(entry.startedAt)}</span>
          </button>
          <button type="button" class="copy" ?disabled=${reach === undefined} @click=${() => void this.#copy(entry)}>
            ${msg('Copy number', { id: 'history.copy' })}<span class="visually-hidden">: ${peer}</span>
          </button>
          <button type="button" class="delete" ?disabled=${this.busy} @click=${() => void this.#delete(entry)}>
            ${msg('Delete', { id: 'history.delete' })}<span class="visually-hidden">: ${peer}, ${formatDateTime(entry.startedAt)}</span>
          </button>
        </div>
        <dl part="details" id=${detailsId} ?hidden=${!open}>
          <dt>${msg('Type', { id: 'history.type' })}</dt>
          <dd>${this.#directionText(entry)}</dd>
          <dt>${msg('Result', { id: 'history.result' })}</dt>
          <dd>${this.#resultText(entry.result)}</dd>
          ${entry.peer.name === null ? nothing : this.#detailRow(msg('Name', { id: 'history.name' }), entry.peer.name)}
          ${entry.peer.extension === null ? nothing : this.#detailRow(msg('Extension', { id: 'history.extension' }), entry.peer.extension)}
          ${number === undefined ? nothing : this.#detailRow(msg('Number', { id: 'history.number' }), number)}
          ${forwardedBy === undefined ? nothing : this.#detailRow(msg('Forwarded by', { id: 'history.forwarded-by-label' }), forwardedBy)}
          <dt>${msg('Started', { id: 'history.started' })}</dt>
          <dd><time datetime=${entry.startedAt}>${formatDateTime(entry.startedAt)}</time></dd>
          <dt>${msg('Talk time', { id: 'history.talk-time' })}</dt>
          <dd>${formatDuration(entry.durationS)}</dd>
        </dl>
      </li>
    `;
  }

  #detailRow(term: string, value: string) {
    return html`<dt>${term}</dt>
      <dd>${value}</dd>`;
  }

  /** A party as people read it: name, else the number formatted for the tenant, else the extension. */
  #peerText(party: HistoryParty): string {
    if (party.name !== null && party.name.trim() !== '') return party.name;
    return this.#numberText(party) ?? party.extension ?? msg('Unknown caller', { id: 'history.unknown' });
  }

  #numberText(party: HistoryParty): string | undefined {
    if (party.number === null) return undefined;
    const dialPlan = this.activeClient?.dialPlan;
    if (dialPlan === undefined) return party.number;
    try {
      return formatNumber(party.number, dialPlan);
    } catch {
      return party.number;
    }
  }

  #directionText(entry: HistoryEntry): string {
    if (isMissed(entry)) return msg('Missed call', { id: 'history.direction-missed' });
    return entry.direction === 'in' ? msg('Incoming call', { id: 'history.direction-in' }) : msg('Outgoing call', { id: 'history.direction-out' });
  }

  #resultText(result: CallResult): string {
    switch (result) {
      case 'answered':
        return msg('Answered', { id: 'history.result-answered' });
      case 'missed':
        return msg('Not answered', { id: 'history.result-missed' });
      case 'rejected':
        return msg('Rejected', { id: 'history.result-rejected' });
      case 'busy':
        return msg('Busy', { id: 'history.result-busy' });
      case 'failed':
        return msg('Failed', { id: 'history.result-failed' });
    }
  }

  #durationText(seconds: number): string {
    return msg(str`Talk time ${formatDuration(seconds)}`, { id: 'history.duration' });
  }

  #toggle(entry: HistoryEntry): void {
    const next = new Set(this.expanded);
    if (!next.delete(entry.id)) next.add(entry.id);
    this.expanded = next;
  }

  async #callBack(entry: HistoryEntry): Promise<void> {
    const client = this.activeClient;
    const target = reachOf(entry.peer);
    if (client === undefined || target === undefined) return;
    const name = entry.peer.name ?? undefined;
    try {
      const placed = await requestCall(this, client, target, name, 'history');
      if (placed !== undefined) this.status = msg(str`Calling ${this.#peerText(entry.peer)}.`, { id: 'history.calling' });
    } catch (error) {
      this.status = errorText(error);
    }
  }

  async #copy(entry: HistoryEntry): Promise<void> {
    const number = reachOf(entry.peer);
    if (number === undefined) return;
    // Only secure pages (https, localhost) have the asynchronous clipboard; say so instead of failing silently.
    const clipboard = typeof navigator === 'undefined' ? undefined : (navigator.clipboard as Clipboard | undefined);
    if (clipboard === undefined || typeof clipboard.writeText !== 'function') {
      this.status = msg(str`This page cannot use the clipboard. The number is ${number}.`, { id: 'history.copy-unavailable' });
      return;
    }
    try {
      await clipboard.writeText(number);
      this.status = msg(str`${number} copied to the clipboard.`, { id: 'history.copied' });
    } catch {
      this.status = msg(str`The browser did not allow copying. The number is ${number}.`, { id: 'history.copy-failed' });
    }
  }

  async #delete(entry: HistoryEntry): Promise<void> {
    const client = this.activeClient;
    if (client === undefined) return;
    const list = this.entries;
    const index = list.indexOf(entry);
    this.busy = true;
    try {
      await client.deleteHistoryEntry(entry.id);
      this.status = msg('Entry deleted.', { id: 'history.deleted' });
      const next = list[index + 1] ?? list[index - 1];
      // The focus stays in the list: on the same button of the neighbouring entry, else on the heading.
      this.#focusAfterUpdate = next === undefined ? '#heading' : `li[data-id="${CSS.escape(next.id)}"] button.delete`;
    } catch (error) {
      this.status = errorText(error);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-history': CentrexHistory;
  }
}
