// The presence server's pure parts: the subscription state machine, Event/Accept header handling and the documents.
import { describe, it, expect } from '../../support/harness.js';
import { lineStateOf, parseDialogInfo, parsePidf, availabilityOf, AVAILABILITIES } from '../../../src/core/presence/index.js';
import type { LineDialog } from '../../../src/pbx/line-states.js';
import {
  acceptsType,
  nextSubscriptionState,
  packageOf,
  parseEventHeader,
  renderDialogInfo,
  renderPresence,
  SUBSCRIPTION_INPUTS,
  SUBSCRIPTION_STATES,
  SUBSCRIPTION_TRANSITIONS,
} from '../../../src/pbx/presence/index.js';

function line(id: string, state: LineDialog['state'], extra: Partial<LineDialog> = {}): LineDialog {
  return { id, tenantId: 't', userId: 'u', extension: '12', callId: `c-${id}`, direction: 'recipient', state, ...extra };
}

describe('presence: subscription state machine', () => {
  it('only ever moves forward and never leaves terminated', () => {
    const order = { active: 0, terminating: 1, terminated: 2 } as const;
    for (const state of SUBSCRIPTION_STATES) {
      for (const input of SUBSCRIPTION_INPUTS) {
        const next = nextSubscriptionState(state, input);
        if (next !== undefined) expect(order[next]).to.be.at.least(order[state]);
      }
    }
    expect(Object.keys(SUBSCRIPTION_TRANSITIONS.terminated)).to.deep.equal([]);
  });

  it('ends with a final NOTIFY on unsubscribe and expiry, without one when a NOTIFY failed', () => {
    expect(nextSubscriptionState('active', 'unsubscribe')).to.equal('terminating');
    expect(nextSubscriptionState('active', 'expire')).to.equal('terminating');
    expect(nextSubscriptionState('active', 'notify-failed')).to.equal('terminated');
    expect(nextSubscriptionState('terminating', 'final-notify-done')).to.equal('terminated');
    expect(nextSubscriptionState('terminating', 'refresh')).to.equal(undefined);
    expect(nextSubscriptionState('active', 'final-notify-done')).to.equal(undefined);
  });
});

describe('presence: Event and Accept headers', () => {
  it('reads the package and id, and refuses malformed values', () => {
    expect(parseEventHeader('dialog')).to.deep.equal({ type: 'dialog', id: undefined });
    expect(parseEventHeader('presence ; id=42')).to.deep.equal({ type: 'presence', id: '42' });
    expect(parseEventHeader('dialog;sla;id="x 1"')).to.deep.equal({ type: 'dialog', id: '"x 1"' });
    expect(parseEventHeader('dialog;id="x;y"')).to.equal(undefined);
    expect(parseEventHeader(undefined)).to.equal(undefined);
    expect(parseEventHeader('')).to.equal(undefined);
    expect(parseEventHeader('dia log')).to.equal(undefined);
    expect(parseEventHeader('dialog;;')).to.equal(undefined);
    expect(parseEventHeader(`${'a'.repeat(65)}`)).to.equal(undefined);
    expect(packageOf('Dialog')).to.equal('dialog');
    expect(packageOf('presence.winfo')).to.equal(undefined);
  });

  it('matches Accept ranges with wildcards and parameters', () => {
    expect(acceptsType([], 'application/pidf+xml')).to.equal(true);
    expect(acceptsType(['application/pidf+xml;q=0.9'], 'application/pidf+xml')).to.equal(true);
    expect(acceptsType(['application/*'], 'application/pidf+xml')).to.equal(true);
    expect(acceptsType(['*/*'], 'application/dialog-info+xml')).to.equal(true);
    expect(acceptsType(['application/xpidf+xml', 'multipart/related'], 'application/pidf+xml')).to.equal(false);
    expect(acceptsType([''], 'application/pidf+xml')).to.equal(false);
  });
});

describe('presence: documents', () => {
  it('writes full dialog-info documents and reports ended dialogs once', () => {
    const first = renderDialogInfo({ entity: 'sip:12@a.test', dialogs: [line('x', 'early')], reported: new Map(), version: 4, now: 0 });
    const info = parseDialogInfo(first.body);
    expect(info).to.deep.include({ version: 4, state: 'full', entity: 'sip:12@a.test' });
    expect(lineStateOf(info)).to.equal('ringing');
    const ended = renderDialogInfo({ entity: 'sip:12@a.test', dialogs: [], reported: first.reported, version: 5, now: 0 });
    expect(parseDialogInfo(ended.body).dialogs.map((d) => [d.id, d.state])).to.deep.equal([['x', 'terminated']]);
    const after = renderDialogInfo({ entity: 'sip:12@a.test', dialogs: [], reported: ended.reported, version: 6, now: 0 });
    expect(parseDialogInfo(after.body).dialogs).to.deep.equal([]);
    expect(after.key).to.equal(ended.key);
  });

  it('gives call durations and escapes hostile remote identities', () => {
    const confirmed = line('y', 'confirmed', { confirmedAt: 1_000, remote: { uri: 'sip:a@b', displayName: '<script>"x"</script>' } });
    const body = renderDialogInfo({ entity: 'sip:12@a.test', dialogs: [confirmed], reported: new Map(), version: 0, now: 62_500 }).body;
    expect(body).not.to.include('<script>');
    const dialog = parseDialogInfo(body).dialogs[0];
    expect(dialog?.duration).to.equal(61);
    expect(dialog?.remote?.displayName).to.equal('<script>"x"</script>');
    // A character XML cannot carry drops the remote party instead of the whole NOTIFY.
    const broken = line('z', 'early', { remote: { uri: 'sip:a@b', displayName: 'bell\u0007' } });
    const safe = parseDialogInfo(renderDialogInfo({ entity: 'sip:12@a.test', dialogs: [broken], reported: new Map(), version: 0, now: 0 }).body);
    expect(safe.dialogs[0]?.remote).to.equal(undefined);
    expect(safe.dialogs[0]?.state).to.equal('early');
  });

  it('encodes every availability so that the core reads it back', () => {
    for (const availability of AVAILABILITIES) {
      const rendered = renderPresence({ entity: 'sip:12@a.test', availability, since: Date.UTC(2025, 0, 1) });
      const doc = parsePidf(rendered.body);
      expect(availabilityOf(doc)).to.equal(availability);
      expect(doc.tuples[0]?.timestamp).to.equal('2025-01-01T00:00:00.000Z');
      expect(doc.tuples[0]?.contact).to.equal('sip:12@a.test');
    }
  });
});
