/** Writing SIP messages as bytes. */
import { SipRequest, type SipMessage } from './message.js';

/** The start line of a message. */
export function startLine(message: SipMessage): string {
  if (message instanceof SipRequest) return `${message.method} ${message.uri} SIP/2.0`;
  const response = message as SipMessage & { status: number; reason: string };
  return `SIP/2.0 ${response.status} ${response.reason}`;
}

/**
 * Serializes a message: start line, headers in order, a Content-Length computed from the body, the body.
 * Header values never contain CR or LF (parsing unfolds them; code-built values are checked here).
 */
export function serializeMessage(message: SipMessage): Buffer {
  let head = `${startLine(message)}\r\n`;
  for (const [name, value] of message.headers.entries()) {
    if (name.toLowerCase() === 'content-length') continue;
    // A header value with a line break would let one header smuggle in others.
    head += `${name}: ${value.replace(/[\r\n]+/g, ' ')}\r\n`;
  }
  head += `Content-Length: ${message.body.length}\r\n\r\n`;
  return message.body.length === 0 ? Buffer.from(head, 'utf8') : Buffer.concat([Buffer.from(head, 'utf8'), message.body]);
}
