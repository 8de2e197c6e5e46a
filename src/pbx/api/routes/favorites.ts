/**
 * Function keys / favorites (manual B.3 "Funktionstasten"): positions 1–64, unique per user.
 * @packageDocumentation
 */
import type { FavoriteInput, FavoriteType } from '../../store/index.js';
import { created, noContent, ok, type AuthedContext, type Route } from '../context.js';
import { invalid, notFound } from '../errors.js';
import { expectObject, optionalArray, optionalInteger, requiredString } from '../input.js';
import { favoriteJson } from '../serialize.js';

function readFavorite(value: unknown, where = ''): FavoriteInput {
  const body = expectObject(value, ['position', 'name', 'type', 'target'], where);
  const position = optionalInteger(body, 'position', where);
  const type = requiredString(body, 'type', where);
  return {
    ...(position === undefined ? {} : { position }),
    name: requiredString(body, 'name', where),
    // The store checks the value against the three types and answers with the field.
    type: type as FavoriteType,
    target: requiredString(body, 'target', where),
  };
}

function emitChange(ctx: AuthedContext): void {
  ctx.deps.events.emit({ type: 'data-changed', tenantId: ctx.auth.tenant.id, userId: ctx.auth.user.id, area: 'favorites' });
}

/** The routes of this module. */
export const favoriteRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/favorites',
    access: 'user',
    handle: (ctx: AuthedContext) => ok({ favorites: ctx.deps.store.listFavorites(ctx.auth.user.id).map(favoriteJson) }),
  },
  {
    method: 'POST',
    path: '/favorites',
    access: 'user',
    handle(ctx: AuthedContext) {
      const favorite = ctx.deps.store.createFavorite(ctx.auth.user.id, readFavorite(ctx.body));
      emitChange(ctx);
      return created(favoriteJson(favorite));
    },
  },
  {
    method: 'PUT',
    path: '/favorites',
    access: 'user',
    handle(ctx: AuthedContext) {
      const body = expectObject(ctx.body, ['favorites']);
      const list = optionalArray(body, 'favorites');
      if (list === undefined) throw invalid('favorites', 'Give the whole list of function keys as favorites (it may be empty).');
      const favorites = ctx.deps.store.replaceFavorites(
        ctx.auth.user.id,
        list.map((entry, index) => readFavorite(entry, `favorites.${index}`)),
      );
      emitChange(ctx);
      return ok({ favorites: favorites.map(favoriteJson) });
    },
  },
  {
    method: 'PUT',
    path: '/favorites/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      const favorite = ctx.deps.store.updateFavorite(ctx.auth.user.id, ctx.params['id'] ?? '', readFavorite(ctx.body));
      emitChange(ctx);
      return ok(favoriteJson(favorite));
    },
  },
  {
    method: 'DELETE',
    path: '/favorites/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      if (!ctx.deps.store.deleteFavorite(ctx.auth.user.id, ctx.params['id'] ?? '')) throw notFound('The function key');
      emitChange(ctx);
      return noContent();
    },
  },
];
