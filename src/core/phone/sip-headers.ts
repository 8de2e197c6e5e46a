/**
 * Pure readers for the SIP header fields that say who a call is from and how it got here: `From` / `To` /
 * `P-Asserted-Identity` (identity), `Referred-By` (transfers, RFC 3892), `Diversion` (RFC 5806) and `History-Info`
 * (RFC 7044) for forwarding, and `Call-Info` / `Alert-Info` / `Answer-Mode` for intercom auto-answer.
 *
 * They take header values as strings, so they work on any SIP stack's messages and never throw on garbage: an
 * unreadable value is skipped.
 *
 * @packageDocumentation
 */

/** A SIP party as a person would see it. */
export interface PartyIdentity {
  /** The SIP URI without parameters outside the angle brackets, e.g. `sip:1001@pbx.example.com`. */
  readonly uri: string;
  /** The user part of the URI (usually the extension or number), if any. */
  readonly user: string | undefined;
  /** The host part of the URI. */
  readonly host: string | undefined;
  /** The display name, unquoted, if the header had one. */
  readonly displayName: string | undefined;
}

/** One `name-addr` / `addr-spec` of a header field, with its header parameters (keys in lower case). */
export interface NameAddr extends PartyIdentity {
  /** Header parameters after the address; flags without a value map to `''`. */
  readonly params: Readonly<Record<string, string>>;
}

/** One hop of forwarding: who forwarded the call and why. */
export interface ForwardingHop {
  /** The party whose number forwarded (diverted) the call. */
  readonly from: PartyIdentity;
  /**
   * Why, when the PBX said so: Diversion reasons (`unconditional`, `user-busy`, `no-answer`, `unavailable`,
   * `deflection`, …) or, from History-Info, the SIP cause code as text (`302`, `486`, `408`, `480`).
   */
  readonly reason: string | undefined;
}

/** What an INVITE asked for regarding automatic answering (intercom). */
export interface AutoAnswerRequest {
  /** Seconds to wait before answering; 0 answers at once. */
  readonly delaySeconds: number;
  /** Which header asked: `call-info` (answer-after), `alert-info` (auto-answer) or `answer-mode` (RFC 5373). */
  readonly source: 'call-info' | 'alert-info' | 'answer-mode';
}

/** Splits a header value at commas that separate values, leaving commas inside quotes and `<…>` alone. */
export function splitHeaderValues(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted) {
      current += ch;
      if (ch === '\\' && i + 1 < value.length) current += value[++i];
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '<') depth++;
    else if (ch === '>') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      if (current.trim() !== '') parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

/**
 * Reads one `name-addr` (`"Clara" <sip:1001@pbx;transport=ws>;tag=x`) or `addr-spec` (`sip:1001@pbx;tag=x`).
 *
 * @returns the address, or `undefined` when the value holds no URI
 */
export function parseNameAddr(value: string): NameAddr | undefined {
  let rest = value.trim();
  let displayName: string | undefined;
  let uri: string;
  if (rest.startsWith('"')) {
    let end = 1;
    let name = '';
    while (end < rest.length && rest[end] !== '"') {
      if (rest[end] === '\\' && end + 1 < rest.length) end++;
      name += rest[end];
      end++;
    }
    if (end >= rest.length) return undefined;
    displayName = name;
    rest = rest.slice(end + 1).trim();
  }
  const open = rest.indexOf('<');
  if (open >= 0) {
    const close = rest.indexOf('>', open);
    if (close < 0) return undefined;
    const before = rest.slice(0, open).trim();
    if (displayName === undefined && before !== '') displayName = before;
    uri = rest.slice(open + 1, close).trim();
    rest = rest.slice(close + 1);
  } else {
    // addr-spec: URI parameters and header parameters cannot be told apart, so everything after the first ';'
    // counts as a header parameter (RFC 3261 20: such values are header parameters).
    const semi = rest.indexOf(';');
    uri = (semi < 0 ? rest : rest.slice(0, semi)).trim();
    rest = semi < 0 ? '' : rest.slice(semi);
  }
  if (!/^[a-z][a-z0-9+.-]*:/i.test(uri)) return undefined;
  const params: Record<string, string> = {};
  for (const part of rest.split(';')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    const key = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    const raw = eq < 0 ? '' : trimmed.slice(eq + 1).trim();
    params[key] = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
  }
  const { user, host } = splitUri(uri);
  return { uri, user, host, displayName: displayName === '' ? undefined : displayName, params };
}

/** The user and host parts of a `sip:` / `sips:` / `tel:` URI. */
export function splitUri(uri: string): { user: string | undefined; host: string | undefined } {
  const match = /^(?:sips?|tel):([^;?]*)/i.exec(uri);
  if (!match) return { user: undefined, host: undefined };
  const body = match[1]!;
  if (/^tel:/i.test(uri)) return { user: body === '' ? undefined : body, host: undefined };
  const at = body.lastIndexOf('@');
  const user = at < 0 ? undefined : safeDecode(body.slice(0, at).split(':')[0]!);
  const hostPort = at < 0 ? body : body.slice(at + 1);
  const host = hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.split(':')[0];
  return { user: user === '' ? undefined : user, host: host === '' ? undefined : host };
}

