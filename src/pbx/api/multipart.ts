/**
 * A small reader for `multipart/form-data` bodies (RFC 7578), enough for a file and a few text fields. The body is
 * already in memory and size-limited; this only splits it, so there is nothing to stream.
 * @packageDocumentation
 */
import { ApiError } from './errors.js';

/** One part of a multipart body. */
export interface MultipartPart {
  /** The form field's name. */
  readonly name: string;
  /** The file name, for file parts. */
  readonly filename: string | undefined;
  /** The part's declared type, if any. */
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

const MAX_PARTS = 20;
const MAX_HEADER_BYTES = 8 * 1024;

function malformed(detail: string): ApiError {
  return new ApiError(400, 'validation-failed', `The multipart/form-data body cannot be read: ${detail}.`, { field: 'body' });
}

/** The parameters of a header value such as `form-data; name="document"; filename="a.pdf"`. */
function headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of value.matchAll(/;\s*([A-Za-z0-9*_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const key = (match[1] ?? '').toLowerCase();
    let raw = (match[2] ?? '').trim();
    if (raw.startsWith('"')) raw = raw.slice(1, -1).replace(/\\(.)/g, '$1');
    if (!params.has(key)) params.set(key, raw);
  }
  return params;
}

/** The boundary of a `multipart/form-data` content type, or `undefined` when the type is something else. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'multipart/form-data') return undefined;
  const boundary = headerParams(contentType ?? '').get('boundary');
  // RFC 2046: 1 to 70 characters from a restricted set.
  if (boundary === undefined || !/^[0-9A-Za-z'()+_,./:=? -]{1,70}$/.test(boundary)) throw malformed('the boundary is missing or invalid');
  return boundary;
}

/**
 * Splits a `multipart/form-data` body into its parts.
 *
 * @throws ApiError `400 validation-failed` (field `body`) for a body that does not follow the format
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const next = Buffer.from(`\r\n--${boundary}`, 'latin1');
  let position = body.indexOf(delimiter);
  if (position < 0) throw malformed('no part starts with the boundary');
  position += delimiter.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body.subarray(position, position + 2).toString('latin1') === '--') return parts;
    if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') throw malformed('a boundary line is not ended');
    position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position, 'latin1');
    if (headerEnd < 0 || headerEnd - position > MAX_HEADER_BYTES) throw malformed('the headers of a part are not ended');
    const headers = new Map<string, string>();
    for (const line of body.subarray(position, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed('a part has a header line without a name');
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    if (!/^form-data\s*(;|$)/i.test(disposition)) throw malformed('a part is not form-data');
    const params = headerParams(disposition);
    const name = params.get('name');
    if (name === undefined || name === '') throw malformed('a part has no name');
    const dataStart = headerEnd + 4;
    const dataEnd = body.indexOf(next, dataStart);
    if (dataEnd < 0) throw malformed('the last part is not closed by the boundary');
    parts.push({ name, filename: params.get('filename'), contentType: headers.get('content-type'), data: body.subarray(dataStart, dataEnd) });
    if (parts.length > MAX_PARTS) throw malformed(`more than ${MAX_PARTS} parts`);
    position = dataEnd + next.length;
  }
}
