/**
 * Call queues ("Warteschlangen") and who is on them: a user adds a queue to their list by logging in and can log out
 * again; routing rings the logged-in members.
 * @packageDocumentation
 */
import { assertExtensionFree, bit, cleanExtension, cleanText, newId, notFound, type StoreContext } from './context.js';
import type { Queue, QueueMember, QueueView, Tenant } from './types.js';

interface QueueViewRow {
  id: string;
  tenant_id: string;
  name: string;
  extension: string;
  member: number;
  logged_in: number;
}

/** The queue part of {@link Store}. */
export interface QueueStore {
  /** Creates a queue. @throws StoreError `not-found`, `validation-failed`, `conflict` (extension in use) */
  createQueue(tenantId: string, input: { name: string; extension: string }): Queue;
  /** The tenant's queues as one user sees them (on their list? logged in?). */
  listQueues(tenantId: string, userId: string): QueueView[];
  /** One queue as one user sees it. */
  getQueue(tenantId: string, queueId: string, userId: string): QueueView | undefined;
  /** The queue with this extension; for routing. */
  findQueueByExtension(tenantId: string, extension: string): Queue | undefined;
  /**
   * Logs a user in to or out of a queue (logging in adds the queue to the user's list).
   * @throws StoreError `not-found` when the queue is not in the tenant
   */
  setQueueLogin(tenantId: string, queueId: string, userId: string, loggedIn: boolean): QueueView;
  /** Takes a queue off the user's list. @returns whether it was on it */
  leaveQueue(tenantId: string, queueId: string, userId: string): boolean;
  /** The members of a queue with their extension and login state; for routing. */
  listQueueMembers(queueId: string): QueueMember[];
  /** Deletes a queue. @returns whether it existed */
  deleteQueue(tenantId: string, queueId: string): boolean;
}

function toView(row: QueueViewRow): QueueView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    extension: row.extension,
    member: row.member === 1,
    loggedIn: row.logged_in === 1,
  };
}

const VIEW = `SELECT q.id, q.tenant_id, q.name, q.extension,
    (m.user_id IS NOT NULL) AS member, coalesce(m.logged_in, 0) AS logged_in
  FROM queues q LEFT JOIN queue_members m ON m.queue_id = q.id AND m.user_id = ?`;

/** Builds the queue part of the store. */
export function queueStore(ctx: StoreContext, getTenant: (id: string) => Tenant | undefined): QueueStore {
  const view = (tenantId: string, queueId: string, userId: string): QueueView | undefined => {
    const row = ctx.sql<[string, string, string], QueueViewRow>(`${VIEW} WHERE q.id = ? AND q.tenant_id = ?`).get(userId, queueId, tenantId);
    return row ? toView(row) : undefined;
  };
  return {
    createQueue(tenantId, input) {
      const tenant = getTenant(tenantId);
      if (!tenant) throw notFound('The tenant');
      const name = cleanText(input.name, 'name', { max: 100 });
      const extension = cleanExtension(input.extension, tenant);
      const id = newId();
      return ctx.tx(() => {
        assertExtensionFree(ctx, tenantId, extension);
        ctx
          .sql<[string, string, string, string, number]>(
            'INSERT INTO queues (id, tenant_id, name, extension, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(id, tenantId, name, extension, ctx.now());
        return { id, tenantId, name, extension };
      });
    },

    listQueues(tenantId, userId) {
      return ctx
        .sql<[string, string], QueueViewRow>(`${VIEW} WHERE q.tenant_id = ? ORDER BY q.name COLLATE NOCASE, q.id`)
        .all(userId, tenantId)
        .map(toView);
    },

    getQueue: view,

    findQueueByExtension(tenantId, extension) {
      return ctx
        .sql<[string, string], Queue>('SELECT id, tenant_id AS tenantId, name, extension FROM queues WHERE tenant_id = ? AND extension = ?')
        .get(tenantId, extension);
    },

    setQueueLogin(tenantId, queueId, userId, loggedIn) {
      return ctx.tx(() => {
        const queue = ctx.sql<[string, string], { id: string }>('SELECT id FROM queues WHERE id = ? AND tenant_id = ?').get(queueId, tenantId);
        const user = ctx.sql<[string, string], { id: string }>('SELECT id FROM users WHERE id = ? AND tenant_id = ?').get(userId, tenantId);
        if (!queue || !user) throw notFound('The queue');
        ctx
          .sql<[string, string, number, number]>(
            `INSERT INTO queue_members (queue_id, user_id, logged_in, changed_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (queue_id, user_id) DO UPDATE SET logged_in = excluded.logged_in, changed_at = excluded.changed_at`,
          )
          .run(queueId, userId, bit(loggedIn), ctx.now());
        const updated = view(tenantId, queueId, userId);
        if (!updated) throw notFound('The queue');
        return updated;
      });
    },

    leaveQueue(tenantId, queueId, userId) {
      return (
        ctx
          .sql<[string, string, string]>(
            'DELETE FROM queue_members WHERE queue_id = (SELECT id FROM queues WHERE id = ? AND tenant_id = ?) AND user_id = ?',
          )
          .run(queueId, tenantId, userId).changes > 0
      );
    },

    listQueueMembers(queueId) {
      return ctx
        .sql<[string], { user_id: string; extension: string; logged_in: number }>(
          `SELECT m.user_id, u.extension, m.logged_in FROM queue_members m JOIN users u ON u.id = m.user_id
           WHERE m.queue_id = ? ORDER BY m.changed_at, u.extension`,
        )
        .all(queueId)
        .map((row) => ({ userId: row.user_id, extension: row.extension, loggedIn: row.logged_in === 1 }));
    },

    deleteQueue(tenantId, queueId) {
      return ctx.sql<[string, string]>('DELETE FROM queues WHERE id = ? AND tenant_id = ?').run(queueId, tenantId).changes > 0;
    },
  };
}
