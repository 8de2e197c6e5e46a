import { describe, it, expect } from '../../support/harness.js';
import {
  AVAILABILITIES,
  AVAILABILITY_ENCODING,
  availabilityOf,
  buildPidf,
  parsePidf,
  pidfForAvailability,
  type PidfDocument,
} from '../../../src/core/presence/index.js';
import { expectCentrexError } from './expect-error.js';

// RFC 3863 section 6, the example presence document (typed from the RFC), with its extension namespaces.
const RFC3863_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf"
    xmlns:im="urn:ietf:params:xml:ns:pidf:im"
    xmlns:myex="http://id.example.com/presence/"
    entity="pres:someone@example.com">
  <tuple id="bs35r9">
    <status>
      <basic>open</basic>
      <im:im>busy</im:im>
      <myex:location>home</myex:location>
    </status>
    <contact priority="0.8">im:someone@mobilecarrier.net</contact>
    <note xml:lang="en">Don't Disturb Please!</note>
    <note xml:lang="fr">Ne d&#233;rangez pas, s'il vous plait</note>
    <timestamp>2001-10-27T16:49:29Z</timestamp>
  </tuple>
  <tuple id="ty4658">
    <status>
      <basic>open</basic>
    </status>
    <contact priority="1.0">mailto:someone@example.com</contact>
  </tuple>
  <note xml:lang="en">I'll be in Tokyo next week</note>
</presence>
`;

// Shaped like Asterisk's PJSIP PIDF for an extension in use: <rpid:busy/> in a person without an id.
const ASTERISK_IN_USE = `<?xml version="1.0" encoding="UTF-8"?>
<presence entity="sip:1000@pbx.example.com" xmlns="urn:ietf:params:xml:ns:pidf"
  xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid">
 <note>On the phone</note>
 <tuple id="1000">
  <status><basic>open</basic></status>
  <contact priority="1">sip:1000@pbx.example.com</contact>
 </tuple>
 <dm:person><rpid:activities><rpid:busy/></rpid:activities></dm:person>
</presence>`;

// Shaped like Kamailio's dialog-to-presence conversion: <rpid:on-the-phone/> and dm:note.
const KAMAILIO_ON_THE_PHONE = `<?xml version="1.0"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
  xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" xmlns:c="urn:ietf:params:xml:ns:pidf:cipid" entity="sip:alice@example.com">
  <tuple id="tuple_mixingid"><status><basic>open</basic></status></tuple>
  <note>On the phone</note>
  <dm:person id="pers_mixingid"><rpid:activities><rpid:on-the-phone/></rpid:activities><dm:note>On the phone</dm:note></dm:person>
</presence>`;

const presence = (body: string, attributes = ''): string =>
  `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@example.com" ${attributes}>${body}</presence>`;

describe('parsePidf', () => {
  it('reads the RFC 3863 example, skipping foreign status extensions', () => {
    expect(parsePidf(RFC3863_EXAMPLE)).to.deep.equal({
      entity: 'pres:someone@example.com',
      tuples: [
        {
          id: 'bs35r9',
          basic: 'open',
          activities: [],
          contact: 'im:someone@mobilecarrier.net',
          contactPriority: 0.8,
          notes: [
            { text: "Don't Disturb Please!", lang: 'en' },
            { text: "Ne dérangez pas, s'il vous plait", lang: 'fr' },
          ],
          timestamp: '2001-10-27T16:49:29Z',
        },
        { id: 'ty4658', basic: 'open', activities: [], contact: 'mailto:someone@example.com', contactPriority: 1, notes: [] },
      ],
      notes: [{ text: "I'll be in Tokyo next week", lang: 'en' }],
      persons: [],
      devices: [],
    });
  });

  it('reads data-model persons and devices with RPID activities', () => {
    const doc = presence(
      `<tuple id="t"><status><basic>closed</basic></status></tuple>
       <dm:person id="p1"><rpid:activities><rpid:away/><rpid:meeting/></rpid:activities>
         <dm:note>Back at 3</dm:note><dm:timestamp>2025-03-01T10:00:00Z</dm:timestamp></dm:person>
       <dm:device id="d1"><dm:deviceID>urn:uuid:d27459b7-8213-4395-aa77-ed859a3e5b3a</dm:deviceID><dm:note>Desk phone</dm:note></dm:device>`,
      'xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"',
    );
    const parsed = parsePidf(doc);
    expect(parsed.persons).to.deep.equal([
      { id: 'p1', activities: ['away', 'meeting'], notes: [{ text: 'Back at 3' }], timestamp: '2025-03-01T10:00:00Z' },
    ]);
    expect(parsed.devices).to.deep.equal([
      { id: 'd1', deviceId: 'urn:uuid:d27459b7-8213-4395-aa77-ed859a3e5b3a', notes: [{ text: 'Desk phone' }] },
    ]);
  });

  it('resolves namespaces declared on any element, with any prefix or as default namespace', () => {
    const doc = `<p:presence xmlns:p="urn:ietf:params:xml:ns:pidf" entity="sip:a@b">
      <p:tuple id="t"><p:status><p:basic>open</p:basic></p:status></p:tuple>
      <person xmlns="urn:ietf:params:xml:ns:pidf:data-model" id="x">
        <r:activities xmlns:r="urn:ietf:params:xml:ns:pidf:rpid"><r:on-the-phone/></r:activities>
      </person>
      <dm2:person xmlns:dm2="urn:ietf:params:xml:ns:pidf:data-model">
        <activities xmlns="urn:ietf:params:xml:ns:pidf:rpid"><away/><x:other xmlns:x="urn:example:x"/></activities>
      </dm2:person>
    </p:presence>`;
    const parsed = parsePidf(doc);
    expect(parsed.tuples[0]?.basic).to.equal('open');
    expect(parsed.persons.map((person) => person.activities)).to.deep.equal([['on-the-phone'], ['away']]);
  });

  it('reads legacy RPID activities inside a tuple status', () => {
    const doc = presence(
      '<tuple id="t"><status><basic>open</basic><rpid:activities><rpid:on-the-phone/></rpid:activities></status></tuple>',
      'xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"',
    );
    expect(parsePidf(doc).tuples[0]?.activities).to.deep.equal(['on-the-phone']);
    expect(availabilityOf(parsePidf(doc))).to.equal('busy');
  });

  it('drops an unknown basic value and a malformed priority', () => {
    const doc = presence('<tuple id="t"><status><basic>maybe</basic></status><contact priority="2">sip:a@b</contact></tuple>');
    expect(parsePidf(doc).tuples).to.deep.equal([{ id: 't', activities: [], contact: 'sip:a@b', notes: [] }]);
  });

  it('rejects a missing entity or tuple id, a wrong root and a wrong namespace', () => {
    expectCentrexError(() => parsePidf('<presence xmlns="urn:ietf:params:xml:ns:pidf"/>'), 'unexpected-document');
    expectCentrexError(() => parsePidf(presence('<tuple><status><basic>open</basic></status></tuple>')), 'unexpected-document');
    expectCentrexError(() => parsePidf('<presence xmlns="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:a@b"/>'), 'unexpected-document');
    expectCentrexError(() => parsePidf('<presence entity="sip:a@b"/>'), 'unexpected-document');
    expectCentrexError(
      () => parsePidf('<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:a@b"/>'),
      'unexpected-document',
    );
  });
});

