/**
 * The limits a PDF must stay within to be sent as a fax, and the report of a check.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';

/** How big a PDF may be; see {@link FAX_DOCUMENT_LIMITS} for the defaults. All values are positive numbers. */
export interface FaxDocumentLimits {
  /** Size of the file in bytes. */
  readonly maxBytes: number;
  /** Number of pages (without the cover sheet). */
  readonly maxPages: number;
  /**
   * Bytes all streams of the file unpack to, counted while unpacking and stopped at the limit. This is what stops a
   * decompression bomb: a few kilobytes that would inflate to gigabytes.
   */
  readonly maxDecodedBytes: number;
  /** Pixels (width × height) of the largest image. */
  readonly maxImagePixels: number;
  /** Milliseconds the check may take once the checker runs; longer and it is stopped. */
  readonly timeoutMs: number;
}

/**
 * The default limits. A fax is black and white at about 200 dpi, so these leave room for ordinary office documents
 * and scans while refusing files that only a machine would make:
 * - 20 MiB and 50 pages (a fax of 50 pages already takes most of an hour to transmit);
 * - 256 MiB unpacked in total (about ten colour pages scanned at 300 dpi without JPEG compression);
 * - 100 megapixels per image (an A4 page at 600 dpi is 35 megapixels);
 * - 10 seconds of checking.
 */
export const FAX_DOCUMENT_LIMITS: Readonly<FaxDocumentLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxPages: 50,
  maxDecodedBytes: 256 * 1024 * 1024,
  maxImagePixels: 100_000_000,
  timeoutMs: 10_000,
});

/**
 * Completes partial limits with the defaults and checks them.
 *
 * @throws CentrexError `invalid-argument` when a limit is not a positive number
 */
export function resolveFaxDocumentLimits(limits: Partial<FaxDocumentLimits> = {}): FaxDocumentLimits {
  const resolved = { ...FAX_DOCUMENT_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    // Infinity is allowed: a server that checks trusted files may switch a limit off.
    if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
      throw new CentrexError('invalid-argument', `The fax document limit ${name} must be a positive number.`, {
        details: { field: name, value },
      });
    }
  }
  return resolved;
}

/** What made a PDF unsuitable for fax, as found by the checker. Plain data, so it can cross a worker boundary. */
export type FaxDocumentProblem =
  /** The bytes do not start like a PDF. */
  | { readonly kind: 'not-pdf' }
  /** The PDF cannot be read; `detail` is the parser's message, for logs only. */
  | { readonly kind: 'damaged'; readonly detail: string }
  /** Opening the PDF needs a password (a user password). */
  | { readonly kind: 'password' }
  /** The PDF opens without a password but is encrypted with restrictions (an owner password). */
  | { readonly kind: 'restricted'; readonly extraction: boolean; readonly printing: boolean }
  /** Form fields that can still be edited; `fields` has up to 20 of their names. */
  | { readonly kind: 'form-fields'; readonly count: number; readonly fields: readonly string[] }
  /** Larger than `maxBytes`. */
  | { readonly kind: 'too-many-bytes'; readonly bytes: number; readonly limit: number }
  /** More pages than `maxPages`. */
  | { readonly kind: 'too-many-pages'; readonly pages: number; readonly limit: number }
  /** The streams unpack to more than `maxDecodedBytes` (counting stopped there). */
  | { readonly kind: 'unpacks-too-large'; readonly limit: number }
  /** An image larger than `maxImagePixels`. */
  | { readonly kind: 'image-too-large'; readonly width: number; readonly height: number; readonly limit: number }
  /** The check ran longer than `timeoutMs` and was stopped. */
  | { readonly kind: 'timeout'; readonly limit: number }
  /** The check needed more memory than the sandbox allows and was stopped. */
  | { readonly kind: 'out-of-memory' };

/** Facts about a PDF that passed the check. */
export interface FaxDocumentInfo {
  /** Number of pages. */
  readonly pages: number;
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** Bytes its streams unpack to (content, fonts, images before image decoding). */
  readonly decodedBytes: number;
  /** The PDF version from the header or catalog, such as `"1.7"`, if known. */
  readonly version: string | undefined;
}

/** The outcome of inspecting a PDF in the sandbox: plain data, never an exception for a bad document. */
export type FaxDocumentReport =
  | { readonly ok: true; readonly info: FaxDocumentInfo }
  | { readonly ok: false; readonly problem: FaxDocumentProblem };

const MB = 1024 * 1024;
const megabytes = (bytes: number): string => (bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0);

