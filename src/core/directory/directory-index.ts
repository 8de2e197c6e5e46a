/**
 * The directory index: one search box over users, contacts, rooms, meetings and groups.
 *
 * Entries are sorted once into result order (category, then name) and referred to by their position, the ordinal.
 * Three key spaces map search keys to ascending ordinals: folded name and company words, E.164 numbers, and
 * extensions. A keystroke finds each query word's keys by binary search, intersects the words' ordinal lists by
 * leapfrogging (each list jumps ahead to the largest current ordinal), and stops as soon as every category has one
 * hit more than the limit. Nothing scans all entries.
 */
import { stripSeparators, toE164Prefix } from '../numbers/index.js';
import {
  buildParts,
  EXTENSION_FIELD,
  identity,
  rejectDuplicates,
  storedFields,
  toSource,
  type IndexParts,
  type Source,
} from './build.js';
import { prefixEnd, splitWords, type FoldedWord } from './fold.js';
import type { KeyRange, KeySpace } from './key-space.js';
import { OrdinalCursor, type OrdinalList } from './sorted.js';
import {
  DIRECTORY_KINDS,
  type DirectoryChanges,
  type DirectoryEntry,
  type DirectoryGroup,
  type DirectoryHit,
  type DirectoryIndex,
  type DirectoryIndexOptions,
  type DirectoryKind,
  type DirectoryMatch,
  type DirectorySearchOptions,
  type DirectorySearchResult,
} from './types.js';
import {
  guarded,
  invalidArgument,
  readArray,
  readDialPlan,
  readEntry,
  readRef,
  readSearchOptions,
} from './validate.js';

// More query words than this cannot all match distinct words of a name; the cap also bounds the matching work.
const MAX_QUERY_WORDS = 32;

/** A word of the query with the keys it matches. */
interface QueryWord {
  /** Plain fold, then German spelling when that differs. */
  readonly forms: readonly string[];
  /** Per form, the word keys starting with it. */
  readonly ranges: readonly KeyRange[];
  /** Per form, the ordinals of entries with such a key. */
  readonly lists: readonly OrdinalList[];
}

/** What a query asks for, looked up once per keystroke. */
interface QueryPlan {
  /** The query words; empty when the query has none (or too many). */
  readonly words: readonly QueryWord[];
  readonly e164Prefix: string | undefined;
  readonly extensionPrefix: string | undefined;
  /** Ordinals of entries with a number or extension starting with the typed digits. */
  readonly numberLists: readonly OrdinalList[];
  /** Ordinals of entries with a number or extension equal to the typed digits; listed first. */
  readonly exactLists: readonly OrdinalList[];
}

/** A word of an entry's name or company, for highlighting. */
interface TextWord {
  readonly field: 'name' | 'company';
  readonly text: string;
  readonly word: FoldedWord;
}

const EMPTY_RESULT: DirectorySearchResult = Object.freeze({ groups: Object.freeze([]) });

/**
 * Builds a search index over directory entries.
 *
 * The entries are read once and never changed; hits return the same entry objects. Building parses every number
 * with the dial plan, which is the slow part (seconds for 100,000 contacts with two numbers each);
 * {@link DirectoryIndex.update} keeps the parsed numbers of unchanged entries.
 *
 * @param entries - users, contacts, rooms, meetings and groups; kind, scope and id together must be unique
 * @param options - the dial plan numbers are read with
 * @throws CentrexError `invalid-argument` for malformed entries or options, `invalid-dial-plan` for a bad dial plan
 *
 * @example
 * ```ts
 * const index = createDirectoryIndex(entries, { dialPlan: { country: 'DE' } });
 * for (const group of index.search('jo mü', { limit: 5 }).groups) {
 *   render(group.kind, group.hits);
 * }
 * ```
 */
export function createDirectoryIndex(
  entries: readonly DirectoryEntry[],
  options: DirectoryIndexOptions,
): DirectoryIndex {
  const dialPlan = readDialPlan(options);
  const fields = readArray(entries, 'The directory entries').map(readEntry);
  rejectDuplicates(fields);
  return new Index(
    buildParts(
      fields.map((item) => toSource(item, item)),
      dialPlan,
    ),
  );
}

