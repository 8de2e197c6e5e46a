/** What the SIP server supports and says about itself: methods, option tags, capability headers, warnings. */
import type { SipRequest } from './message/message.js';

/** Methods this stack knows (others get 501 when nobody handles them). */
export const KNOWN_METHODS: readonly string[] = [
  'INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'SUBSCRIBE', 'NOTIFY', 'REFER', 'INFO', 'MESSAGE',
  'UPDATE', 'PRACK', 'PUBLISH',
];

/** Option tags the registrar supports (RFC 3327 Path, RFC 5626 outbound, RFC 5627 GRUU). */
export const SUPPORTED_EXTENSIONS: readonly string[] = ['path', 'outbound', 'gruu'];

/**
 * The option tags of a request this server cannot honour: Proxy-Require always (it is the first proxy), Require
 * only where it acts as the UAS (REGISTER, its own OPTIONS, requests nobody routes).
 */
export function unsupportedTags(request: SipRequest, actsAsUas: boolean): string[] {
  const tags = [...request.headers.getAll('Proxy-Require'), ...(actsAsUas ? request.headers.getAll('Require') : [])];
  const unsupported: string[] = [];
  for (const tag of tags) {
    if (tag !== '' && !SUPPORTED_EXTENSIONS.includes(tag.toLowerCase()) && !unsupported.includes(tag)) unsupported.push(tag);
  }
  return unsupported;
}

/** The headers of a 200 to OPTIONS (RFC 3261 §11.2). */
export function capabilityHeaders(allow: readonly string[]): Array<readonly [string, string]> {
  return [
    ['Allow', allow.join(', ')],
    ['Accept', 'application/sdp'],
    ['Accept-Encoding', 'identity'],
    ['Accept-Language', 'en'],
    ['Supported', SUPPORTED_EXTENSIONS.join(', ')],
  ];
}

/** A Warning header (code 399, "miscellaneous") with our own text, never text taken from the request. */
export function warningHeader(text: string): readonly [string, string] {
  return ['Warning', `399 centrex-pbx "${text.replace(/["\\]/g, '')}"`];
}
