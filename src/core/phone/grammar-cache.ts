/**
 * A memo in front of sip.js's SIP grammar.
 *
 * sip.js parses headers with a generated parser that rebuilds its ~1000-entry bytecode and constant tables on every
 * call: about 0.4 ms per header and 5–10 ms per message in Chromium on a small machine, several times what the
 * network costs on a LAN. The same header values come back again and again (status lines, the PBX's Via and
 * Record-Route, From/To/Call-ID of a dialog, Content-Length), so results are remembered per rule and input, and each
 * caller gets its own deep copy (sip.js changes parsed headers in place, for example when it adds a tag).
 *
 * Installed once per page by the first {@link Phone}; it changes speed, never results.
 *
 * @packageDocumentation
 */
import { Grammar } from 'sip.js';

/** Longest input worth remembering; longer values (large SDP-like headers) are parsed every time. */
const MAX_INPUT = 1024;

let installed: { hits: number; misses: number } | undefined;

/**
 * Puts the memo in front of `Grammar.parse` (idempotent).
 *
 * @param capacity - how many distinct (rule, input) results to keep; the least recently used go first
 * @internal
 */
export function installGrammarCache(capacity = 512): void {
  if (installed) return;
  const counters = { hits: 0, misses: 0 };
  installed = counters;
  const original = Grammar.parse.bind(Grammar);
  const cache = new Map<string, unknown>();
  Grammar.parse = (input: string, startRule: string): unknown => {
    if (typeof input !== 'string' || input.length > MAX_INPUT) return original(input, startRule);
    const key = `${startRule}\u0000${input}`;
    if (cache.has(key)) {
      const kept = cache.get(key);
      // Refresh its place in the recency order.
      cache.delete(key);
      cache.set(key, kept);
      counters.hits++;
      return deepCopy(kept);
    }
    counters.misses++;
    const result: unknown = original(input, startRule);
    cache.set(key, deepCopy(result));
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return result;
  };
}

/** How often the memo answered (for diagnostics and tests). @internal */
export function grammarCacheStats(): { hits: number; misses: number } | undefined {
  return installed && { ...installed };
}

/**
 * Copies parse results: arrays, plain objects and sip.js's URI / NameAddrHeader / Parameters instances (same
 * prototype, own properties copied deeply). Functions and regular expressions are shared; the grammar does not put
 * them in results.
 */
export function deepCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => deepCopy(item)) as T;
  if (value instanceof RegExp) return value;
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const key of Object.keys(value)) copy[key] = deepCopy((value as Record<string, unknown>)[key]);
  return copy as T;
}
