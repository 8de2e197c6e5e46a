/**
 * Function keys / favorites (manual B.3 "Funktionstasten"): position 1–64 unique per user, a name, a type and a
 * target that fits the type.
 * @packageDocumentation
 */
import { normalizeNumber } from '../../core/numbers/index.js';
import { cleanText, newId, notFound, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import { MAX_FAVORITES, type Favorite, type FavoriteInput, type FavoriteType, type Tenant } from './types.js';

interface FavoriteRow {
  id: string;
  user_id: string;
  position: number;
  name: string;
  type: string;
  target: string;
}

const TYPES: readonly FavoriteType[] = ['blf', 'speed-dial', 'star-code'];

/** The favorites part of {@link Store}. */
export interface FavoriteStore {
  /** The user's function keys by position. */
  listFavorites(userId: string): Favorite[];
  /** One of the user's function keys. */
  getFavorite(userId: string, favoriteId: string): Favorite | undefined;
  /**
   * Adds a function key; without a position, the first free one.
   * @throws StoreError `validation-failed` (bad target, all 64 positions used), `conflict` (position taken)
   */
  createFavorite(userId: string, input: FavoriteInput): Favorite;
  /**
   * Replaces one function key (moving it to a free position is allowed).
   * @throws StoreError `not-found`, `validation-failed`, `conflict`
   */
  updateFavorite(userId: string, favoriteId: string, input: FavoriteInput): Favorite;
  /** Removes one function key. @returns whether it existed */
  deleteFavorite(userId: string, favoriteId: string): boolean;
  /**
   * Replaces the whole list at once (reordering by drag and drop), all or nothing. Keys without a position are
   * numbered after the highest given one.
   * @throws StoreError `validation-failed` (also for duplicate positions, with `field` `favorites.<index>.position`)
   */
  replaceFavorites(userId: string, inputs: readonly FavoriteInput[]): Favorite[];
}

function toFavorite(row: FavoriteRow): Favorite {
  return {
    id: row.id,
    userId: row.user_id,
    position: row.position,
    name: row.name,
    type: TYPES.includes(row.type as FavoriteType) ? (row.type as FavoriteType) : 'speed-dial',
    target: row.target,
  };
}

function cleanPosition(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_FAVORITES) {
    throw new StoreError('validation-failed', `The position must be a whole number from 1 to ${MAX_FAVORITES}.`, { field });
  }
  return value;
}