/**
 * Gives each query word a different entry word to match (bipartite matching by augmenting paths), so that
 * "mar mar" needs two words starting with "mar". Returns, per query word, the position of its entry word.
 *
 * @param candidates - per query word, the positions of the entry words it may match
 */
function assignDistinct(candidates: readonly (readonly number[])[]): number[] | undefined {
  const owner = new Map<number, number>();
  for (let queryWord = 0; queryWord < candidates.length; queryWord++) {
    if (!claim(candidates, owner, queryWord, new Set())) return undefined;
  }
  const assigned = new Array<number>(candidates.length);
  for (const [position, queryWord] of owner) assigned[queryWord] = position;
  return assigned;
}

/** Finds an entry word for `queryWord`, moving earlier query words to other words when that frees one. */
function claim(
  candidates: readonly (readonly number[])[],
  owner: Map<number, number>,
  queryWord: number,
  visited: Set<number>,
): boolean {
  for (const position of candidates[queryWord] as readonly number[]) {
    if (visited.has(position)) continue;
    visited.add(position);
    const current = owner.get(position);
    if (current === undefined || claim(candidates, owner, current, visited)) {
      owner.set(position, queryWord);
      return true;
    }
  }
  return false;
}

function inRanges(key: number, ranges: readonly KeyRange[]): boolean {
  for (const range of ranges) if (key >= range.low && key < range.high) return true;
  return false;
}

/** The form of a query word that starts an entry word, and whether it matched the German spelling. */
function formFor(queryWord: QueryWord, word: FoldedWord): { form: string; german: boolean } | undefined {
  for (const form of queryWord.forms) {
    if (word.folded.startsWith(form)) return { form, german: false };
    if (word.alias?.startsWith(form)) return { form, german: true };
  }
  return undefined;
}

/** The index; immutable once built. */
class Index implements DirectoryIndex {
  readonly size: number;
  readonly entries: readonly DirectoryEntry[];
  readonly #parts: IndexParts;

  constructor(parts: IndexParts) {
    this.#parts = parts;
    this.entries = parts.entries;
    this.size = parts.entries.length;
    Object.freeze(this);
  }

