/** REGISTER processing after authentication (RFC 3261 §10.3, RFC 5626 outbound, RFC 3327 Path, RFC 5627 GRUU). */
import { formatAddress, type SipAddress } from '../message/address.js';
import type { SipRequest } from '../message/message.js';
import { quote, unquote } from '../message/params.js';
import type { SipFlow } from '../transport/types.js';
import type { GruuIssuer } from './gruu.js';
import { bindingKey, type BindingOwner, type LocationService, type SipBinding } from './location.js';

/** Expiry limits of the registrar. */
export interface RegistrarOptions {
  /** Shortest accepted registration (423 Interval Too Brief below it), default 60 s. */
  readonly minExpires: number;
  /** Longest granted registration (longer requests are shortened), default 3600 s. */
  readonly maxExpires: number;
  /** Granted when the REGISTER names no expiry, default 3600 s. */
  readonly defaultExpires: number;
  /** Most contacts per address-of-record, default 10 (more: 403). */
  readonly maxBindingsPerAor: number;
}

/** The defaults of {@link RegistrarOptions}. */
export const DEFAULT_REGISTRAR_OPTIONS: RegistrarOptions = {
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 3600,
  maxBindingsPerAor: 10,
};

/** What the registrar decided: the status and the extra headers of the response. */
export interface RegistrarDecision {
  readonly status: number;
  readonly reason?: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** The REGISTER being processed, already authenticated and authorised for `aor`. */
export interface RegisterInput {
  readonly request: SipRequest;
  readonly aor: string;
  readonly owner: BindingOwner;
  readonly flow: SipFlow;
  readonly now: number;
}

function decision(status: number, headers: ReadonlyArray<readonly [string, string]> = [], reason?: string): RegistrarDecision {
  return reason === undefined ? { status, headers } : { status, headers, reason };
}

/** Applies REGISTER requests to a location service. */
export class Registrar {
  readonly #location: LocationService;
  readonly #options: RegistrarOptions;
  readonly #gruus: GruuIssuer | undefined;

  /** `gruus`: hand out GRUUs (RFC 5627) to devices that ask for them; none without it. */
  constructor(location: LocationService, options: RegistrarOptions, gruus?: GruuIssuer) {
    this.#location = location;
    this.#options = options;
    this.#gruus = gruus;
  }

  /** Processes one authorised REGISTER; the caller sends the response. */
  process(input: RegisterInput): RegistrarDecision {
    const { request, aor, now } = input;
    const contacts = request.contacts;
    const cseq = request.cseq?.seq ?? 0;
    const callId = request.callId;
    const existing = this.#location.bindingsOf(aor);
    if (contacts.length === 1 && 'star' in contacts[0]!) {
      // RFC 3261 §10.3 step 6: `*` is only valid with Expires: 0.
      if (request.expires !== 0) return decision(400, [], 'Contact * needs Expires: 0');
      for (const binding of existing.values()) {
        if (binding.callId === callId && cseq <= binding.cseq) return decision(500, [], 'Out of order REGISTER');
      }
      this.#location.apply(aor, [], [...existing.keys()]);
      return this.#ok(input);
    }
    const addresses = contacts.filter((contact): contact is SipAddress => !('star' in contact));
    const withRegId = addresses.filter((address) => address.params.has('reg-id'));
    if (withRegId.length > 1) return decision(400, [], 'More than one Contact with reg-id');
    const puts: SipBinding[] = [];
    const removals: string[] = [];
    for (const address of addresses) {
      const expires = this.#expiresOf(address, request);
      if (expires > 0 && expires < this.#options.minExpires) {
        return decision(423, [['Min-Expires', String(this.#options.minExpires)]]);
      }
      const binding = this.#binding(address, input, Math.min(expires, this.#options.maxExpires));
      const key = bindingKey(binding);
      const old = existing.get(key);
      if (old && old.callId === callId && cseq <= old.cseq) return decision(500, [], 'Out of order REGISTER');
      if (expires === 0) removals.push(key);
      else puts.push({ ...binding, registeredAt: old?.registeredAt ?? now });
    }
    const remaining = new Set([...existing.keys()].filter((key) => existing.get(key)!.expiresAt > now));
    for (const key of removals) remaining.delete(key);
    for (const binding of puts) remaining.add(bindingKey(binding));
    if (remaining.size > this.#options.maxBindingsPerAor) return decision(403, [], 'Too many registered contacts');
    this.#location.apply(aor, puts, removals);
    return this.#ok(input);
  }

  #expiresOf(address: SipAddress, request: SipRequest): number {
    const param = address.params.get('expires');
    if (param !== undefined && param !== null) return Number(param);
    return request.expires ?? this.#options.defaultExpires;
  }

  #binding(address: SipAddress, input: RegisterInput, expires: number): SipBinding {
    const { request, aor, owner, flow, now } = input;
    const instance = address.params.get('+sip.instance');
    const instanceId = instance === undefined || instance === null ? undefined : unquote(instance);
    const regIdText = address.params.get('reg-id');
    // RFC 5626 §6: reg-id without an instance id is ignored.
    const regId = instanceId !== undefined && regIdText != null && /^\d{1,10}$/.test(regIdText) ? Number(regIdText) : undefined;
    const q = Number(address.params.get('q') ?? '1');
    return {
      aor,
      contact: address.uri,
      params: address.params,
      expiresAt: now + expires * 1000,
      registeredAt: now,
      callId: request.callId,
      cseq: request.cseq?.seq ?? 0,
      instanceId,
      regId,
      flowId: flow.id,
      source: flow.remote,
      path: request.headers.getAll('Path'),
      userAgent: request.headers.get('User-Agent'),
      owner,
      q: Number.isFinite(q) ? q : 1,
    };
  }

  /** 200 OK listing every current binding with its remaining time (RFC 3261 §10.3 step 8). */
  #ok(input: RegisterInput): RegistrarDecision {
    const { request, aor, now } = input;
    const headers: Array<[string, string]> = [];
    let outbound = false;
    const supported = request.headers.getAll('Supported').flatMap((value) => value.split(',')).map((tag) => tag.trim().toLowerCase());
    const gruus = supported.includes('gruu') ? this.#gruus : undefined;
    for (const binding of this.#location.lookup(aor)) {
      const params = new Map<string, string | null>();
      params.set('expires', String(Math.max(0, Math.round((binding.expiresAt - now) / 1000))));
      const instance = binding.params.get('+sip.instance');
      if (instance !== undefined) params.set('+sip.instance', instance);
      if (binding.regId !== undefined) {
        params.set('reg-id', String(binding.regId));
        if (binding.callId === request.callId) outbound = true;
      }
      if (gruus && binding.instanceId !== undefined) {
        // RFC 5627 §5.2: both GRUUs for every contact that names its device; a new temporary one each time.
        const target = { aor: binding.aor, instanceId: binding.instanceId };
        params.set('pub-gruu', quote(gruus.publicGruu(target)));
        params.set('temp-gruu', quote(gruus.temporaryGruu(target)));
      }
      headers.push(['Contact', formatAddress({ uri: binding.contact, params })]);
    }
    for (const path of request.headers.getAll('Path')) headers.push(['Path', path]);
    if (outbound && supported.includes('outbound')) {
      headers.push(['Require', 'outbound']);
    }
    headers.push(['Date', new Date(now).toUTCString()]);
    return decision(200, headers);
  }
}
