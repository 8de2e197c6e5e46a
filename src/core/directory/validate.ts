/**
 * Reading what callers pass in (entries, refs, search options) into checked plain values. Every property is read
 * exactly once, so a getter cannot show the index one value and the search another; anything wrong, including a
 * getter or proxy that throws, becomes a {@link CentrexError} `invalid-argument`.
 */
import { CentrexError } from '../errors.js';
import { checkDialPlan, type DialPlan } from '../numbers/index.js';
import {
  DEFAULT_SEARCH_LIMIT,
  DIRECTORY_KINDS,
  type ContactScope,
  type DirectoryEntry,
  type DirectoryKind,
} from './types.js';

/** The checked, plain contents of one entry. */
export interface EntryFields {
  /** The caller's entry object, returned in hits. */
  readonly entry: DirectoryEntry;
  readonly kind: DirectoryKind;
  readonly id: string;
  readonly name: string;
  readonly company: string | undefined;
  /** The `number` strings of `entry.numbers`, in order. */
  readonly numbers: readonly string[];
  readonly extension: string | undefined;
  /** The address book, for contacts only. */
  readonly scope: ContactScope | undefined;
}

/** Checked search options. */
export interface SearchSettings {
  readonly limit: number;
  /** The categories to search, in {@link DIRECTORY_KINDS} order. */
  readonly kinds: readonly DirectoryKind[];
}

/** A checked removal ref; `scope` undefined means "any address book". */
export interface RefFields {
  readonly kind: DirectoryKind;
  readonly id: string;
  readonly scope: ContactScope | undefined;
}

/** Creates the `invalid-argument` error of this module. */
export function invalidArgument(message: string, details?: Readonly<Record<string, unknown>>): CentrexError {
  return new CentrexError('invalid-argument', message, details === undefined ? {} : { details });
}

/** Runs `read`; whatever it throws that is not already a {@link CentrexError} becomes `invalid-argument`. */
export function guarded<T>(read: () => T, message: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CentrexError) throw error;
    throw new CentrexError('invalid-argument', message, { cause: error });
  }
}

const isKind = (value: unknown): value is DirectoryKind =>
  typeof value === 'string' && (DIRECTORY_KINDS as readonly string[]).includes(value);
const isScope = (value: unknown): value is ContactScope => value === 'global' || value === 'private';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Reads an array argument into a plain array (one read of each element). */
export function readArray(value: unknown, what: string): unknown[] {
  return guarded(() => {
    if (!Array.isArray(value)) throw invalidArgument(`${what} must be an array.`);
    return Array.from(value as unknown[]);
  }, `${what} could not be read.`);
}

function badEntry(position: number, problem: string, field?: string): CentrexError {
  return invalidArgument(
    `Directory entry ${position} ${problem}`,
    field === undefined ? { position } : { position, field },
  );
}

/** Checks one entry and reads its fields. */
export function readEntry(value: unknown, position: number): EntryFields {
  return guarded(() => {
    if (!isObject(value)) throw badEntry(position, 'must be an object.');
    const { kind, id, name, company, detail, numbers, extension, scope } = value;
    if (!isKind(kind)) throw badEntry(position, `needs a kind: one of ${DIRECTORY_KINDS.join(', ')}.`, 'kind');
    if (typeof id !== 'string' || id === '') throw badEntry(position, 'needs an id (a non-empty string).', 'id');
    if (typeof name !== 'string' || name.trim() === '')
      throw badEntry(position, 'needs a name (a non-blank string).', 'name');
    if (company !== undefined && typeof company !== 'string')
      throw badEntry(position, 'has a company that is not a string.', 'company');
    if (detail !== undefined && typeof detail !== 'string')
      throw badEntry(position, 'has a detail that is not a string.', 'detail');
    if (extension !== undefined && typeof extension !== 'string') {
      throw badEntry(position, 'has an extension that is not a string.', 'extension');
    }
    if (kind === 'extension' && extension === undefined)
      throw badEntry(position, 'is a user and needs an extension.', 'extension');
    if (kind === 'contact' && !isScope(scope))
      throw badEntry(position, 'is a contact and needs a scope: global or private.', 'scope');
    if (!Array.isArray(numbers)) throw badEntry(position, 'needs numbers (an array, may be empty).', 'numbers');
    const numberStrings = Array.from(numbers as unknown[], (item, index) => {
      if (!isObject(item)) throw badEntry(position, `has numbers[${index}] that is not an object.`, 'numbers');
      const { number, label } = item;
      if (typeof number !== 'string')
        throw badEntry(position, `has numbers[${index}] without a number string.`, 'numbers');
      if (label !== undefined && typeof label !== 'string') {
        throw badEntry(position, `has numbers[${index}] with a label that is not a string.`, 'numbers');
      }
      return number;
    });
    return {
      entry: value as unknown as DirectoryEntry,
      kind,
      id,
      name,
      company,
      numbers: numberStrings,
      extension,
      // Scope only means something for contacts; other kinds ignore it.
      scope: kind === 'contact' ? (scope as ContactScope) : undefined,
    };
  }, `Directory entry ${position} could not be read.`);
}

/** Checks one removal ref. */
export function readRef(value: unknown, position: number): RefFields {
  return guarded(() => {
    if (!isObject(value)) throw invalidArgument(`Ref ${position} to remove must be an object.`, { position });
    const { kind, id, scope } = value;
    if (!isKind(kind) || typeof id !== 'string' || (scope !== undefined && !isScope(scope))) {
      throw invalidArgument(`Ref ${position} to remove needs a kind, an id and optionally a scope.`, { position });
    }
    return { kind, id, scope: kind === 'contact' ? scope : undefined };
  }, `Ref ${position} to remove could not be read.`);
}

/** Checks the options of a search and fills in the defaults. */
export function readSearchOptions(options: unknown): SearchSettings {
  return guarded(() => {
    if (options === undefined) return { limit: DEFAULT_SEARCH_LIMIT, kinds: DIRECTORY_KINDS };
    if (!isObject(options)) throw invalidArgument('Search options must be an object, for example { limit: 5 }.');
    const { limit = DEFAULT_SEARCH_LIMIT, kinds } = options;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
      throw invalidArgument('The search limit must be a whole number of at least 1.', { limit });
    }
    if (kinds === undefined) return { limit, kinds: DIRECTORY_KINDS };
    const wanted = readArray(kinds, 'The kinds to search');
    if (!wanted.every(isKind)) {
      throw invalidArgument(`The kinds to search must be among ${DIRECTORY_KINDS.join(', ')}.`, { kinds: wanted });
    }
    return { limit, kinds: DIRECTORY_KINDS.filter((kind) => wanted.includes(kind)) };
  }, 'The search options could not be read.');
}

/** Copies the dial plan out of the options (so it cannot change later) and checks it. */
export function readDialPlan(options: unknown): DialPlan {
  const copy = guarded((): DialPlan => {
    if (typeof options !== 'object' || options === null) {
      throw invalidArgument('A directory index needs options with a dial plan, e.g. { dialPlan: { country: "DE" } }.');
    }
    const { dialPlan } = options as { dialPlan?: unknown };
    // checkDialPlan below explains what is wrong with a dial plan that is not an object.
    if (typeof dialPlan !== 'object' || dialPlan === null) return dialPlan as DialPlan;
    const { country, extensionDigits } = dialPlan as DialPlan;
    return extensionDigits === undefined
      ? { country }
      : { country, extensionDigits: [extensionDigits[0], extensionDigits[1]] };
  }, 'The dial plan could not be read.');
  checkDialPlan(copy);
  return copy;
}
