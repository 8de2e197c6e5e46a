/** Building responses to requests (RFC 3261 §8.2.6). */
import { randomBytes } from 'node:crypto';
import { parseAddress } from './address.js';
import { SipHeaders } from './headers.js';
import { SipResponse, type SipRequest } from './message.js';

/** Standard reason phrases for the status codes this stack sends. */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  430: 'Flow Failed',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  486: 'Busy Here',
  487: 'Request Terminated',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  603: 'Decline',
};

/** A random tag for To/From (RFC 3261 §19.3: at least 32 bits of randomness). */
export function randomTag(): string {
  return randomBytes(6).toString('hex');
}

function hasTag(value: string): boolean {
  const address = parseAddress(value);
  // A malformed To (answered with 400) is searched textually, outside quoted strings.
  return address ? address.params.has('tag') : /;[ \t]*tag[ \t]*=/i.test(value.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
}

/** Options of {@link createResponse}. */
export interface CreateResponseOptions {
  /** Reason phrase; defaults to the standard one. */
  readonly reason?: string;
  /** To tag to add when the request's To has none (a random one by default, none for 100 Trying). */
  readonly toTag?: string;
  /** Extra headers, appended in order. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Body and its type. */
  readonly body?: { readonly type: string; readonly content: Buffer | string };
}

/**
 * A response to `request`: copies every Via, From, To, Call-ID and CSeq (and Record-Route for 101–299 responses to
 * dialog-creating requests is left to the caller). Adds a To tag except to 100 Trying.
 */
export function createResponse(request: SipRequest, status: number, options: CreateResponseOptions = {}): SipResponse {
  const headers = new SipHeaders();
  for (const via of request.headers.getAll('Via')) headers.append('Via', via);
  const from = request.headers.get('From');
  if (from !== undefined) headers.append('From', from);
  let to = request.headers.get('To');
  if (to !== undefined && status > 100 && !hasTag(to)) {
    to = `${to};tag=${options.toTag ?? randomTag()}`;
  }
  if (to !== undefined) headers.append('To', to);
  const callId = request.headers.get('Call-ID');
  if (callId !== undefined) headers.append('Call-ID', callId);
  const cseq = request.headers.get('CSeq');
  if (cseq !== undefined) headers.append('CSeq', cseq);
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  const response = new SipResponse(status, options.reason ?? REASON_PHRASES[status] ?? 'Unknown', headers);
  if (options.body) response.setBody(options.body.content, options.body.type);
  return response;
}
