/**
 * STUN Binding on the SIP UDP port, the UDP keep-alive of SIP outbound (RFC 5626 §4.4.2, §8): a client sends a
 * Binding request to learn its public address and keep its NAT binding open; we answer with XOR-MAPPED-ADDRESS
 * (RFC 5389). Nothing else of STUN is supported.
 */
import { isIPv4, isIPv6 } from 'node:net';

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const XOR_MAPPED_ADDRESS = 0x0020;

/** Whether a datagram is a STUN Binding request (RFC 5389 header: type, length, magic cookie). */
export function isStunBindingRequest(data: Buffer): boolean {
  return (
    data.length >= 20 &&
    (data[0]! & 0xc0) === 0 &&
    data.readUInt16BE(0) === BINDING_REQUEST &&
    data.readUInt32BE(4) === MAGIC_COOKIE &&
    data.readUInt16BE(2) === data.length - 20
  );
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const groups = (text: string): string[] => (text === '' ? [] : text.split(':'));
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const middle = new Array<string>(8 - left.length - right.length).fill('0');
  const bytes = Buffer.alloc(16);
  [...left, ...middle, ...right].forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16) || 0, i * 2));
  return bytes;
}

/** The Binding success response telling the client the address and port its request came from. */
export function stunBindingResponse(request: Buffer, address: string, port: number): Buffer | undefined {
  const transactionId = request.subarray(8, 20);
  let value: Buffer;
  if (isIPv4(address)) {
    value = Buffer.alloc(8);
    value.writeUInt8(0x01, 1);
    const octets = address.split('.').map(Number);
    value.writeUInt32BE((((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) ^ MAGIC_COOKIE) >>> 0, 4);
  } else if (isIPv6(address) && !address.includes('.')) {
    value = Buffer.alloc(20);
    value.writeUInt8(0x02, 1);
    const mask = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), transactionId]);
    const bytes = ipv6Bytes(address);
    for (let i = 0; i < 16; i++) value[4 + i] = bytes[i]! ^ mask[i]!;
  } else return undefined;
  value.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 2);
  const header = Buffer.alloc(20);
  header.writeUInt16BE(BINDING_SUCCESS, 0);
  header.writeUInt16BE(4 + value.length, 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  const attribute = Buffer.alloc(4);
  attribute.writeUInt16BE(XOR_MAPPED_ADDRESS, 0);
  attribute.writeUInt16BE(value.length, 2);
  return Buffer.concat([header, attribute, value]);
}
