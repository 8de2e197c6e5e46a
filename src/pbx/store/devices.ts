/**
 * Devices of a user ("Anrufen mit"): the web app, desk and mobile phones, and external numbers.
 * @packageDocumentation
 */
import { cleanText, newId, notFound, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import { checkDestination } from './policy.js';
import type { Device, DeviceKind, NewDevice, Tenant } from './types.js';

interface DeviceRow {
  id: string;
  user_id: string;
  tenant_id: string;
  kind: string;
  name: string;
  number: string | null;
  created_at: number;
}

const KINDS: readonly DeviceKind[] = ['web', 'desk', 'mobile', 'external'];

/** The most devices one user can have. */
export const MAX_DEVICES = 20;

/** The device part of {@link Store}. */
export interface DeviceStore {
  /** The user's devices, web app first, then in the order they were added. */
  listDevices(userId: string): Device[];
  /** One of the user's devices. */
  getDevice(userId: string, deviceId: string): Device | undefined;
  /** The user's web app device (every user has one from the start). */
  webDeviceOf(userId: string): Device | undefined;
  /**
   * Adds a device. An external device's number is stored in E.164 and must pass the tenant's toll-fraud policy,
   * since click-to-dial rings it first.
   * @throws StoreError `not-found`, `validation-failed`, `destination-not-allowed`
   */
  addDevice(userId: string, input: NewDevice): Device;
  /**
   * Removes a device (and the SIP credentials issued for it). The web app device cannot be removed.
   * @returns whether a device was removed
   * @throws StoreError `validation-failed` for the web app device
   */
  deleteDevice(userId: string, deviceId: string): boolean;
}

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    userId: row.user_id,
    tenantId: row.tenant_id,
    kind: KINDS.includes(row.kind as DeviceKind) ? (row.kind as DeviceKind) : 'desk',
    name: row.name,
    number: row.number,
    createdAt: row.created_at,
  };
}

/** Builds the device part of the store. */
export function deviceStore(ctx: StoreContext, tenantOfUser: (userId: string) => Tenant | undefined): DeviceStore {
  const get = (userId: string, deviceId: string): Device | undefined => {
    const row = ctx.sql<[string, string], DeviceRow>('SELECT * FROM devices WHERE id = ? AND user_id = ?').get(deviceId, userId);
    return row ? toDevice(row) : undefined;
  };
  return {
    listDevices(userId) {
      return ctx
        .sql<[string], DeviceRow>(
          "SELECT * FROM devices WHERE user_id = ? ORDER BY kind <> 'web', created_at, rowid",
        )
        .all(userId)
        .map(toDevice);
    },

    getDevice: get,

    webDeviceOf(userId) {
      const row = ctx
        .sql<[string], DeviceRow>("SELECT * FROM devices WHERE user_id = ? AND kind = 'web' ORDER BY created_at LIMIT 1")
        .get(userId);
      return row ? toDevice(row) : undefined;
    },

    addDevice(userId, input) {
      const tenant = tenantOfUser(userId);
      if (!tenant) throw notFound('The user');
      if (!KINDS.includes(input.kind)) {
        throw new StoreError('validation-failed', 'kind must be web, desk, mobile or external.', { field: 'kind' });
      }
      const name = cleanText(input.name, 'name', { max: 100 });
      let number: string | null = null;
      if (input.kind === 'external') {
        if (typeof input.number !== 'string') {
          throw new StoreError('validation-failed', 'An external device needs its phone number.', { field: 'number' });
        }
        const checked = checkDestination(input.number, tenant);
        if (!checked.allowed) {
          throw new StoreError(checked.reason === 'invalid' ? 'validation-failed' : 'destination-not-allowed', checked.message, {
            field: 'number',
          });
        }
        if (checked.kind !== 'external') {
          throw new StoreError('validation-failed', 'An external device needs a phone number, not an extension.', {
            field: 'number',
          });
        }
        number = checked.e164;
      } else if (input.number !== undefined) {
        throw new StoreError('validation-failed', 'Only external devices have a number.', { field: 'number' });
      }
      const id = newId();
      return ctx.tx(() => {
        const count = ctx.sql<[string], { n: number }>('SELECT count(*) AS n FROM devices WHERE user_id = ?').get(userId)?.n ?? 0;
        if (count >= MAX_DEVICES) {
          throw new StoreError('validation-failed', `A user can have at most ${MAX_DEVICES} devices; remove one first.`);
        }
        ctx
          .sql<[string, string, string, string, string, string | null, number]>(
            'INSERT INTO devices (id, user_id, tenant_id, kind, name, number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(id, userId, tenant.id, input.kind, name, number, ctx.now());
        const device = get(userId, id);
        if (!device) throw notFound('The new device');
        return device;
      });
    },

    deleteDevice(userId, deviceId) {
      return ctx.tx(() => {
        const device = get(userId, deviceId);
        if (!device) return false;
        if (device.kind === 'web') {
          throw new StoreError('validation-failed', 'The web app device cannot be removed.', { field: 'device' });
        }
        ctx.sql<[string, string]>('DELETE FROM devices WHERE id = ? AND user_id = ?').run(deviceId, userId);
        return true;
      });
    },
  };
}
