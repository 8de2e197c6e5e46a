/**
 * Directory search: one search box over users, contacts, conference rooms, meetings and groups, finding names by
 * word prefix (ignoring case and accents) and numbers by digit prefix in any format, with results clustered by
 * category.
 * @packageDocumentation
 */
export { createDirectoryIndex } from './directory-index.js';
export {
  type ContactEntry,
  type ContactScope,
  DEFAULT_SEARCH_LIMIT,
  DIRECTORY_KINDS,
  type DirectoryChanges,
  type DirectoryEntry,
  type DirectoryEntryBase,
  type DirectoryEntryRef,
  type DirectoryGroup,
  type DirectoryHit,
  type DirectoryIndex,
  type DirectoryIndexOptions,
  type DirectoryKind,
  type DirectoryMatch,
  type DirectoryNumber,
  type DirectorySearchOptions,
  type DirectorySearchResult,
  type ExtensionEntry,
  type GroupEntry,
  type MeetingEntry,
  type RoomEntry,
} from './types.js';
