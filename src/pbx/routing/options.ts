/**
 * The call router's options, its public interface, and the context its parts share.
 * @packageDocumentation
 */
import type { CallControl, ClickToDialRequest } from '../api/index.js';
import type { PbxEvents } from '../events.js';
import type { LineStates } from '../line-states.js';
import type { SipClock, SipLogger, SipRequestHandler, SipServer, SipTarget } from '../sip/index.js';
import type { Store, Tenant, User } from '../store/index.js';

/** A PBX user together with their tenant: a party the router can ring or that places a call. */
export interface Member {
  readonly user: User;
  readonly tenant: Tenant;
}

/** Why a call goes to voicemail. */
export type VoicemailReason = 'always' | 'busy' | 'no-answer' | 'not-registered' | 'dnd';

/** Where the voicemail service takes calls; until it exists, the router answers 480 with a Reason. */
export interface VoicemailService {
  /**
   * The SIP address and transport target for a call to `member`'s voicemail, or undefined when the voicemail cannot
   * take the call now (the router then answers 480 "Voicemail not available").
   */
  route(member: Member, reason: VoicemailReason): { readonly uri: string; readonly target: SipTarget } | undefined;
}

/** Timer and limit settings of the router. */
export interface RouterTimers {
  /**
   * Timer C (RFC 3261 §16.6 step 11): how long a ringing branch may go without a provisional response before the
   * proxy cancels it. More than 3 minutes per the RFC; default 180 s.
   */
  readonly timerCMs: number;
  /** How many times one call may be forwarded before the router gives up with 482 (default 5). */
  readonly maxForwardingHops: number;
  /** How long an ended call is remembered for late in-dialog messages (retransmitted BYE, ACK); default 32 s. */
  readonly lingerMs: number;
  /**
   * How often confirmed calls are checked for a side whose connection (WebSocket, TCP) is gone; that call is then
   * ended and the other side gets a BYE. Default 30 s.
   */
  readonly sweepMs: number;
  /**
   * How long a side of a call whose connection closed has to come back before the call is ended, when its device
   * named itself (`+sip.instance`): a browser whose WebSocket dropped, or that lost the PBX to a restart, reconnects,
   * registers again and keeps its calls (in-dialog requests find it by its GRUU). Sides without an instance id cannot
   * be recognised again and end at the next sweep. Default 60 s (the phone core's reconnect backoff tops out at 30 s).
   */
  readonly reconnectGraceMs: number;
  /**
   * The longest a call may last before the PBX ends it (BYE to both sides). Over UDP nothing tells the PBX that a
   * phone vanished without a BYE; this bounds how long such a call keeps its users "busy". Default 12 h (as
   * Kamailio's dialog module).
   */
  readonly maxCallMs: number;
  /**
   * How long an answered call waits for the caller's ACK before the PBX ends it (BYE to both sides): a caller that
   * vanished between answer and ACK would otherwise hold both users "busy" until `maxCallMs`. Default 64·T1 = 32 s,
   * when RFC 3261 has the callee give up retransmitting its 2xx; checked at each sweep.
   */
  readonly ackWaitMs: number;
  /**
   * How long click-to-dial rings the device, and then how long it waits for the device to report the outcome of
   * the call it was asked to place before it hangs up its control leg (default 60 s each).
   */
  readonly clickToDialMs: number;
  /**
   * How long finished calls' call-list entries are collected before they are written in one transaction (real
   * time, not the router clock). With the store's synchronous=FULL each transaction costs a disk sync, so under load
   * one write per batch instead of one per call keeps the event loop free for SIP. 0 writes on the next turn of the
   * event loop. Default 25 ms.
   */
  readonly historyBatchMs: number;
  /**
   * Load shedding: when the event loop's mean delay exceeds this in two consecutive seconds, new calls get 503 with
   * Retry-After until it recovers (calls already up are not affected). 0 turns it off. Default 200 ms (well below
   * T1, 500 ms, when UDP peers start retransmitting).
   */
  readonly overloadLagMs: number;
}

/** Default {@link RouterTimers}. */
export const DEFAULT_ROUTER_TIMERS: RouterTimers = {
  timerCMs: 180_000,
  maxForwardingHops: 5,
  lingerMs: 32_000,
  sweepMs: 30_000,
  reconnectGraceMs: 60_000,
  maxCallMs: 12 * 3600_000,
  ackWaitMs: 32_000,
  clickToDialMs: 60_000,
  historyBatchMs: 25,
  overloadLagMs: 200,
};

/** Options of {@link createCallRouter}. */
export interface CallRouterOptions {
  /**
   * The SIP server, or a function returning it. The server takes `router.onRequest` in its constructor, so the
   * router usually exists first: pass `() => server` and create the server afterwards. Requests that arrive while
   * the function returns undefined get 503.
   */
  readonly sip: SipServer | (() => SipServer | undefined);
  readonly store: Store;
  readonly events: PbxEvents;
  /** Where the router reports every user's dialog states (BLF, "is busy"). */
  readonly lines: LineStates;
  /** Time for the router's own timers (no answer, Timer C, sweeps) and for call-list times; system clock by default. */
  readonly clock?: SipClock;
  readonly log?: SipLogger;
  /** The voicemail service, once there is one. */
  readonly voicemail?: VoicemailService;
  /**
   * Requests the router does not handle itself (SUBSCRIBE, PUBLISH, out-of-dialog NOTIFY, MESSAGE …), e.g. the
   * presence server. Without it those get 405 (known methods) or 501.
   */
  readonly fallback?: SipRequestHandler;
  readonly timers?: Partial<RouterTimers>;
}

/** The call router: the SIP server's request handler, click-to-dial for the API, and shutdown. */
export interface CallRouter extends CallControl {
  /** Pass this to `new SipServer({ onRequest })`. */
  readonly onRequest: SipRequestHandler;
  /**
   * Click-to-dial ("Anrufen mit"): rings the user's chosen device and, once it answers, sends it a REFER to `to`.
   * Resolves with the Call-ID of the INVITE to the device once it is ringing.
   * @throws CallControlError `device-unavailable` (the device is not registered or not reachable), `call-limit`
   *   (the user has as many calls as the tenant allows), `failed` (the destination is not allowed)
   */
  clickToDial(request: ClickToDialRequest): Promise<{ readonly callId: string }>;
  /** How many calls are being routed or are up (for metrics and tests). */
  readonly activeCalls: number;
  /** Whether new calls are being refused now because the event loop runs late (for health checks). */
  readonly overloaded: boolean;
  /** Stops every timer; calls still up are reported as terminated. */
  close(): void;
}
