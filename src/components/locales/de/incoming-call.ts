import { str } from '@lit/localize';
import type { LocaleTemplates } from './types.js';

/** German texts of the incoming-call element(s), by message id. */
export const incomingCall: LocaleTemplates = {
  'incoming-call.notify': 'Eingehende Anrufe als Browser-Benachrichtigung anzeigen',
  'incoming-call.referred-by': str`Weitergeleitet von ${0}`,
  'incoming-call.forwarded-by': str`Umgeleitet von ${0}`,
  'incoming-call.title': 'Eingehender Anruf',
  'incoming-call.title-video': 'Eingehender Videoanruf',
  'incoming-call.unknown': 'Unbekannter Anrufer',
  'incoming-call.accept': 'Annehmen',
  'incoming-call.accept-video': 'Mit Video annehmen',
  'incoming-call.reject': 'Ablehnen',
  'incoming-call.voicemail': 'An Voicemail',
  'incoming-call.forward': 'Weiterleiten',
  'incoming-call.forward-to': 'Anruf weiterleiten an',
  'incoming-call.forward-now': 'Jetzt weiterleiten',
  'incoming-call.missed': str`Verpasster Anruf von ${0}.`,
  'incoming-call.elsewhere': str`Der Anruf von ${0} wurde auf einem anderen Gerät angenommen.`,
  'incoming-call.rejected': str`Anruf von ${0} abgelehnt.`,
  'incoming-call.to-voicemail': str`Anruf von ${0} an die Voicemail umgeleitet.`,
  'incoming-call.background': 'Der Anruf klingelt im Hintergrund weiter.',
  'incoming-call.no-target': 'Geben Sie die Rufnummer ein, an die der Anruf weitergeleitet werden soll.',
  'incoming-call.forwarded': str`Anruf von ${0} an ${1} weitergeleitet.`,
  'incoming-call.no-voicemail': 'Für dieses Web-Telefon ist keine Voicemail eingerichtet.',
  'incoming-call.invalid-number': 'Diese Rufnummer kann nicht gewählt werden. Prüfen Sie die Ziffern.',
  'incoming-call.not-ringing': 'Der Anruf klingelt nicht mehr.',
};
