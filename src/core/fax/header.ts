/**
 * The cheapest check: does the file look like a PDF at all?
 *
 * @packageDocumentation
 */

/** The PDF header may come after some junk; viewers look within the first kilobyte, and so do we. */
const HEADER_WINDOW = 1024;

/**
 * Finds the version in `%PDF-x.y` within the first kilobyte, or `undefined` when the bytes are not a PDF.
 * @internal
 */
export function pdfHeaderVersion(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, HEADER_WINDOW);
  let text = '';
  for (const byte of head) text += String.fromCharCode(byte);
  const match = /%PDF-(\d\.\d)/.exec(text);
  return match?.[1];
}
