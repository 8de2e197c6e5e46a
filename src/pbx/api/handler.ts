/**
 * `createApiHandler`: the Centrex API on node:http, under `/api/v1`.
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAX_DOCUMENT_LIMITS } from '../../core/fax/limits.js';
import type { ApiDeps, ApiLog, ApiOptions, Auth, AuthedContext, Reply, RequestContext, Route } from './context.js';
import { corsHeaders, isSameOrigin, preflightHeaders, requestOrigin } from './cors.js';
import { ApiError, forbidden, toApiError } from './errors.js';
import { parseJsonBody, readBody, sendJson, socketAddress, type Headers } from './http.js';
import { FailureLimiter } from './limiter.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes, originNotAllowed, requestToken } from './routes/auth.js';
import { callRoutes } from './routes/calls.js';
import { contactRoutes } from './routes/contacts.js';
import { eventRoutes } from './routes/events.js';
import { faxAdminRoutes, faxRoutes } from './routes/fax.js';
import { favoriteRoutes } from './routes/favorites.js';
import { meRoutes } from './routes/me.js';
import { telephonyRoutes } from './routes/telephony.js';

/** The path prefix the API owns. */
export const API_PREFIX = '/api/v1';

/**
 * A node:http request handler for the API: returns `false` (and does nothing) for paths outside `/api/v1`, so the
 * PBX can serve `/sip` WebSocket upgrades and static files on the same port; `true` when it took the request.
 */
export interface ApiHandler {
  (req: IncomingMessage, res: ServerResponse): boolean;
  /** Ends every open event stream (for shutdown). */
  close(): void;
}

const ROUTES: readonly Route[] = [
  ...authRoutes,
  ...meRoutes,
  ...contactRoutes,
  ...favoriteRoutes,
  ...telephonyRoutes,
  ...callRoutes,
  ...adminRoutes,
  ...faxRoutes,
  ...faxAdminRoutes,
  ...eventRoutes,
];

/** Every endpoint of the API (method, path under `/api/v1`, who may call it); `docs/openapi.yaml` lists the same. */
export const API_ROUTES: readonly { readonly method: string; readonly path: string; readonly access: Route['access'] }[] = ROUTES.map(
  ({ method, path, access }) => ({ method, path, access }),
);

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// Path parameters are ids: refusing anything else early keeps odd bytes away from the store and the logs.
const PARAM = /^[A-Za-z0-9_-]{1,64}$/;

