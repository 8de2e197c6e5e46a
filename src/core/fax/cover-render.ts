/**
 * Renders a cover sheet as a PDF page with pdf-lib (loaded on first use): the subject and message the person wrote,
 * plus the date, the sender and (when known) the recipient and page count, which are added automatically.
 *
 * Text uses the PDF standard fonts Helvetica and Helvetica-Bold, which need no font file and show every character of
 * WinAnsiEncoding, German umlauts and ß included. Characters outside it are replaced (see `toWinAnsiLine`) rather than
 * embedding a font: a Unicode font would add hundreds of kilobytes (and the fontkit library) to every fax.
 *
 * @packageDocumentation
 */
import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { CentrexError } from '../errors.js';
import type { CoverSheetDraft } from './cover-sheet.js';
import { loadPdfLib, type PdfLib } from './libraries.js';
import { faxDocumentError } from './limits.js';
import { toWinAnsiLine } from './winansi.js';

/** Who sends the fax; printed as "From". */
export interface CoverSheetSender {
  /** The person (or company) sending. */
  readonly name: string;
  /** The fax number answers go to, usually the fax extension's number. */
  readonly number?: string;
}

/** What {@link renderCoverSheet} and {@link prependCoverSheet} add to the sheet, and how. */
export interface CoverSheetRenderOptions {
  /** The sender ("the date and sender are added automatically"). */
  readonly sender: CoverSheetSender;
  /** When the fax is sent; printed with the locale's long date and the time. */
  readonly date: Date;
  /** Language of the labels and date: German for `de…`, English otherwise. Default `'en'`. */
  readonly locale?: string;
  /** IANA time zone for the date, e.g. `'Europe/Berlin'`; default: the runtime's. */
  readonly timeZone?: string;
  /** The recipient as it should appear ("To"), usually the formatted fax number. Omitted when not given. */
  readonly recipient?: string;
  /**
   * Total pages of the fax including the cover page; {@link prependCoverSheet} fills it in. Omitted when not given.
   */
  readonly pages?: number;
  /** Page size in points `[width, height]`; default A4. {@link prependCoverSheet} uses the document's first page. */
  readonly pageSize?: readonly [width: number, height: number];
}

/** What of a cover sheet is printed: its subject and message (its name only labels it in the list). */
export type CoverSheetContent = Pick<CoverSheetDraft, 'subject' | 'message'>;

/** A4 in points. */
export const A4_PAGE_SIZE: readonly [width: number, height: number] = Object.freeze([595.28, 841.89]) as readonly [
  number,
  number,
];

interface Labels {
  readonly title: string;
  readonly date: string;
  readonly from: string;
  readonly to: string;
  readonly pages: string;
  readonly pagesValue: (pages: number) => string;
  readonly subject: string;
  readonly fax: string;
}

const LABELS: Readonly<Record<'de' | 'en', Labels>> = {
  de: {
    title: 'Fax',
    date: 'Datum',
    from: 'Von',
    to: 'An',
    pages: 'Seiten',
    pagesValue: (pages) => `${pages} (einschließlich dieser Seite)`,
    subject: 'Betreff',
    fax: 'Fax',
  },
  en: {
    title: 'Fax',
    date: 'Date',
    from: 'From',
    to: 'To',
    pages: 'Pages',
    pagesValue: (pages) => `${pages} (including this page)`,
    subject: 'Subject',
    fax: 'Fax',
  },
};

const MARGIN = 56; // 2 cm
const BODY_SIZE = 11;
const LINE_HEIGHT = 16;
const TITLE_SIZE = 32;
const LABEL_WIDTH = 90;

/**
 * Renders the cover sheet alone, as a one-page PDF: the preview next to the editor (manual: "The preview of your fax
 * is shown on the right"). Display it with any PDF viewer, or draw it on a canvas with pdf.js.
 *
 * @returns the PDF file
 * @throws CentrexError `invalid-argument` for a missing sender or an invalid date
 */
export async function renderCoverSheet(
  cover: CoverSheetContent,
  options: CoverSheetRenderOptions,
): Promise<Uint8Array> {
  checkOptions(options);
  const lib = await loadPdfLib();
  // No metadata dates: the same sheet and options give the same bytes.
  const document = await lib.PDFDocument.create({ updateMetadata: false });
  const page = document.addPage([...(options.pageSize ?? A4_PAGE_SIZE)]);
  await drawCoverSheet(lib, document, page, cover, options);
  return document.save();
}

/**
 * Puts a cover sheet in front of a PDF and returns the new file. The cover page takes the size of the document's
 * first page when that is upright, A4 otherwise; the page count on it includes the cover page.
 *
 * Check the document with `checkFaxDocument()` first: this loads it in the current thread.
 *
 * @param pdf - the document to send
 * @throws CentrexError `pdf-encrypted` or `pdf-invalid` when pdf-lib cannot read the document; `invalid-argument`
 *   for a missing sender or an invalid date
 */
