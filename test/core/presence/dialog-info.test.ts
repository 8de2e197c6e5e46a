import { describe, it, expect } from '../../support/harness.js';
import {
  buildDialogInfo,
  lineStateOf,
  mergeDialogInfo,
  parseDialogInfo,
  type Dialog,
  type DialogInfo,
} from '../../../src/core/presence/index.js';
import { expectCentrexError } from './expect-error.js';

// RFC 4235 section 4.4, the sample notification body (typed from the RFC).
const RFC4235_SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
             xsi:schemaLocation="urn:ietf:params:xml:ns:dialog-info"
             version="1" state="full" entity="sip:alice@example.com">
  <dialog id="123456">
    <state>confirmed</state>
    <duration>274</duration>
    <local>
      <identity display="Alice">sip:alice@example.com</identity>
      <target uri="sip:alice@pc33.example.com">
        <param pname="isfocus" pval="true"/>
        <param pname="class" pval="personal"/>
      </target>
    </local>
    <remote>
      <identity display="Bob">sip:bob@example.org</identity>
      <target uri="sip:bobster@phone21.example.org"/>
    </remote>
  </dialog>
</dialog-info>
`;

// The RFC 4235 example flow: Alice's dialog goes early, confirmed, then terminated by Bob's BYE.
const FLOW_EARLY = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:alice@example.com">
  <dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774" remote-tag="456887766" direction="initiator">
    <state>early</state>
  </dialog>
</dialog-info>`;
const FLOW_CONFIRMED = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="1" state="partial" entity="sip:alice@example.com">
  <dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774" remote-tag="456887766" direction="initiator">
    <state>confirmed</state>
  </dialog>
</dialog-info>`;
const FLOW_TERMINATED = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="2" state="partial" entity="sip:alice@example.com">
  <dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774" remote-tag="456887766" direction="initiator">
    <state event="remote-bye">terminated</state>
  </dialog>
</dialog-info>`;

const dialogInfo = (dialogs: readonly Dialog[]): DialogInfo => ({ version: 0, state: 'full', entity: 'sip:33@pbx.example.com', dialogs });

