/**
 * Building the parts of a directory index: entries sorted into result order, and their search keys in three key
 * spaces (name and company words, E.164 numbers, extensions).
 */
import { normalizeNumber, stripSeparators, type DialPlan } from '../numbers/index.js';
import { sortingKey, splitWords } from './fold.js';
import { type KeySpace, KeySpaceBuilder } from './key-space.js';
import { DIRECTORY_KINDS, type ContactScope, type DirectoryEntry, type DirectoryKind } from './types.js';
import { invalidArgument, type EntryFields } from './validate.js';

/** Tag of the key that comes from `entry.extension`; other number keys are tagged with their index in `numbers`. */
export const EXTENSION_FIELD = 0xffffffff;

// Prefixes covering at least this many postings get a prebuilt ordinal list. Lower means faster short prefixes and
// more memory; at this value, merging a prefix on demand sorts at most a few hundred numbers.
const PREFIX_LIST_THRESHOLD = 256;

/** Scopes stored per ordinal as small numbers, in result order: private contacts before global ones. */
export const SCOPE_CODES: readonly (ContactScope | undefined)[] = [undefined, 'private', 'global'];

/** The fields of an entry that an index keeps. */
export type StoredFields = Pick<EntryFields, 'entry' | 'kind' | 'id' | 'scope' | 'name' | 'company'>;

/** An entry going into a new index. */
export interface Source {
  readonly fields: StoredFields;
  /**
   * Where its number keys come from: the checked fields of a new entry, whose numbers are parsed; or the entry's
   * ordinal in the previous index, whose keys are copied (parsing numbers is the slow part of building).
   */
  readonly numbers: EntryFields | number;
  /** Result order as one string: category and scope, folded name, then exact name and id to settle ties. */
  readonly sortKey: string;
}

/** The parts of a built index; the arrays are indexed by ordinal (position in result order). */
export interface IndexParts {
  readonly dialPlan: DialPlan;
  readonly entries: readonly DirectoryEntry[];
  readonly ids: readonly string[];
  readonly names: readonly string[];
  readonly companies: readonly (string | undefined)[];
  /** Index into {@link SCOPE_CODES} per ordinal. */
  readonly scopes: Uint8Array;
  /** Where each category starts, in {@link DIRECTORY_KINDS} order, plus the end. */
  readonly categoryStart: readonly number[];
  readonly words: KeySpace;
  readonly e164: KeySpace;
  readonly extensions: KeySpace;
}

/** Kind, scope and id in one string: what makes an entry unique. */
export function identity(kind: DirectoryKind, scope: ContactScope | undefined, id: string): string {
  return `${kind}\u0000${scope ?? ''}\u0000${id}`;
}

/** Throws `invalid-argument` when two entries have the same kind, scope and id. */
export function rejectDuplicates(fields: readonly EntryFields[]): void {
  const seen = new Set<string>();
  for (const { kind, scope, id } of fields) {
    const key = identity(kind, scope, id);
    if (seen.has(key)) {
      throw invalidArgument(`Two directory entries are the ${kind} "${id}"${scope ? ` (${scope})` : ''}.`, {
        kind,
        id,
        ...(scope ? { scope } : {}),
      });
    }
    seen.add(key);
  }
}

/** Prepares an entry for {@link buildParts}. */
export function toSource(fields: StoredFields, numbers: EntryFields | number): Source {
  const rank = DIRECTORY_KINDS.indexOf(fields.kind) * SCOPE_CODES.length + SCOPE_CODES.indexOf(fields.scope);
  // U+0000 sorts before every character, so a name sorts before longer names that start with it.
  const sortKey = [String.fromCharCode(0x41 + rank), sortingKey(fields.name), fields.name, fields.id].join('\u0000');
  return { fields, numbers, sortKey };
}

/** The fields an index stores for the entry at `ordinal`. */
export function storedFields(parts: IndexParts, kind: DirectoryKind, ordinal: number): StoredFields {
  return {
    entry: parts.entries[ordinal] as DirectoryEntry,
    kind,
    id: parts.ids[ordinal] as string,
    scope: SCOPE_CODES[parts.scopes[ordinal] as number],
    name: parts.names[ordinal] as string,
    company: parts.companies[ordinal],
  };
}

