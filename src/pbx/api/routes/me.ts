/**
 * The signed-in user's own data: account, settings (manual B.3), devices ("Anrufen mit"), SIP credentials and
 * forwarding (manual B.4).
 * @packageDocumentation
 */
import type { ForwardingSettings } from '../../../core/forwarding/index.js';
import { dummyHash, hashPassword, verifyPassword, type UserSettingsUpdate } from '../../store/index.js';
import { created, noContent, ok, type AuthedContext, type Route } from '../context.js';
import { ApiError, forbidden, invalid, notFound } from '../errors.js';
import {
  checkForwardingFields,
  expectObject,
  nullableString,
  optionalBoolean,
  optionalEnum,
  optionalString,
  requiredString,
  type JsonObject,
} from '../input.js';
import { deviceJson, iso, meJson } from '../serialize.js';
import { rateLimited } from './auth.js';

function readSettingsUpdate(body: JsonObject): { update: UserSettingsUpdate; pin: string | null | undefined } {
  const primaryDevice = nullableString(body, 'primaryDevice');
  let parallelCall: UserSettingsUpdate['parallelCall'];
  if (body['parallelCall'] !== undefined) {
    const parallel = expectObject(body['parallelCall'], ['enabled', 'target'], 'parallelCall');
    const enabled = optionalBoolean(parallel, 'enabled', 'parallelCall');
    const target = nullableString(parallel, 'target', 'parallelCall');
    parallelCall = { ...(enabled === undefined ? {} : { enabled }), ...(target === undefined ? {} : { target }) };
  }
  let voicemail: { sendByEmail?: boolean; deleteAfterEmail?: boolean } = {};
  let pin: string | null | undefined;
  if (body['voicemail'] !== undefined) {
    const mail = expectObject(body['voicemail'], ['sendByEmail', 'deleteAfterEmail', 'pin'], 'voicemail');
    const sendByEmail = optionalBoolean(mail, 'sendByEmail', 'voicemail');
    const deleteAfterEmail = optionalBoolean(mail, 'deleteAfterEmail', 'voicemail');
    pin = nullableString(mail, 'pin', 'voicemail');
    if (typeof pin === 'string' && !/^\d{4,8}$/.test(pin)) throw invalid('voicemail.pin', 'The voicemail PIN is 4 to 8 digits.');
    voicemail = {
      ...(sendByEmail === undefined ? {} : { sendByEmail }),
      ...(deleteAfterEmail === undefined ? {} : { deleteAfterEmail }),
    };
  }
  const flags = ['welcomeSound', 'callWaiting', 'intercom', 'dnd'] as const;
  const update: Record<string, unknown> = {};
  for (const key of flags) {
    const value = optionalBoolean(body, key);
    if (value !== undefined) update[key] = value;
  }
  return {
    update: {
      ...(update as Pick<UserSettingsUpdate, (typeof flags)[number]>),
      ...(primaryDevice === undefined ? {} : { primaryDevice }),
      ...(parallelCall === undefined ? {} : { parallelCall }),
      ...(body['voicemail'] === undefined ? {} : { voicemail }),
    },
    pin,
  };
}