describe('parseDialogInfo', () => {
  it('reads the RFC 4235 sample and skips target parameters', () => {
    expect(parseDialogInfo(RFC4235_SAMPLE)).to.deep.equal({
      version: 1,
      state: 'full',
      entity: 'sip:alice@example.com',
      dialogs: [
        {
          id: '123456',
          state: 'confirmed',
          duration: 274,
          local: { identity: 'sip:alice@example.com', displayName: 'Alice', target: 'sip:alice@pc33.example.com' },
          remote: { identity: 'sip:bob@example.org', displayName: 'Bob', target: 'sip:bobster@phone21.example.org' },
        },
      ],
    });
  });

  it('reads the RFC 4235 flow: early, confirmed, terminated with its event', () => {
    const early = parseDialogInfo(FLOW_EARLY);
    expect(early.dialogs[0]).to.deep.equal({
      id: 'as7d900as8',
      callId: 'a84b4c76e66710',
      localTag: '1928301774',
      remoteTag: '456887766',
      direction: 'initiator',
      state: 'early',
    });
    expect(parseDialogInfo(FLOW_CONFIRMED)).to.include({ version: 1, state: 'partial' });
    const terminated = parseDialogInfo(FLOW_TERMINATED);
    expect(terminated.dialogs[0]).to.include({ state: 'terminated', event: 'remote-bye' });
  });

  it('reads the state event and response code (RFC 4235 section 4.1.2)', () => {
    const doc = `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="partial" entity="sip:alice@example.com">
      <dialog id="as7d900as8" call-id="a84b4c76e66710" local-tag="1928301774" direction="initiator">
        <state event="rejected" code="486">terminated</state>
      </dialog></dialog-info>`;
    expect(parseDialogInfo(doc).dialogs[0]).to.include({ state: 'terminated', event: 'rejected', code: 486 });
  });

  it('reads a document without dialogs, such as an idle line', () => {
    const doc = '<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="85" state="full" entity="sip:9019@pbx.example.com"></dialog-info>';
    expect(parseDialogInfo(doc)).to.deep.equal({ version: 85, state: 'full', entity: 'sip:9019@pbx.example.com', dialogs: [] });
  });

  it('resolves any prefix bound to the dialog-info namespace, declared on any ancestor', () => {
    const doc = `<di:dialog-info xmlns:di="urn:ietf:params:xml:ns:dialog-info" version="2" state="full" entity="sip:a@b">
      <di:dialog id="x"><di:state>confirmed</di:state><di:local><di:identity>sip:a@b</di:identity></di:local></di:dialog>
      <other:dialog xmlns:other="urn:example:other" id="ignored"><other:state>early</other:state></other:dialog>
    </di:dialog-info>`;
    expect(parseDialogInfo(doc).dialogs).to.deep.equal([{ id: 'x', state: 'confirmed', local: { identity: 'sip:a@b' } }]);
  });

  it('ignores elements of the right name in another namespace', () => {
    const doc = `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="2" state="full" entity="sip:a@b">
      <dialog id="x"><state xmlns="urn:example:other">early</state><state>trying</state></dialog></dialog-info>`;
    expect(parseDialogInfo(doc).dialogs[0]?.state).to.equal('trying');
  });

  it('drops unknown or malformed optional values instead of failing', () => {
    const doc = `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="3" state="full" entity="sip:a@b">
      <dialog id="x1" direction="sideways"><state event="vendor-hangup" code="oops">TERMINATED</state><duration>-4</duration></dialog>
    </dialog-info>`;
    expect(parseDialogInfo(doc).dialogs).to.deep.equal([{ id: 'x1', state: 'terminated' }]);
  });

  it('decodes references and CDATA in values', () => {
    const doc = `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:a@b">
      <dialog id="d&#x31;"><state>early</state><remote><identity display="Bob &amp; Co &#8364;">sip:bob@example.org</identity>
      <target uri="sip:bob@example.org;a=1&amp;b=2"/></remote></dialog>
      <dialog id="d2"><state><![CDATA[confirmed]]></state></dialog></dialog-info>`;
    const parsed = parseDialogInfo(doc);
    expect(parsed.dialogs[0]?.id).to.equal('d1');
    expect(parsed.dialogs[0]?.remote).to.deep.equal({
      identity: 'sip:bob@example.org',
      displayName: 'Bob & Co €',
      target: 'sip:bob@example.org;a=1&b=2',
    });
    expect(parsed.dialogs[1]?.state).to.equal('confirmed');
  });

  it('rejects documents that miss what the RFC requires', () => {
    const wrap = (attributes: string, body = ''): string =>
      `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" ${attributes}>${body}</dialog-info>`;
    expectCentrexError(() => parseDialogInfo(wrap('state="full" entity="sip:a@b"')), 'unexpected-document');
    expectCentrexError(() => parseDialogInfo(wrap('version="x" state="full" entity="sip:a@b"')), 'unexpected-document');
    expectCentrexError(() => parseDialogInfo(wrap('version="1" state="some" entity="sip:a@b"')), 'unexpected-document');
    expectCentrexError(() => parseDialogInfo(wrap('version="1" state="full"')), 'unexpected-document');
    expectCentrexError(() => parseDialogInfo(wrap('version="1" state="full" entity="sip:a@b"', '<dialog><state>early</state></dialog>')), 'unexpected-document');
    expectCentrexError(() => parseDialogInfo(wrap('version="1" state="full" entity="sip:a@b"', '<dialog id="1"/>')), 'unexpected-document');
    expectCentrexError(() => parseDialogInfo(wrap('version="1" state="full" entity="sip:a@b"', '<dialog id="1"><state>ringing</state></dialog>')), 'unexpected-document');
  });

  it('rejects a wrong root element, a wrong namespace and a missing namespace', () => {
    const wrongNamespace = '<dialog-info xmlns="urn:wrong" version="0" state="full" entity="sip:a@b"/>';
    const error = expectCentrexError(() => parseDialogInfo(wrongNamespace), 'unexpected-document');
    expect(error.details?.['found']).to.deep.equal({ namespace: 'urn:wrong', localName: 'dialog-info' });
    expectCentrexError(() => parseDialogInfo('<dialog-info version="0" state="full" entity="sip:a@b"/>'), 'unexpected-document');
    expectCentrexError(
      () => parseDialogInfo('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:a@b"/>'),
      'unexpected-document',
    );
    // A prefix bound to the right namespace on a wrongly named root is still the wrong document.
    expectCentrexError(
      () => parseDialogInfo('<d:dialog xmlns:d="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:a@b"/>'),
      'unexpected-document',
    );
  });
});