interface Match {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** Finds the route for a path; `allowed` lists the methods the path has when the method does not match. */
function findRoute(method: string, path: string): { match?: Match; allowed: string[] } {
  const segments = path.split('/').filter((segment) => segment !== '');
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const pattern = route.path.split('/').filter((segment) => segment !== '');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith('{')) {
        if (!PARAM.test(segment)) return false;
        params[part.slice(1, -1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (!fits) continue;
    if (route.method === method) return { match: { route, params }, allowed };
    allowed.push(route.method);
  }
  return { allowed };
}

const silentLog: ApiLog = () => undefined;

/**
 * Creates the API handler.
 *
 * Every answer is JSON (`{ code, message, field? }` for errors) except `GET /api/v1/events` (server-sent events).
 * Requests are authenticated with a bearer token or the session cookie and authorised per user and tenant; pages on
 * other origins are served only when the user's tenant allows their origin.
 */
export function createApiHandler(options: ApiOptions): ApiHandler {
  const now = options.clock ?? (() => options.store.now());
  const streams = new Map<string, Set<() => void>>();
  const publicUrl = new URL(options.publicUrl);
  const deps: ApiDeps = {
    store: options.store,
    events: options.events,
    publicUrl,
    outboxDir: options.outboxDir,
    log: options.log ?? silentLog,
    now,
    callControl: options.callControl,
    fax: options.fax,
    sessionTtlMs: options.sessionTtlMs ?? 12 * 3600 * 1000,
    sipCredentialTtlMs: options.sipCredentialTtlMs ?? 12 * 3600 * 1000,
    setPasswordTtlMs: options.setPasswordTtlMs ?? 72 * 3600 * 1000,
    loginLimiter: new FailureLimiter(options.loginLimit ?? {}, now),
    pinLimiter: new FailureLimiter(options.loginLimit ?? {}, now),
    heartbeatMs: options.heartbeatMs ?? 25_000,
    closeStreams: (sessionId) => {
      for (const close of [...(streams.get(sessionId) ?? [])]) close();
    },
    trackStream: (sessionId, close) => {
      const set = streams.get(sessionId) ?? new Set<() => void>();
      set.add(close);
      streams.set(sessionId, set);
      return () => {
        set.delete(close);
        if (set.size === 0) streams.delete(sessionId);
      };
    },
  };
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  // A fax document travels as base64 in JSON (4/3 of its size) or as a file part; the other fields are small.
  const maxUploadBytes =
    options.maxUploadBytes ?? Math.ceil(((options.fax?.maxDocumentBytes ?? FAX_DOCUMENT_LIMITS.maxBytes) * 4) / 3) + 64 * 1024;
  const clientAddress = options.clientAddress ?? socketAddress;
  const publicOrigin = publicUrl.origin;

  async function serve(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = requestOrigin(req);
    const sameOrigin = origin !== undefined && isSameOrigin(origin, req, publicOrigin);
    const crossOrigin = origin !== undefined && !sameOrigin;
    // Before sign-in only "some tenant allows it" can be known; after it, the user's own tenant decides.
    const knownOrigin = crossOrigin && deps.store.isOriginAllowedByAnyTenant(origin);
    let cors: Headers = knownOrigin ? corsHeaders(origin) : {};

    try {
      if (method === 'OPTIONS') {
        const headers = knownOrigin ? preflightHeaders(origin, req) : undefined;
        if (crossOrigin && !headers) throw new ApiError(403, 'origin-not-allowed', 'This origin may not call the API.');
        sendJson(res, 204, undefined, headers ?? { Allow: 'GET, POST, PUT, PATCH, DELETE, OPTIONS' });
        return;
      }
      if (crossOrigin && !knownOrigin) throw originNotAllowed(origin);

      const { match, allowed } = findRoute(method, path);
      if (!match) {
        if (allowed.length > 0) {
          throw new ApiError(405, 'method-not-allowed', `Use ${allowed.join(' or ')} here.`, { headers: { Allow: allowed.join(', ') } });
        }
        throw new ApiError(404, 'not-found', 'There is no such API endpoint.');
      }
      const { route, params } = match;

      let auth: Auth | undefined;
      if (route.access !== 'public') {
        auth = authenticate(req);
        if (crossOrigin && !auth.tenant.allowedOrigins.includes(origin)) {
          cors = {};
          throw originNotAllowed(origin);
        }
        if (route.access === 'admin' && auth.user.role !== 'admin') throw forbidden('This needs an admin account.');
      }

      const upload = route.access !== 'public' && route.upload === true;
      // Uploads are refused as soon as they pass the limit (not drained up to 16×): they are large to begin with.
      const raw = BODY_METHODS.has(method)
        ? await readBody(req, upload ? maxUploadBytes : maxBodyBytes, upload ? 1 : 16)
        : undefined;
      const body = raw !== undefined && !upload ? parseJsonBody(req, raw) : undefined;
      const base: RequestContext = {
        req,
        res,
        deps,
        params,
        query,
        body,
        raw: upload ? raw : undefined,
        client: clientAddress(req),
        origin,
        sameOrigin,
        cors,
      };
      const reply: Reply =
        route.access === 'public' ? await route.handle(base) : await route.handle({ ...base, auth } as AuthedContext);
      if (reply === 'streaming') return;
      sendJson(res, reply.status, reply.body, { ...cors, ...(reply.headers ?? {}) });
    } catch (error) {
      const failure = toApiError(error);
      if (failure.status >= 500) {
        deps.log('error', 'API request failed', { method, path, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
      // An origin the tenant does not allow gets no CORS headers, so its page cannot even read the refusal.
      const headers = failure.code === 'origin-not-allowed' ? {} : cors;
      sendJson(res, failure.status, failure.toBody(), { ...headers, ...failure.headers });
    }
  }

  function authenticate(req: IncomingMessage): Auth {
    const token = requestToken(req);
    const session = token === undefined ? undefined : deps.store.findSession(token);
    const user = session ? deps.store.getUser(session.userId) : undefined;
    const tenant = user ? deps.store.getTenant(user.tenantId) : undefined;
    if (!session || !user || !tenant) {
      throw new ApiError(401, 'unauthorized', 'Sign in first (the session is missing, expired or signed out).', {
        headers: { 'WWW-Authenticate': 'Bearer realm="centrex"' },
      });
    }
    return { session, user, tenant };
  }

  const handler = (req: IncomingMessage, res: ServerResponse): boolean => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://api.invalid');
    } catch {
      return false;
    }
    const path = url.pathname;
    if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) return false;
    serve(req, res, path.slice(API_PREFIX.length) || '/', url.searchParams).catch((error: unknown) => {
      // serve() answers every failure itself; this only runs if writing the answer failed (a vanished client).
      deps.log('warn', 'could not answer an API request', { error: String(error) });
      if (!res.headersSent) res.destroy();
    });
    return true;
  };
  return Object.assign(handler, {
    close(): void {
      for (const sessionId of [...streams.keys()]) deps.closeStreams(sessionId);
    },
  });
}
