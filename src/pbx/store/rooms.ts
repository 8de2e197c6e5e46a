/**
 * Conference rooms: name, extension and PIN (stored as a hash), and which users subscribed to them (manual B.5:
 * subscribing needs the PIN; the menu item appears once a user has a subscription).
 * @packageDocumentation
 */
import { assertExtensionFree, cleanExtension, cleanText, newId, notFound, type StoreContext } from './context.js';
import type { Room, RoomView, Tenant } from './types.js';

interface RoomViewRow {
  id: string;
  tenant_id: string;
  name: string;
  extension: string;
  subscribed: number;
}

/** The conference room part of {@link Store}. */
export interface RoomStore {
  /**
   * Creates a room; the PIN arrives hashed (`hashPassword`).
   * @throws StoreError `not-found`, `validation-failed`, `conflict` (extension in use)
   */
  createRoom(tenantId: string, input: { name: string; extension: string; pinHash: string }): Room;
  /** The tenant's rooms as one user sees them. */
  listRooms(tenantId: string, userId: string): RoomView[];
  /** One room as one user sees it. */
  getRoom(tenantId: string, roomId: string, userId: string): RoomView | undefined;
  /** The room with this extension; for the conference service. */
  findRoomByExtension(tenantId: string, extension: string): Room | undefined;
  /** The PIN hash of a room in the tenant, to check a PIN against. */
  getRoomPinHash(tenantId: string, roomId: string): string | undefined;
  /** Subscribes a user (the caller has checked the PIN). @throws StoreError `not-found` */
  subscribeRoom(tenantId: string, roomId: string, userId: string): RoomView;
  /** Ends a subscription. @returns whether there was one */
  unsubscribeRoom(tenantId: string, roomId: string, userId: string): boolean;
  /** Deletes a room. @returns whether it existed */
  deleteRoom(tenantId: string, roomId: string): boolean;
}

const VIEW = `SELECT r.id, r.tenant_id, r.name, r.extension, (s.user_id IS NOT NULL) AS subscribed
  FROM rooms r LEFT JOIN room_subscriptions s ON s.room_id = r.id AND s.user_id = ?`;

function toView(row: RoomViewRow): RoomView {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, extension: row.extension, subscribed: row.subscribed === 1 };
}

/** Builds the room part of the store. */
export function roomStore(ctx: StoreContext, getTenant: (id: string) => Tenant | undefined): RoomStore {
  const view = (tenantId: string, roomId: string, userId: string): RoomView | undefined => {
    const row = ctx.sql<[string, string, string], RoomViewRow>(`${VIEW} WHERE r.id = ? AND r.tenant_id = ?`).get(userId, roomId, tenantId);
    return row ? toView(row) : undefined;
  };
  return {
    createRoom(tenantId, input) {
      const tenant = getTenant(tenantId);
      if (!tenant) throw notFound('The tenant');
      const name = cleanText(input.name, 'name', { max: 100 });
      const extension = cleanExtension(input.extension, tenant);
      const id = newId();
      return ctx.tx(() => {
        assertExtensionFree(ctx, tenantId, extension);
        ctx
          .sql<[string, string, string, string, string, number]>(
            'INSERT INTO rooms (id, tenant_id, name, extension, pin_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(id, tenantId, name, extension, input.pinHash, ctx.now());
        return { id, tenantId, name, extension };
      });
    },

    listRooms(tenantId, userId) {
      return ctx
        .sql<[string, string], RoomViewRow>(`${VIEW} WHERE r.tenant_id = ? ORDER BY r.name COLLATE NOCASE, r.id`)
        .all(userId, tenantId)
        .map(toView);
    },

    getRoom: view,

    findRoomByExtension(tenantId, extension) {
      return ctx
        .sql<[string, string], Room>('SELECT id, tenant_id AS tenantId, name, extension FROM rooms WHERE tenant_id = ? AND extension = ?')
        .get(tenantId, extension);
    },

    getRoomPinHash(tenantId, roomId) {
      return ctx.sql<[string, string], { pin_hash: string }>('SELECT pin_hash FROM rooms WHERE id = ? AND tenant_id = ?').get(roomId, tenantId)
        ?.pin_hash;
    },

    subscribeRoom(tenantId, roomId, userId) {
      return ctx.tx(() => {
        const room = ctx.sql<[string, string], { id: string }>('SELECT id FROM rooms WHERE id = ? AND tenant_id = ?').get(roomId, tenantId);
        const user = ctx.sql<[string, string], { id: string }>('SELECT id FROM users WHERE id = ? AND tenant_id = ?').get(userId, tenantId);
        if (!room || !user) throw notFound('The conference room');
        ctx
          .sql<[string, string, number]>('INSERT OR IGNORE INTO room_subscriptions (room_id, user_id, created_at) VALUES (?, ?, ?)')
          .run(roomId, userId, ctx.now());
        const updated = view(tenantId, roomId, userId);
        if (!updated) throw notFound('The conference room');
        return updated;
      });
    },

    unsubscribeRoom(tenantId, roomId, userId) {
      return (
        ctx
          .sql<[string, string, string]>(
            'DELETE FROM room_subscriptions WHERE room_id = (SELECT id FROM rooms WHERE id = ? AND tenant_id = ?) AND user_id = ?',
          )
          .run(roomId, tenantId, userId).changes > 0
      );
    },

    deleteRoom(tenantId, roomId) {
      return ctx.sql<[string, string]>('DELETE FROM rooms WHERE id = ? AND tenant_id = ?').run(roomId, tenantId).changes > 0;
    },
  };
}
