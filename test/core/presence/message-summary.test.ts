import { describe, it, expect } from '../../support/harness.js';
import { buildMessageSummary, parseMessageSummary, type MessageSummary } from '../../../src/core/presence/index.js';
import { expectCentrexError } from './expect-error.js';

// RFC 3842 section 5.2, the example body (typed from the RFC).
const RFC3842_EXAMPLE = 'Messages-Waiting: yes\r\nMessage-Account: sip:alice@vmail.example.com\r\nVoice-Message: 2/8 (0/2)\r\n';

// RFC 3842 section 4.1 style NOTIFY body with optional per-message headers after the summary.
const WITH_MESSAGE_HEADERS = [
  'Messages-Waiting: yes',
  'Message-Account: sip:alice@vmail.example.com',
  'Voice-Message: 4/8 (1/2)',
  '',
  'To: <alice@atlanta.example.com>',
  'From: <bob@biloxi.example.com>',
  'Subject: carpool tomorrow?',
  'Date: Sun, 25 Jul 2004 13:22:36 -0400',
  'Priority: normal',
  'Message-ID: 13ad4c7e9ff2e4d4c5b9c2a5c@vmail.example.com',
  '',
  'To: <alice@atlanta.example.com>',
  'From: <vmail@atlanta.example.com>',
  'Subject: Urgent',
  '',
].join('\r\n');

describe('parseMessageSummary', () => {
  it('reads the RFC 3842 example', () => {
    expect(parseMessageSummary(RFC3842_EXAMPLE)).to.deep.equal({
      messagesWaiting: true,
      account: 'sip:alice@vmail.example.com',
      counts: { voice: { newMessages: 2, oldMessages: 8, newUrgentMessages: 0, oldUrgentMessages: 2 } },
      headers: [],
      messages: [],
    });
  });

  it('reads per-message header blocks after the summary', () => {
    const summary = parseMessageSummary(WITH_MESSAGE_HEADERS);
    expect(summary.counts.voice).to.deep.equal({ newMessages: 4, oldMessages: 8, newUrgentMessages: 1, oldUrgentMessages: 2 });
    expect(summary.messages).to.have.length(2);
    expect(summary.messages[0]?.[2]).to.deep.equal({ name: 'Subject', value: 'carpool tomorrow?' });
    expect(summary.messages[1]).to.deep.equal([
      { name: 'To', value: '<alice@atlanta.example.com>' },
      { name: 'From', value: '<vmail@atlanta.example.com>' },
      { name: 'Subject', value: 'Urgent' },
    ]);
  });

  it('reads every message class, without urgent counts, in any case, with LF line ends', () => {
    const body = [
      'messages-waiting:no',
      'VOICE-MESSAGE: 0/3',
      'Fax-Message: 1/0 (1/0)',
      'Pager-Message: 0/0',
      'Multimedia-Message: 5 / 6 ( 1 / 2 )',
      'Text-Message: 7/8',
      'None: 9/10',
      'X-Vendor: kept',
    ].join('\n');
    expect(parseMessageSummary(body)).to.deep.equal({
      messagesWaiting: false,
      counts: {
        voice: { newMessages: 0, oldMessages: 3 },
        fax: { newMessages: 1, oldMessages: 0, newUrgentMessages: 1, oldUrgentMessages: 0 },
        pager: { newMessages: 0, oldMessages: 0 },
        multimedia: { newMessages: 5, oldMessages: 6, newUrgentMessages: 1, oldUrgentMessages: 2 },
        text: { newMessages: 7, oldMessages: 8 },
        none: { newMessages: 9, oldMessages: 10 },
      },
      headers: [{ name: 'X-Vendor', value: 'kept' }],
      messages: [],
    });
  });

  it('accepts a body as short as Asterisk sends it, and folded lines', () => {
    expect(parseMessageSummary('Messages-Waiting: no\r\n').messagesWaiting).to.equal(false);
    const folded = parseMessageSummary('Messages-Waiting: yes\r\n\r\nSubject: a long\r\n  subject line\r\n');
    expect(folded.messages).to.deep.equal([[{ name: 'Subject', value: 'a long subject line' }]]);
  });

  it('rejects malformed bodies with unexpected-document', () => {
    const bad = [
      '',
      '\r\n\r\n',
      'Message-Account: sip:a@b\r\nVoice-Message: 1/2\r\n',
      'Messages-Waiting: maybe\r\n',
      'Messages-Waiting: yes\r\nMessages-Waiting: no\r\n',
      'Messages-Waiting: yes\r\nVoice-Message: 1/2\r\nVoice-Message: 3/4\r\n',
      'Messages-Waiting: yes\r\nVoice-Message: two/eight\r\n',
      'Messages-Waiting: yes\r\nVoice-Message: 2/8 (0)\r\n',
      'Messages-Waiting: yes\r\nVoice-Message: -1/8\r\n',
      'Messages-Waiting: yes\r\nVoice-Message: 1234567890/8\r\n',
      'Messages-Waiting: yes\r\nthis is not a header\r\n',
      'Messages-Waiting: yes\r\nMessage-Account:\r\n',
      'Messages-Waiting: yes\r\nX-Bell: \u0007\r\n',
      '<?xml version="1.0"?><dialog-info/>',
    ];
    for (const body of bad) expectCentrexError(() => parseMessageSummary(body), 'unexpected-document');
  });

  it('rejects a body over the size limit, and takes a custom limit', () => {
    const huge = 'Messages-Waiting: yes\r\n' + 'X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(200_000);
    expectCentrexError(() => parseMessageSummary(huge), 'unexpected-document', 'too-large');
    expectCentrexError(() => parseMessageSummary(RFC3842_EXAMPLE, { maxBytes: 20 }), 'unexpected-document', 'too-large');
    expectCentrexError(() => parseMessageSummary(RFC3842_EXAMPLE, { maxBytes: 0 }), 'invalid-argument');
  });

  it('rejects non-string input with invalid-argument', () => {
    for (const input of [undefined, null, 42, {}, ['Messages-Waiting: yes'], new Uint8Array(4)]) {
      expectCentrexError(() => parseMessageSummary(input as unknown as string), 'invalid-argument');
    }
  });
});

