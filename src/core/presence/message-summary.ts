/**
 * `application/simple-message-summary` (RFC 3842): message waiting indication (MWI) for voicemail and other
 * mailboxes. A small text format of SIP-style header lines, not XML:
 *
 * ```text
 * Messages-Waiting: yes
 * Message-Account: sip:alice@vmail.example.com
 * Voice-Message: 2/8 (0/2)
 * ```
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import { clip, resolveLimits, utf8ByteLength } from './xml.js';

/** The message classes of RFC 3458 that a summary line can count. */
export type MessageClass = 'voice' | 'fax' | 'pager' | 'multimedia' | 'text' | 'none';

/** The counts of one summary line, e.g. `Voice-Message: 2/8 (0/2)`. */
export interface MessageCounts {
  /** Messages not yet heard or read (2 in the example). */
  readonly newMessages: number;
  /** Messages already heard or read (8 in the example). */
  readonly oldMessages: number;
  /** Of the new messages, how many are urgent (0 in the example); given together with {@link MessageCounts.oldUrgentMessages}. */
  readonly newUrgentMessages?: number;
  /** Of the old messages, how many are urgent (2 in the example). */
  readonly oldUrgentMessages?: number;
}

/** A header line the summary carries but this module does not interpret. */
export interface MessageHeader {
  /** The header name as written, e.g. `Subject`. */
  readonly name: string;
  /** The value, trimmed. */
  readonly value: string;
}

/** A message-summary document. */
export interface MessageSummary {
  /** `Messages-Waiting`: whether the message waiting lamp should be lit. */
  readonly messagesWaiting: boolean;
  /** `Message-Account`: the mailbox the summary is about, e.g. `sip:alice@vmail.example.com`. */
  readonly account?: string;
  /** The summary lines by message class, e.g. `counts.voice`. */
  readonly counts: Readonly<Partial<Record<MessageClass, MessageCounts>>>;
  /** Other header lines of the summary part, in order. */
  readonly headers: readonly MessageHeader[];
  /** The optional per-message header blocks after the summary (RFC 3842 `opt-msg-headers`), one block per message. */
  readonly messages: readonly (readonly MessageHeader[])[];
}

/** Options of {@link parseMessageSummary}. */
export interface MessageSummaryParseOptions {
  /** Largest accepted body in UTF-8 bytes; defaults to `PRESENCE_DOCUMENT_LIMITS.maxBytes` (256 KiB). */
  readonly maxBytes?: number;
}

const CLASS_HEADERS: Readonly<Record<MessageClass, string>> = {
  voice: 'Voice-Message',
  fax: 'Fax-Message',
  pager: 'Pager-Message',
  multimedia: 'Multimedia-Message',
  text: 'Text-Message',
  none: 'None',
};
const CLASS_BY_HEADER = new Map<string, MessageClass>(
  Object.entries(CLASS_HEADERS).map(([messageClass, header]) => [header.toLowerCase(), messageClass as MessageClass]),
);
// Names with a field of their own: writing them as free headers would make the summary ambiguous.
const RESERVED_HEADERS = new Set(['messages-waiting', 'message-account', ...CLASS_BY_HEADER.keys()]);
// A header line: a SIP token, optional blanks, a colon, the value.
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:(.*)$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Nine digits keep every count a safe integer; no mailbox holds a billion messages.
const COUNTS = /^([0-9]{1,9})[ \t]*\/[ \t]*([0-9]{1,9})(?:[ \t]*\([ \t]*([0-9]{1,9})[ \t]*\/[ \t]*([0-9]{1,9})[ \t]*\))?$/;
// Control characters other than tab have no place in a header value (and CR/LF would inject lines when building).
const CONTROL = /[^\t\u0020-\u007E\u0080-\u{10FFFF}]/u;

function malformed(message: string, details: Readonly<Record<string, unknown>> = {}): never {
  throw new CentrexError('unexpected-document', `The message-summary body is not valid: ${message}`, { details });
}

