/**
 * The check of a PDF for fax, as it runs inside the sandbox. Each question goes to the tool that can answer it:
 *
 * 1. size and header: plain byte checks;
 * 2. decompression bombs and giant images: {@link scanPdfStreams} and {@link measureDecodedSize}, before any library
 *    unpacks anything;
 * 3. password, permissions, page count, form fields: pdf.js, which decrypts and so can read an encrypted file's
 *    permissions and fields (pdf-lib cannot decrypt);
 * 4. damage: pdf-lib with `throwOnInvalidObject`, which refuses objects pdf.js would silently repair.
 *
 * Call it only inside a sandbox ({@link FaxDocumentSandbox}): it is safe against the bombs it knows, and the
 * sandbox's time and memory limits cover the ones it does not.
 *
 * @packageDocumentation
 */
import { measureDecodedSize } from './decode-budget.js';
import { loadPdfJs, loadPdfLib } from './libraries.js';
import type { FaxDocumentLimits, FaxDocumentProblem, FaxDocumentReport } from './limits.js';
import { scanPdfStreams } from './stream-scan.js';
import { pdfHeaderVersion } from './header.js';

// pdf.js permission bits (PermissionFlag): "copy or otherwise extract text and graphics" and "print".
const PERMISSION_COPY = 0x10;
const PERMISSION_PRINT = 0x04;

/** At most this many field names go into a report; the count is always complete. */
const MAX_FIELD_NAMES = 20;

/**
 * Checks a PDF and reports the first problem, or the facts about a good document. Never throws for a bad document;
 * only a failure to load pdf.js or pdf-lib (a broken installation) rejects.
 *
 * @internal Run it through a {@link FaxDocumentSandbox}, not directly.
 */
export async function inspectFaxDocument(bytes: Uint8Array, limits: FaxDocumentLimits): Promise<FaxDocumentReport> {
  const fail = (problem: FaxDocumentProblem): FaxDocumentReport => ({ ok: false, problem });
  if (bytes.length > limits.maxBytes)
    return fail({ kind: 'too-many-bytes', bytes: bytes.length, limit: limits.maxBytes });
  const headerVersion = pdfHeaderVersion(bytes);
  if (headerVersion === undefined) return fail({ kind: 'not-pdf' });

  const scan = scanPdfStreams(bytes);
  if (scan.damaged !== undefined) return fail({ kind: 'damaged', detail: scan.damaged });
  let decodedBytes = 0;
  for (const stream of scan.streams) {
    if (stream.subtype === 'Image' && stream.width !== undefined && stream.height !== undefined) {
      if (stream.width * stream.height > limits.maxImagePixels) {
        return fail({
          kind: 'image-too-large',
          width: stream.width,
          height: stream.height,
          limit: limits.maxImagePixels,
        });
      }
    }
    const remaining = limits.maxDecodedBytes - decodedBytes;
    const measured = await measureDecodedSize(bytes.subarray(stream.start, stream.end), stream.filters, remaining);
    if (measured.exceeded) return fail({ kind: 'unpacks-too-large', limit: limits.maxDecodedBytes });
    decodedBytes += measured.bytes;
  }

  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    // pdf.js may transfer the buffer it is given; pdf-lib still needs the bytes afterwards.
    data: bytes.slice(),
    isEvalSupported: false,
    verbosity: 0,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    isOffscreenCanvasSupported: false,
  });
  let pages: number;
  let version: string | undefined;
  try {
    let document;
    try {
      document = await task.promise;
    } catch (error) {
      // pdf.js does not export its PasswordException class; its name is stable API (viewers switch on it).
      if (error instanceof Error && error.name === 'PasswordException') return fail({ kind: 'password' });
      return fail({ kind: 'damaged', detail: messageOf(error) });
    }
    const [metadata, permissions] = await Promise.all([document.getMetadata(), document.getPermissions()]);
    const info = metadata.info as { EncryptFilterName?: unknown; IsXFAPresent?: unknown; PDFFormatVersion?: unknown };
    if (scan.encrypted || (typeof info.EncryptFilterName === 'string' && info.EncryptFilterName !== '')) {
      // The manual: encrypted files cannot be sent. Which message fits depends on the permission bits (P) of the
      // encryption dictionary; pdf.js lists the granted ones, or null when nothing is restricted.
      const granted = new Set(permissions ?? [PERMISSION_COPY, PERMISSION_PRINT]);
      return fail({
        kind: 'restricted',
        extraction: granted.has(PERMISSION_COPY),
        printing: granted.has(PERMISSION_PRINT),
      });
    }
    pages = document.numPages;
    version = typeof info.PDFFormatVersion === 'string' ? info.PDFFormatVersion : headerVersion;
    const fields = await editableFields(document);
    if (fields.count > 0 || info.IsXFAPresent === true) {
      return fail({ kind: 'form-fields', count: Math.max(fields.count, 1), fields: fields.names });
    }
    // Before the strict parse below, which would take long for thousands of pages.
    if (pages > limits.maxPages) return fail({ kind: 'too-many-pages', pages, limit: limits.maxPages });
  } catch (error) {
    return fail({ kind: 'damaged', detail: messageOf(error) });
  } finally {
    await task.destroy().catch(() => undefined);
  }

  // pdf.js repairs what it can; pdf-lib, told to throw on invalid objects, tells us whether there was anything to
  // repair. It also has to load the file later to put a cover sheet in front.
  const { PDFDocument } = await loadPdfLib();
  try {
    const document = await PDFDocument.load(bytes, {
      throwOnInvalidObject: true,
      updateMetadata: false,
      // Inside the sandbox there is no page to keep responsive; yielding every 100 objects only costs time.
      parseSpeed: Number.POSITIVE_INFINITY,
    });
    const strictPages = document.getPages().length;
    if (strictPages !== pages) {
      return fail({ kind: 'damaged', detail: `page tree lists ${strictPages} pages, the viewer found ${pages}` });
    }
  } catch (error) {
    return fail({ kind: 'damaged', detail: messageOf(error) });
  }
  return { ok: true, info: { pages, bytes: bytes.length, decodedBytes, version } };
}

interface FieldObject {
  readonly type?: unknown;
  readonly editable?: unknown;
}

/**
 * Counts the fields a person could still type into, tick or choose from. pdf.js marks read-only ones
 * `editable: false`; signatures carry no `editable`; push buttons ("Print", "Submit") hold no data, so printing the
 * file would not change them and they do not count.
 */
async function editableFields(document: {
  getFieldObjects(): Promise<Record<string, unknown[]> | null>;
}): Promise<{ count: number; names: string[] }> {
  const objects = await document.getFieldObjects();
  const names: string[] = [];
  let count = 0;
  for (const [name, widgets] of Object.entries(objects ?? {})) {
    const editable = widgets.some((widget) => {
      const field = widget as FieldObject;
      return field.editable === true && field.type !== 'button';
    });
    if (!editable) continue;
    count++;
    if (names.length < MAX_FIELD_NAMES) names.push(name);
  }
  return { count, names };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