describe('buildMessageSummary', () => {
  it('writes the RFC 3842 example exactly', () => {
    const summary = parseMessageSummary(RFC3842_EXAMPLE);
    expect(buildMessageSummary(summary)).to.equal(RFC3842_EXAMPLE);
  });

  it('round-trips summaries with every part', () => {
    const summary: MessageSummary = {
      messagesWaiting: true,
      account: 'sip:*97@pbx.example.com',
      counts: {
        voice: { newMessages: 3, oldMessages: 1, newUrgentMessages: 1, oldUrgentMessages: 0 },
        fax: { newMessages: 0, oldMessages: 2 },
        none: { newMessages: 1, oldMessages: 1 },
      },
      headers: [{ name: 'X-Mailbox', value: '33' }],
      messages: [[{ name: 'Subject', value: 'Rückruf' }, { name: 'From', value: '<sip:+4930123@pbx>' }], [{ name: 'Subject', value: 'Two' }]],
    };
    expect(parseMessageSummary(buildMessageSummary(summary))).to.deep.equal(summary);
    expect(buildMessageSummary({ messagesWaiting: false, counts: {} })).to.equal('Messages-Waiting: no\r\n');
  });

  it('writes the class lines in the RFC order', () => {
    const text = buildMessageSummary({
      messagesWaiting: true,
      counts: { text: { newMessages: 1, oldMessages: 0 }, voice: { newMessages: 2, oldMessages: 0 } },
    });
    expect(text).to.equal('Messages-Waiting: yes\r\nVoice-Message: 2/0\r\nText-Message: 1/0\r\n');
  });

  it('rejects values that would inject lines or break the format', () => {
    const bad: unknown[] = [
      null,
      { counts: {} },
      { messagesWaiting: 'yes', counts: {} },
      { messagesWaiting: true, account: 'sip:a@b\r\nMessages-Waiting: no', counts: {} },
      { messagesWaiting: true, account: '', counts: {} },
      { messagesWaiting: true, counts: { voice: { newMessages: -1, oldMessages: 0 } } },
      { messagesWaiting: true, counts: { voice: { newMessages: 1.5, oldMessages: 0 } } },
      { messagesWaiting: true, counts: { voice: { newMessages: 1, oldMessages: 0, newUrgentMessages: 1 } } },
      { messagesWaiting: true, counts: { video: { newMessages: 1, oldMessages: 0 } } },
      { messagesWaiting: true, counts: { voice: null } },
      { messagesWaiting: true, counts: {}, headers: [{ name: 'Bad Name', value: 'x' }] },
      { messagesWaiting: true, counts: {}, headers: [{ name: 'Voice-Message', value: '9/9' }] },
      { messagesWaiting: true, counts: {}, headers: [{ name: 'X', value: 'a\nb' }] },
      { messagesWaiting: true, counts: {}, messages: [[{ name: 'Subject', value: '' }]] },
    ];
    for (const input of bad) expectCentrexError(() => buildMessageSummary(input as MessageSummary), 'invalid-argument');
  });
});