/**
 * Sorts the entries into result order and builds their key spaces.
 *
 * @param previous - the index whose ordinals the sources with copied number keys refer to
 */
export function buildParts(sources: Source[], dialPlan: DialPlan, previous?: IndexParts): IndexParts {
  sources.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const words = new KeySpaceBuilder();
  const e164 = new KeySpaceBuilder();
  const extensions = new KeySpaceBuilder();
  const categoryStart = new Array<number>(DIRECTORY_KINDS.length + 1).fill(0);
  for (const { fields, numbers } of sources) {
    const nameWords = addWords(words, fields.name, 0);
    if (fields.company !== undefined) addWords(words, fields.company, nameWords);
    if (typeof numbers === 'number') {
      copyKeys((previous as IndexParts).e164, numbers, e164);
      copyKeys((previous as IndexParts).extensions, numbers, extensions);
    } else {
      addNumbers(numbers, dialPlan, e164, extensions);
    }
    words.endEntry();
    e164.endEntry();
    extensions.endEntry();
    const category = DIRECTORY_KINDS.indexOf(fields.kind);
    categoryStart[category + 1] = (categoryStart[category + 1] as number) + 1;
  }
  for (let category = 0; category < DIRECTORY_KINDS.length; category++) {
    categoryStart[category + 1] = (categoryStart[category + 1] as number) + (categoryStart[category] as number);
  }
  return {
    dialPlan,
    entries: Object.freeze(sources.map((source) => source.fields.entry)),
    ids: sources.map((source) => source.fields.id),
    names: sources.map((source) => source.fields.name),
    companies: sources.map((source) => source.fields.company),
    scopes: Uint8Array.from(sources, (source) => SCOPE_CODES.indexOf(source.fields.scope)),
    categoryStart,
    words: words.build(PREFIX_LIST_THRESHOLD),
    e164: e164.build(PREFIX_LIST_THRESHOLD),
    extensions: extensions.build(PREFIX_LIST_THRESHOLD),
  };
}

/**
 * Adds the folded words of a text, and their German spellings, tagged with their word position, and returns how
 * many words there were. Company words are numbered after the name words, so every word of an entry has its own.
 */
function addWords(builder: KeySpaceBuilder, text: string, firstPosition: number): number {
  const words = splitWords(text);
  for (let i = 0; i < words.length; i++) {
    const { folded, alias } = words[i] as { folded: string; alias: string | undefined };
    builder.add(folded, firstPosition + i);
    if (alias !== undefined) builder.add(alias, firstPosition + i);
  }
  return words.length;
}

/** Parses an entry's numbers and extension with the dial plan and adds them as E.164 or extension keys. */
function addNumbers(fields: EntryFields, dialPlan: DialPlan, e164: KeySpaceBuilder, extensions: KeySpaceBuilder): void {
  for (let slot = 0; slot < fields.numbers.length; slot++) {
    const normalized = normalizeNumber(fields.numbers[slot] as string, dialPlan);
    if (normalized.kind === 'external') e164.add(normalized.e164, slot);
    else if (normalized.kind === 'extension') extensions.add(normalized.extension, slot);
  }
  if (fields.extension !== undefined) {
    // The directory is the authority on its extensions, so any digits count, whatever length the dial plan expects.
    const digits = stripSeparators(fields.extension);
    if (/^\d+$/.test(digits)) extensions.add(digits, EXTENSION_FIELD);
  }
}

/** Copies the keys of the entry at `ordinal` in a previous key space. */
function copyKeys(space: KeySpace, ordinal: number, builder: KeySpaceBuilder): void {
  for (let j = space.entryStart[ordinal] as number; j < (space.entryStart[ordinal + 1] as number); j++) {
    builder.add(space.keys[space.entryKeys[j] as number] as string, space.entryTags[j] as number);
  }
}