/** Turns a header value (first address only) into a {@link PartyIdentity}. */
export function identityFromHeader(value: string | undefined): PartyIdentity | undefined {
  if (value === undefined) return undefined;
  const first = splitHeaderValues(value)[0];
  const parsed = first === undefined ? undefined : parseNameAddr(first);
  return parsed && toIdentity(parsed);
}

/**
 * Reads `Diversion` header values (RFC 5806), newest first as the PBX writes them.
 *
 * @param values - every Diversion header field value of the message
 */
export function parseDiversion(values: readonly string[]): ForwardingHop[] {
  const hops: ForwardingHop[] = [];
  for (const value of values) {
    for (const part of splitHeaderValues(value)) {
      const parsed = parseNameAddr(part);
      if (parsed) hops.push({ from: toIdentity(parsed), reason: parsed.params['reason'] || undefined });
    }
  }
  return hops;
}

/**
 * Reads `History-Info` entries (RFC 7044) and returns the targets that were retargeted away from, oldest first. An
 * entry counts as a forwarding hop when its URI carries a `Reason` header (`?Reason=SIP%3Bcause%3D302`) or when a
 * later entry names it with the `mp` (mapped) or `rc` (recursed) parameter.
 *
 * @param values - every History-Info header field value of the message
 */
export function parseHistoryInfo(values: readonly string[]): ForwardingHop[] {
  const entries: { addr: NameAddr; index: string; cause: string | undefined }[] = [];
  for (const value of values) {
    for (const part of splitHeaderValues(value)) {
      const parsed = parseNameAddr(part);
      if (!parsed) continue;
      const [bareUri, headers] = splitUriHeaders(parsed.uri);
      const reason = headers['reason'];
      const cause = reason === undefined ? undefined : /cause=(\d{3})/i.exec(reason)?.[1];
      entries.push({
        addr: { ...parsed, uri: bareUri, ...splitUri(bareUri) },
        index: parsed.params['index'] ?? String(entries.length + 1),
        cause,
      });
    }
  }
  const referenced = new Set<string>();
  for (const entry of entries) {
    const parent = entry.addr.params['mp'] ?? entry.addr.params['rc'];
    if (parent !== undefined) referenced.add(parent);
  }
  return entries
    .filter((entry) => entry.cause !== undefined || referenced.has(entry.index))
    .map((entry) => ({ from: toIdentity(entry.addr), reason: entry.cause }));
}

/**
 * Tells whether an INVITE asks to be answered automatically, reading the three conventions in the field:
 * `Call-Info: <…>;answer-after=N`, `Alert-Info: <…>;info=alert-autoanswer` (or `info=Auto Answer`, any case) and
 * `Answer-Mode: Auto` (RFC 5373). Whether to obey is the user's decision, not the PBX's.
 */
export function parseAutoAnswer(headers: {
  readonly callInfo?: readonly string[];
  readonly alertInfo?: readonly string[];
  readonly answerMode?: readonly string[];
}): AutoAnswerRequest | undefined {
  for (const value of headers.callInfo ?? []) {
    for (const part of splitHeaderValues(value)) {
      const after = /;\s*answer-after\s*=\s*"?(\d+)/i.exec(part)?.[1];
      if (after !== undefined) return { delaySeconds: Math.min(Number(after), 3600), source: 'call-info' };
    }
  }
  for (const value of headers.alertInfo ?? []) {
    if (/info\s*=\s*"?(alert-autoanswer|auto[ -]?answer|intercom)/i.test(value) || /<[^>]*auto-?answer[^>]*>/i.test(value)) {
      const delay = /delay\s*=\s*"?(\d+)/i.exec(value)?.[1];
      return { delaySeconds: delay === undefined ? 0 : Math.min(Number(delay), 3600), source: 'alert-info' };
    }
  }
  for (const value of headers.answerMode ?? []) {
    if (/^\s*auto\b/i.test(value)) return { delaySeconds: 0, source: 'answer-mode' };
  }
  return undefined;
}

function toIdentity(addr: NameAddr): PartyIdentity {
  return { uri: addr.uri, user: addr.user, host: addr.host, displayName: addr.displayName };
}

/** Splits `sip:a@b?Reason=…&x=y` into the URI without headers and its headers (keys lower case, values decoded). */
function splitUriHeaders(uri: string): [string, Record<string, string>] {
  const q = uri.indexOf('?');
  if (q < 0) return [uri, {}];
  const headers: Record<string, string> = {};
  for (const pair of uri.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    headers[safeDecode(pair.slice(0, eq)).toLowerCase()] = safeDecode(pair.slice(eq + 1));
  }
  return [uri.slice(0, q), headers];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
