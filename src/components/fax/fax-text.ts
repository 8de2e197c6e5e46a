/**
 * The sentences `<centrex-fax>` shows for the fax's own errors and states, in the elements' current language. The
 * core's messages are English; here each code (and the reason in its details) gets a translated sentence that keeps
 * the manual's advice: print a form to a new PDF, check the security settings in Acrobat Reader, and so on.
 *
 * @packageDocumentation
 */
import { msg, str } from '@lit/localize';
import { isCentrexError, type CentrexError } from '../../core/errors.js';
import type { FaxFailureReason, FaxJob } from '../../core/fax/index.js';
import type { InvalidNumberReason } from '../../core/numbers/index.js';
import type { CoverSheetIssue } from '../../core/fax/index.js';
import { errorText } from '../shared/error-text.js';
import { formatCount } from '../shared/localize.js';

type Facts = Readonly<Record<string, unknown>>;

/**
 * What a document refusal is about. The client's own check puts it in `details`; a refusal by the PBX carries the
 * same facts as the first entry of `details.issues`.
 */
function documentFacts(error: CentrexError): Facts {
  const details = error.details ?? {};
  if (typeof details['reason'] === 'string') return details;
  const issues = details['issues'];
  const first: unknown = Array.isArray(issues) ? issues[0] : undefined;
  return typeof first === 'object' && first !== null ? (first as Facts) : {};
}

const megabytes = (bytes: unknown): string =>
  typeof bytes === 'number' ? formatCount(Math.round((bytes / (1024 * 1024)) * 10) / 10) : '?';

/** Whether an error is about the PDF itself (shown next to the document rather than the Send button). */
export function isDocumentError(error: unknown): boolean {
  return (
    isCentrexError(error) &&
    ['pdf-encrypted', 'pdf-extraction-forbidden', 'pdf-has-form-fields', 'pdf-invalid', 'pdf-too-large'].includes(error.code)
  );
}

/** Why a PDF cannot be sent, with what to do about it. */
export function documentErrorText(error: CentrexError): string {
  const facts = documentFacts(error);
  const reason = facts['reason'];
  switch (error.code) {
    case 'pdf-invalid':
      return reason === 'not-pdf'
        ? msg('This file is not a PDF. Only PDF files can be sent as a fax: save or print the document as a PDF and choose that file.', {
            id: 'fax.doc.not-pdf',
          })
        : msg('This PDF is damaged and cannot be read. Open it in a PDF viewer and print it to a new PDF, or create it again.', {
            id: 'fax.doc.damaged',
          });
    case 'pdf-encrypted':
      if (reason === 'restricted') {
        return facts['printing'] === false
          ? msg('This PDF is encrypted with security settings that do not even allow printing, so it cannot be sent as a fax. Ask its author for an unprotected copy.', {
              id: 'fax.doc.restricted-no-print',
            })
          : msg('This PDF is encrypted with security settings, so it cannot be sent as a fax. Open it and print it to a new PDF (for example with "Microsoft Print to PDF" or "Save as PDF"), then send the new file.', {
              id: 'fax.doc.restricted',
            });
      }
      return msg('This PDF is protected with a password, so it cannot be sent as a fax. Acrobat Reader shows the protection under File > Properties > Security. Save a copy without the password and send that.', {
        id: 'fax.doc.password',
      });
    case 'pdf-extraction-forbidden':
      return msg('This PDF does not allow page extraction, so it cannot be sent as a fax. Acrobat Reader shows "Page Extraction: Not Allowed" under File > Properties > Security; it was set when the PDF was made. Create the PDF again without this restriction.', {
        id: 'fax.doc.extraction',
      });
    case 'pdf-has-form-fields':
      return msg('This PDF has form fields that can still be edited, so it cannot be sent as a fax. Fill it in, then print it to a new PDF (for example with "Microsoft Print to PDF" or "Save as PDF"): the new file can no longer be edited and can be sent.', {
        id: 'fax.doc.form-fields',
      });
    case 'pdf-too-large':
      switch (reason) {
        case 'too-many-bytes':
          return msg(str`This PDF is ${megabytes(facts['bytes'])} MB; a fax may have at most ${megabytes(facts['limit'])} MB. Make the file smaller (for example scan in black and white at 200 dpi) or split it into several faxes.`, {
            id: 'fax.doc.too-many-bytes',
          });
        case 'too-many-pages':
          return msg(str`This PDF has ${String(facts['pages'] ?? '?')} pages; a fax may have at most ${String(facts['limit'] ?? '?')}. Split it into several faxes.`, {
            id: 'fax.doc.too-many-pages',
          });
        case 'image-too-large':
          return msg('This PDF contains an image of far higher resolution than a fax can use. Reduce the resolution of its images (200 dpi is enough) and try again.', {
            id: 'fax.doc.image-too-large',
          });
        default:
          // unpacks-too-large, timeout, out-of-memory: all three mean "far too complex", with the same remedy.
          return msg('This PDF is far too complex for a fax: checking it needed too much data, time or memory. Open it in a PDF viewer and print it to a new PDF, then send the new file.', {
            id: 'fax.doc.too-complex',
          });
      }
    default:
      return errorText(error);
  }
}

/** Why a typed fax number cannot be used. */
export function numberErrorText(reason: InvalidNumberReason | string | undefined): string {
  switch (reason) {
    case 'empty':
      return msg('Enter the fax number to send to.', { id: 'fax.number.empty' });
    case 'not-a-number':
      return msg('A fax number has only digits (and a + in front).', { id: 'fax.number.not-a-number' });
    case 'impossible':
      return msg('This number is too short or too long to be a fax number.', { id: 'fax.number.impossible' });
    default:
      return msg('This is neither an internal fax extension nor a complete fax number. Enter the number with its area code, for example 089 1234567.', {
        id: 'fax.number.unknown-format',
      });
  }
}

