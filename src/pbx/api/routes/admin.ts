/**
 * Administration (manual part C): users with extensions and set-password links, the tenant's settings, queues and
 * conference rooms. Admins only, and only within their own tenant.
 * @packageDocumentation
 */
import { hashPassword, type Tenant, type User } from '../../store/index.js';
import { created, noContent, ok, type ApiDeps, type AuthedContext, type Route } from '../context.js';
import { ApiError, forbidden, invalid, notFound } from '../errors.js';
import { expectObject, optionalArray, optionalBoolean, optionalEnum, optionalInteger, optionalString, requiredString } from '../input.js';
import { writeOutboxMail } from '../outbox.js';
import { adminUserJson, iso, queueJson, roomJson, tenantAdminJson } from '../serialize.js';

const ROLES = ['admin', 'user'] as const;
const LANGUAGES = ['de', 'en'] as const;

/**
 * Issues a set-password link for a user and delivers it: to the log and, when configured, as a mail file in the
 * outbox. Returns when the link expires.
 */
async function sendSetPasswordLink(deps: ApiDeps, user: User, tenant: Tenant, token: string, expiresAt: number): Promise<void> {
  const link = `${deps.publicUrl.href.replace(/\/+$/, '')}/set-password?token=${encodeURIComponent(token)}`;
  deps.log('info', 'set-password link issued', { userId: user.id, email: user.email, link, expiresAt: iso(expiresAt) });
  if (deps.outboxDir === undefined) return;
  const german = user.language === 'de';
  const text = german
    ? [
        `Hallo ${user.name},`,
        '',
        `für Sie wurde bei ${tenant.name} ein Telefonie-Konto mit der Nebenstelle ${user.extension} angelegt.`,
        'Bitte legen Sie über diesen Link Ihr Passwort fest:',
        '',
        link,
        '',
        `Der Link gilt bis ${iso(expiresAt)} und nur einmal. Ihr Benutzername ist Ihre E-Mail-Adresse: ${user.email}`,
      ]
    : [
        `Hello ${user.name},`,
        '',
        `${tenant.name} has created a telephony account for you with extension ${user.extension}.`,
        'Please set your password with this link:',
        '',
        link,
        '',
        `The link works once, until ${iso(expiresAt)}. Your user name is your e-mail address: ${user.email}`,
      ];
  try {
    const file = await writeOutboxMail(
      deps.outboxDir,
      { to: `${user.name} <${user.email}>`, subject: german ? 'Ihr Passwort festlegen' : 'Set your password', text: text.join('\r\n') },
      deps.now(),
    );
    deps.log('info', 'set-password mail written to outbox', { userId: user.id, file });
  } catch (error) {
    // The account exists and the link is in the log; a full disk must not turn this into a failed request.
    deps.log('error', 'could not write the set-password mail', { userId: user.id, error: String(error) });
  }
}

function targetUser(ctx: AuthedContext): User {
  const user = ctx.deps.store.getUserInTenant(ctx.auth.tenant.id, ctx.params['id'] ?? '');
  if (!user) throw notFound('The user');
  return user;
}

function usersChanged(ctx: AuthedContext): void {
  ctx.deps.events.emit({ type: 'data-changed', tenantId: ctx.auth.tenant.id, area: 'users' });
}

