/**
 * CORS: pages on other origins may call the API only when the user's tenant allows their origin.
 * @packageDocumentation
 */
import type { IncomingMessage } from 'node:http';
import type { Headers } from './http.js';

/** The methods and request headers a preflight may ask for. */
export const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'last-event-id'];

/** The `Origin` header of a request, if it carries a real origin. */
export function requestOrigin(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  return typeof origin === 'string' && origin !== '' && origin !== 'null' ? origin : undefined;
}

/** Whether `origin` is the API's own origin (the public URL's, or the one the request was addressed to). */
export function isSameOrigin(origin: string, req: IncomingMessage, publicOrigin: string): boolean {
  if (origin === publicOrigin) return true;
  const host = req.headers.host;
  if (typeof host !== 'string' || host === '') return false;
  const scheme = 'encrypted' in req.socket && req.socket.encrypted === true ? 'https' : 'http';
  return origin === `${scheme}://${host.toLowerCase()}`;
}

/** The headers that let `origin` read the answer, with credentials. */
export function corsHeaders(origin: string): Headers {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': 'Retry-After',
    Vary: 'Origin',
  };
}

/**
 * The answer headers of a preflight from an origin some tenant allows, or `undefined` when the method or a
 * requested header is not one the API accepts.
 */
export function preflightHeaders(origin: string, req: IncomingMessage): Headers | undefined {
  const method = String(req.headers['access-control-request-method'] ?? '').toUpperCase();
  if (!CORS_METHODS.split(', ').includes(method)) return undefined;
  const requested = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (requested.some((name) => !CORS_REQUEST_HEADERS.includes(name))) return undefined;
  return {
    ...corsHeaders(origin),
    'Access-Control-Allow-Methods': CORS_METHODS,
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID',
    'Access-Control-Max-Age': '600',
  };
}