/** What went wrong linking a fax extension with login and PIN. */
export function linkErrorText(error: unknown): string {
  if (!isCentrexError(error)) return errorText(error);
  switch (error.code) {
    case 'fax-login-failed':
      return msg('The fax login or the PIN is wrong. Check both: your administrator gave them to you.', { id: 'fax.link.wrong' });
    case 'fax-login-locked':
    case 'api-rate-limited': {
      const seconds = error.details?.['retryAfter'];
      if (typeof seconds !== 'number') {
        return msg('Too many wrong PINs: adding a fax is locked for a few minutes. Check the login and PIN with your administrator.', {
          id: 'fax.link.locked',
        });
      }
      if (seconds < 60) {
        return msg(str`Too many wrong PINs: adding a fax is locked for ${formatCount(Math.max(1, Math.ceil(seconds)))} seconds. Check the login and PIN with your administrator.`, {
          id: 'fax.link.locked-seconds',
        });
      }
      return msg(str`Too many wrong PINs: adding a fax is locked for ${formatCount(Math.ceil(seconds / 60))} minutes. Check the login and PIN with your administrator.`, {
        id: 'fax.link.locked-minutes',
      });
    }
    case 'api-forbidden':
      return msg('The login and PIN are right, but this fax extension is not assigned to you. Ask your administrator to assign it.', {
        id: 'fax.link.not-assigned',
      });
    case 'invalid-argument':
      return error.details?.['field'] === 'pin'
        ? msg('Enter your fax PIN.', { id: 'fax.link.pin-missing' })
        : msg('Enter your fax login.', { id: 'fax.link.login-missing' });
    default:
      return errorText(error);
  }
}

/** What went wrong sending (other than the document, see {@link documentErrorText}). */
export function sendErrorText(error: unknown): string {
  if (!isCentrexError(error)) return errorText(error);
  if (isDocumentError(error)) return documentErrorText(error);
  switch (error.code) {
    case 'invalid-number':
      return numberErrorText(error.details?.['reason'] as string | undefined);
    case 'fax-no-extension':
      return msg('Add a fax extension first: with the fax login and PIN from your administrator.', { id: 'fax.send.no-extension' });
    case 'fax-request-failed':
      return msg('The fax service did not answer. Please try again in a moment.', { id: 'fax.send.request-failed' });
    case 'api-unavailable':
      return msg('Fax is not available right now. Please try again later.', { id: 'fax.send.unavailable' });
    case 'api-forbidden':
      if (error.details?.['apiCode'] === 'destination-not-allowed') {
        return msg('Your company does not allow faxes to this number (for example premium-rate or foreign numbers).', {
          id: 'fax.send.destination-not-allowed',
        });
      }
      return errorText(error);
    case 'api-validation-failed':
    case 'api-bad-request':
      if (error.details?.['field'] === 'to') {
        return msg('There is no fax at this extension in your company. Check the number.', { id: 'fax.send.not-a-fax' });
      }
      return errorText(error);
    default:
      return errorText(error);
  }
}

/** A job's failure reason as part of a sentence ("Failed: the line was busy"). */
export function failureText(reason: FaxFailureReason | string): string {
  switch (reason) {
    case 'busy':
      return msg('the line was busy', { id: 'fax.failure.busy' });
    case 'no-answer':
      return msg('no fax machine answered', { id: 'fax.failure.no-answer' });
    case 'rejected':
      return msg('the receiving fax refused it', { id: 'fax.failure.rejected' });
    case 'invalid-number':
      return msg('the number does not exist', { id: 'fax.failure.invalid-number' });
    case 'document':
      return msg('the document could not be converted for fax', { id: 'fax.failure.document' });
    case 'cancelled':
      return msg('it was cancelled or waited too long', { id: 'fax.failure.cancelled' });
    default:
      return msg('the fax service reported an error', { id: 'fax.failure.error' });
  }
}

/** Where a sent fax stands, in words: state, attempt and, for a retry or a failure, why. */
export function jobStateText(job: FaxJob): string {
  const attempt = formatCount(Math.max(job.attempt, 1));
  const attempts = formatCount(job.maxAttempts);
  switch (job.state) {
    case 'queued':
      return job.failure
        ? msg(str`Will try again: ${failureText(job.failure.reason)} (attempt ${attempt} of ${attempts})`, { id: 'fax.state.retry' })
        : msg('In the queue', { id: 'fax.state.queued' });
    case 'sending':
      return job.attempt > 1
        ? msg(str`Sending (attempt ${attempt} of ${attempts})`, { id: 'fax.state.sending-again' })
        : msg('Sending', { id: 'fax.state.sending' });
    case 'sent':
      return msg('Sent', { id: 'fax.state.sent' });
    case 'failed':
      return msg(str`Failed: ${failureText(job.failure?.reason ?? 'error')}`, { id: 'fax.state.failed' });
    default:
      return String(job.state);
  }
}

/** What is wrong with a field of the cover sheet editor. */
export function coverIssueText(issue: CoverSheetIssue, limit: number): string {
  switch (issue.problem) {
    case 'required':
      return msg('Give the cover sheet a name.', { id: 'fax.cover.name-required' });
    case 'duplicate':
      return msg('A cover sheet with this name exists already. Choose another name.', { id: 'fax.cover.name-taken' });
    case 'too-many-lines':
      return msg(str`The message has too many lines for one page (at most ${formatCount(limit)}).`, { id: 'fax.cover.too-many-lines' });
    default:
      return msg(str`Too long: at most ${formatCount(limit)} characters.`, { id: 'fax.cover.too-long' });
  }
}
