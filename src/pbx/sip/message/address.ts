/** name-addr / addr-spec values: From, To, Contact, Route, Record-Route, Path. */
import type { URI } from 'sip.js/lib/grammar/index.js';
import { parseGrammar, type GrammarParse } from '../grammar.js';
import { formatParams, isToken, parseParams, quote, unquote, type SipParams } from './params.js';

/** One parsed address with its header parameters (tag, expires, q, +sip.instance…). */
export interface SipAddress {
  /** The display name without quotes, if any. */
  readonly displayName: string | undefined;
  /** The URI as written, without angle brackets. */
  readonly uri: string;
  /** The URI parsed by sip.js when its scheme is sip or sips. */
  readonly sipUri: URI | undefined;
  /** Header parameters by lower-case name. */
  readonly params: SipParams;
  /** Whether the URI was enclosed in `<>` (the name-addr form). */
  readonly bracketed: boolean;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(\S+)$/;

/** Parses a `sip:`/`sips:` URI with sip.js's grammar; undefined when it is not one or is malformed. */
export function parseSipUri(text: string, grammar: GrammarParse = parseGrammar): URI | undefined {
  const parsed = grammar(text, 'SIP_URI');
  return parsed === -1 || typeof parsed !== 'object' || parsed === null ? undefined : (parsed as URI);
}

/** The URI scheme in lower case, or undefined when `text` is not an absolute URI. */
export function uriScheme(text: string): string | undefined {
  return SCHEME.exec(text)?.[1]?.toLowerCase();
}

function validUri(uri: string, grammar: GrammarParse): { sipUri: URI | undefined } | undefined {
  const scheme = uriScheme(uri);
  if (scheme === undefined) return undefined;
  if (scheme !== 'sip' && scheme !== 'sips') return { sipUri: undefined };
  const sipUri = parseSipUri(uri, grammar);
  return sipUri === undefined ? undefined : { sipUri };
}

function validDisplayName(text: string): string | undefined | false {
  if (text === '') return undefined;
  if (text.startsWith('"')) {
    let i = 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i !== text.length - 1) return false;
    return unquote(text);
  }
  // An unquoted display name is a sequence of tokens separated by whitespace.
  return text.split(/[ \t]+/).every(isToken) ? text : false;
}

/**
 * Parses one address value. Follows RFC 3261 §20.10: a URI containing `,`, `;` or `?` must be in angle brackets,
 * so an unbracketed URI ends at the first `;` and may not contain `?` (RFC 4475 "regbadct").
 * Returns undefined when the value is malformed.
 */
export function parseAddress(value: string, grammar: GrammarParse = parseGrammar): SipAddress | undefined {
  const text = value.trim();
  let inQuotes = false;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuotes = false;
    } else if (ch === '"') inQuotes = true;
    else if (ch === '<') {
      open = i;
      break;
    }
  }
  if (inQuotes) return undefined;
  if (open >= 0) {
    const close = text.indexOf('>', open);
    if (close < 0) return undefined;
    const displayName = validDisplayName(text.slice(0, open).trim());
    if (displayName === false) return undefined;
    const uri = text.slice(open + 1, close);
    const checked = validUri(uri, grammar);
    if (checked === undefined) return undefined;
    const params = parseParams(text.slice(close + 1));
    if (params === undefined) return undefined;
    return { displayName, uri, sipUri: checked.sipUri, params, bracketed: true };
  }
  const semicolon = text.indexOf(';');
  const uri = (semicolon < 0 ? text : text.slice(0, semicolon)).trim();
  if (uri.includes('?') || uri.includes(',') || uri.includes('"')) return undefined;
  const checked = validUri(uri, grammar);
  if (checked === undefined) return undefined;
  const params = parseParams(semicolon < 0 ? '' : text.slice(semicolon));
  if (params === undefined) return undefined;
  return { displayName: undefined, uri, sipUri: checked.sipUri, params, bracketed: false };
}

/** Writes an address in the name-addr form (always bracketed, which is valid for every URI). */
export function formatAddress(address: {
  readonly displayName?: string | undefined;
  readonly uri: string;
  readonly params?: SipParams;
}): string {
  const name = address.displayName === undefined || address.displayName === '' ? '' : `${quote(address.displayName)} `;
  return `${name}<${address.uri}>${address.params ? formatParams(address.params) : ''}`;
}
