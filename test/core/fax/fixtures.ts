// Real PDFs for the fax tests, made at test time. Works in Node and in Chromium: pdf-lib and pdf.js come through the
// SDK's own loaders, compression through CompressionStream.
import { loadPdfJs, loadPdfLib } from '../../../src/core/fax/libraries.js';

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);

/** Joins byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A PDF made with pdf-lib: `pages` pages of text, without object streams so tests can edit the bytes. */
export async function plainPdf(pages = 1, text = 'Hello fax'): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = await loadPdfLib();
  const document = await PDFDocument.create({ updateMetadata: false });
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = document.addPage([595.28, 841.89]);
    page.drawText(`${text} ${i + 1}`, { x: 56, y: 700, size: 14, font });
  }
  return document.save({ useObjectStreams: false });
}

/** A PDF with AcroForm fields (a text field and a check box), editable unless `readOnly`. */
export async function formPdf(readOnly = false): Promise<Uint8Array> {
  const { PDFDocument } = await loadPdfLib();
  const document = await PDFDocument.create({ updateMetadata: false });
  const page = document.addPage([595.28, 841.89]);
  const form = document.getForm();
  const name = form.createTextField('customer.name');
  name.setText('Erika Mustermann');
  name.addToPage(page, { x: 56, y: 700, width: 200, height: 24 });
  const agree = form.createCheckBox('agree');
  agree.addToPage(page, { x: 56, y: 650, width: 16, height: 16 });
  if (readOnly) {
    name.enableReadOnly();
    agree.enableReadOnly();
  }
  return document.save();
}

/** A PDF whose only form field is a push button (no data to fill in). */
export async function pushButtonPdf(): Promise<Uint8Array> {
  const { PDFDocument } = await loadPdfLib();
  const document = await PDFDocument.create({ updateMetadata: false });
  const page = document.addPage([595.28, 841.89]);
  document.getForm().createButton('print').addToPage('Print', page, { x: 56, y: 700, width: 80, height: 24 });
  return document.save();
}

/** A plain PDF with junk inside the page dictionary: pdf.js repairs it silently, strict pdf-lib refuses it. */
export async function damagedPdf(): Promise<Uint8Array> {
  const text = String.fromCharCode(...(await plainPdf()));
  const broken = text.replace('/Type /Page\n', '/Type /Page\n ]]) ');
  if (broken === text) throw new Error('fixture: page dictionary not found');
  return latin1(broken);
}

/** The first 60 % of a plain PDF. */
export async function truncatedPdf(): Promise<Uint8Array> {
  const bytes = await plainPdf();
  return bytes.slice(0, Math.floor(bytes.length * 0.6));
}

/** Compresses bytes with zlib framing (FlateDecode) using CompressionStream. */
export async function deflate(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const stream = new CompressionStream('deflate');
  const writer = stream.writable.getWriter();
  const writing = (async () => {
    for await (const chunk of chunks) await writer.write(chunk as Uint8Array<ArrayBuffer>);
    await writer.close();
  })();
  const parts: Uint8Array[] = [];
  const reader = stream.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  await writing;
  return concat(parts);
}

/** `megabytes` MiB of zeros, deflated, without ever holding them in memory at once. */
export function deflatedZeros(megabytes: number): Promise<Uint8Array> {
  const zeros = new Uint8Array(1024 * 1024);
  return deflate(
    (function* () {
      for (let i = 0; i < megabytes; i++) yield zeros;
    })(),
  );
}

/** One stream object of {@link buildPdf}. */
export interface StreamObject {
  readonly dict: string;
  readonly data: Uint8Array;
}

/**
 * Builds a small valid PDF by hand (catalog, one page, the given objects from number 4 on, a correct xref table).
 * The page's /Contents is object 4 when it is a stream; `pageExtra` adds entries to the page dictionary.
 */
export function buildPdf(objects: readonly (string | StreamObject)[], pageExtra = ''): Uint8Array {
  const contents = typeof objects[0] === 'object' ? ' /Contents 4 0 R' : '';
  const all: (string | StreamObject)[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]${contents}${pageExtra} >>`,
    ...objects,
  ];
  const parts: Uint8Array[] = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  all.forEach((object, index) => {
    offsets.push(offset);
    const body =
      typeof object === 'string'
        ? [latin1(`${index + 1} 0 obj\n${object}\nendobj\n`)]
        : [
            latin1(`${index + 1} 0 obj\n<< ${object.dict} /Length ${object.data.length} >>\nstream\n`),
            object.data,
            latin1('\nendstream\nendobj\n'),
          ];
    for (const part of body) {
      parts.push(part);
      offset += part.length;
    }
  });
  const xref =
    `xref\n0 ${all.length + 1}\n0000000000 65535 f \n` +
    offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${all.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`;
  parts.push(latin1(xref));
  return concat(parts);
}

/**
 * A decompression bomb: a page whose content stream is `megabytes` MiB of zeros, deflated twice
 * (`/Filter [/FlateDecode /FlateDecode]`), so the file stays around a kilobyte.
 */
export async function bombPdf(megabytes: number): Promise<Uint8Array> {
  const once = await deflatedZeros(megabytes);
  const twice = await deflate([once]);
  return buildPdf([{ dict: '/Filter [/FlateDecode /FlateDecode]', data: twice }]);
}

/** A page with an image XObject that claims `width` × `height` pixels (its data is a few bytes). */
export function giantImagePdf(width: number, height: number): Uint8Array {
  return buildPdf(
    [
      { dict: '', data: latin1('q 100 0 0 100 0 0 cm /Im1 Do Q') },
      {
        dict: `/Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /DCTDecode`,
        data: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
      },
    ],
    ' /Resources << /XObject << /Im1 5 0 R >> >>',
  );
}

/** The text of each page, as pdf.js extracts it (items joined with a space). */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 });
  try {
    const document = await task.promise;
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const content = await (await document.getPage(number)).getTextContent();
      const items = content.items.map((item) => ('str' in item ? item.str : '')).filter((text) => text.trim() !== '');
      pages.push(items.join(' '));
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/** Page sizes `[width, height]` as pdf-lib reads them. */
export async function pageSizes(bytes: Uint8Array): Promise<[number, number][]> {
  const { PDFDocument } = await loadPdfLib();
  const document = await PDFDocument.load(bytes);
  return document.getPages().map((page) => {
    const { width, height } = page.getSize();
    return [Math.round(width), Math.round(height)];
  });
}

/** Bytes from text (Latin-1). */
export { latin1 };
