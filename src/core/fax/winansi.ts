/**
 * Text for the cover sheet in the PDF standard fonts. Helvetica without an embedded font file can show exactly the
 * characters of WinAnsiEncoding (Windows code page 1252): ASCII, Latin-1 (so ä ö ü Ä Ö Ü ß, é, ñ, ø …) and 27 more
 * such as € „ “ ” – — … •. Everything else is replaced by the closest WinAnsi text (ł → l, č → c, − → -) or `?`,
 * so a cover sheet is always produced; {@link unsupportedCoverCharacters} lets an editor warn before that happens.
 *
 * @packageDocumentation
 */

// Code page 1252's additions in 0x80–0x9F, as Unicode characters.
const CP1252_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

const SUPPORTED = new Set<number>();
for (let code = 0x20; code <= 0x7e; code++) SUPPORTED.add(code);
for (let code = 0xa0; code <= 0xff; code++) SUPPORTED.add(code);
for (const char of CP1252_EXTRAS) SUPPORTED.add(char.codePointAt(0)!);

/** Replacements where decomposing the character (NFKD) does not lead to a WinAnsi one. */
const FALLBACKS: Readonly<Record<string, string>> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ħ: 'h',
  Ħ: 'H',
  ı: 'i',
  ŀ: 'l',
  Ŀ: 'L',
  ŧ: 't',
  Ŧ: 'T',
  ẞ: 'SS',
  ĸ: 'k',
  ŉ: "'n",
  '−': '-',
  '‐': '-',
  '‑': '-',
  '‒': '–',
  '―': '—',
  '⁃': '-',
  '′': "'",
  '″': '"',
  '‛': '‘',
  '‟': '“',
  '←': '<-',
  '→': '->',
  '⇒': '=>',
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
  '≈': '~',
  '✓': 'x',
  '✔': 'x',
  '☐': '[ ]',
  '☑': '[x]',
  '☒': '[x]',
};

/** Whether `char` (one code point) can be drawn with the standard fonts. */
export function isWinAnsiCharacter(char: string): boolean {
  const code = char.codePointAt(0);
  return code !== undefined && SUPPORTED.has(code);
}

/** Every code point the standard fonts can draw. @internal for tests that compare with pdf-lib */
export function winAnsiCodePoints(): readonly number[] {
  return [...SUPPORTED].sort((a, b) => a - b);
}

/**
 * The characters of `text` that will not appear on the cover sheet as typed (each once, in order of appearance).
 * Blanks of other widths and line breaks are not listed: they become ordinary spaces and lines.
 *
 * @example
 * ```ts
 * unsupportedCoverCharacters('Grüße aus Łódź 😀') // ['Ł', 'ź', '😀'] (ü, ß and ó are fine)
 * ```
 */
export function unsupportedCoverCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const char of text) {
    if (isWinAnsiCharacter(char) || /\s/u.test(char)) continue;
    found.add(char);
  }
  return [...found];
}

/**
 * Rewrites one line of text so that every character can be drawn with the standard fonts: blanks become spaces,
 * control characters are dropped, other characters are replaced as described in the module comment.
 */
export function toWinAnsiLine(text: string): string {
  let out = '';
  for (const char of text) {
    if (isWinAnsiCharacter(char)) out += char;
    else if (/\s/u.test(char)) out += ' ';
    else if (/\p{Cc}|\p{Cf}/u.test(char)) continue;
    else out += replacementOf(char);
  }
  return out;
}

function replacementOf(char: string): string {
  const fallback = FALLBACKS[char];
  if (fallback !== undefined) return fallback;
  // "č" decomposes into "c" and a combining caron; dropping the marks gives a readable letter. Ligatures (ﬁ) and
  // full-width forms decompose to their plain letters the same way.
  const decomposed = char.normalize('NFKD').replace(/\p{M}/gu, '');
  if (decomposed !== '' && [...decomposed].every(isWinAnsiCharacter)) return decomposed;
  return '?';
}
