import { str } from '@lit/localize';
import type { LocaleTemplates } from './types.js';

/** German texts of `<centrex-click-to-call>`, by message id. */
export const clickToCall: LocaleTemplates = {
  'click-to-call.label': str`${0} anrufen`,
  'click-to-call.label-named': str`${0} anrufen, ${1}`,
  'click-to-call.signed-out': 'Melden Sie sich an, um zu telefonieren.',
  'click-to-call.connecting': 'Verbindung zur Telefonanlage wird hergestellt …',
  'click-to-call.no-number': 'Es ist keine Rufnummer angegeben.',
  'click-to-call.unreadable': 'Diese Rufnummer kann nicht gewählt werden.',
  'click-to-call.busy': 'Dieser Anruf läuft noch. Legen Sie zuerst auf.',
  'click-to-call.calling': 'Anruf wird aufgebaut …',
  'click-to-call.ringing': 'Es klingelt …',
  'click-to-call.device-ringing': str`${0} klingelt: bitte dort abheben`,
  'click-to-call.connected': str`Verbunden ${0}`,
  'click-to-call.held': str`Gehalten ${0}`,
  'click-to-call.transferring': 'Wird übergeben …',
  'click-to-call.hangup': 'Auflegen',
  'click-to-call.ended': 'Beendet',
  'click-to-call.ended-after': str`Beendet nach ${0}`,
  'click-to-call.ended-busy': 'Besetzt',
  'click-to-call.ended-no-answer': 'Niemand hat abgenommen',
  'click-to-call.ended-refused': 'Der Anruf wurde nicht angenommen',
};
