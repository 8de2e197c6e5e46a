/** `;name=value` parameter lists as they follow URIs, addresses and Via sent-by values. */

/** Parameters by lower-case name; a flag parameter (`;lr`) has the value null. */
export type SipParams = ReadonlyMap<string, string | null>;

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Whether `text` is a SIP token (RFC 3261 §25.1). */
export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/**
 * Parses `;a=1;b;c="x;y"` (leading `;` required unless the text is empty). Whitespace around `;` and `=` is allowed.
 * Returns undefined for anything malformed: an empty parameter (`;;`), a name that is not a token, an unterminated
 * quoted string. Values are returned as written (quoted strings keep their quotes).
 */
export function parseParams(text: string): Map<string, string | null> | undefined {
  const params = new Map<string, string | null>();
  let i = 0;
  const n = text.length;
  const skipSpace = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  skipSpace();
  while (i < n) {
    if (text[i] !== ';') return undefined;
    i++;
    skipSpace();
    const nameStart = i;
    while (i < n && text[i] !== '=' && text[i] !== ';' && text[i] !== ' ' && text[i] !== '\t') i++;
    const name = text.slice(nameStart, i);
    if (!isToken(name)) return undefined;
    skipSpace();
    let value: string | null = null;
    if (text[i] === '=') {
      i++;
      skipSpace();
      if (text[i] === '"') {
        const valueStart = i;
        i++;
        while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
        if (i >= n) return undefined;
        i++;
        value = text.slice(valueStart, i);
      } else {
        const valueStart = i;
        while (i < n && text[i] !== ';' && text[i] !== ' ' && text[i] !== '\t') i++;
        value = text.slice(valueStart, i);
        if (value === '' || /[<>",\\]/.test(value)) return undefined;
      }
      skipSpace();
    }
    params.set(name.toLowerCase(), value);
  }
  return params;
}

/** Writes parameters back as `;a=1;b`. */
export function formatParams(params: SipParams): string {
  let text = '';
  for (const [name, value] of params) text += value === null ? `;${name}` : `;${name}=${value}`;
  return text;
}

/** Removes the quotes and backslash escapes of a quoted string; other text is returned unchanged. */
export function unquote(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  return text.slice(1, -1).replace(/\\(.)/gs, '$1');
}

/** Writes `text` as a quoted string. */
export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}