// The manual's advice for each problem ("PDF is password-protected", "Page Extraction is not allowed", "PDF files
// with editable fields"), written as one message each so the element can show it as is.
const PRINT_TO_PDF = 'print it to a new PDF (for example with "Microsoft Print to PDF" or "Save as PDF")';

/**
 * Turns a problem into the {@link CentrexError} the caller sees: `pdf-invalid`, `pdf-encrypted`,
 * `pdf-extraction-forbidden`, `pdf-has-form-fields` or `pdf-too-large`, with a message that says what to do.
 * `details.reason` is the problem's `kind`; the other fields of the problem are in `details` too.
 */
export function faxDocumentError(problem: FaxDocumentProblem): CentrexError {
  const details = { reason: problem.kind, ...problem };
  switch (problem.kind) {
    case 'not-pdf':
      return new CentrexError(
        'pdf-invalid',
        'This file is not a PDF. Only PDF files can be sent as a fax: save or print the document as a PDF and try again.',
        { details },
      );
    case 'damaged':
      return new CentrexError(
        'pdf-invalid',
        'This PDF is damaged and cannot be read. Open it in a PDF viewer and ' + PRINT_TO_PDF + ', or create it again.',
        { details },
      );
    case 'password':
      return new CentrexError(
        'pdf-encrypted',
        'This PDF is protected with a password, so it cannot be sent as a fax. Acrobat Reader shows the protection ' +
          'under File > Properties > Security. Save a copy without password protection and send that copy.',
        { details },
      );
    case 'restricted':
      if (!problem.extraction) {
        return new CentrexError(
          'pdf-extraction-forbidden',
          'This PDF does not allow page extraction, so it cannot be sent as a fax. Acrobat Reader shows ' +
            '"Page Extraction: Not Allowed" under File > Properties > Security; the setting was made when the PDF was ' +
            'created. Create the PDF again without this restriction, or ask its author for an unrestricted copy.',
          { details },
        );
      }
      return new CentrexError(
        'pdf-encrypted',
        'This PDF is encrypted with security settings, so it cannot be sent as a fax. ' +
          (problem.printing
            ? 'Open it and ' + PRINT_TO_PDF + ': the new file has no security settings. Send that file.'
            : 'It does not even allow printing: ask its author for an unprotected copy.'),
        { details },
      );
    case 'form-fields':
      return new CentrexError(
        'pdf-has-form-fields',
        `This PDF has ${problem.count === 1 ? 'a form field' : `${problem.count} form fields`} that can still be ` +
          'edited, so it cannot be sent as a fax. Fill it in, then ' +
          PRINT_TO_PDF +
          ': the printed file cannot be ' +
          'edited any more and can be sent.',
        { details },
      );
    case 'too-many-bytes':
      return new CentrexError(
        'pdf-too-large',
        `This PDF is ${megabytes(problem.bytes)} MB; a fax can be at most ${megabytes(
          problem.limit,
        )} MB. Make the file ` +
          'smaller (for example scan in black and white at 200 dpi) or split it into several faxes.',
        { details },
      );
    case 'too-many-pages':
      return new CentrexError(
        'pdf-too-large',
        `This PDF has ${problem.pages} pages; a fax can have at most ${problem.limit}. Split it into several faxes.`,
        { details },
      );
    case 'unpacks-too-large':
      return new CentrexError(
        'pdf-too-large',
        `This PDF unpacks to more than ${megabytes(problem.limit)} MB of data, far more than a fax can use. It may ` +
          'contain images of very high resolution, or be built to overload computers. ' +
          'Open it in a PDF viewer and ' +
          PRINT_TO_PDF +
          ', or create it again with smaller images.',
        { details },
      );
    case 'image-too-large':
      return new CentrexError(
        'pdf-too-large',
        `This PDF contains an image of ${problem.width} × ${problem.height} pixels, far more than a fax can use. ` +
          'Reduce the resolution of the images (200 dpi is enough for a fax) and try again.',
        { details },
      );
    case 'timeout':
      return new CentrexError(
        'pdf-too-large',
        `Checking this PDF took longer than ${Math.round(problem.limit / 100) / 10} seconds, so it was stopped. The ` +
          'file is too complex for a fax: open it in a PDF viewer and ' +
          PRINT_TO_PDF +
          ', then send the new file.',
        { details },
      );
    case 'out-of-memory':
      return new CentrexError(
        'pdf-too-large',
        'Checking this PDF needed more memory than allowed, so it was stopped. The file is too complex for a fax: ' +
          'open it in a PDF viewer and ' +
          PRINT_TO_PDF +
          ', then send the new file.',
        { details },
      );
  }
}
