/**
 * A key space: every search key of one sort (folded name words, E.164 numbers or extensions) mapped to the entries
 * that have it, answering "which entries have a key starting with this prefix?" in ascending entry order.
 */
import { lowerBound, NO_ORDINALS, sortUnique, type OrdinalList } from './sorted.js';

/** A run of key ids `[low, high)`: the keys that start with one prefix. */
export interface KeyRange {
  /** Id of the first key in the run. */
  readonly low: number;
  /** Id just after the last key in the run (equal to `low` when no key starts with the prefix). */
  readonly high: number;
}

// No folded word or number contains U+FFFF (a noncharacter), so every key starting with `p` sorts before `p + MAX`.
const MAX_CHARACTER = '\uffff';

/**
 * Collects the keys of each entry, entry by entry in ordinal order, then builds a {@link KeySpace}.
 * A tag goes with each key and says where in the entry it came from (word position, number slot).
 */
export class KeySpaceBuilder {
  // Keys get ids in the order they first appear; build() renumbers them in sorted order.
  readonly #ids = new Map<string, number>();
  readonly #keys: string[] = [];
  readonly #entryKeys: number[] = [];
  readonly #tags: number[] = [];
  readonly #entryStart: number[] = [0];

  /** Adds a key of the current entry. */
  add(key: string, tag: number): void {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#keys.length;
      this.#ids.set(key, id);
      this.#keys.push(key);
    }
    this.#entryKeys.push(id);
    this.#tags.push(tag);
  }

  /** Closes the current entry; the next {@link add} belongs to the next ordinal. */
  endEntry(): void {
    this.#entryStart.push(this.#entryKeys.length);
  }

  /**
   * Builds the key space.
   *
   * @param listThreshold - prefixes with at least this many postings get a ready-made ordinal list; shorter ones
   *   are gathered and sorted when searched, which is cheap because they are short
   */
  build(listThreshold: number): KeySpace {
    const keys = this.#keys.slice().sort();
    const sortedId = new Uint32Array(keys.length);
    keys.forEach((key, position) => {
      sortedId[this.#ids.get(key) as number] = position;
    });
    const entryKeys = Uint32Array.from(this.#entryKeys, (id) => sortedId[id] as number);
    const entryStart = Uint32Array.from(this.#entryStart);
    const postingStart = countPostings(entryStart, entryKeys, keys.length);
    const postings = fillPostings(entryStart, entryKeys, postingStart);
    return new KeySpace(
      keys,
      postingStart,
      postings,
      entryStart,
      entryKeys,
      Uint32Array.from(this.#tags),
      listThreshold,
    );
  }
}

/** Counts, per key, the distinct entries that have it; returns where each key's postings start (prefix sums). */
function countPostings(entryStart: Uint32Array, entryKeys: Uint32Array, keyCount: number): Uint32Array {
  const start = new Uint32Array(keyCount + 1);
  // An entry may have a key twice ("Müller" in name and company); it is one posting.
  const lastOrdinal = new Int32Array(keyCount).fill(-1);
  for (let ordinal = 0; ordinal + 1 < entryStart.length; ordinal++) {
    for (let j = entryStart[ordinal] as number; j < (entryStart[ordinal + 1] as number); j++) {
      const key = entryKeys[j] as number;
      if (lastOrdinal[key] !== ordinal) {
        lastOrdinal[key] = ordinal;
        start[key + 1] = (start[key + 1] as number) + 1;
      }
    }
  }
  for (let key = 0; key < keyCount; key++) start[key + 1] = (start[key + 1] as number) + (start[key] as number);
  return start;
}

/** Writes each key's postings; walking entries in ordinal order leaves every key's postings ascending. */
function fillPostings(entryStart: Uint32Array, entryKeys: Uint32Array, postingStart: Uint32Array): Uint32Array {
  const keyCount = postingStart.length - 1;
  const postings = new Uint32Array(postingStart[keyCount] as number);
  const fill = postingStart.slice(0, keyCount);
  const lastOrdinal = new Int32Array(keyCount).fill(-1);
  for (let ordinal = 0; ordinal + 1 < entryStart.length; ordinal++) {
    for (let j = entryStart[ordinal] as number; j < (entryStart[ordinal + 1] as number); j++) {
      const key = entryKeys[j] as number;
      if (lastOrdinal[key] !== ordinal) {
        lastOrdinal[key] = ordinal;
        postings[fill[key] as number] = ordinal;
        fill[key] = (fill[key] as number) + 1;
      }
    }
  }
  return postings;
}

/** Length of the longest common prefix of two strings. */
function commonPrefixLength(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Sorted unique keys with, for each key, the ascending ordinals of the entries that have it (postings); and, for
 * each entry, its key ids and tags.
 *
 * A prefix covers a run of keys. When that run is long ("m", "+49") merging its postings on every keystroke would
 * cost milliseconds, so such prefixes get their merged, ascending ordinal list at build time. All other prefixes
 * cover fewer postings than the threshold and are merged on demand.
 */
export class KeySpace {
  /** The keys, sorted by UTF-16 code units; a key's position is its id. */
  readonly keys: readonly string[];
  /** Per entry ordinal, where its keys start in {@link entryKeys} and {@link entryTags}; one extra end position. */
  readonly entryStart: Uint32Array;
  /** Key ids of all entries, entry after entry. */
  readonly entryKeys: Uint32Array;
  /** The tag given with each key in {@link entryKeys}. */
  readonly entryTags: Uint32Array;
  readonly #postingStart: Uint32Array;
  readonly #postings: Uint32Array;
  readonly #prefixLists = new Map<string, OrdinalList>();

  /** Use {@link KeySpaceBuilder}; the arguments are its intermediate results. */
  constructor(
    keys: readonly string[],
    postingStart: Uint32Array,
    postings: Uint32Array,
    entryStart: Uint32Array,
    entryKeys: Uint32Array,
    entryTags: Uint32Array,
    listThreshold: number,
  ) {
    this.keys = keys;
    this.#postingStart = postingStart;
    this.#postings = postings;
    this.entryStart = entryStart;
    this.entryKeys = entryKeys;
    this.entryTags = entryTags;
    this.#buildPrefixLists(listThreshold);
  }

  /** The keys that start with `prefix`. */
  range(prefix: string): KeyRange {
    const low = lowerBound(this.keys, prefix);
    return { low, high: lowerBound(this.keys, prefix + MAX_CHARACTER, low) };
  }

  /** Ascending ordinals of the entries with a key that starts with `prefix`. */
  ordinalsWithPrefix(prefix: string): OrdinalList {
    const ready = this.#prefixLists.get(prefix);
    if (ready !== undefined) return ready;
    const { low, high } = this.range(prefix);
    return this.#mergePostings(low, high);
  }

  /** Ascending ordinals of the entries with exactly this key. */
  ordinalsWithKey(key: string): OrdinalList {
    const id = lowerBound(this.keys, key);
    return this.keys[id] === key ? this.#mergePostings(id, id + 1) : NO_ORDINALS;
  }

  /** The postings of keys `[low, high)` as one ascending ordinal list (a view when it is a single key's). */
  #mergePostings(low: number, high: number): OrdinalList {
    const from = this.#postingStart[low] as number;
    const to = this.#postingStart[high] as number;
    if (high - low <= 1) return this.#postings.subarray(from, to);
    return sortUnique(this.#postings.slice(from, to));
  }

  #buildPrefixLists(threshold: number): void {
    const keys = this.keys;
    for (let id = 0; id < keys.length; id++) {
      const key = keys[id] as string;
      // Prefixes this key shares with the previous key were handled there; the others start their run here.
      const shared = id === 0 ? 0 : commonPrefixLength(keys[id - 1] as string, key);
      for (let length = shared + 1; length <= key.length; length++) {
        const prefix = key.slice(0, length);
        const end = lowerBound(keys, prefix + MAX_CHARACTER, id);
        // Longer prefixes of this key cover fewer postings, so the first short run ends the search.
        if ((this.#postingStart[end] as number) - (this.#postingStart[id] as number) < threshold) break;
        const merged = this.#mergePostings(id, end);
        // A merged list may sit in a larger buffer (repeats dropped): copy it out to give the rest back.
        this.#prefixLists.set(prefix, end - id > 1 ? merged.slice() : merged);
      }
    }
  }
}
