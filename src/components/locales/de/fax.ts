import { str } from '@lit/localize';
import type { LocaleTemplates } from './types.js';

/** German texts of the fax element(s), by message id. */
export const fax: LocaleTemplates = {
  'fax.title': 'Fax',
  'fax.signed-out': 'Melden Sie sich an, um Faxe zu senden und zu empfangen.',
  'fax.loading': 'Ihre Faxe werden geladen …',
  'fax.retry': 'Erneut versuchen',
  'fax.save': 'Speichern',
  'fax.cancel': 'Abbrechen',

  // Fax-Nebenstellen ("Fax hinzufügen")
  'fax.extension.choose': 'Senden von',
  'fax.extension.none': 'Noch keine Fax-Nebenstelle. Fügen Sie Ihre mit dem Fax-Login und der PIN von Ihrem Administrator hinzu.',
  'fax.link.open': 'Fax hinzufügen',
  'fax.link.login': 'Fax-Login',
  'fax.link.pin': 'PIN',
  'fax.link.done': str`${0} wurde hinzugefügt.`,
  'fax.link.wrong': 'Fax-Login oder PIN ist falsch. Prüfen Sie beides: Sie haben die Angaben von Ihrem Administrator erhalten.',
  'fax.link.locked':
    'Zu viele falsche PINs: „Fax hinzufügen“ ist für einige Minuten gesperrt. Klären Sie Login und PIN mit Ihrem Administrator.',
  'fax.link.locked-seconds': str`Zu viele falsche PINs: „Fax hinzufügen“ ist für ${0} Sekunden gesperrt. Klären Sie Login und PIN mit Ihrem Administrator.`,
  'fax.link.locked-minutes': str`Zu viele falsche PINs: „Fax hinzufügen“ ist für ${0} Minuten gesperrt. Klären Sie Login und PIN mit Ihrem Administrator.`,
  'fax.link.not-assigned':
    'Login und PIN stimmen, aber diese Fax-Nebenstelle ist Ihnen nicht zugewiesen. Bitten Sie Ihren Administrator, sie Ihnen zuzuweisen.',
  'fax.link.login-missing': 'Geben Sie Ihren Fax-Login ein.',
  'fax.link.pin-missing': 'Geben Sie Ihre Fax-PIN ein.',

  // Neues Fax
  'fax.send.title': 'Neues Fax',
  'fax.number': 'Faxnummer',
  'fax.number.internal': str`Interne Fax-Nebenstelle ${0}`,
  'fax.number.external': str`Gewählt wird ${0}`,
  'fax.number.empty': 'Geben Sie die Faxnummer ein, an die gesendet werden soll.',
  'fax.number.not-a-number': 'Eine Faxnummer besteht nur aus Ziffern (und einem + am Anfang).',
  'fax.number.impossible': 'Diese Nummer ist zu kurz oder zu lang für eine Faxnummer.',
  'fax.number.unknown-format':
    'Das ist weder eine interne Fax-Nebenstelle noch eine vollständige Faxnummer. Geben Sie die Nummer mit Vorwahl ein, zum Beispiel 089 1234567.',
  'fax.send': 'Senden',
  'fax.snackbar.queue': 'Fax wird zur Warteschlange hinzugefügt',
  'fax.send.no-cover': 'Wählen Sie ein Deckblatt, legen Sie eines an oder entfernen Sie das Häkchen bei „Mit Deckblatt senden“.',
  'fax.send.no-document': 'Wählen Sie das PDF, das gesendet werden soll: Ziehen Sie es auf das Feld oder nutzen Sie „PDF auswählen“.',
  'fax.send.no-extension': 'Fügen Sie zuerst eine Fax-Nebenstelle hinzu: mit dem Fax-Login und der PIN von Ihrem Administrator.',
  'fax.send.request-failed': 'Der Faxdienst hat nicht geantwortet. Bitte versuchen Sie es gleich noch einmal.',
  'fax.send.unavailable': 'Fax ist gerade nicht verfügbar. Bitte versuchen Sie es später noch einmal.',
  'fax.send.destination-not-allowed':
    'Ihr Unternehmen erlaubt keine Faxe an diese Nummer (zum Beispiel Sonderrufnummern oder Auslandsziele).',
  'fax.send.not-a-fax': 'Unter dieser Nebenstelle gibt es in Ihrem Unternehmen kein Fax. Prüfen Sie die Nummer.',

  // Deckblatt
  'fax.cover.with': 'Mit Deckblatt senden',
  'fax.cover.legend': 'Deckblatt',
  'fax.cover.saved-sheets': 'Gespeicherte Deckblätter',
  'fax.cover.none': 'Noch kein Deckblatt. Legen Sie eines an.',
  'fax.cover.add': 'Deckblatt hinzufügen',
  'fax.cover.edit': 'Bearbeiten',
  'fax.cover.delete': 'Löschen',
  'fax.cover.keep': 'Behalten',
  'fax.cover.confirm-delete': str`Das Deckblatt „${0}“ löschen?`,
  'fax.cover.new': 'Neues Deckblatt',
  'fax.cover.change': 'Deckblatt bearbeiten',
  'fax.cover.name': 'Name',
  'fax.cover.subject': 'Betreff',
  'fax.cover.message': 'Nachricht',
  'fax.cover.auto': 'Datum und Absender werden automatisch hinzugefügt.',
  'fax.cover.unsupported': str`Diese Zeichen können auf einem Fax-Deckblatt nicht gedruckt werden und werden ersetzt: ${0}`,
  'fax.cover.name-required': 'Geben Sie dem Deckblatt einen Namen.',
  'fax.cover.name-taken': 'Ein Deckblatt mit diesem Namen gibt es schon. Wählen Sie einen anderen Namen.',
  'fax.cover.too-many-lines': str`Die Nachricht hat zu viele Zeilen für eine Seite (höchstens ${0}).`,
  'fax.cover.too-long': str`Zu lang: höchstens ${0} Zeichen.`,
  'fax.cover.saved': str`Deckblatt „${0}“ gespeichert.`,
  'fax.cover.deleted': str`Deckblatt „${0}“ gelöscht.`,
  'fax.preview.caption': 'Vorschau des Deckblatts',
  'fax.preview.empty': 'Wählen Sie ein Deckblatt oder legen Sie eines an, um es hier zu sehen.',
  'fax.preview.loading': 'Vorschau wird vorbereitet …',
  'fax.preview.failed': 'Die Vorschau kann nicht angezeigt werden.',

  // Dokument
  'fax.drop.hint': 'Ziehen Sie das PDF, das Sie senden möchten, hierher, oder',
  'fax.drop.choose': 'PDF auswählen',
  'fax.doc.checking': 'Das PDF wird geprüft …',
  'fax.doc.ready-one': '1 Seite, bereit zum Senden.',
  'fax.doc.ready': str`${0} Seiten, bereit zum Senden.`,
  'fax.doc.remove': 'Entfernen',
  'fax.doc.pages': 'Seiten',
  'fax.doc.page': str`Seite ${0} von ${1}`,
  'fax.doc.more': str`${0} weitere Seiten werden nicht angezeigt.`,
  'fax.doc.not-pdf':
    'Diese Datei ist kein PDF. Als Fax lassen sich nur PDF-Dateien senden: Speichern oder drucken Sie das Dokument als PDF und wählen Sie diese Datei.',
  'fax.doc.damaged':
    'Dieses PDF ist beschädigt und kann nicht gelesen werden. Öffnen Sie es in einem PDF-Programm und drucken Sie es als neues PDF, oder erstellen Sie es neu.',
  'fax.doc.password':
    'Dieses PDF ist mit einem Passwort geschützt und kann deshalb nicht als Fax gesendet werden. In Acrobat Reader sehen Sie den Schutz unter Datei > Eigenschaften > Sicherheit. Speichern Sie eine Kopie ohne Passwort und senden Sie diese.',
  'fax.doc.restricted':
    'Dieses PDF ist mit Sicherheitseinstellungen verschlüsselt und kann deshalb nicht als Fax gesendet werden. Öffnen Sie es und drucken Sie es als neues PDF (zum Beispiel mit „Microsoft Print to PDF“ oder „Als PDF speichern“). Senden Sie dann die neue Datei.',
  'fax.doc.restricted-no-print':
    'Dieses PDF ist mit Sicherheitseinstellungen verschlüsselt, die nicht einmal das Drucken erlauben, und kann deshalb nicht als Fax gesendet werden. Bitten Sie den Verfasser um eine ungeschützte Kopie.',
  'fax.doc.extraction':
    'Dieses PDF erlaubt kein Extrahieren von Seiten und kann deshalb nicht als Fax gesendet werden. Acrobat Reader zeigt unter Datei > Eigenschaften > Sicherheit „Extrahieren von Seiten: Nicht zulässig“; das wurde beim Erstellen des PDFs festgelegt. Erstellen Sie das PDF ohne diese Einschränkung neu.',
  'fax.doc.form-fields':
    'Dieses PDF enthält Formularfelder, die noch bearbeitet werden können, und kann deshalb nicht als Fax gesendet werden. Füllen Sie es aus und drucken Sie es dann als neues PDF (zum Beispiel mit „Microsoft Print to PDF“ oder „Als PDF speichern“): Die neue Datei lässt sich nicht mehr bearbeiten und kann gesendet werden.',
  'fax.doc.too-many-bytes': str`Dieses PDF ist ${0} MB groß; ein Fax darf höchstens ${1} MB haben. Verkleinern Sie die Datei (scannen Sie zum Beispiel schwarz-weiß mit 200 dpi) oder teilen Sie sie auf mehrere Faxe auf.`,
  'fax.doc.too-many-pages': str`Dieses PDF hat ${0} Seiten; ein Fax darf höchstens ${1} haben. Teilen Sie es auf mehrere Faxe auf.`,
  'fax.doc.image-too-large':
    'Dieses PDF enthält ein Bild mit weit höherer Auflösung, als ein Fax nutzen kann. Verringern Sie die Auflösung der Bilder (200 dpi genügen) und versuchen Sie es erneut.',
  'fax.doc.too-complex':
    'Dieses PDF ist für ein Fax viel zu aufwendig: Die Prüfung brauchte zu viele Daten, zu viel Zeit oder zu viel Speicher. Öffnen Sie es in einem PDF-Programm, drucken Sie es als neues PDF und senden Sie die neue Datei.',

  // Verlauf
  'fax.history.title': 'Faxverlauf',
  'fax.history.sent': 'Gesendet',
  'fax.history.received': 'Empfangen',
  'fax.history.no-sent': 'Noch keine Faxe gesendet.',
  'fax.history.no-received': 'Noch keine Faxe empfangen.',
  'fax.history.to': str`An ${0}`,
  'fax.history.from': str`Von ${0}`,
  'fax.history.page': '1 Seite',
  'fax.history.pages': str`${0} Seiten`,
  'fax.history.download': 'Herunterladen',
  'fax.history.download-sent': str`Das Fax an ${0} herunterladen`,
  'fax.history.download-received': str`Das Fax von ${0} herunterladen`,
  'fax.unknown-sender': 'unbekanntem Absender',
  'fax.state.queued': 'In der Warteschlange',
  'fax.state.retry': str`Neuer Versuch folgt: ${0} (Versuch ${1} von ${2})`,
  'fax.state.sending': 'Wird gesendet',
  'fax.state.sending-again': str`Wird gesendet (Versuch ${0} von ${1})`,
  'fax.state.sent': 'Gesendet',
  'fax.state.failed': str`Fehlgeschlagen: ${0}`,
  'fax.failure.busy': 'die Leitung war besetzt',
  'fax.failure.no-answer': 'kein Faxgerät hat geantwortet',
  'fax.failure.rejected': 'das empfangende Faxgerät hat es abgelehnt',
  'fax.failure.invalid-number': 'die Nummer gibt es nicht',
  'fax.failure.document': 'das Dokument konnte nicht für das Fax umgewandelt werden',
  'fax.failure.cancelled': 'es wurde abgebrochen oder hat zu lange gewartet',
  'fax.failure.error': 'der Faxdienst hat einen Fehler gemeldet',
  'fax.announce.sent': str`Fax an ${0} gesendet.`,
  'fax.announce.failed': str`Fax an ${0}: ${1}.`,
  'fax.announce.received': str`Neues Fax von ${0}.`,
};
