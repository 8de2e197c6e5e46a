/**
 * Checks shared by the API clients: ids in paths, and the envelope of answers.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import { invalidResponse, type ApiRequestInfo } from './errors.js';

/** `invalid-argument` with details. */
export function invalidArgument(message: string, details: Record<string, unknown>): CentrexError {
  return new CentrexError('invalid-argument', message, { details });
}

/**
 * One path segment from an id, encoded so that it cannot change the path. Empty ids and the dot segments (which URL
 * parsing would resolve, even encoded) are refused.
 *
 * @throws CentrexError `invalid-argument`
 */
export function pathSegment(id: unknown, name = 'id'): string {
  if (typeof id !== 'string' || id === '' || id === '.' || id === '..') {
    throw invalidArgument(`${name} must be the id of a record, a non-empty string.`, { [name]: id });
  }
  return encodeURIComponent(id);
}

/**
 * Checks that an answer is a JSON object.
 *
 * @throws CentrexError `api-invalid-response`
 */
export function expectObject(value: unknown, request: ApiRequestInfo, what = 'an object'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidResponse(request, `expected ${what}`);
  return value as Record<string, unknown>;
}

/**
 * The array `key` of an answer object, whose items must be objects (the API's list envelopes such as
 * `{ contacts: [...] }`). The items' fields are trusted to follow the contract.
 *
 * @throws CentrexError `api-invalid-response`
 */
export function expectList<T>(value: unknown, key: string, request: ApiRequestInfo): readonly T[] {
  const list = expectObject(value, request)[key];
  if (!Array.isArray(list)) throw invalidResponse(request, `expected a list "${key}"`);
  for (const item of list) expectObject(item, request, `objects in "${key}"`);
  return list as T[];
}