/** Splits lines into blocks separated by blank lines, joining folded continuation lines to the header before. */
function readBlocks(lines: readonly string[]): MessageHeader[][] {
  const blocks: MessageHeader[][] = [];
  let block: MessageHeader[] | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === '') {
      block = undefined;
      return;
    }
    if (CONTROL.test(line)) malformed(`line ${index + 1} contains a control character.`, { line: index + 1 });
    if ((line.startsWith(' ') || line.startsWith('\t')) && block !== undefined && block.length > 0) {
      const last = block[block.length - 1] as MessageHeader;
      block[block.length - 1] = { name: last.name, value: `${last.value} ${line.trim()}`.trim() };
      return;
    }
    const match = HEADER_LINE.exec(line);
    if (match === null) malformed(`line ${index + 1} is not a "Name: value" line.`, { line: index + 1 });
    if (block === undefined) {
      block = [];
      blocks.push(block);
    }
    block.push({ name: match[1] as string, value: (match[2] as string).trim() });
  });
  return blocks;
}

function readCounts(header: MessageHeader): MessageCounts {
  const match = COUNTS.exec(header.value);
  if (match === null) malformed(`"${clip(header.name)}: ${clip(header.value)}" is not "new/old" or "new/old (urgent new/urgent old)".`, {
      header: clip(header.name),
    });
  return {
    newMessages: Number(match[1]),
    oldMessages: Number(match[2]),
    ...(match[3] !== undefined ? { newUrgentMessages: Number(match[3]), oldUrgentMessages: Number(match[4]) } : {}),
  };
}

/**
 * Parses an `application/simple-message-summary` body (RFC 3842).
 *
 * Header names are matched case-insensitively; CRLF, LF or CR line ends and folded lines are accepted. The first
 * block must contain `Messages-Waiting: yes|no`; `Message-Account` and the class lines (`Voice-Message`,
 * `Fax-Message`, `Pager-Message`, `Multimedia-Message`, `Text-Message`, `None`) are read into typed fields, other
 * lines are kept in {@link MessageSummary.headers}. Blocks after a blank line are per-message headers.
 *
 * @param body - the NOTIFY body
 * @param options - a size limit replacing the default
 * @throws {@link CentrexError} `invalid-argument` for non-string input or bad options; `unexpected-document` when the
 *   body is too large, has a line that is not a header, lacks `Messages-Waiting`, repeats a line, or has counts that
 *   are not `new/old (urgent new/urgent old)`
 * @example
 * ```ts
 * const mwi = parseMessageSummary('Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/2)\r\n');
 * mwi.counts.voice?.newMessages // 2
 * ```
 */
export function parseMessageSummary(body: string, options?: MessageSummaryParseOptions): MessageSummary {
  const { maxBytes } = resolveLimits(options);
  if (typeof body !== 'string') {
    throw new CentrexError('invalid-argument', 'Pass the message-summary body as a string.', {
      details: { field: 'body', type: body === null ? 'null' : typeof body },
    });
  }
  if (body.length > maxBytes || utf8ByteLength(body) > maxBytes) {
    malformed(`it is larger than ${maxBytes} bytes.`, { reason: 'too-large', maxBytes });
  }
  const [summary = [], ...messages] = readBlocks(body.split(/\r\n|\r|\n/));

  let messagesWaiting: boolean | undefined;
  let account: string | undefined;
  const counts: Partial<Record<MessageClass, MessageCounts>> = {};
  const headers: MessageHeader[] = [];
  const seen = new Set<string>();
  for (const header of summary) {
    const key = header.name.toLowerCase();
    const messageClass = CLASS_BY_HEADER.get(key);
    if (key === 'messages-waiting' || key === 'message-account' || messageClass !== undefined) {
      if (seen.has(key)) malformed(`"${header.name}" appears twice.`, { header: clip(header.name) });
      seen.add(key);
    }
    if (key === 'messages-waiting') {
      const value = header.value.toLowerCase();
      if (value !== 'yes' && value !== 'no') malformed(`Messages-Waiting must be "yes" or "no", not "${clip(header.value)}".`);
      messagesWaiting = value === 'yes';
    } else if (key === 'message-account') {
      if (header.value === '') malformed('Message-Account is empty.');
      account = header.value;
    } else if (messageClass !== undefined) {
      counts[messageClass] = readCounts(header);
    } else {
      headers.push(header);
    }
  }
  if (messagesWaiting === undefined) malformed('the "Messages-Waiting: yes|no" line is missing.', { reason: 'no-status' });
  return { messagesWaiting, ...(account !== undefined ? { account } : {}), counts, headers, messages };
}

function badField(field: string, message: string): never {
  throw new CentrexError('invalid-argument', message, { details: { field } });
}

function checkCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > 999_999_999) {
    badField(field, `The field ${field} must be a whole number from 0 to 999999999.`);
  }
  return value;
}

function checkValue(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || CONTROL.test(value)) {
    badField(field, `The field ${field} must be non-empty text on one line (no CR, LF or other control characters).`);
  }
  return value.trim();
}

function headerLines(headers: readonly MessageHeader[] | undefined, field: string, inSummary: boolean): string[] {
  if (headers === undefined) return [];
  if (!Array.isArray(headers)) badField(field, `The field ${field} must be an array.`);
  return headers.map((header, index) => {
    const name: unknown = header?.name;
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      badField(`${field}[${index}].name`, `The header name ${JSON.stringify(name)} is not a valid token.`);
    }
    if (inSummary && RESERVED_HEADERS.has(name.toLowerCase())) {
      badField(`${field}[${index}].name`, `The header ${name} has its own field; set it there instead.`);
    }
    return `${name}: ${checkValue(header.value, `${field}[${index}].value`)}`;
  });
}

/**
 * Writes an `application/simple-message-summary` body (RFC 3842) with CRLF line ends.
 *
 * Lines come in the RFC's order: `Messages-Waiting`, `Message-Account`, the class lines (voice, fax, pager,
 * multimedia, text, none), other headers, then each per-message block after a blank line. Values are checked to be
 * one line each, so nothing can inject extra lines.
 *
 * @param summary - the summary to write; `headers` and `messages` may be left out
 * @throws {@link CentrexError} `invalid-argument` for a missing `messagesWaiting`, counts that are not whole numbers,
 *   only one of the two urgent counts, an invalid header name, or a value with line breaks
 * @example
 * ```ts
 * buildMessageSummary({ messagesWaiting: true, counts: { voice: { newMessages: 2, oldMessages: 8 } } })
 * // 'Messages-Waiting: yes\r\nVoice-Message: 2/8\r\n'
 * ```
 */
export function buildMessageSummary(
  summary: Omit<MessageSummary, 'headers' | 'messages'> & Partial<Pick<MessageSummary, 'headers' | 'messages'>>,
): string {
  if (summary === null || typeof summary !== 'object') badField('summary', 'Pass the message summary as an object.');
  if (typeof summary.messagesWaiting !== 'boolean') badField('messagesWaiting', 'The field messagesWaiting must be true or false.');
  const lines = [`Messages-Waiting: ${summary.messagesWaiting ? 'yes' : 'no'}`];
  if (summary.account !== undefined) lines.push(`Message-Account: ${checkValue(summary.account, 'account')}`);
  const counts = summary.counts ?? {};
  if (typeof counts !== 'object' || counts === null) badField('counts', 'The field counts must be an object.');
  for (const key of Object.keys(counts)) {
    if (!(key in CLASS_HEADERS)) badField(`counts.${key}`, `Unknown message class "${key}"; use ${Object.keys(CLASS_HEADERS).join(', ')}.`);
  }
  for (const [messageClass, header] of Object.entries(CLASS_HEADERS) as [MessageClass, string][]) {
    const entry = counts[messageClass];
    if (entry === undefined) continue;
    const field = `counts.${messageClass}`;
    if (entry === null || typeof entry !== 'object') badField(field, `The field ${field} must be an object.`);
    let line = `${header}: ${checkCount(entry.newMessages, `${field}.newMessages`)}/${checkCount(entry.oldMessages, `${field}.oldMessages`)}`;
    if ((entry.newUrgentMessages === undefined) !== (entry.oldUrgentMessages === undefined)) {
      badField(field, `Give both urgent counts of ${field} or neither.`);
    }
    if (entry.newUrgentMessages !== undefined) {
      line += ` (${checkCount(entry.newUrgentMessages, `${field}.newUrgentMessages`)}/${checkCount(entry.oldUrgentMessages, `${field}.oldUrgentMessages`)})`;
    }
    lines.push(line);
  }
  lines.push(...headerLines(summary.headers, 'headers', true));
  const messages = summary.messages ?? [];
  if (!Array.isArray(messages)) badField('messages', 'The field messages must be an array of header arrays.');
  messages.forEach((block, index) => {
    const blockLines = headerLines(block, `messages[${index}]`, false);
    if (blockLines.length > 0) lines.push('', ...blockLines);
  });
  return lines.map((line) => `${line}\r\n`).join('');
}
