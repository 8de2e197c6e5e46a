/**
 * Splitting names into words and folding them into search keys: lower case, accents removed, and a German spelling
 * without umlauts as a second key ("Müller" → `muller`, also `mueller`).
 *
 * Both the index and the query go through the same functions, so whatever a name turns into, typing it turns into
 * the same thing.
 */

/** One word of a name or company, with where it sits in the original text and the keys it is found by. */
export interface FoldedWord {
  /** UTF-16 offset of the word's first character in the original text. */
  readonly start: number;
  /** UTF-16 offset just after the word's last character. */
  readonly end: number;
  /** Lower case without accents: `"Jörg"` → `"jorg"`, `"Strauß"` → `"strauss"`. */
  readonly folded: string;
  /** German spelling of umlauts (`"Jörg"` → `"joerg"`), or `undefined` when the word has none. */
  readonly alias: string | undefined;
}

// Letters that NFKD does not take apart but people write without their stroke or as two letters.
const SPECIAL_LETTERS: ReadonlyMap<string, string> = new Map([
  ['ß', 'ss'],
  ['æ', 'ae'],
  ['œ', 'oe'],
  ['ø', 'o'],
  ['ł', 'l'],
  ['đ', 'd'],
  ['ð', 'd'],
  ['þ', 'th'],
  ['ı', 'i'],
]);
// How German writes umlauts when a keyboard or a passport has none.
const GERMAN_UMLAUTS: ReadonlyMap<string, string> = new Map([
  ['ä', 'ae'],
  ['ö', 'oe'],
  ['ü', 'ue'],
]);
const SPECIAL_LETTERS_ALL = new RegExp(`[${[...SPECIAL_LETTERS.keys()].join('')}]`, 'g');
const GERMAN_UMLAUT = /[äöü]/;
const GERMAN_UMLAUTS_ALL = /[äöü]/g;
const COMBINING_DIAERESIS = '\u0308';
const MARKS = /\p{M}/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

/** How one code point of a word folds: its plain key text and its German-spelling key text. */
interface FoldedCharacter {
  readonly plain: string;
  readonly german: string;
  /** UTF-16 length of the code point in the original text. */
  readonly width: number;
}

/**
 * Folds the code point at `index`, which belongs to a word. `previous` is the plain key text folded so far in that
 * word: a combining diaeresis after a, o or u becomes "e" in the German spelling, exactly like a precomposed ä, ö
 * or ü does.
 */
function foldAt(text: string, index: number, previous: string): FoldedCharacter {
  const character = String.fromCodePoint(text.codePointAt(index) as number);
  const width = character.length;
  const lower = character.toLowerCase();
  if (lower === COMBINING_DIAERESIS) {
    return { plain: '', german: /[aou]$/.test(previous) ? 'e' : '', width };
  }
  const special = SPECIAL_LETTERS.get(lower);
  if (special !== undefined) return { plain: special, german: special, width };
  const plain = lower.normalize('NFKD').replace(MARKS, '').replace(NOT_LETTER_OR_DIGIT, '').toLowerCase();
  return { plain, german: GERMAN_UMLAUTS.get(lower.normalize('NFC')) ?? plain, width };
}

/**
 * Folds a whole word that is not plain ASCII. Gives the same keys as folding it code point by code point with
 * {@link foldAt}, in a few string operations instead of several per character.
 */
function foldWord(word: string): { plain: string; german: string } {
  // NFC first, so a decomposed "u" + diaeresis is one "ü" like a precomposed one.
  const lower = word.toLowerCase().normalize('NFC');
  const plain = stripAccents(lower);
  const german = GERMAN_UMLAUT.test(lower)
    ? stripAccents(lower.replace(GERMAN_UMLAUTS_ALL, (umlaut) => GERMAN_UMLAUTS.get(umlaut) as string))
    : plain;
  return { plain, german };
}

/** Lower-case text without accents, special letters spelled out, and only letters and digits. */
function stripAccents(lower: string): string {
  return lower
    .replace(SPECIAL_LETTERS_ALL, (letter) => SPECIAL_LETTERS.get(letter) as string)
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(NOT_LETTER_OR_DIGIT, '')
    .toLowerCase();
}

// A word is a run of letters, digits and combining marks; anything else separates words.
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const PLAIN_ASCII = /^[a-z0-9]+$/;
const ASCII = /^[A-Za-z0-9]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;

/**
 * Splits text into words (runs of letters, digits and combining marks) and folds each into its search keys.
 * Words that fold to nothing (a lone combining mark) are left out.
 *
 * @example
 * ```ts
 * splitWords('Jörg Müller-Lüdenscheidt')
 * // [{ start: 0, end: 4, folded: 'jorg', alias: 'joerg' }, { …, folded: 'muller', alias: 'mueller' }, …]
 * ```
 */
export function splitWords(text: string): FoldedWord[] {
  const words: FoldedWord[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const start = match.index;
    const end = start + word.length;
    // Most words are plain ASCII; only the others need Unicode folding.
    if (PLAIN_ASCII.test(word)) {
      words.push({ start, end, folded: word, alias: undefined });
    } else if (ASCII.test(word)) {
      words.push({ start, end, folded: word.toLowerCase(), alias: undefined });
    } else {
      const { plain, german } = foldWord(word);
      if (plain !== '') words.push({ start, end, folded: plain, alias: german === plain ? undefined : german });
    }
  }
  return words;
}

/**
 * A key to sort names by: lower case, accents removed, special letters spelled out, each run of other characters
 * a single blank. Sorts "Ärger" with the "A"s and "Øster" with the "O"s, as readers of a German directory expect.
 */
export function sortingKey(text: string): string {
  const lower = text.toLowerCase();
  const plain = PRINTABLE_ASCII.test(lower)
    ? lower
    : lower
        .replace(SPECIAL_LETTERS_ALL, (letter) => SPECIAL_LETTERS.get(letter) as string)
        .normalize('NFKD')
        .replace(MARKS, '');
  return plain.replace(SEPARATORS, ' ').trim();
}

/**
 * Finds where, in the original text, a matched key prefix ends, so that exactly the typed part of a word can be
 * highlighted: for the word "Müller" and the prefix `mul` (plain) or `muel` (German spelling) that is after "Mül".
 *
 * @param text - the text the word was split from
 * @param word - a word returned by {@link splitWords} for `text`
 * @param length - length of the matched prefix of the word's key
 * @param german - whether the prefix matched the German spelling ({@link FoldedWord.alias}) rather than the plain one
 * @returns a UTF-16 offset between `word.start` and `word.end`
 */
export function prefixEnd(text: string, word: FoldedWord, length: number, german: boolean): number {
  let index = word.start;
  let plain = '';
  let matched = 0;
  while (index < word.end && matched < length) {
    const folded = foldAt(text, index, plain);
    plain += folded.plain;
    matched += (german ? folded.german : folded.plain).length;
    index += folded.width;
  }
  // Keep trailing combining marks with their letter, so a highlight never cuts "u" from its diaeresis.
  while (index < word.end) {
    const folded = foldAt(text, index, plain);
    if ((german ? folded.german : folded.plain) !== '') break;
    index += folded.width;
  }
  return index;
}
