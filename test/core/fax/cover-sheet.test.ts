import { describe, it, expect } from '../../support/harness.js';
import {
  addCoverSheet,
  COVER_SHEET_LIMITS,
  type CoverSheet,
  deleteCoverSheet,
  listCoverSheets,
  normalizeCoverSheet,
  updateCoverSheet,
  validateCoverSheet,
} from '../../../src/core/fax/cover-sheet.js';
import {
  prependCoverSheet,
  renderCoverSheet,
  type CoverSheetRenderOptions,
} from '../../../src/core/fax/cover-render.js';
import { toWinAnsiLine, unsupportedCoverCharacters, winAnsiCodePoints } from '../../../src/core/fax/winansi.js';
import { loadPdfLib } from '../../../src/core/fax/libraries.js';
import { expectCentrexError, expectRejection } from './expect-error.js';
import { latin1, pageSizes, pdfText, plainPdf } from './fixtures.js';

const GREETING = 'Grüße aus München – Straße';
const date = new Date('2025-03-01T09:30:00Z');
const german: CoverSheetRenderOptions = {
  sender: { name: 'Jörg Weiß', number: '+49 89 1234567' },
  date,
  locale: 'de-DE',
  timeZone: 'Europe/Berlin',
  recipient: '030 987654',
};

describe('cover sheets as data', () => {
  it('adds, updates, lists and deletes without changing the input', () => {
    const empty: readonly CoverSheet[] = [];
    const first = addCoverSheet(empty, { name: ' Standard ', subject: 'Angebot', message: 'Hallo\r\nWelt  \n' });
    expect(first.sheet).to.deep.equal({ id: 'cover-1', name: 'Standard', subject: 'Angebot', message: 'Hallo\nWelt' });
    expect(empty).to.deep.equal([]);
    const second = addCoverSheet(first.sheets, { name: 'Ärzte', subject: '', message: '' });
    expect(second.sheet.id).to.equal('cover-2');
    const named = addCoverSheet(second.sheets, { name: 'Zoll', subject: '', message: '' }, 'server-7');
    expect(named.sheet.id).to.equal('server-7');
    // German order: Ä sorts with A.
    expect(listCoverSheets(named.sheets, 'de').map((sheet) => sheet.name)).to.deep.equal(['Ärzte', 'Standard', 'Zoll']);
    const updated = updateCoverSheet(named.sheets, 'cover-1', { name: 'Standard', subject: 'Rechnung', message: 'x' });
    expect(updated.find((sheet) => sheet.id === 'cover-1')?.subject).to.equal('Rechnung');
    expect(named.sheets.find((sheet) => sheet.id === 'cover-1')?.subject).to.equal('Angebot');
    const deleted = deleteCoverSheet(updated, 'cover-2');
    expect(deleted.map((sheet) => sheet.id)).to.deep.equal(['cover-1', 'server-7']);
  });

  it('validates name, lengths, lines and duplicate names', () => {
    const sheets = addCoverSheet([], { name: 'Standard', subject: '', message: '' }).sheets;
    expect(validateCoverSheet({ name: '  ', subject: '', message: '' })).to.deep.equal([
      { field: 'name', problem: 'required' },
    ]);
    expect(validateCoverSheet({ name: 'STANDARD', subject: '', message: '' }, sheets)).to.deep.equal([
      { field: 'name', problem: 'duplicate' },
    ]);
    // Its own name is not a duplicate when editing.
    expect(validateCoverSheet({ name: 'standard', subject: '', message: '' }, sheets, 'cover-1')).to.deep.equal([]);
    expect(
      validateCoverSheet({
        name: 'x'.repeat(COVER_SHEET_LIMITS.name + 1),
        subject: 'y'.repeat(COVER_SHEET_LIMITS.subject + 1),
        message: Array.from({ length: COVER_SHEET_LIMITS.messageLines + 1 }, () => 'a').join('\n'),
      }),
    ).to.deep.equal([
      { field: 'name', problem: 'too-long' },
      { field: 'subject', problem: 'too-long' },
      { field: 'message', problem: 'too-many-lines' },
    ]);
    const error = expectCentrexError(
      () => addCoverSheet(sheets, { name: 'standard', subject: '', message: '' }),
      'invalid-argument',
    );
    expect(error.details?.['issues']).to.deep.equal([{ field: 'name', problem: 'duplicate' }]);
    expectCentrexError(
      () => addCoverSheet(sheets, { name: 'Neu', subject: '', message: '' }, 'cover-1'),
      'invalid-argument',
    );
    expect(expectCentrexError(() => deleteCoverSheet(sheets, 'nope'), 'invalid-argument').details?.['reason']).to.equal(
      'unknown-cover-sheet',
    );
    expectCentrexError(
      () => updateCoverSheet(sheets, 'nope', { name: 'a', subject: '', message: '' }),
      'invalid-argument',
    );
  });

  it('keeps name and subject on one line', () => {
    expect(normalizeCoverSheet({ name: 'a\nb', subject: ' x \t y ', message: '\n\nm\n\n' })).to.deep.equal({
      name: 'a b',
      subject: 'x y',
      message: 'm',
    });
  });
});

