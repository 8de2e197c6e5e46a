/**
 * Call lists ("Ruflisten"): one list per user, written by the SIP side for every call, read and pruned by the user.
 * @packageDocumentation
 */
import { newId, notFound, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import type { CallResult, HistoryEntry, HistoryParty, NewHistoryEntry } from './types.js';

interface HistoryRow {
  id: string;
  user_id: string;
  direction: string;
  peer_number: string | null;
  peer_extension: string | null;
  peer_name: string | null;
  forwarded_by_number: string | null;
  forwarded_by_extension: string | null;
  forwarded_by_name: string | null;
  result: string;
  started_at: number;
  duration_s: number;
}

/** How many entries a user's call list keeps; older ones are dropped as new ones arrive. */
export const MAX_HISTORY_PER_USER = 1000;

const RESULTS: readonly CallResult[] = ['answered', 'missed', 'rejected', 'busy', 'failed'];

/** The call list part of {@link Store}. */
export interface HistoryStore {
  /**
   * Adds a call to a user's list (newest {@link MAX_HISTORY_PER_USER} are kept). The caller emits `history-added`.
   * @throws StoreError `not-found` (user), `validation-failed`
   */
  addHistoryEntry(userId: string, entry: NewHistoryEntry): HistoryEntry;
  /** The user's calls, newest first. */
  listHistory(userId: string, options?: { limit?: number; offset?: number }): HistoryEntry[];
  /** One entry of the user's list. */
  getHistoryEntry(userId: string, entryId: string): HistoryEntry | undefined;
  /** Deletes one entry of the user's list. @returns whether it existed */
  deleteHistoryEntry(userId: string, entryId: string): boolean;
  /** Empties the user's list. @returns how many entries went */
  clearHistory(userId: string): number;
}

function party(number: string | null, extension: string | null, name: string | null): HistoryParty {
  return { number, extension, name };
}

function toEntry(row: HistoryRow): HistoryEntry {
  const forwarded = row.forwarded_by_number ?? row.forwarded_by_extension ?? row.forwarded_by_name;
  return {
    id: row.id,
    userId: row.user_id,
    direction: row.direction === 'out' ? 'out' : 'in',
    peer: party(row.peer_number, row.peer_extension, row.peer_name),
    forwardedBy:
      forwarded === null ? null : party(row.forwarded_by_number, row.forwarded_by_extension, row.forwarded_by_name),
    result: RESULTS.includes(row.result as CallResult) ? (row.result as CallResult) : 'failed',
    startedAt: row.started_at,
    durationS: row.duration_s,
  };
}

/**
 * Call parties come from SIP headers, which callers control: a strange display name must not cost the call its
 * entry, so text is cleaned (control characters dropped, cut to length) rather than refused.
 */
function lenient(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text === '' ? null : [...text].slice(0, max).join('');
}

function cleanParty(value: Partial<HistoryParty> | null | undefined): HistoryParty {
  return { number: lenient(value?.number, 64), extension: lenient(value?.extension, 16), name: lenient(value?.name, 200) };
}

/** Builds the call list part of the store. */
export function historyStore(ctx: StoreContext): HistoryStore {
  const get = (userId: string, entryId: string): HistoryEntry | undefined => {
    const row = ctx.sql<[string, string], HistoryRow>('SELECT * FROM history WHERE id = ? AND user_id = ?').get(entryId, userId);
    return row ? toEntry(row) : undefined;
  };
  return {
    addHistoryEntry(userId, entry) {
      if (entry.direction !== 'in' && entry.direction !== 'out') {
        throw new StoreError('validation-failed', 'direction must be "in" or "out".', { field: 'direction' });
      }
      if (!RESULTS.includes(entry.result)) {
        throw new StoreError('validation-failed', `result must be one of ${RESULTS.join(', ')}.`, { field: 'result' });
      }
      if (!Number.isFinite(entry.startedAt) || !Number.isFinite(entry.durationS) || entry.durationS < 0) {
        throw new StoreError('validation-failed', 'startedAt and durationS must be numbers, durationS not negative.');
      }
      const peer = cleanParty(entry.peer);
      const forwardedBy = cleanParty(entry.forwardedBy);
      const id = newId();
      return ctx.tx(() => {
        if (!ctx.sql<[string], { id: string }>('SELECT id FROM users WHERE id = ?').get(userId)) throw notFound('The user');
        ctx
          .sql<
            [string, string, string, string | null, string | null, string | null, string | null, string | null, string | null, string, number, number]
          >(
            `INSERT INTO history (id, user_id, direction, peer_number, peer_extension, peer_name, forwarded_by_number,
               forwarded_by_extension, forwarded_by_name, result, started_at, duration_s)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, userId, entry.direction, peer.number, peer.extension, peer.name, forwardedBy.number, forwardedBy.extension,
            forwardedBy.name, entry.result, Math.floor(entry.startedAt), Math.round(entry.durationS));
        ctx
          .sql<[string, string, number]>(
            `DELETE FROM history WHERE user_id = ? AND id NOT IN
               (SELECT id FROM history WHERE user_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?)`,
          )
          .run(userId, userId, MAX_HISTORY_PER_USER);
        const created = get(userId, id);
        if (!created) throw notFound('The new call list entry');
        return created;
      });
    },

    listHistory(userId, options = {}) {
      const limit = Math.min(Math.max(Math.floor(options.limit ?? 100), 1), MAX_HISTORY_PER_USER);
      const offset = Math.max(Math.floor(options.offset ?? 0), 0);
      return ctx
        .sql<[string, number, number], HistoryRow>(
          'SELECT * FROM history WHERE user_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?',
        )
        .all(userId, limit, offset)
        .map(toEntry);
    },

    getHistoryEntry: get,

    deleteHistoryEntry(userId, entryId) {
      return ctx.sql<[string, string]>('DELETE FROM history WHERE id = ? AND user_id = ?').run(entryId, userId).changes > 0;
    },

    clearHistory(userId) {
      return ctx.sql<[string]>('DELETE FROM history WHERE user_id = ?').run(userId).changes;
    },
  };
}
