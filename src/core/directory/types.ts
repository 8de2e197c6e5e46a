/**
 * The shapes of directory entries and of search results.
 */
import type { DialPlan } from '../numbers/index.js';

/**
 * The categories of a directory, which are also the clusters of search results:
 * - `extension`: a user of the telephone system, reachable by extension;
 * - `contact`: an address book entry, from the company-wide (global) or the user's own (private) book;
 * - `room`: a conference room;
 * - `meeting`: a dial-in meeting;
 * - `group`: a hunt or pickup group.
 */
export type DirectoryKind = 'extension' | 'contact' | 'room' | 'meeting' | 'group';

/** The order in which search results are clustered: own users first, groups last. */
export const DIRECTORY_KINDS: readonly DirectoryKind[] = Object.freeze([
  'extension',
  'contact',
  'room',
  'meeting',
  'group',
]);

/** Which address book a contact comes from: the company-wide one, or the user's own. */
export type ContactScope = 'global' | 'private';

/** A telephone number of an entry, as it was stored. */
export interface DirectoryNumber {
  /**
   * The number in any format people write: `"+49 171 3921234"`, `"0171/392 12 34"`, `"0049 89 2343123"`, `"33"`.
   * Numbers that cannot be read with the dial plan are still shown but cannot be found by digits.
   */
  readonly number: string;
  /** What the number is, for display: `"mobile"`, `"office"`, `"Zentrale"`. */
  readonly label?: string;
}

/** What every kind of directory entry has. */
export interface DirectoryEntryBase {
  /** Identifies the entry within its kind (and, for contacts, within its address book). Not shown. */
  readonly id: string;
  /** The name to show and to find the entry by; must not be blank. */
  readonly name: string;
  /** A company or department, shown under the name and also searched word by word. */
  readonly company?: string;
  /** A further line to show (job title, room location, meeting time); not searched. */
  readonly detail?: string;
  /** Telephone numbers in any format; may be empty. */
  readonly numbers: readonly DirectoryNumber[];
  /** An internal extension (`"33"`), found by digit prefix. */
  readonly extension?: string;
}

/** An address book entry. Global and private contacts are kept apart, even for the same person. */
export interface ContactEntry extends DirectoryEntryBase {
  /** Marks a contact. */
  readonly kind: 'contact';
  /** The address book the contact belongs to. */
  readonly scope: ContactScope;
}

/** A user of the telephone system. */
export interface ExtensionEntry extends DirectoryEntryBase {
  /** Marks a user. */
  readonly kind: 'extension';
  /** The user's extension. */
  readonly extension: string;
}

/** A conference room, usually with an extension. */
export interface RoomEntry extends DirectoryEntryBase {
  /** Marks a conference room. */
  readonly kind: 'room';
}

/** A dial-in meeting. */
export interface MeetingEntry extends DirectoryEntryBase {
  /** Marks a meeting. */
  readonly kind: 'meeting';
}

/** A hunt or pickup group. */
export interface GroupEntry extends DirectoryEntryBase {
  /** Marks a group. */
  readonly kind: 'group';
}

/** Anything the directory search can find. */
export type DirectoryEntry = ContactEntry | ExtensionEntry | RoomEntry | MeetingEntry | GroupEntry;

/**
 * Names an entry to remove from an index: by kind and id, and for contacts optionally by address book (without a
 * scope, the contact goes from both books).
 */
export interface DirectoryEntryRef {
  /** Kind of the entry. */
  readonly kind: DirectoryKind;
  /** Id of the entry. */
  readonly id: string;
  /** For contacts: only remove it from this address book. */
  readonly scope?: ContactScope;
}

/**
 * Why an entry was found; enough for a UI to highlight it.
 * - `name` / `company`: one query word matched the start of a word; `start`/`end` are UTF-16 offsets into
 *   `entry.name` / `entry.company` of the part that was typed (for "mül" in "Jörg Müller": 5 and 8).
 * - `number`: `entry.numbers[index]` starts with the typed digits.
 * - `extension`: `entry.extension` starts with the typed digits.
 */
export type DirectoryMatch =
  | { readonly field: 'name' | 'company'; readonly start: number; readonly end: number }
  | { readonly field: 'number'; readonly index: number }
  | { readonly field: 'extension' };

/** One entry found, with why. */
export interface DirectoryHit {
  /** The entry, the same object that was given to the index. */
  readonly entry: DirectoryEntry;
  /** What matched, at least one. Name and company parts come first, in the order of the text. */
  readonly matches: readonly DirectoryMatch[];
}

/** The hits of one category. */
export interface DirectoryGroup {
  /** The category. */
  readonly kind: DirectoryKind;
  /**
   * At most `limit` hits: exact number or extension matches first, then in name order (within contacts, private
   * ones before global ones).
   */
  readonly hits: readonly DirectoryHit[];
  /** Whether more entries of this category match than are listed. */
  readonly more: boolean;
}

/** The result of {@link DirectoryIndex.search}. */
export interface DirectorySearchResult {
  /** One group per category with hits, in the order of {@link DIRECTORY_KINDS}; empty when nothing matched. */
  readonly groups: readonly DirectoryGroup[];
}

/** Options of {@link DirectoryIndex.search}. */
export interface DirectorySearchOptions {
  /** Most hits per category; a whole number ≥ 1, default {@link DEFAULT_SEARCH_LIMIT}. */
  readonly limit?: number;
  /** Only search these categories; default all. */
  readonly kinds?: readonly DirectoryKind[];
}

/** How many hits per category a search returns when no limit is given. */
export const DEFAULT_SEARCH_LIMIT = 10;

/** Changes for {@link DirectoryIndex.update}. */
export interface DirectoryChanges {
  /** Entries to add; an entry with the kind, scope and id of an existing one replaces it. */
  readonly add?: readonly DirectoryEntry[];
  /** Entries to remove; refs to entries that are not there are ignored. */
  readonly remove?: readonly DirectoryEntryRef[];
}

/**
 * A search index over directory entries. Immutable: {@link DirectoryIndex.update} returns a new index. The index
 * reads the entries once when it is built and never changes them; change an entry by passing a new object to
 * {@link DirectoryIndex.update}.
 */
export interface DirectoryIndex {
  /** Number of entries. */
  readonly size: number;
  /** The entries, in result order: by category, then by name. */
  readonly entries: readonly DirectoryEntry[];
  /**
   * Finds entries for what someone typed into a search box, clustered by category.
   *
   * - Words: every word of the query must be the start of a different word of the name or company, ignoring case
   *   and accents: `"mull"` and `"muell"` find "Müller", `"jo mü"` finds "Jörg Müller".
   * - Numbers: a query that is a number prefix in any format finds entries whose numbers start with it:
   *   `"0171 392"`, `"+49171392"` and `"0049 171 392"` all find "+49 171 3921234"; `"33"` finds extensions 33 and 330.
   *
   * An empty or blank query finds nothing.
   *
   * @throws CentrexError `invalid-argument` when the query is not a string or the options are malformed
   */
  search(query: string, options?: DirectorySearchOptions): DirectorySearchResult;
  /**
   * Returns a new index with entries added, replaced or removed; this index stays as it is. Numbers of entries
   * that are kept are not parsed again.
   *
   * @throws CentrexError `invalid-argument` when the changes are malformed
   */
  update(changes: DirectoryChanges): DirectoryIndex;
}

/** Options of `createDirectoryIndex`. */
export interface DirectoryIndexOptions {
  /** How numbers are read: which country national numbers belong to, and how long extensions are. */
  readonly dialPlan: DialPlan;
}
