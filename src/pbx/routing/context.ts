/**
 * What the router's parts share: the SIP server, the store, events, line states, the clock, and lookups that several
 * parts need (a user's bindings, how many calls a user has).
 * @packageDocumentation
 */
import { isIP } from 'node:net';
import type { PbxEvents } from '../events.js';
import type { LineStates } from '../line-states.js';
import { parseSipUri, type SipBinding, type SipClock, type SipLogLevel, type SipServer, type SipTarget } from '../sip/index.js';
import type { Store } from '../store/index.js';
import type { Member, RouterTimers, VoicemailService } from './options.js';
import type { PendingEntry } from './parties.js';

/** The shared context of the router's parts. */
export interface RouterContext {
  /** The SIP server. @throws Error when it is not bound yet */
  sip(): SipServer;
  readonly store: Store;
  readonly events: PbxEvents;
  readonly lines: LineStates;
  readonly clock: SipClock;
  readonly timers: RouterTimers;
  readonly voicemail: VoicemailService | undefined;
  log(level: SipLogLevel, message: string, data?: Readonly<Record<string, unknown>>): void;
  /** LineStates dialog ids of click-to-dial control legs: they do not count against the per-user call cap. */
  readonly controlDialogs: Set<string>;
  /** Writes call lists (batched). */
  readonly history: { write(entries: readonly PendingEntry[]): void };
  /** Whether a Route/Record-Route URI is one of ours (cached: every in-dialog request asks for the same few). */
  isOwnRoute(uri: string): boolean;
}

/** A user and tenant by user id, when both exist. */
export function memberOf(ctx: RouterContext, userId: string): Member | undefined {
  const user = ctx.store.getUser(userId);
  const tenant = user ? ctx.store.getTenant(user.tenantId) : undefined;
  return user && tenant ? { user, tenant } : undefined;
}

/**
 * How many calls a user has now (ringing or up, either direction), as the router reported them; click-to-dial
 * control legs do not count, since the call they set up counts itself.
 */
export function activeCallsOf(ctx: RouterContext, userId: string): number {
  let count = 0;
  for (const dialog of ctx.lines.dialogsOf(userId)) if (!ctx.controlDialogs.has(dialog.id)) count++;
  return count;
}

/**
 * Every live binding of a user, best first, whatever address-of-record it was registered under (`sip:11@domain`,
 * the authorization username, or the PBX's IP address as SIPp writes it). `excludeFlowId` leaves out the device a
 * call comes from (a user calling their own extension rings their other devices).
 */
export function bindingsOfUser(ctx: RouterContext, userId: string, excludeFlowId?: string): SipBinding[] {
  // The SIP layer indexes bindings by AOR only; a user's bindings are found by owner across all of them.
  return ctx
    .sip()
    .registrations()
    .filter((binding) => binding.owner.userId === userId && binding.flowId !== excludeFlowId)
    .sort((a, b) => b.q - a.q || b.registeredAt - a.registeredAt);
}

/**
 * Where a request for a binding goes: its flow while that is open (NAT, browsers), else — for a TCP or UDP contact
 * with an IP address — the contact's address (a desk phone whose TCP connection closed accepts a new one).
 */
export function targetOfBinding(ctx: RouterContext, binding: SipBinding): SipTarget | undefined {
  const flow = ctx.sip().flow(binding.flowId);
  if (flow && !flow.closed) return { flowId: flow.id };
  return addressTarget(binding.contact);
}

/** A transport target for a SIP URI with an IP host (UDP unless `transport=tcp`); undefined otherwise. */
export function addressTarget(uri: string): SipTarget | undefined {
  const parsed = parseSipUri(uri.trim().replace(/^<(.*)>.*$/, '$1'));
  if (!parsed) return undefined;
  const address = parsed.host.replace(/^\[|\]$/g, '');
  if (isIP(address) === 0) return undefined;
  const transport = String(parsed.getParam('transport') ?? 'udp').toLowerCase();
  if (transport !== 'udp' && transport !== 'tcp') return undefined;
  return { transport, address, port: parsed.port ?? 5060 };
}
