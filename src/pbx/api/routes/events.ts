/**
 * `GET /api/v1/events`: server-sent events for the signed-in user, fed by the PBX event bus. A user receives their
 * own forwarding, settings, call-list, registration, fax and data changes, and the presence and queue changes of
 * their own tenant, never anything of another user or tenant.
 * @packageDocumentation
 */
import type { PbxEvent } from '../../events.js';
import type { Auth, AuthedContext, Route } from '../context.js';
import { BASE_HEADERS } from '../http.js';
import { historyJson } from '../serialize.js';
import { requestToken } from './auth.js';

/** How much unsent data a slow client may pile up before its stream is closed (a client that does not read). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** The event name and data a user receives for a bus event, or `undefined` when it is not theirs to see. */
export function eventFor(event: PbxEvent, auth: Auth, load: { history: (id: string) => unknown; settings: () => unknown }):
  | { name: string; data: unknown }
  | undefined {
  if (event.tenantId !== auth.tenant.id) return undefined;
  const own = 'userId' in event && event.userId === auth.user.id;
  switch (event.type) {
    case 'presence':
      return { name: 'presence', data: { userId: event.userId, extension: event.extension, availability: event.availability } };
    case 'queue-changed':
      return { name: 'queue', data: { queueId: event.queueId, userId: event.userId ?? null } };
    case 'forwarding-changed':
      return own ? { name: 'forwarding', data: { settings: event.settings, source: event.source } } : undefined;
    case 'settings-changed':
      return own ? { name: 'settings', data: load.settings() } : undefined;
    case 'history-added': {
      if (!own) return undefined;
      const entry = load.history(event.entryId);
      return entry === undefined ? undefined : { name: 'history', data: entry };
    }
    case 'registration':
      return own ? { name: 'registration', data: { registered: event.registered } } : undefined;
    case 'fax-job':
      return own ? { name: 'fax-job', data: event.job } : undefined;
    case 'fax-received':
      return own ? { name: 'fax-received', data: event.fax } : undefined;
    case 'data-changed':
      return event.userId === undefined || own ? { name: 'data-changed', data: { area: event.area } } : undefined;
    default:
      return undefined;
  }
}

/** The routes of this module. */
export const eventRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/events',
    access: 'user',
    handle(ctx: AuthedContext) {
      const { req, res, deps, auth, cors } = ctx;
      const token = requestToken(req) ?? '';
      res.writeHead(200, {
        ...BASE_HEADERS,
        ...cors,
        'Content-Type': 'text/event-stream; charset=utf-8',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      let sequence = 0;
      let closed = false;
      const send = (name: string, data: unknown): void => {
        if (closed) return;
        sequence += 1;
        res.write(`id: ${sequence}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
        if (res.writableLength > MAX_BUFFERED_BYTES) close();
      };
      const unsubscribe = deps.events.on((event) => {
        const found = eventFor(event, auth, {
          history: (id) => {
            const entry = deps.store.getHistoryEntry(auth.user.id, id);
            return entry ? historyJson(entry) : undefined;
          },
          settings: () => deps.store.getUserSettings(auth.user.id),
        });
        if (found) send(found.name, found.data);
      });
      const heartbeat = setInterval(() => {
        // A stream lives no longer than its session: expiry, logout elsewhere, a deleted user.
        if (deps.store.findSession(token)?.id !== auth.session.id) close();
        else if (!closed) res.write(': heartbeat\n\n');
      }, deps.heartbeatMs);
      heartbeat.unref();
      const untrack = deps.trackStream(auth.session.id, () => close());
      function close(): void {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        untrack();
        res.end();
      }
      res.on('close', close);
      res.on('error', close);
      res.write('retry: 5000\n\n');
      send('ready', { userId: auth.user.id, tenantId: auth.tenant.id });
      return 'streaming';
    },
  },
];
