import type { LocaleTemplates } from './types.js';

/** German texts used by several elements (error messages), by message id. */
export const shared: LocaleTemplates = {
  'error.unknown': 'Etwas ist schiefgegangen. Bitte versuchen Sie es noch einmal.',
  'error.invalid-credentials': 'E-Mail-Adresse oder Passwort ist falsch.',
  'error.rate-limited': 'Zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut.',
  'error.unauthorized': 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  'error.unreachable': 'Die Telefonanlage ist nicht erreichbar. Prüfen Sie das Netzwerk; die Verbindung wird erneut versucht.',
  'error.timeout': 'Die Telefonanlage hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es noch einmal.',
  'error.microphone-denied': 'Der Browser darf das Mikrofon nicht verwenden. Erlauben Sie es in den Website-Einstellungen und versuchen Sie es erneut.',
  'error.camera-denied': 'Der Browser darf die Kamera nicht verwenden. Erlauben Sie es in den Website-Einstellungen und versuchen Sie es erneut.',
  'error.not-registered': 'Das Web-Telefon ist noch nicht verbunden. Warten Sie einen Moment oder wählen Sie unter „Anrufen mit“ ein anderes Gerät.',
};
