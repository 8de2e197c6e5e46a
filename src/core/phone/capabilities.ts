/**
 * What the PBX (or a far end) says it can do, read from `Allow`, `Supported` and `Allow-Events`. The phone fills
 * this from the REGISTER and OPTIONS responses and uses it to pick mechanisms (REFER or not, SIP INFO for DTMF,
 * which event packages to subscribe to).
 *
 * @packageDocumentation
 */

/** Methods, option tags and event packages a SIP peer announced. Empty lists mean "not announced", not "none". */
export interface SipCapabilities {
  /** Request methods from `Allow`, upper case (`INVITE`, `REFER`, `SUBSCRIBE`, `INFO` …). */
  readonly methods: readonly string[];
  /** Option tags from `Supported` / `Require`, lower case (`replaces`, `outbound`, `gruu`, `100rel` …). */
  readonly extensions: readonly string[];
  /** Event packages from `Allow-Events`, lower case (`dialog`, `presence`, `message-summary`, `refer` …). */
  readonly events: readonly string[];
}

/** Nothing announced yet. */
export const NO_CAPABILITIES: SipCapabilities = Object.freeze({ methods: [], extensions: [], events: [] });

/**
 * Reads capability headers. Each argument is the list of header field values (a header may repeat, and each value
 * may be a comma-separated list).
 */
export function parseCapabilities(headers: {
  readonly allow?: readonly string[];
  readonly supported?: readonly string[];
  readonly allowEvents?: readonly string[];
}): SipCapabilities {
  return {
    methods: tokens(headers.allow, (t) => t.toUpperCase()),
    extensions: tokens(headers.supported, (t) => t.toLowerCase()),
    events: tokens(headers.allowEvents, (t) => t.toLowerCase()),
  };
}

/** The union of two capability sets (what either source announced). */
export function mergeCapabilities(a: SipCapabilities, b: SipCapabilities): SipCapabilities {
  const union = (x: readonly string[], y: readonly string[]): string[] => [...new Set([...x, ...y])].sort();
  return { methods: union(a.methods, b.methods), extensions: union(a.extensions, b.extensions), events: union(a.events, b.events) };
}

/**
 * Whether a peer supports something. When the peer did not announce the category at all, the answer is
 * `undefined` (unknown) so callers can try anyway.
 */
export function supports(
  capabilities: SipCapabilities,
  kind: 'method' | 'extension' | 'event',
  name: string,
): boolean | undefined {
  const list = kind === 'method' ? capabilities.methods : kind === 'extension' ? capabilities.extensions : capabilities.events;
  if (list.length === 0) return undefined;
  return list.includes(kind === 'method' ? name.toUpperCase() : name.toLowerCase());
}

function tokens(values: readonly string[] | undefined, normalize: (token: string) => string): string[] {
  const out = new Set<string>();
  for (const value of values ?? []) {
    for (const token of value.split(',')) {
      // Allow-Events tokens may carry a template (`dialog.winfo`); keep them whole. Drop parameters and blanks.
      const clean = token.split(';')[0]!.trim();
      if (/^[A-Za-z0-9.!%*_+`'~-]+$/.test(clean)) out.add(normalize(clean));
    }
  }
  return [...out].sort();
}