describe('buildPidf', () => {
  const doc: PidfDocument = {
    entity: 'sip:33@pbx.example.com',
    tuples: [
      {
        id: 'sip',
        basic: 'open',
        activities: ['on-the-phone'],
        contact: 'sip:33@10.0.0.7',
        contactPriority: 0.75,
        notes: [{ text: 'Im Gespräch', lang: 'de' }, { text: 'In a call' }],
        timestamp: '2025-03-01T10:00:00Z',
      },
      { id: 'web', activities: [], notes: [] },
    ],
    notes: [{ text: 'A & B <c> "d"' }],
    persons: [{ id: 'p', activities: ['busy', 'meeting'], notes: [{ text: 'note', lang: 'en' }], timestamp: '2025-03-01T10:00:00Z' }, { activities: [], notes: [] }],
    devices: [{ id: 'd', deviceId: 'urn:uuid:1', notes: [], timestamp: '2025-03-01T10:00:00Z' }, { notes: [] }],
  };

  it('writes a document that parses back to the same object', () => {
    expect(parsePidf(buildPidf(doc))).to.deep.equal(doc);
    const minimal: PidfDocument = { entity: 'pres:a@b', tuples: [], notes: [], persons: [], devices: [] };
    expect(parsePidf(buildPidf(minimal))).to.deep.equal(minimal);
  });

  it('writes PIDF as default namespace with dm and rpid prefixes, elements in schema order', () => {
    const xml = buildPidf(doc);
    expect(xml).to.contain(
      '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:33@pbx.example.com">',
    );
    expect(xml).to.contain('<contact priority="0.75">sip:33@10.0.0.7</contact>');
    expect(xml).to.contain('<note xml:lang="de">Im Gespräch</note>');
    expect(xml.indexOf('<tuple id="web">')).to.be.lessThan(xml.indexOf('<note>A &amp; B &lt;c&gt; "d"</note>'));
    expect(xml.indexOf('</tuple>')).to.be.lessThan(xml.indexOf('<dm:person'));
    expect(xml.indexOf('<dm:person')).to.be.lessThan(xml.indexOf('<dm:device'));
  });

  it('escapes hostile text in every field', () => {
    const text = '<img src=x onerror=alert(1)> & "quoted" \'single\'';
    const hostile: PidfDocument = {
      entity: text,
      tuples: [{ id: text, basic: 'open', activities: [], contact: text, notes: [{ text, lang: text }], timestamp: text }],
      notes: [{ text }],
      persons: [{ id: text, activities: [], notes: [{ text }] }],
      devices: [{ id: text, deviceId: text, notes: [] }],
    };
    const xml = buildPidf(hostile);
    expect(xml).to.not.contain('<img');
    expect(parsePidf(xml)).to.deep.equal(hostile);
  });

  it('rejects invalid input with invalid-argument', () => {
    const tuple = { id: 't', activities: [], notes: [] };
    const bad: unknown[] = [
      undefined,
      { ...doc, entity: ' ' },
      { ...doc, tuples: [{ ...tuple, id: undefined }] },
      { ...doc, tuples: [{ ...tuple, basic: 'half-open' }] },
      { ...doc, tuples: [{ ...tuple, contact: 'sip:a@b', contactPriority: 1.5 }] },
      { ...doc, tuples: [{ ...tuple, contactPriority: 0.5 }] },
      { ...doc, tuples: 'many' },
      { ...doc, persons: [{ activities: ['on the phone'], notes: [] }] },
      { ...doc, persons: [{ activities: ['x"/><evil/'], notes: [] }] },
      { ...doc, notes: [{ text: 'nul \u0000' }] },
      { ...doc, notes: [{ text: 'lone surrogate \ud800' }] },
    ];
    for (const input of bad) expectCentrexError(() => buildPidf(input as PidfDocument), 'invalid-argument');
  });
});

