/** Transaction identifiers (RFC 3261 §17.1.3 and §17.2.3). */
import type { SipRequest, SipResponse } from '../message/message.js';
import { MAGIC_COOKIE } from '../message/via.js';

/**
 * The server transaction a request belongs to. With an RFC 3261 branch: branch, sent-by and method (ACK counts as
 * INVITE, so that it finds the INVITE transaction). Without (RFC 2543 peers): Call-ID, CSeq number, From tag,
 * Request-URI and top Via. Undefined when the request has no top Via or CSeq.
 */
export function serverTransactionKey(request: SipRequest, method = request.method): string | undefined {
  const via = request.topVia;
  const cseq = request.cseq;
  if (!via || !cseq) return undefined;
  const matchMethod = method === 'ACK' ? 'INVITE' : method;
  const sentBy = `${via.host.toLowerCase()}:${via.port ?? ''}`;
  if (via.branch?.startsWith(MAGIC_COOKIE) && via.branch.length > MAGIC_COOKIE.length) {
    return `3261|${via.branch}|${sentBy}|${matchMethod}`;
  }
  return `2543|${request.callId}|${cseq.seq}|${request.fromTag ?? ''}|${request.uri}|${sentBy}|${via.branch ?? ''}|${matchMethod}`;
}

/** The client transaction a response belongs to: top Via branch and CSeq method. */
export function clientTransactionKey(message: SipRequest | SipResponse): string | undefined {
  const branch = message.topVia?.branch;
  const method = message.cseq?.method;
  if (branch === undefined || method === undefined) return undefined;
  return `${branch}|${method}`;
}