export async function prependCoverSheet(
  pdf: Uint8Array,
  cover: CoverSheetContent,
  options: CoverSheetRenderOptions,
): Promise<Uint8Array> {
  checkOptions(options);
  const lib = await loadPdfLib();
  let document: PDFDocument;
  let count: number;
  let size: readonly [number, number];
  try {
    document = await lib.PDFDocument.load(pdf, { throwOnInvalidObject: true, updateMetadata: false });
    // A file without a usable catalog loads without complaint and fails here.
    count = document.getPageCount();
    size = coverSizeFor(document, count);
  } catch (error) {
    if (error instanceof lib.EncryptedPDFError) {
      throw faxDocumentError({ kind: 'restricted', extraction: true, printing: true });
    }
    const problem = faxDocumentError({
      kind: 'damaged',
      detail: error instanceof Error ? error.message : String(error),
    });
    throw new CentrexError(problem.code, problem.message, { cause: error, details: problem.details ?? {} });
  }
  const page = document.insertPage(0, [...size]);
  await drawCoverSheet(lib, document, page, cover, { ...options, pages: options.pages ?? count + 1 });
  return document.save();
}

function coverSizeFor(document: PDFDocument, count: number): readonly [number, number] {
  if (count === 0) return A4_PAGE_SIZE;
  const { width, height } = document.getPage(0).getSize();
  // Landscape or odd sizes (a receipt, a poster) make a poor cover; A4 is what fax machines expect.
  return width <= height && width >= 250 && height <= 1300 ? [width, height] : A4_PAGE_SIZE;
}

function checkOptions(options: CoverSheetRenderOptions): void {
  if (typeof options?.sender?.name !== 'string') {
    throw new CentrexError('invalid-argument', 'A cover sheet needs the sender: { sender: { name } }.', {
      details: { field: 'sender' },
    });
  }
  if (!(options.date instanceof Date) || Number.isNaN(options.date.getTime())) {
    throw new CentrexError('invalid-argument', 'A cover sheet needs the date the fax is sent.', {
      details: { field: 'date' },
    });
  }
}

function labelsFor(locale: string | undefined): Labels {
  return locale?.toLowerCase().startsWith('de') ? LABELS.de : LABELS.en;
}

function formatDate(date: Date, locale: string | undefined, timeZone: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' };
  if (timeZone !== undefined) options.timeZone = timeZone;
  try {
    return new Intl.DateTimeFormat(locale ?? 'en', options).format(date);
  } catch {
    // An unknown locale or time zone must not stop a fax; ISO 8601 in UTC is unambiguous.
    return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
}

async function drawCoverSheet(
  lib: PdfLib,
  document: PDFDocument,
  page: PDFPage,
  cover: CoverSheetContent,
  options: CoverSheetRenderOptions,
): Promise<void> {
  const [regular, bold] = await Promise.all([
    document.embedFont(lib.StandardFonts.Helvetica),
    document.embedFont(lib.StandardFonts.HelveticaBold),
  ]);
  const labels = labelsFor(options.locale);
  const { width, height } = page.getSize();
  const textWidth = width - 2 * MARGIN;
  const black = lib.rgb(0, 0, 0);
  // Dark enough to survive a fax machine's 1-bit dithering.
  const grey = lib.rgb(0.3, 0.3, 0.3);
  let y = height - MARGIN - TITLE_SIZE;

  page.drawText(labels.title, { x: MARGIN, y, size: TITLE_SIZE, font: bold, color: black });
  y -= 18;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: width - MARGIN, y }, thickness: 1.5, color: black });
  y -= 26;

  const rows: [label: string, values: string[]][] = [
    [labels.date, [formatDate(options.date, options.locale, options.timeZone)]],
  ];
  const from = [options.sender.name];
  if (options.sender.number) from.push(`${labels.fax} ${options.sender.number}`);
  rows.push([labels.from, from]);
  if (options.recipient !== undefined && options.recipient !== '') rows.push([labels.to, [options.recipient]]);
  if (options.pages !== undefined) rows.push([labels.pages, [labels.pagesValue(options.pages)]]);
  rows.push([labels.subject, [cover.subject]]);

  const valueWidth = textWidth - LABEL_WIDTH;
  for (const [label, values] of rows) {
    page.drawText(toWinAnsiLine(label), { x: MARGIN, y, size: BODY_SIZE, font: bold, color: grey });
    const lines = values.flatMap((value) => wrap(value, regular, BODY_SIZE, valueWidth));
    for (const line of lines.length > 0 ? lines : ['']) {
      page.drawText(line, {
        x: MARGIN + LABEL_WIDTH,
        y,
        size: BODY_SIZE,
        font: label === labels.subject ? bold : regular,
        color: black,
      });
      y -= LINE_HEIGHT;
    }
    y -= 4;
  }

  y -= 8;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: width - MARGIN, y }, thickness: 0.5, color: grey });
  y -= 26;

  const messageLines = cover.message
    .split(/\r\n?|\n/)
    .flatMap((paragraph) => wrap(paragraph, regular, BODY_SIZE, textWidth));
  const room = Math.floor((y - MARGIN) / LINE_HEIGHT) + 1;
  // Validation keeps messages short enough; a longer one (not validated, or a small page) ends with an ellipsis
  // instead of running off the page.
  const shown = messageLines.length > room ? [...messageLines.slice(0, room - 1), '…'] : messageLines;
  for (const line of shown) {
    if (line !== '') page.drawText(line, { x: MARGIN, y, size: BODY_SIZE, font: regular, color: black });
    y -= LINE_HEIGHT;
  }
}

/** Breaks text into lines no wider than `maxWidth`, at blanks where possible, inside overlong words otherwise. */
function wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const clean = toWinAnsiLine(text).trimEnd();
  if (clean === '') return [''];
  const fits = (candidate: string): boolean => font.widthOfTextAtSize(candidate, size) <= maxWidth;
  const lines: string[] = [];
  let line = '';
  for (const word of clean.split(/ +/)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  lines.push(line);
  return lines;
}