/** The routes of this module. */
export const adminRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/admin/users',
    access: 'admin',
    handle: ({ deps, auth }: AuthedContext) =>
      ok({ users: deps.store.listUsers(auth.tenant.id).map((user) => adminUserJson(user, auth.tenant)) }),
  },
  {
    method: 'POST',
    path: '/admin/users',
    access: 'admin',
    async handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const body = expectObject(ctx.body, ['name', 'email', 'extension', 'role', 'language']);
      const role = optionalEnum(body, 'role', ROLES);
      const language = optionalEnum(body, 'language', LANGUAGES);
      const input = {
        name: requiredString(body, 'name'),
        email: requiredString(body, 'email'),
        extension: requiredString(body, 'extension'),
        ...(role === undefined ? {} : { role }),
        ...(language === undefined ? {} : { language }),
      };
      // The user (with default forwarding and web device) and the link are created together or not at all.
      const { user, reset } = deps.store.transaction(() => {
        const made = deps.store.createUser(auth.tenant.id, input);
        return { user: made.user, reset: deps.store.createPasswordReset(made.user.id, deps.setPasswordTtlMs) };
      });
      await sendSetPasswordLink(deps, user, auth.tenant, reset.token, reset.expiresAt);
      usersChanged(ctx);
      return created({ user: adminUserJson(user, auth.tenant), setPasswordLinkExpiresAt: iso(reset.expiresAt) });
    },
  },
  {
    method: 'GET',
    path: '/admin/users/{id}',
    access: 'admin',
    handle: (ctx: AuthedContext) => ok(adminUserJson(targetUser(ctx), ctx.auth.tenant)),
  },
  {
    method: 'PATCH',
    path: '/admin/users/{id}',
    access: 'admin',
    handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const user = targetUser(ctx);
      const body = expectObject(ctx.body, ['name', 'email', 'extension', 'role', 'language']);
      const role = optionalEnum(body, 'role', ROLES);
      if (role === 'user' && user.role === 'admin' && deps.store.countAdmins(auth.tenant.id) <= 1) {
        throw new ApiError(409, 'conflict', 'The last admin cannot lose the admin role.', { field: 'role' });
      }
      const name = optionalString(body, 'name');
      const email = optionalString(body, 'email');
      const extension = optionalString(body, 'extension');
      const language = optionalEnum(body, 'language', LANGUAGES);
      const updated = deps.store.updateUser(auth.tenant.id, user.id, {
        ...(name === undefined ? {} : { name }),
        ...(email === undefined ? {} : { email }),
        ...(extension === undefined ? {} : { extension }),
        ...(role === undefined ? {} : { role }),
        ...(language === undefined ? {} : { language }),
      });
      usersChanged(ctx);
      return ok(adminUserJson(updated, auth.tenant));
    },
  },
  {
    method: 'DELETE',
    path: '/admin/users/{id}',
    access: 'admin',
    handle(ctx: AuthedContext) {
      const user = targetUser(ctx);
      if (user.id === ctx.auth.user.id) throw forbidden('You cannot delete your own account.');
      ctx.deps.store.deleteUser(ctx.auth.tenant.id, user.id);
      usersChanged(ctx);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/admin/users/{id}/password-link',
    access: 'admin',
    async handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const user = targetUser(ctx);
      const reset = deps.store.createPasswordReset(user.id, deps.setPasswordTtlMs);
      await sendSetPasswordLink(deps, user, auth.tenant, reset.token, reset.expiresAt);
      return ok({ setPasswordLinkExpiresAt: iso(reset.expiresAt) });
    },
  },
  {
    method: 'GET',
    path: '/admin/tenant',
    access: 'admin',
    handle: ({ auth }: AuthedContext) => ok(tenantAdminJson(auth.tenant)),
  },
  {
    method: 'PATCH',
    path: '/admin/tenant',
    access: 'admin',
    handle(ctx: AuthedContext) {
      const body = expectObject(ctx.body, ['name', 'allowedOrigins', 'tollFraud', 'maxConcurrentCalls']);
      const name = optionalString(body, 'name');
      const origins = optionalArray(body, 'allowedOrigins');
      origins?.forEach((origin, index) => {
        if (typeof origin !== 'string') throw invalid(`allowedOrigins.${index}`, 'Origins are text.');
      });
      const maxConcurrentCalls = optionalInteger(body, 'maxConcurrentCalls');
      let allowInternational: boolean | undefined;
      let allowPremium: boolean | undefined;
      if (body['tollFraud'] !== undefined) {
        const policy = expectObject(body['tollFraud'], ['allowInternational', 'allowPremium'], 'tollFraud');
        allowInternational = optionalBoolean(policy, 'allowInternational', 'tollFraud');
        allowPremium = optionalBoolean(policy, 'allowPremium', 'tollFraud');
      }
      const tenant = ctx.deps.store.updateTenant(ctx.auth.tenant.id, {
        ...(name === undefined ? {} : { name }),
        ...(origins === undefined ? {} : { allowedOrigins: origins as string[] }),
        ...(maxConcurrentCalls === undefined ? {} : { maxConcurrentCalls }),
        ...(allowInternational === undefined ? {} : { allowInternational }),
        ...(allowPremium === undefined ? {} : { allowPremium }),
      });
      return ok(tenantAdminJson(tenant));
    },
  },
  {
    method: 'POST',
    path: '/admin/queues',
    access: 'admin',
    handle(ctx: AuthedContext) {
      const body = expectObject(ctx.body, ['name', 'extension']);
      const queue = ctx.deps.store.createQueue(ctx.auth.tenant.id, {
        name: requiredString(body, 'name'),
        extension: requiredString(body, 'extension'),
      });
      ctx.deps.events.emit({ type: 'data-changed', tenantId: ctx.auth.tenant.id, area: 'queues' });
      return created(queueJson({ ...queue, member: false, loggedIn: false }));
    },
  },
  {
    method: 'DELETE',
    path: '/admin/queues/{id}',
    access: 'admin',
    handle(ctx: AuthedContext) {
      if (!ctx.deps.store.deleteQueue(ctx.auth.tenant.id, ctx.params['id'] ?? '')) throw notFound('The queue');
      ctx.deps.events.emit({ type: 'data-changed', tenantId: ctx.auth.tenant.id, area: 'queues' });
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/admin/rooms',
    access: 'admin',
    async handle(ctx: AuthedContext) {
      const body = expectObject(ctx.body, ['name', 'extension', 'pin']);
      const name = requiredString(body, 'name');
      const extension = requiredString(body, 'extension');
      const pin = requiredString(body, 'pin');
      if (!/^\d{4,10}$/.test(pin)) throw invalid('pin', 'A conference PIN is 4 to 10 digits.');
      const room = ctx.deps.store.createRoom(ctx.auth.tenant.id, { name, extension, pinHash: await hashPassword(pin) });
      ctx.deps.events.emit({ type: 'data-changed', tenantId: ctx.auth.tenant.id, area: 'rooms' });
      return created(roomJson({ ...room, subscribed: false }));
    },
  },
  {
    method: 'DELETE',
    path: '/admin/rooms/{id}',
    access: 'admin',
    handle(ctx: AuthedContext) {
      if (!ctx.deps.store.deleteRoom(ctx.auth.tenant.id, ctx.params['id'] ?? '')) throw notFound('The conference room');
      ctx.deps.events.emit({ type: 'data-changed', tenantId: ctx.auth.tenant.id, area: 'rooms' });
      return noContent();
    },
  },
];