describe('WinAnsi text for the standard fonts', () => {
  it('knows exactly the characters pdf-lib can draw with Helvetica', async () => {
    const { PDFDocument, StandardFonts } = await loadPdfLib();
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    const pdfLib = new Set(font.getCharacterSet());
    const ours = winAnsiCodePoints();
    // Every character we keep can be encoded...
    expect(ours.filter((code) => !pdfLib.has(code))).to.deep.equal([]);
    // ...and we keep every printable character pdf-lib can encode (its set also has control codes we drop).
    expect(
      [...pdfLib].filter((code) => code >= 0x20 && !ours.includes(code)).map((code) => code.toString(16)),
    ).to.deep.equal([]);
    for (const char of 'äöüÄÖÜß€–„“') expect(ours).to.include(char.codePointAt(0));
  });

  it('replaces what the fonts cannot show with the closest text, and says which characters those are', () => {
    expect(toWinAnsiLine(GREETING)).to.equal(GREETING);
    expect(toWinAnsiLine('Łódź, Dvořák, ﬁle − 5\u202Fkm, ✓ 😀')).to.equal('Lódz, Dvorák, file - 5 km, x ?');
    expect(toWinAnsiLine('tab\there\u0007')).to.equal('tab here');
    expect(unsupportedCoverCharacters(`${GREETING} Łódź 😀 a\u202Fb`)).to.deep.equal(['Ł', 'ź', '😀']);
  });
});

describe('rendering cover sheets', () => {
  it('renders umlauts, ß and the dash so that they come back out of the PDF', async () => {
    const pdf = await renderCoverSheet({ subject: GREETING, message: `${GREETING}\n\nZweite Zeile` }, german);
    const [text] = await pdfText(pdf);
    expect(text).to.contain(`Betreff ${GREETING}`);
    expect(text).to.contain(`${GREETING} Zweite Zeile`);
    // Date and sender are added automatically, in German.
    expect(text).to.contain('Datum 1. März 2025 um 10:30');
    expect(text).to.contain('Von Jörg Weiß Fax +49 89 1234567');
    expect(text).to.contain('An 030 987654');
    expect(await pageSizes(pdf)).to.deep.equal([[595, 842]]);
  });

  it('uses English labels for other locales and survives the narrow no-break space in US times', async () => {
    const pdf = await renderCoverSheet(
      { subject: 'Offer', message: 'Hi' },
      { sender: { name: 'Ann' }, date, locale: 'en-US', timeZone: 'UTC', pages: 3 },
    );
    const [text] = await pdfText(pdf);
    expect(text).to.match(/Date March 1, 2025 at 9:30\sAM/);
    expect(text).to.contain('From Ann');
    expect(text).to.contain('Pages 3 (including this page)');
    expect(text).to.not.contain('To ');
  });

  it('degrades characters outside WinAnsi instead of failing', async () => {
    const pdf = await renderCoverSheet({ subject: 'Łódź 😀', message: '' }, german);
    expect((await pdfText(pdf))[0]).to.contain('Betreff Lódz ?');
  });

  it('wraps long messages and ends an overlong one with an ellipsis on the same page', async () => {
    const long = Array.from({ length: 200 }, (_, i) => `Zeile ${i}`).join('\n');
    const pdf = await renderCoverSheet(
      { subject: 's', message: long + ' ' + 'Donaudampfschifffahrt'.repeat(20) },
      german,
    );
    const [text] = await pdfText(pdf);
    expect(await pageSizes(pdf)).to.have.length(1);
    expect(text).to.contain('Zeile 0 Zeile 1');
    expect(text).to.not.contain('Zeile 199');
    expect(text!.trim().endsWith('…')).to.equal(true);
  });

  it('gives the same bytes for the same input', async () => {
    const a = await renderCoverSheet({ subject: 's', message: 'm' }, german);
    const b = await renderCoverSheet({ subject: 's', message: 'm' }, german);
    expect([...a]).to.deep.equal([...b]);
  });

  it('refuses to render without sender or with an invalid date', async () => {
    await expectRejection(
      renderCoverSheet({ subject: '', message: '' }, { ...german, date: new Date('x') }),
      'invalid-argument',
    );
    await expectRejection(
      renderCoverSheet({ subject: '', message: '' }, { date } as unknown as CoverSheetRenderOptions),
      'invalid-argument',
    );
  });
});

describe('prependCoverSheet', () => {
  it('puts the cover page first, counts it, and keeps the document pages', async () => {
    const document = await plainPdf(2, 'Seite');
    const fax = await prependCoverSheet(document, { subject: GREETING, message: 'Bitte beachten.' }, german);
    const pages = await pdfText(fax);
    expect(pages).to.have.length(3);
    expect(pages[0]).to.contain(`Betreff ${GREETING}`);
    expect(pages[0]).to.contain('Seiten 3 (einschließlich dieser Seite)');
    expect(pages[1]).to.equal('Seite 1');
    expect(pages[2]).to.equal('Seite 2');
  });

  it('takes the size of an upright first page, and A4 for a landscape one', async () => {
    const { PDFDocument } = await loadPdfLib();
    const make = async (size: [number, number]): Promise<Uint8Array> => {
      const document = await PDFDocument.create();
      document.addPage(size);
      return document.save();
    };
    expect(
      (await pageSizes(await prependCoverSheet(await make([612, 792]), { subject: '', message: '' }, german)))[0],
    ).to.deep.equal([612, 792]);
    expect(
      (await pageSizes(await prependCoverSheet(await make([842, 595]), { subject: '', message: '' }, german)))[0],
    ).to.deep.equal([595, 842]);
  });

  it('refuses a document pdf-lib cannot read', async () => {
    await expectRejection(
      prependCoverSheet(latin1('%PDF-1.7\ngarbage'), { subject: '', message: '' }, german),
      'pdf-invalid',
    );
  });
});
