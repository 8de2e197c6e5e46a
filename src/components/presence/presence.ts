import { LitElement, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { Availability } from '../../core/presence/index.js';
import { presenceStyles } from './presence.styles.js';

// Until the elements get @lit/localize (elements issue), the badge carries its own two languages.
const LABELS: Readonly<Record<'de' | 'en', Readonly<Record<Availability, string>>>> = {
  de: { available: 'Verfügbar', busy: 'Besetzt', 'line-free': 'Leitung frei', dnd: 'Nicht stören', offline: 'Offline' },
  en: { available: 'Available', busy: 'Busy', 'line-free': 'Line free', dnd: 'Do not disturb', offline: 'Offline' },
};

const KNOWN = new Set<string>(Object.keys(LABELS.en));

/**
 * A presence badge: a coloured dot and the state in words, for a colleague's availability (manual: available,
 * busy, line free, do not disturb, offline).
 *
 * @summary Shows one person's availability.
 * @csspart dot - the coloured dot
 * @csspart label - the state in words (visually hidden with `compact`, still read by screen readers)
 * @cssprop --centrex-presence-size - diameter of the dot (default 0.75em)
 * @cssprop --centrex-presence-available - dot colour when available
 * @cssprop --centrex-presence-busy - dot colour when busy
 * @cssprop --centrex-presence-line-free - dot colour when only a desk phone is reachable
 * @cssprop --centrex-presence-dnd - dot colour for do not disturb
 * @cssprop --centrex-presence-offline - dot colour when offline or unknown
 */
export class CentrexPresence extends LitElement {
  static override styles = presenceStyles;

  /** The state to show; anything unknown shows as offline. */
  @property({ reflect: true }) availability: Availability = 'offline';

  /** Show only the dot; the words stay available to screen readers. */
  @property({ type: Boolean, reflect: true }) compact = false;

  /** Whose presence this is, e.g. "Clara Schmidt"; read out with the state. Rendered as text, never as HTML. */
  @property() name = '';

  /** The words for the current state in the element's language (`lang` here or on an ancestor; German or English). */
  get label(): string {
    const language = (this.closest('[lang]')?.getAttribute('lang') ?? '').toLowerCase().startsWith('de') ? 'de' : 'en';
    const state: Availability = KNOWN.has(this.availability) ? this.availability : 'offline';
    return LABELS[language][state];
  }

  protected override render() {
    const text = this.name ? `${this.name}: ${this.label}` : this.label;
    return html`<span part="dot" aria-hidden="true"></span><span part="label">${text}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-presence': CentrexPresence;
  }
}