/** The routes of this module. */
export const meRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/me',
    access: 'user',
    handle: ({ auth }: AuthedContext) => ok(meJson(auth.user, auth.tenant)),
  },
  {
    method: 'PATCH',
    path: '/me',
    access: 'user',
    async handle(ctx: AuthedContext) {
      const { deps, auth, client } = ctx;
      const body = expectObject(ctx.body, ['name', 'email', 'language', 'currentPassword']);
      const name = optionalString(body, 'name');
      const email = optionalString(body, 'email');
      const language = optionalEnum(body, 'language', ['de', 'en'] as const);
      const currentPassword = optionalString(body, 'currentPassword');
      if (email !== undefined && email.trim().toLowerCase() !== auth.user.email.toLowerCase()) {
        // The e-mail address is the login: changing it needs the password, like changing the password does.
        const wait = deps.loginLimiter.retryAfter(client);
        if (wait > 0) throw rateLimited(wait);
        if (currentPassword === undefined) throw invalid('currentPassword', 'Give your current password to change the e-mail address.');
        const hash = deps.store.getPasswordHash(auth.user.id) ?? (await dummyHash());
        if (!(await verifyPassword(currentPassword, hash))) {
          deps.loginLimiter.fail(client);
          throw new ApiError(403, 'forbidden', 'The current password is wrong.');
        }
      }
      const user = deps.store.updateUser(auth.tenant.id, auth.user.id, {
        ...(name === undefined ? {} : { name }),
        ...(email === undefined ? {} : { email }),
        ...(language === undefined ? {} : { language }),
      });
      deps.events.emit({ type: 'data-changed', tenantId: auth.tenant.id, area: 'users' });
      return ok(meJson(user, auth.tenant));
    },
  },
  {
    method: 'GET',
    path: '/me/settings',
    access: 'user',
    handle: ({ deps, auth }: AuthedContext) => ok(deps.store.getUserSettings(auth.user.id)),
  },
  {
    method: 'PATCH',
    path: '/me/settings',
    access: 'user',
    async handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const body = expectObject(ctx.body, [
        'primaryDevice',
        'welcomeSound',
        'callWaiting',
        'intercom',
        'parallelCall',
        'dnd',
        'voicemail',
      ]);
      const { update, pin } = readSettingsUpdate(body);
      const pinHash = pin === undefined ? undefined : pin === null ? null : await hashPassword(pin);
      const settings = deps.store.updateUserSettings(auth.user.id, {
        ...update,
        ...(pinHash === undefined ? {} : { voicemail: { ...(update.voicemail ?? {}), pinHash } }),
      });
      deps.events.emit({ type: 'settings-changed', tenantId: auth.tenant.id, userId: auth.user.id });
      return ok(settings);
    },
  },
  {
    method: 'GET',
    path: '/me/devices',
    access: 'user',
    handle: ({ deps, auth }: AuthedContext) => ok({ devices: deps.store.listDevices(auth.user.id).map(deviceJson) }),
  },
  {
    method: 'POST',
    path: '/me/devices',
    access: 'user',
    handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const body = expectObject(ctx.body, ['kind', 'name', 'number']);
      // Users add their own external numbers ("Anrufen mit" → "+ Hinzufügen"); phones are set up by admins.
      optionalEnum(body, 'kind', ['external'] as const);
      const device = deps.store.addDevice(auth.user.id, {
        kind: 'external',
        name: requiredString(body, 'name'),
        number: requiredString(body, 'number'),
      });
      deps.events.emit({ type: 'data-changed', tenantId: auth.tenant.id, userId: auth.user.id, area: 'devices' });
      return created(deviceJson(device));
    },
  },
  {
    method: 'DELETE',
    path: '/me/devices/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      const { deps, auth, params } = ctx;
      const device = deps.store.getDevice(auth.user.id, params['id'] ?? '');
      if (!device) throw notFound('The device');
      if (device.kind !== 'external') throw forbidden('Only external numbers can be removed here; ask your admin about phones.');
      deps.store.deleteDevice(auth.user.id, device.id);
      deps.events.emit({ type: 'data-changed', tenantId: auth.tenant.id, userId: auth.user.id, area: 'devices' });
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/me/sip',
    access: 'user',
    handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const device =
        deps.store.webDeviceOf(auth.user.id) ??
        deps.store.addDevice(auth.user.id, { kind: 'web', name: auth.user.language === 'de' ? 'Web-App' : 'Web app' });
      // The credential never outlives the session it was issued under (and signing out revokes it).
      const ttl = Math.min(deps.sipCredentialTtlMs, auth.session.expiresAt - deps.now());
      if (ttl <= 0) throw new ApiError(401, 'unauthorized', 'The session has expired; sign in again.');
      const credential = deps.store.issueSipCredential({
        userId: auth.user.id,
        deviceId: device.id,
        ttlMs: ttl,
        sessionId: auth.session.id,
      });
      const base = deps.publicUrl.href.replace(/\/+$/, '');
      const websocketUrl = `${deps.publicUrl.protocol === 'https:' ? 'wss' : 'ws'}${base.slice(base.indexOf(':'))}/sip`;
      return ok({
        websocketUrl,
        uri: `sip:${auth.user.extension}@${auth.tenant.sipDomain}`,
        authorizationUsername: credential.username,
        password: credential.password,
        realm: credential.realm,
        expiresAt: iso(credential.expiresAt),
        displayName: auth.user.name,
        deviceId: device.id,
      });
    },
  },
  {
    method: 'GET',
    path: '/me/forwarding',
    access: 'user',
    handle: ({ deps, auth }: AuthedContext) => ok(deps.store.getForwarding(auth.user.id)),
  },
  {
    method: 'PUT',
    path: '/me/forwarding',
    access: 'user',
    handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      checkForwardingFields(ctx.body);
      // The field check above proved the shape's keys; the store runs the core validation on the values.
      const settings = deps.store.setForwarding(auth.user.id, ctx.body as ForwardingSettings);
      deps.events.emit({ type: 'forwarding-changed', tenantId: auth.tenant.id, userId: auth.user.id, settings, source: 'api' });
      return ok(settings);
    },
  },
];
