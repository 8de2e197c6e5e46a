/**
 * How store records look in API answers: ids as strings, times as ISO 8601, never a hash or a token.
 * @packageDocumentation
 */
import {
  directNumberOf,
  type Contact,
  type Device,
  type Favorite,
  type HistoryEntry,
  type QueueView,
  type RoomView,
  type Tenant,
  type User,
} from '../store/index.js';

/** Milliseconds since the epoch as ISO 8601. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The tenant as its users see it. */
export function tenantSummaryJson(tenant: Tenant): Record<string, unknown> {
  return {
    id: tenant.id,
    name: tenant.name,
    country: tenant.dialPlan.country,
    mainNumber: tenant.dialPlan.mainNumber,
    extensionDigits: tenant.dialPlan.extensionDigits,
    sipDomain: tenant.sipDomain,
  };
}

/** The tenant as its admins see and edit it. */
export function tenantAdminJson(tenant: Tenant): Record<string, unknown> {
  return {
    ...tenantSummaryJson(tenant),
    allowedOrigins: tenant.allowedOrigins,
    tollFraud: tenant.tollFraud,
    maxConcurrentCalls: tenant.maxConcurrentCalls,
  };
}

/** The signed-in user (`/me`, login answer). */
export function meJson(user: User, tenant: Tenant): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    extension: user.extension,
    language: user.language,
    directNumber: directNumberOf(tenant, user),
    tenant: tenantSummaryJson(tenant),
  };
}

/** A user as an admin sees them. */
export function adminUserJson(user: User, tenant: Tenant): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    extension: user.extension,
    language: user.language,
    directNumber: directNumberOf(tenant, user),
    hasPassword: user.hasPassword,
    createdAt: iso(user.createdAt),
  };
}

/** A device. */
export function deviceJson(device: Device): Record<string, unknown> {
  return { id: device.id, kind: device.kind, name: device.name, number: device.number, createdAt: iso(device.createdAt) };
}

/** A contact, with whether the viewer may change it. */
export function contactJson(contact: Contact, writable: boolean): Record<string, unknown> {
  return {
    id: contact.id,
    scope: contact.scope,
    name: contact.name,
    company: contact.company,
    email: contact.email,
    numbers: contact.numbers,
    writable,
    createdAt: iso(contact.createdAt),
    updatedAt: iso(contact.updatedAt),
  };
}

/** A function key. */
export function favoriteJson(favorite: Favorite): Record<string, unknown> {
  return { id: favorite.id, position: favorite.position, name: favorite.name, type: favorite.type, target: favorite.target };
}

/** A queue as the user sees it. */
export function queueJson(queue: QueueView): Record<string, unknown> {
  return { id: queue.id, name: queue.name, extension: queue.extension, member: queue.member, loggedIn: queue.loggedIn };
}

/** A call list entry. */
export function historyJson(entry: HistoryEntry): Record<string, unknown> {
  return {
    id: entry.id,
    direction: entry.direction,
    peer: entry.peer,
    forwardedBy: entry.forwardedBy,
    result: entry.result,
    startedAt: iso(entry.startedAt),
    durationS: entry.durationS,
  };
}

/** A conference room as the user sees it (never its PIN). */
export function roomJson(room: RoomView): Record<string, unknown> {
  return { id: room.id, name: room.name, extension: room.extension, subscribed: room.subscribed };
}
