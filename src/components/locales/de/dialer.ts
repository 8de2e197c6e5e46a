import { str } from '@lit/localize';
import type { LocaleTemplates } from './types.js';

/** German texts of the dialer element(s), by message id. */
export const dialer: LocaleTemplates = {
  'dialer.empty': 'Geben Sie eine Rufnummer ein.',
  'dialer.signed-out': 'Melden Sie sich an, um zu telefonieren.',
  'dialer.keypad': 'Tastenfeld',
  'dialer.key-star': 'Stern',
  'dialer.key-hash': 'Raute',
  'dialer.call': 'Anrufen',
  'dialer.calling-device': str`Anrufen mit ${0}`,
  'dialer.number': 'Rufnummer',
  'dialer.backspace': 'Letzte Ziffer löschen',
  'dialer.tones-to': str`Töne an ${0}`,
  'dialer.invalid-number': 'Diese Rufnummer kann nicht gewählt werden. Prüfen Sie die Ziffern oder geben Sie sie mit Ländervorwahl ein (+49 …).',
  'dialer.not-connected': 'Töne können nur während eines verbundenen Gesprächs gesendet werden.',
};