describe('buildDialogInfo', () => {
  const full: DialogInfo = {
    version: 7,
    state: 'full',
    entity: 'sip:33@pbx.example.com',
    dialogs: [
      {
        id: 'd1',
        callId: 'c1@host',
        localTag: 'lt',
        remoteTag: 'rt',
        direction: 'recipient',
        state: 'terminated',
        event: 'local-bye',
        code: 200,
        duration: 61,
        local: { identity: 'sip:33@pbx.example.com', displayName: 'Reception', target: 'sip:33@10.0.0.7:5060' },
        remote: { identity: 'sip:+4930123@pbx.example.com' },
      },
      { id: 'd2', state: 'early', direction: 'initiator', remote: { target: 'sip:44@pbx.example.com' } },
      { id: 'd3', state: 'trying', local: {} },
    ],
  };

  it('writes a document that parses back to the same object', () => {
    expect(parseDialogInfo(buildDialogInfo(full))).to.deep.equal(full);
    const empty: DialogInfo = { version: 0, state: 'partial', entity: 'sip:a@b', dialogs: [] };
    expect(parseDialogInfo(buildDialogInfo(empty))).to.deep.equal(empty);
  });

  it('writes the default namespace and the attributes in the RFC order', () => {
    const xml = buildDialogInfo(full);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).to.equal(true);
    expect(xml).to.contain('<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="7" state="full" entity="sip:33@pbx.example.com">');
    expect(xml).to.contain('<dialog id="d1" call-id="c1@host" local-tag="lt" remote-tag="rt" direction="recipient">');
    expect(xml).to.contain('<state event="local-bye" code="200">terminated</state>');
  });

  it('escapes markup and quotes in every value, so they round-trip as text', () => {
    const hostile = ['<img src=x onerror=alert(1)>', 'A & B "x"', "it's </identity><dialog id='evil'>", 'tab\tnew\nline', ']]> &amp;'];
    for (const text of hostile) {
      const info: DialogInfo = {
        version: 1,
        state: 'full',
        entity: `sip:${text}@example.com`,
        dialogs: [{ id: text, callId: text, state: 'confirmed', local: { identity: text, displayName: text, target: text } }],
      };
      const xml = buildDialogInfo(info);
      expect(xml).to.not.contain('<img');
      expect(parseDialogInfo(xml).dialogs).to.have.length(1);
      expect(parseDialogInfo(xml).dialogs[0]?.local).to.deep.equal({ identity: text.trim(), displayName: text, target: text });
      expect(parseDialogInfo(xml).dialogs[0]?.id).to.equal(text);
    }
  });

  it('rejects invalid input with invalid-argument', () => {
    const bad: unknown[] = [
      null,
      { ...full, version: -1 },
      { ...full, version: 1.5 },
      { ...full, state: 'some' },
      { ...full, entity: '' },
      { ...full, dialogs: 'none' },
      { ...full, dialogs: [{ id: '', state: 'early' }] },
      { ...full, dialogs: [{ id: 'x', state: 'ringing' }] },
      { ...full, dialogs: [{ id: 'x', state: 'early', direction: 'up' }] },
      { ...full, dialogs: [{ id: 'x', state: 'early', event: 'hangup' }] },
      { ...full, dialogs: [{ id: 'x', state: 'early', code: 99 }] },
      { ...full, dialogs: [{ id: 'x', state: 'early', local: { displayName: 'No identity' } }] },
      { ...full, dialogs: [{ id: 'x\u0000', state: 'early' }] },
      { ...full, dialogs: [{ id: 'x', state: 'early', local: { identity: 'sip:a@b', displayName: 'bell\u0007' } }] },
    ];
    for (const input of bad) expectCentrexError(() => buildDialogInfo(input as DialogInfo), 'invalid-argument');
  });
});