describe('availabilityOf and pidfForAvailability', () => {
  it('round-trips every availability through build and parse', () => {
    for (const availability of AVAILABILITIES) {
      const xml = buildPidf(pidfForAvailability({ entity: 'sip:33@pbx.example.com', availability, contact: 'sip:33@10.0.0.7' }));
      expect(availabilityOf(parsePidf(xml)), availability).to.equal(availability);
    }
  });

  it('encodes each state as documented, with a default or custom note', () => {
    for (const availability of AVAILABILITIES) {
      const doc = pidfForAvailability({ entity: 'sip:33@pbx', availability });
      const encoding = AVAILABILITY_ENCODING[availability];
      expect(doc.tuples[0]?.basic).to.equal(encoding.basic);
      expect(doc.persons[0]?.activities).to.deep.equal(encoding.activity === undefined ? [] : [encoding.activity]);
      expect(doc.tuples[0]?.notes).to.deep.equal([{ text: encoding.note }]);
    }
    const doc = pidfForAvailability({
      entity: 'sip:33@pbx',
      availability: 'dnd',
      note: 'Nicht stören',
      noteLang: 'de',
      timestamp: '2025-03-01T10:00:00Z',
      tupleId: 't1',
      personId: 'p1',
    });
    expect(parsePidf(buildPidf(doc))).to.deep.equal(doc);
    expect(doc.tuples[0]).to.include({ id: 't1', timestamp: '2025-03-01T10:00:00Z' });
    expect(doc.tuples[0]?.notes).to.deep.equal([{ text: 'Nicht stören', lang: 'de' }]);
    expect(pidfForAvailability({ entity: 'sip:33@pbx', availability: 'offline', note: '' }).tuples[0]?.notes).to.deep.equal([]);
  });

  it('rejects an unknown availability', () => {
    expectCentrexError(() => pidfForAvailability({ entity: 'sip:a@b', availability: 'away' as 'available' }), 'invalid-argument');
  });

  it('maps foreign documents: bare basic, Asterisk busy, Kamailio on-the-phone', () => {
    expect(availabilityOf(parsePidf(presence('<tuple id="t"><status><basic>open</basic></status></tuple>')))).to.equal('available');
    expect(availabilityOf(parsePidf(presence('<tuple id="t"><status><basic>closed</basic></status></tuple>')))).to.equal('offline');
    expect(availabilityOf(parsePidf(presence('')))).to.equal('offline');
    expect(availabilityOf(parsePidf(ASTERISK_IN_USE))).to.equal('busy');
    expect(availabilityOf(parsePidf(KAMAILIO_ON_THE_PHONE))).to.equal('busy');
    expect(availabilityOf(parsePidf(RFC3863_EXAMPLE))).to.equal('available');
  });

  it('maps activities by the basic status', () => {
    const withActivity = (basic: string, activity: string): PidfDocument =>
      parsePidf(
        presence(
          `<tuple id="t"><status><basic>${basic}</basic></status></tuple><dm:person><rpid:activities><rpid:${activity}/></rpid:activities></dm:person>`,
          'xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"',
        ),
      );
    expect(availabilityOf(withActivity('open', 'on-the-phone'))).to.equal('busy');
    expect(availabilityOf(withActivity('open', 'busy'))).to.equal('busy');
    expect(availabilityOf(withActivity('open', 'away'))).to.equal('line-free');
    expect(availabilityOf(withActivity('open', 'unknown'))).to.equal('line-free');
    expect(availabilityOf(withActivity('open', 'meeting'))).to.equal('available');
    expect(availabilityOf(withActivity('closed', 'busy'))).to.equal('dnd');
    expect(availabilityOf(withActivity('closed', 'away'))).to.equal('offline');
  });

  it('treats the presentity as open when any tuple is open', () => {
    const doc = parsePidf(
      presence('<tuple id="web"><status><basic>closed</basic></status></tuple><tuple id="desk"><status><basic>open</basic></status></tuple>'),
    );
    expect(availabilityOf(doc)).to.equal('available');
  });
});
