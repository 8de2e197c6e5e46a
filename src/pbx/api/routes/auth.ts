/**
 * Signing in and out, and passwords: login, logout, the set-password link of the admin flow, changing one's password.
 * @packageDocumentation
 */
import type { IncomingMessage } from 'node:http';
import { dummyHash, hashPassword, verifyPassword } from '../../store/index.js';
import { noContent, ok, type ApiDeps, type AuthedContext, type Route } from '../context.js';
import { ApiError, invalid } from '../errors.js';
import { bearerToken, parseCookies, type Headers } from '../http.js';
import { expectObject, requiredString } from '../input.js';
import { iso, meJson } from '../serialize.js';

/** The name of the session cookie (HttpOnly, SameSite=Strict, Path=/api). */
export const SESSION_COOKIE = 'centrex_session';

/** The token of a request: the bearer token if there is one, else the session cookie. */
export function requestToken(req: IncomingMessage): string | undefined {
  const bearer = bearerToken(req.headers.authorization);
  if (bearer !== undefined) return bearer;
  const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  return cookie !== undefined && /^[A-Za-z0-9_-]{1,200}$/.test(cookie) ? cookie : undefined;
}

function cookie(deps: ApiDeps, value: string, maxAgeS: number): string {
  const secure = deps.publicUrl.protocol === 'https:' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure}`;
}

/**
 * The password rules: 10 to 256 characters, not only one repeated character, and not the e-mail address.
 * @throws ApiError `validation-failed` naming `field`
 */
export function checkNewPassword(password: string, email: string, field = 'password'): void {
  const length = [...password].length;
  if (length < 10) throw invalid(field, 'The password needs at least 10 characters.');
  if (length > 256) throw invalid(field, 'The password can have at most 256 characters.');
  if (new Set(password).size < 3) throw invalid(field, 'The password needs more than two different characters.');
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    throw invalid(field, 'The password must not be the e-mail address.');
  }
}

/** `429 rate-limited` with `Retry-After`. */
export function rateLimited(seconds: number): ApiError {
  return new ApiError(429, 'rate-limited', `Too many failed attempts from your address; try again in ${seconds} s.`, {
    headers: { 'Retry-After': String(seconds) },
  });
}

/** `403 origin-not-allowed` (answered without CORS headers). */
export function originNotAllowed(origin: string): ApiError {
  return new ApiError(403, 'origin-not-allowed', `Pages on ${origin} may not use this company's account.`);
}

/** The routes of this module. */
export const authRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/login',
    access: 'public',
    async handle(ctx) {
      const { deps, client } = ctx;
      const wait = deps.loginLimiter.retryAfter(client);
      if (wait > 0) throw rateLimited(wait);
      const body = expectObject(ctx.body, ['email', 'password']);
      const email = requiredString(body, 'email');
      const password = requiredString(body, 'password');
      const found = deps.store.findLoginByEmail(email);
      // Unknown users and users without a password are checked against a dummy hash: same work, same answer.
      const hash = found?.passwordHash ?? (await dummyHash());
      const matches = await verifyPassword(password, hash);
      if (!found || found.passwordHash === null || !matches) {
        const locked = deps.loginLimiter.fail(client);
        deps.log('warn', 'API login failed', { client, lockedForS: locked });
        throw new ApiError(401, 'invalid-credentials', 'The e-mail address or the password is wrong.');
      }
      const tenant = deps.store.getTenant(found.user.tenantId);
      if (!tenant) throw new ApiError(401, 'invalid-credentials', 'The e-mail address or the password is wrong.');
      if (ctx.origin !== undefined && !ctx.sameOrigin && !tenant.allowedOrigins.includes(ctx.origin)) {
        throw originNotAllowed(ctx.origin);
      }
      const issued = deps.store.createSession(found.user.id, deps.sessionTtlMs);
      deps.log('info', 'API login', { userId: found.user.id, client });
      const headers: Headers = { 'Set-Cookie': cookie(deps, issued.token, Math.floor(deps.sessionTtlMs / 1000)) };
      return ok({ token: issued.token, expiresAt: iso(issued.expiresAt), user: meJson(found.user, tenant) }, headers);
    },
  },
  {
    method: 'POST',
    path: '/logout',
    access: 'public',
    handle(ctx) {
      const token = requestToken(ctx.req);
      const session = token === undefined ? undefined : ctx.deps.store.findSession(token);
      if (session) {
        ctx.deps.closeStreams(session.id);
        ctx.deps.store.deleteSession(session.id);
      }
      return noContent({ 'Set-Cookie': cookie(ctx.deps, '', 0) });
    },
  },
  {
    method: 'POST',
    path: '/password',
    access: 'public',
    async handle(ctx) {
      const { deps } = ctx;
      const body = expectObject(ctx.body, ['token', 'password']);
      const token = requiredString(body, 'token');
      const password = requiredString(body, 'password');
      const reset = deps.store.findPasswordReset(token);
      const user = reset ? deps.store.getUser(reset.userId) : undefined;
      if (!reset || !user) {
        throw new ApiError(400, 'invalid-token', 'This link is invalid, has expired or was used already; ask your admin for a new one.', {
          field: 'token',
        });
      }
      checkNewPassword(password, user.email);
      const hash = await hashPassword(password);
      // Checked again inside the transaction: the same link may have been used while the hash was computed.
      if (deps.store.consumePasswordReset(token, hash) === undefined) {
        throw new ApiError(400, 'invalid-token', 'This link is invalid, has expired or was used already.', { field: 'token' });
      }
      deps.log('info', 'password set with link', { userId: user.id });
      return ok({ email: user.email });
    },
  },
  {
    method: 'POST',
    path: '/me/password',
    access: 'user',
    async handle(ctx: AuthedContext) {
      const { deps, auth, client } = ctx;
      const wait = deps.loginLimiter.retryAfter(client);
      if (wait > 0) throw rateLimited(wait);
      const body = expectObject(ctx.body, ['currentPassword', 'newPassword']);
      const current = requiredString(body, 'currentPassword');
      const next = requiredString(body, 'newPassword');
      const hash = deps.store.getPasswordHash(auth.user.id) ?? (await dummyHash());
      if (!(await verifyPassword(current, hash))) {
        deps.loginLimiter.fail(client);
        throw new ApiError(403, 'forbidden', 'The current password is wrong.');
      }
      checkNewPassword(next, auth.user.email, 'newPassword');
      deps.store.setPasswordHash(auth.user.id, await hashPassword(next));
      deps.store.deleteSessionsOfUser(auth.user.id, auth.session.id);
      return noContent();
    },
  },
];