  search(query: string, options?: DirectorySearchOptions): DirectorySearchResult {
    if (typeof query !== 'string') {
      throw invalidArgument('The search query must be a string.', { type: query === null ? 'null' : typeof query });
    }
    const { limit, kinds } = readSearchOptions(options);
    const plan = this.#plan(query);
    if (plan === undefined) return EMPTY_RESULT;
    const { categoryStart } = this.#parts;
    const groups: DirectoryGroup[] = [];
    for (const kind of kinds) {
      const category = DIRECTORY_KINDS.indexOf(kind);
      const low = categoryStart[category] as number;
      const high = categoryStart[category + 1] as number;
      const found = this.#collect(plan, low, high, limit + 1);
      if (found.length === 0) continue;
      const hits = found.slice(0, limit).map((ordinal) => this.#hit(ordinal, plan));
      groups.push(Object.freeze({ kind, hits: Object.freeze(hits), more: found.length > limit }));
    }
    return groups.length === 0 ? EMPTY_RESULT : Object.freeze({ groups: Object.freeze(groups) });
  }

  update(changes: DirectoryChanges): DirectoryIndex {
    const { add, remove } = guarded(() => {
      if (typeof changes !== 'object' || changes === null) {
        throw invalidArgument('Changes must be an object like { add: [...], remove: [...] }.');
      }
      const { add = [], remove = [] } = changes;
      return { add: readArray(add, 'Entries to add'), remove: readArray(remove, 'Refs to remove') };
    }, 'The changes could not be read.');
    const added = add.map(readEntry);
    rejectDuplicates(added);
    const dropped = new Set<string>();
    for (const ref of remove.map(readRef)) {
      const scopes = ref.kind === 'contact' && ref.scope === undefined ? (['private', 'global'] as const) : [ref.scope];
      for (const scope of scopes) dropped.add(identity(ref.kind, scope, ref.id));
    }
    for (const { kind, scope, id } of added) dropped.add(identity(kind, scope, id));

    const { dialPlan, categoryStart } = this.#parts;
    const sources: Source[] = [];
    for (let category = 0; category < DIRECTORY_KINDS.length; category++) {
      const kind = DIRECTORY_KINDS[category] as DirectoryKind;
      for (
        let ordinal = categoryStart[category] as number;
        ordinal < (categoryStart[category + 1] as number);
        ordinal++
      ) {
        const kept = storedFields(this.#parts, kind, ordinal);
        if (!dropped.has(identity(kind, kept.scope, kept.id))) sources.push(toSource(kept, ordinal));
      }
    }
    for (const item of added) sources.push(toSource(item, item));
    return new Index(buildParts(sources, dialPlan, this.#parts));
  }

  /** Looks up the query's words and number prefix; `undefined` for a blank query. */
  #plan(query: string): QueryPlan | undefined {
    if (query.trim() === '') return undefined;
    const { words: wordSpace, e164, extensions, dialPlan } = this.#parts;
    const tokens = splitWords(query);
    const words: QueryWord[] = [];
    if (tokens.length <= MAX_QUERY_WORDS) {
      for (const token of tokens) {
        const forms = token.alias === undefined ? [token.folded] : [token.folded, token.alias];
        words.push({
          forms,
          ranges: forms.map((form) => wordSpace.range(form)),
          lists: forms.map((form) => wordSpace.ordinalsWithPrefix(form)),
        });
      }
    }
    // A number prefix is digits with optional separators and a leading "+". Digits without "+" may start an
    // extension; "+…" and "0…" are read as the start of an external number and compared in E.164.
    const digits = stripSeparators(query.trim());
    let e164Prefix: string | undefined;
    let extensionPrefix: string | undefined;
    if (/^\+?\d+$/.test(digits)) {
      if (!digits.startsWith('+')) extensionPrefix = digits;
      if (digits.startsWith('+') || digits.startsWith('0')) e164Prefix = toE164Prefix(digits, dialPlan);
    }
    const numberLists: OrdinalList[] = [];
    const exactLists: OrdinalList[] = [];
    if (e164Prefix !== undefined) {
      numberLists.push(e164.ordinalsWithPrefix(e164Prefix));
      exactLists.push(e164.ordinalsWithKey(e164Prefix));
    }
    if (extensionPrefix !== undefined) {
      numberLists.push(extensions.ordinalsWithPrefix(extensionPrefix));
      exactLists.push(extensions.ordinalsWithKey(extensionPrefix));
    }
    return { words, e164Prefix, extensionPrefix, numberLists, exactLists };
  }

  /**
   * The first `wanted` matching ordinals in `[low, high)`: exact number matches first, then word and number
   * matches merged in ordinal (that is, name) order.
   */
  #collect(plan: QueryPlan, low: number, high: number, wanted: number): number[] {
    const found: number[] = [];
    const exact = new OrdinalCursor(plan.exactLists);
    exact.seek(low);
    for (let ordinal = exact.current(); ordinal < high && found.length < wanted; ordinal = exact.current()) {
      found.push(ordinal);
      exact.next();
    }
    const listed = found.length > 0 ? new Set(found) : undefined;
    const wordCursors = plan.words.map((word) => new OrdinalCursor(word.lists));
    const numbers = new OrdinalCursor(plan.numberLists);
    numbers.seek(low);
    let byWords = this.#nextWordMatch(wordCursors, plan.words, low, high);
    let byNumbers = numbers.current();
    while (found.length < wanted) {
      const next = Math.min(byWords, byNumbers);
      if (next >= high) break;
      if (listed === undefined || !listed.has(next)) found.push(next);
      if (byWords === next) byWords = this.#nextWordMatch(wordCursors, plan.words, next + 1, high);
      if (byNumbers === next) {
        numbers.next();
        byNumbers = numbers.current();
      }
    }
    return found;
  }

  /**
   * The first ordinal in `[from, high)` in every query word's lists whose entry has a distinct word for each query
   * word, or `Infinity`. Leapfrogs: each list jumps to the largest ordinal seen until all agree.
   */
  #nextWordMatch(cursors: readonly OrdinalCursor[], words: readonly QueryWord[], from: number, high: number): number {
    if (cursors.length === 0) return Infinity;
    let candidate = from;
    for (;;) {
      let agreed = true;
      for (const cursor of cursors) {
        cursor.seek(candidate);
        const current = cursor.current();
        if (current >= high) return Infinity;
        if (current !== candidate) {
          candidate = current;
          agreed = false;
        }
      }
      if (agreed) {
        // One word is settled by its lists; several may all be matching the same word of the entry.
        if (words.length === 1 || this.#hasDistinctWords(candidate, words)) return candidate;
        candidate++;
      }
    }
  }

  #hasDistinctWords(ordinal: number, words: readonly QueryWord[]): boolean {
    const space = this.#parts.words;
    const candidates = words.map((): number[] => []);
    for (let j = space.entryStart[ordinal] as number; j < (space.entryStart[ordinal + 1] as number); j++) {
      const key = space.entryKeys[j] as number;
      for (let i = 0; i < words.length; i++) {
        if (inRanges(key, (words[i] as QueryWord).ranges))
          (candidates[i] as number[]).push(space.entryTags[j] as number);
      }
    }
    return assignDistinct(candidates) !== undefined;
  }

  /** A hit with what matched: highlighted name and company parts, then matching numbers. */
  #hit(ordinal: number, plan: QueryPlan): DirectoryHit {
    const matches = this.#textMatches(ordinal, plan.words);
    if (plan.e164Prefix !== undefined) numberMatches(this.#parts.e164, ordinal, plan.e164Prefix, matches);
    if (plan.extensionPrefix !== undefined)
      numberMatches(this.#parts.extensions, ordinal, plan.extensionPrefix, matches);
    return Object.freeze({ entry: this.#parts.entries[ordinal] as DirectoryEntry, matches: Object.freeze(matches) });
  }

  /** Which parts of the name and company the query words matched; nothing when they do not all match. */
  #textMatches(ordinal: number, queryWords: readonly QueryWord[]): DirectoryMatch[] {
    if (queryWords.length === 0) return [];
    const name = this.#parts.names[ordinal] as string;
    const company = this.#parts.companies[ordinal];
    const words: TextWord[] = splitWords(name).map((word) => ({ field: 'name', text: name, word }));
    if (company !== undefined) {
      for (const word of splitWords(company)) words.push({ field: 'company', text: company, word });
    }
    // The same rule as in the index: a form matches a word when it starts its plain key or its German spelling.
    const candidates = queryWords.map((queryWord) => {
      const positions: number[] = [];
      for (let position = 0; position < words.length; position++) {
        if (formFor(queryWord, (words[position] as TextWord).word) !== undefined) positions.push(position);
      }
      return positions;
    });
    const assigned = assignDistinct(candidates);
    if (assigned === undefined) return [];
    // Words are listed name first, each in text order, so sorting by position orders the highlights.
    return assigned
      .map((position, queryWord) => ({ position, queryWord }))
      .sort((a, b) => a.position - b.position)
      .map(({ position, queryWord }): DirectoryMatch => {
        const { field, text, word } = words[position] as TextWord;
        const { form, german } = formFor(queryWords[queryWord] as QueryWord, word) as { form: string; german: boolean };
        return Object.freeze({ field, start: word.start, end: prefixEnd(text, word, form.length, german) });
      });
  }
}

/** Adds a match for each number or extension of the entry that starts with `prefix`. */
function numberMatches(space: KeySpace, ordinal: number, prefix: string, matches: DirectoryMatch[]): void {
  for (let j = space.entryStart[ordinal] as number; j < (space.entryStart[ordinal + 1] as number); j++) {
    if (!(space.keys[space.entryKeys[j] as number] as string).startsWith(prefix)) continue;
    const tag = space.entryTags[j] as number;
    matches.push(Object.freeze(tag === EXTENSION_FIELD ? { field: 'extension' } : { field: 'number', index: tag }));
  }
}