/** Checks a key's type and target; returns the cleaned name, type and target. */
function cleanFavorite(input: FavoriteInput, tenant: Tenant, prefix: string): { name: string; type: FavoriteType; target: string } {
  const name = cleanText(input.name, `${prefix}name`, { max: 100 });
  if (!TYPES.includes(input.type)) {
    throw new StoreError('validation-failed', 'type must be blf, speed-dial or star-code.', { field: `${prefix}type` });
  }
  const field = `${prefix}target`;
  const raw = cleanText(input.target, field, { max: 40 });
  if (input.type === 'star-code') {
    // The manual: "* + Nummer, z. B. *80". Star codes go to the PBX as dialled; allow * and # among the digits.
    if (!/^\*[\d*#]{1,30}$/.test(raw)) {
      throw new StoreError('validation-failed', 'A star code is * followed by digits, e.g. *80.', { field });
    }
    return { name, type: input.type, target: raw };
  }
  const normalized = normalizeNumber(raw, tenant.dialPlan);
  if (input.type === 'blf') {
    if (normalized.kind !== 'extension') {
      throw new StoreError('validation-failed', 'A BLF key shows a colleague: its target is an extension.', { field });
    }
    return { name, type: input.type, target: normalized.extension };
  }
  if (normalized.kind === 'invalid') {
    throw new StoreError('validation-failed', `"${raw}" is neither an extension nor a phone number.`, { field });
  }
  // Speed dials keep what the user typed (it is dialled as typed), once it is known to be readable.
  return { name, type: input.type, target: raw };
}

/** Builds the favorites part of the store. */
export function favoriteStore(ctx: StoreContext, tenantOfUser: (userId: string) => Tenant | undefined): FavoriteStore {
  const list = (userId: string): Favorite[] =>
    ctx.sql<[string], FavoriteRow>('SELECT * FROM favorites WHERE user_id = ? ORDER BY position').all(userId).map(toFavorite);
  const get = (userId: string, favoriteId: string): Favorite | undefined => {
    const row = ctx.sql<[string, string], FavoriteRow>('SELECT * FROM favorites WHERE id = ? AND user_id = ?').get(favoriteId, userId);
    return row ? toFavorite(row) : undefined;
  };
  const tenantFor = (userId: string): Tenant => {
    const tenant = tenantOfUser(userId);
    if (!tenant) throw notFound('The user');
    return tenant;
  };
  const insert = ctx.sql<[string, string, number, string, string, string]>(
    'INSERT INTO favorites (id, user_id, position, name, type, target) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const positionOwner = (userId: string, position: number): string | undefined =>
    ctx.sql<[string, number], { id: string }>('SELECT id FROM favorites WHERE user_id = ? AND position = ?').get(userId, position)?.id;

  return {
    listFavorites: list,
    getFavorite: get,

    createFavorite(userId, input) {
      const tenant = tenantFor(userId);
      const clean = cleanFavorite(input, tenant, '');
      const wanted = input.position === undefined ? undefined : cleanPosition(input.position, 'position');
      return ctx.tx(() => {
        let position = wanted;
        if (position === undefined) {
          const used = new Set(list(userId).map((favorite) => favorite.position));
          position = Array.from({ length: MAX_FAVORITES }, (_, index) => index + 1).find((candidate) => !used.has(candidate));
          if (position === undefined) {
            throw new StoreError('validation-failed', `All ${MAX_FAVORITES} function keys are in use; remove one first.`, {
              field: 'position',
            });
          }
        } else if (positionOwner(userId, position) !== undefined) {
          throw new StoreError('conflict', `Position ${position} is already used by another key.`, { field: 'position' });
        }
        const id = newId();
        insert.run(id, userId, position, clean.name, clean.type, clean.target);
        const created = get(userId, id);
        if (!created) throw notFound('The new function key');
        return created;
      });
    },

    updateFavorite(userId, favoriteId, input) {
      const tenant = tenantFor(userId);
      const clean = cleanFavorite(input, tenant, '');
      return ctx.tx(() => {
        const current = get(userId, favoriteId);
        if (!current) throw notFound('The function key');
        const position = input.position === undefined ? current.position : cleanPosition(input.position, 'position');
        const owner = positionOwner(userId, position);
        if (owner !== undefined && owner !== favoriteId) {
          throw new StoreError('conflict', `Position ${position} is already used by another key.`, { field: 'position' });
        }
        ctx
          .sql<[number, string, string, string, string, string]>(
            'UPDATE favorites SET position = ?, name = ?, type = ?, target = ? WHERE id = ? AND user_id = ?',
          )
          .run(position, clean.name, clean.type, clean.target, favoriteId, userId);
        const updated = get(userId, favoriteId);
        if (!updated) throw notFound('The function key');
        return updated;
      });
    },

    deleteFavorite(userId, favoriteId) {
      return ctx.sql<[string, string]>('DELETE FROM favorites WHERE id = ? AND user_id = ?').run(favoriteId, userId).changes > 0;
    },

    replaceFavorites(userId, inputs) {
      const tenant = tenantFor(userId);
      if (!Array.isArray(inputs) || inputs.length > MAX_FAVORITES) {
        throw new StoreError('validation-failed', `At most ${MAX_FAVORITES} function keys.`, { field: 'favorites' });
      }
      const cleaned = inputs.map((input, index) => ({
        ...cleanFavorite(input, tenant, `favorites.${index}.`),
        position: input.position === undefined ? undefined : cleanPosition(input.position, `favorites.${index}.position`),
      }));
      const seen = new Set<number>();
      cleaned.forEach((entry, index) => {
        if (entry.position === undefined) return;
        if (seen.has(entry.position)) {
          throw new StoreError('validation-failed', `Two keys have position ${entry.position}.`, {
            field: `favorites.${index}.position`,
          });
        }
        seen.add(entry.position);
      });
      let next = Math.max(0, ...seen);
      const placed = cleaned.map((entry) => ({ ...entry, position: entry.position ?? ++next }));
      if (next > MAX_FAVORITES) {
        throw new StoreError('validation-failed', `Positions run out after ${MAX_FAVORITES}; give the keys positions.`, {
          field: 'favorites',
        });
      }
      return ctx.tx(() => {
        ctx.sql<[string]>('DELETE FROM favorites WHERE user_id = ?').run(userId);
        for (const entry of placed) insert.run(newId(), userId, entry.position, entry.name, entry.type, entry.target);
        return list(userId);
      });
    },
  };
}
