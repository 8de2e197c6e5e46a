import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { msg, str } from '@lit/localize';
import type { Contact } from '../../core/api/index.js';
import type { ClientArea } from '../../core/client/index.js';
import {
  createDirectoryIndex,
  type DirectoryEntry,
  type DirectoryHit,
  type DirectoryIndex,
  type DirectoryKind,
  type DirectoryMatch,
  type DirectorySearchResult,
} from '../../core/directory/index.js';
import type { DialPlan } from '../../core/numbers/index.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { currentLanguage, formatCount } from '../shared/localize.js';
import { controls, tokens } from '../shared/styles.js';
import '../presence/centrex-presence.js';
import { requestCall } from '../shared/call-request.js';
import { searchStyles } from './search.styles.js';

// What a typed number may look like: digits with the usual separators, or a star code.
const DIALLABLE = /^[+*#]?[\d][\d\s()*#/.-]*$|^\*[\d*#]+$/;

const EMPTY: DirectorySearchResult = { groups: [] };

/** A part of a text to highlight: `[start, end)` in UTF-16 offsets. */
type Range = readonly [start: number, end: number];

/** A directory entry for one contact of the client (the client keeps contacts current, the directory less so). */
function contactEntry(contact: Contact): DirectoryEntry {
  return {
    kind: 'contact',
    scope: contact.scope,
    id: contact.id,
    name: contact.name,
    ...(contact.company === null || contact.company === '' ? {} : { company: contact.company }),
    numbers: contact.numbers.map((entry) => (entry.label === '' ? { number: entry.number } : { number: entry.number, label: entry.label })),
  };
}

/** Splits `text` into plain strings and `<mark>` elements for the ranges; the text stays text. */
function highlight(text: string, ranges: readonly Range[]): (string | TemplateResult)[] {
  const sorted = [...ranges].filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  const parts: (string | TemplateResult)[] = [];
  let at = 0;
  for (const [start, end] of sorted) {
    const from = Math.max(start, at);
    if (end <= from) continue;
    if (from > at) parts.push(text.slice(at, from));
    parts.push(html`<mark part="match">${text.slice(from, end)}</mark>`);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

function rangesOf(matches: readonly DirectoryMatch[], field: 'name' | 'company'): Range[] {
  return matches.flatMap((match) => (match.field === field ? [[match.start, match.end] as const] : []));
}

/**
 * One search box over the whole directory (manual B.1 "Suchleiste"): colleagues, contacts, conference rooms,
 * meetings and groups, found by the start of any word of their name or company (case and accents do not matter)
 * or by the first digits of a number or extension. Results are clustered by category under headings, the typed part
 * is highlighted, and colleagues show their availability.
 *
 * It follows the ARIA combobox pattern: ArrowDown / ArrowUp move through the results, Enter calls the selected one
 * (or the typed number when none is selected), Escape clears the box. A double click on a result calls it too.
 *
 * @summary The search bar: find anyone or any number and call them.
 * @fires centrex-call - before calling (cancelable: `preventDefault()` stops the call); detail `CallRequestDetail`
 * @csspart input - the search box
 * @csspart results - the list of results
 * @csspart group - the results of one category
 * @csspart heading - a category's heading
 * @csspart option - one result (`aria-selected="true"` while selected)
 * @csspart option-name - a result's name
 * @csspart option-detail - a result's company, number or extension
 * @csspart match - a highlighted part of a name, company or number
 * @csspart presence - a colleague's availability badge
 * @csspart empty - "nothing found"
 * @csspart status - messages (calling, errors)
 * @cssprop --centrex-search-highlight - background of the highlighted typed part
 * @cssprop --centrex-search-active - background of the selected result
 * @cssprop --centrex-search-results-max-height - height after which the results scroll (default 24rem)
 */
export class CentrexSearch extends CentrexElement {
  static override clientAreas: readonly ClientArea[] = ['directory', 'contacts', 'presence', 'me'];
  static override styles = [tokens, controls, searchStyles];
  static override shadowRootOptions: ShadowRootInit = { ...CentrexElement.shadowRootOptions, delegatesFocus: true };

  /** What is typed in the box. */
  @property() value = '';

  /** Most results per category. */
  @property({ type: Number }) limit = 5;

  @state() private active = -1;
  @state() private status = '';

  #index: DirectoryIndex | undefined;
  #indexedFrom: { directory: readonly DirectoryEntry[]; contacts: readonly Contact[]; dialPlan: DialPlan | undefined } | undefined;
  #result: DirectorySearchResult = EMPTY;
  #hits: readonly DirectoryHit[] = [];

  /** The results for {@link CentrexSearch.value}, clustered by category. */
  get result(): DirectorySearchResult {
    return this.#result;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const indexChanged = this.#refreshIndex();
    if (indexChanged || changed.has('value') || changed.has('limit')) {
      this.#result = this.#search();
      this.#hits = this.#result.groups.flatMap((group) => group.hits);
      // New words, new list: nothing is selected until the arrow keys say so.
      if (changed.has('value')) this.active = -1;
      else if (this.active >= this.#hits.length) this.active = this.#hits.length - 1;
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('active') && this.active >= 0) {
      this.renderRoot.querySelector(`#option-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  /** Builds the index again when the directory, the contacts or the dial plan changed (not on every keystroke). */
  #refreshIndex(): boolean {
    const client = this.activeClient;
    const directory = client?.directory ?? [];
    const contacts = client?.contacts ?? [];
    const dialPlan = client?.dialPlan;
    const from = this.#indexedFrom;
    if (
      from !== undefined &&
      from.directory === directory &&
      from.contacts === contacts &&
      from.dialPlan?.country === dialPlan?.country &&
      String(from.dialPlan?.extensionDigits) === String(dialPlan?.extensionDigits)
    ) {
      return false;
    }
    this.#indexedFrom = { directory, contacts, dialPlan };
    if (dialPlan === undefined) {
      this.#index = undefined;
      return true;
    }
    // Contacts come from the client's own list, which follows additions at once; the rest from the directory.
    const entries = [...directory.filter((entry) => entry.kind !== 'contact'), ...contacts.map(contactEntry)];
    try {
      this.#index = createDirectoryIndex(entries, { dialPlan });
    } catch (error) {
      this.#index = undefined;
      this.status = errorText(error);
    }
    return true;
  }

  #search(): DirectorySearchResult {
    if (this.#index === undefined || this.value.trim() === '') return EMPTY;
    try {
      return this.#index.search(this.value, { limit: Math.max(1, Math.floor(this.limit) || 1) });
    } catch (error) {
      this.status = errorText(error);
      return EMPTY;
    }
  }

  protected override render() {
    const groups = this.#result.groups;
    const open = groups.length > 0;
    const typed = this.value.trim() !== '';
    let position = 0;
    return html`
      <input
        part="input"
        type="text"
        role="combobox"
        autocomplete="off"
        spellcheck="false"
        aria-autocomplete="list"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls="results"
        aria-activedescendant=${ifDefined(this.active >= 0 ? `option-${this.active}` : undefined)}
        aria-label=${msg('Search colleagues, contacts, rooms and groups', { id: 'search.label' })}
        placeholder=${msg('Search or dial', { id: 'search.placeholder' })}
        .value=${this.value}
        ?disabled=${this.activeClient === undefined}
        @input=${(event: Event) => (this.value = (event.target as HTMLInputElement).value)}
        @keydown=${this.#onKeydown}
      />
      <div
        id="results"
        part="results"
        role="listbox"
        aria-label=${msg('Search results', { id: 'search.results' })}
        ?hidden=${!open}
        @mousedown=${(event: MouseEvent) => event.preventDefault()}
      >
        ${groups.map((group) => {
          const first = position;
          position += group.hits.length;
          return html`<ul part="group" role="group" aria-labelledby="heading-${group.kind}" data-kind=${group.kind}>
              <li role="presentation" part="heading" id="heading-${group.kind}">
                ${this.#kindText(group.kind)}${group.more
                  ? html`<span class="more">${msg('(more: keep typing)', { id: 'search.more' })}</span>`
                  : nothing}
              </li>
              ${group.hits.map((hit, index) => this.#renderOption(hit, first + index))}
            </ul>`;
        })}
      </div>
      ${typed && !open && this.#index !== undefined
        ? html`<p part="empty">
            ${DIALLABLE.test(this.value.trim())
              ? msg('Nobody found. Press Enter to dial the number.', { id: 'search.dial-hint' })
              : msg('Nobody found.', { id: 'search.nothing' })}
          </p>`
        : nothing}
      <p class="visually-hidden" role="status">${typed ? this.#countText() : ''}</p>
      <p part="status" role="status">${this.status}</p>
    `;
  }

  #renderOption(hit: DirectoryHit, index: number) {
    const entry = hit.entry;
    const client = this.activeClient;
    const availability = entry.kind === 'extension' ? client?.availability(entry.extension) : undefined;
    return html`<li
      role="option"
      id="option-${index}"
      part="option"
      data-kind=${entry.kind}
      aria-selected=${index === this.active ? 'true' : 'false'}
      @click=${() => (this.active = index)}
      @dblclick=${() => void this.#callHit(hit)}
    >
      <span part="option-name">${highlight(entry.name, rangesOf(hit.matches, 'name'))}</span>
      <span part="option-detail">${this.#detail(hit)}</span>
      ${availability === undefined
        ? nothing
        : html`<centrex-presence part="presence" compact lang=${currentLanguage()} availability=${availability}></centrex-presence>`}
    </li>`;
  }

  /** The line under a name: company, and the number or extension that matched (else the first one). */
  #detail(hit: DirectoryHit): (string | TemplateResult)[] {
    const entry = hit.entry;
    const parts: (string | TemplateResult)[] = [];
    if (entry.company !== undefined && entry.company !== '') parts.push(...highlight(entry.company, rangesOf(hit.matches, 'company')));
    const numberMatch = hit.matches.find((match) => match.field === 'number');
    const extensionMatched = hit.matches.some((match) => match.field === 'extension');
    const mark = (text: string) => html`<mark part="match">${text}</mark>`;
    let reach: (string | TemplateResult)[] = [];
    if (numberMatch?.field === 'number') {
      const number = entry.numbers[numberMatch.index];
      if (number !== undefined) reach = [number.label === undefined ? '' : `${number.label} `, mark(number.number)];
    } else if (entry.extension !== undefined) {
      reach = [msg('Ext.', { id: 'search.extension' }), ' ', extensionMatched ? mark(entry.extension) : entry.extension];
    } else if (entry.numbers[0] !== undefined) {
      reach = [entry.numbers[0].number];
    }
    if (parts.length > 0 && reach.length > 0) parts.push(' · ');
    return [...parts, ...reach];
  }

  #kindText(kind: DirectoryKind): string {
    switch (kind) {
      case 'extension':
        return msg('Colleagues', { id: 'search.kind-extension' });
      case 'contact':
        return msg('Contacts', { id: 'search.kind-contact' });
      case 'room':
        return msg('Conference rooms', { id: 'search.kind-room' });
      case 'meeting':
        return msg('Meetings', { id: 'search.kind-meeting' });
      case 'group':
        return msg('Groups', { id: 'search.kind-group' });
    }
  }

  #countText(): string {
    const count = this.#hits.length;
    if (count === 0) return msg('No results.', { id: 'search.count-none' });
    if (count === 1) return msg('1 result. Use the arrow keys to choose, Enter to call.', { id: 'search.count-one' });
    return msg(str`${formatCount(count)} results. Use the arrow keys to choose, Enter to call.`, { id: 'search.count' });
  }

  #onKeydown(event: KeyboardEvent): void {
    const count = this.#hits.length;
    switch (event.key) {
      case 'ArrowDown':
        if (count === 0) return;
        event.preventDefault();
        this.active = this.active >= count - 1 ? 0 : this.active + 1;
        return;
      case 'ArrowUp':
        if (count === 0) return;
        event.preventDefault();
        this.active = this.active <= 0 ? count - 1 : this.active - 1;
        return;
      case 'Enter': {
        event.preventDefault();
        const hit = this.active >= 0 ? this.#hits[this.active] : undefined;
        if (hit !== undefined) void this.#callHit(hit);
        else if (DIALLABLE.test(this.value.trim())) void this.#call(this.value.trim(), undefined);
        else if (this.value.trim() !== '') this.status = msg('Choose a result with the arrow keys first.', { id: 'search.choose' });
        return;
      }
      case 'Escape':
        if (this.value === '' && this.active < 0) return;
        event.preventDefault();
        this.value = '';
        this.active = -1;
        this.status = '';
        return;
      default:
        return;
    }
  }

  /** What a result dials: the number that matched, else its extension, else its first number. */
  #targetOf(hit: DirectoryHit): string | undefined {
    const match = hit.matches.find((item) => item.field === 'number');
    if (match?.field === 'number') {
      const number = hit.entry.numbers[match.index]?.number;
      if (number !== undefined) return number;
    }
    return hit.entry.extension ?? hit.entry.numbers[0]?.number;
  }

  async #callHit(hit: DirectoryHit): Promise<void> {
    const target = this.#targetOf(hit);
    if (target === undefined) {
      this.status = msg(str`${hit.entry.name} has no number to call.`, { id: 'search.no-number' });
      return;
    }
    await this.#call(target, hit.entry.name);
  }

  async #call(target: string, name: string | undefined): Promise<void> {
    const client = this.activeClient;
    if (client === undefined) return;
    try {
      const placed = await requestCall(this, client, target, name, 'search');
      if (placed === undefined) return;
      this.status = msg(str`Calling ${name ?? target}.`, { id: 'search.calling' });
      this.value = '';
    } catch (error) {
      this.status = errorText(error);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-search': CentrexSearch;
  }
}
