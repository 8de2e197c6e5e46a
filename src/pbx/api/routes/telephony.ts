/**
 * Queues (log in / log out), the call list, conference rooms and the directory the SDK's search box reads.
 * @packageDocumentation
 */
import { directNumberOf, verifyPassword } from '../../store/index.js';
import { noContent, ok, type AuthedContext, type Route } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { expectObject, queryInteger, requiredString } from '../input.js';
import { historyJson, queueJson, roomJson } from '../serialize.js';
import { rateLimited } from './auth.js';

function queueLogin(loggedIn: boolean) {
  return (ctx: AuthedContext) => {
    const { deps, auth } = ctx;
    const queue = deps.store.setQueueLogin(auth.tenant.id, ctx.params['id'] ?? '', auth.user.id, loggedIn);
    deps.events.emit({ type: 'queue-changed', tenantId: auth.tenant.id, queueId: queue.id, userId: auth.user.id });
    return ok(queueJson(queue));
  };
}

/** The routes of this module. */
export const telephonyRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/queues',
    access: 'user',
    handle: ({ deps, auth }: AuthedContext) => ok({ queues: deps.store.listQueues(auth.tenant.id, auth.user.id).map(queueJson) }),
  },
  { method: 'POST', path: '/queues/{id}/login', access: 'user', handle: queueLogin(true) },
  { method: 'POST', path: '/queues/{id}/logout', access: 'user', handle: queueLogin(false) },
  {
    method: 'DELETE',
    path: '/queues/{id}/membership',
    access: 'user',
    handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const id = ctx.params['id'] ?? '';
      if (!deps.store.leaveQueue(auth.tenant.id, id, auth.user.id)) throw notFound('The queue membership');
      deps.events.emit({ type: 'queue-changed', tenantId: auth.tenant.id, queueId: id, userId: auth.user.id });
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/history',
    access: 'user',
    handle(ctx: AuthedContext) {
      const limit = queryInteger(ctx.query, 'limit', 1, 1000, 100);
      const offset = queryInteger(ctx.query, 'offset', 0, 1_000_000, 0);
      const entries = ctx.deps.store.listHistory(ctx.auth.user.id, { limit, offset });
      return ok({ entries: entries.map(historyJson) });
    },
  },
  {
    method: 'DELETE',
    path: '/history',
    access: 'user',
    handle(ctx: AuthedContext) {
      ctx.deps.store.clearHistory(ctx.auth.user.id);
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/history/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      if (!ctx.deps.store.deleteHistoryEntry(ctx.auth.user.id, ctx.params['id'] ?? '')) throw notFound('The call list entry');
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/rooms',
    access: 'user',
    handle: ({ deps, auth }: AuthedContext) => ok({ rooms: deps.store.listRooms(auth.tenant.id, auth.user.id).map(roomJson) }),
  },
  {
    method: 'POST',
    path: '/rooms/{id}/subscription',
    access: 'user',
    async handle(ctx: AuthedContext) {
      const { deps, auth, client } = ctx;
      const wait = deps.pinLimiter.retryAfter(client);
      if (wait > 0) throw rateLimited(wait);
      const pin = requiredString(expectObject(ctx.body, ['pin']), 'pin');
      const roomId = ctx.params['id'] ?? '';
      const hash = deps.store.getRoomPinHash(auth.tenant.id, roomId);
      if (hash === undefined) throw notFound('The conference room');
      // PINs are short: failures count towards a lockout like failed logins.
      if (!(await verifyPassword(pin, hash))) {
        deps.pinLimiter.fail(client);
        throw new ApiError(403, 'wrong-pin', 'The conference PIN is wrong.', { field: 'pin' });
      }
      return ok(roomJson(deps.store.subscribeRoom(auth.tenant.id, roomId, auth.user.id)));
    },
  },
  {
    method: 'DELETE',
    path: '/rooms/{id}/subscription',
    access: 'user',
    handle(ctx: AuthedContext) {
      if (!ctx.deps.store.unsubscribeRoom(ctx.auth.tenant.id, ctx.params['id'] ?? '', ctx.auth.user.id)) {
        throw notFound('The subscription');
      }
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/directory',
    access: 'user',
    handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const tenantId = auth.tenant.id;
      // The shapes are the core directory's entries (src/core/directory), so the SDK indexes them as they come.
      const users = deps.store.listUsers(tenantId).map((user) => {
        const direct = directNumberOf(auth.tenant, user);
        return {
          kind: 'extension',
          id: user.id,
          name: user.name,
          extension: user.extension,
          numbers: direct === null ? [] : [{ number: direct, label: 'direct' }],
          detail: user.email,
        };
      });
      const contacts = deps.store.listContacts({ tenantId, userId: auth.user.id }).map((contact) => ({
        kind: 'contact',
        scope: contact.scope,
        id: contact.id,
        name: contact.name,
        ...(contact.company === null ? {} : { company: contact.company }),
        numbers: contact.numbers.map((entry) => (entry.label === '' ? { number: entry.number } : entry)),
      }));
      const rooms = deps.store.listRooms(tenantId, auth.user.id).map((room) => ({
        kind: 'room',
        id: room.id,
        name: room.name,
        extension: room.extension,
        numbers: [],
      }));
      const groups = deps.store.listQueues(tenantId, auth.user.id).map((queue) => ({
        kind: 'group',
        id: queue.id,
        name: queue.name,
        extension: queue.extension,
        numbers: [],
      }));
      return ok({ entries: [...users, ...contacts, ...rooms, ...groups] });
    },
  },
];