describe('lineStateOf', () => {
  it('is idle without live dialogs', () => {
    expect(lineStateOf(dialogInfo([]))).to.equal('idle');
    expect(lineStateOf([{ id: '1', state: 'terminated', direction: 'recipient' }])).to.equal('idle');
  });

  it('is ringing for an unanswered incoming call', () => {
    for (const state of ['trying', 'proceeding', 'early'] as const) {
      expect(lineStateOf([{ id: '1', state, direction: 'recipient' }]), state).to.equal('ringing');
    }
  });

  it('is calling for an unanswered outgoing call, or one without a direction', () => {
    for (const state of ['trying', 'proceeding', 'early'] as const) {
      expect(lineStateOf([{ id: '1', state, direction: 'initiator' }]), state).to.equal('calling');
      expect(lineStateOf([{ id: '1', state }]), state).to.equal('calling');
    }
  });

  it('is busy when any call is answered, whatever else happens on the line', () => {
    expect(lineStateOf([{ id: '1', state: 'confirmed' }])).to.equal('busy');
    expect(
      lineStateOf([
        { id: '1', state: 'early', direction: 'recipient' },
        { id: '2', state: 'confirmed', direction: 'initiator' },
      ]),
    ).to.equal('busy');
  });

  it('prefers ringing over calling', () => {
    expect(
      lineStateOf([
        { id: '1', state: 'early', direction: 'initiator' },
        { id: '2', state: 'early', direction: 'recipient' },
        { id: '3', state: 'terminated' },
      ]),
    ).to.equal('ringing');
  });

  it('follows the RFC 4235 flow from parsed documents', () => {
    let state = mergeDialogInfo(undefined, parseDialogInfo(FLOW_EARLY));
    expect(lineStateOf(state)).to.equal('calling');
    state = mergeDialogInfo(state, parseDialogInfo(FLOW_CONFIRMED));
    expect(lineStateOf(state)).to.equal('busy');
    state = mergeDialogInfo(state, parseDialogInfo(FLOW_TERMINATED));
    expect(lineStateOf(state)).to.equal('idle');
    expect(state).to.deep.equal({ version: 2, state: 'full', entity: 'sip:alice@example.com', dialogs: [] });
  });
});

describe('mergeDialogInfo', () => {
  const base: DialogInfo = {
    version: 4,
    state: 'full',
    entity: 'sip:33@pbx',
    dialogs: [
      { id: 'a', state: 'confirmed' },
      { id: 'b', state: 'early', direction: 'recipient' },
    ],
  };

  it('replaces and adds dialogs from a partial document and drops terminated ones', () => {
    const merged = mergeDialogInfo(base, {
      version: 5,
      state: 'partial',
      entity: 'sip:33@pbx',
      dialogs: [
        { id: 'a', state: 'terminated', event: 'remote-bye' },
        { id: 'c', state: 'trying', direction: 'initiator' },
      ],
    });
    expect(merged).to.deep.equal({
      version: 5,
      state: 'full',
      entity: 'sip:33@pbx',
      dialogs: [
        { id: 'b', state: 'early', direction: 'recipient' },
        { id: 'c', state: 'trying', direction: 'initiator' },
      ],
    });
  });

  it('lets a full document replace the state', () => {
    const update: DialogInfo = { version: 9, state: 'full', entity: 'sip:33@pbx', dialogs: [{ id: 'z', state: 'confirmed' }] };
    expect(mergeDialogInfo(base, update)).to.deep.equal(update);
  });

  it('ignores documents that are not newer', () => {
    const stale: DialogInfo = { version: 4, state: 'full', entity: 'sip:33@pbx', dialogs: [] };
    expect(mergeDialogInfo(base, stale)).to.equal(base);
    expect(mergeDialogInfo(base, { ...stale, version: 2 })).to.equal(base);
  });
});
