import { str } from '@lit/localize';
import type { LocaleTemplates } from './types.js';

/** German texts of the search element(s), by message id. */
export const search: LocaleTemplates = {
  'search.label': 'Nebenstellen, Kontakte, Konferenzräume und Gruppen durchsuchen',
  'search.placeholder': 'Suchen oder wählen',
  'search.results': 'Suchergebnisse',
  'search.more': '(weitere: genauer eingeben)',
  'search.dial-hint': 'Niemand gefunden. Mit Enter wählen Sie die Nummer.',
  'search.nothing': 'Niemand gefunden.',
  'search.extension': 'Durchwahl',
  'search.kind-extension': 'Nebenstellen',
  'search.kind-contact': 'Kontakte',
  'search.kind-room': 'Konferenzräume',
  'search.kind-meeting': 'Meetings',
  'search.kind-group': 'Gruppen',
  'search.count-none': 'Keine Treffer.',
  'search.count-one': '1 Treffer. Mit den Pfeiltasten auswählen, mit Enter anrufen.',
  'search.count': str`${0} Treffer. Mit den Pfeiltasten auswählen, mit Enter anrufen.`,
  'search.choose': 'Wählen Sie zuerst mit den Pfeiltasten einen Treffer aus.',
  'search.no-number': str`Für ${0} ist keine Rufnummer hinterlegt.`,
  'search.calling': str`${0} wird angerufen.`,
};
