/**
 * `createCallRouter`: the PBX's routing layer on top of the SIP server. It takes every request the server does not
 * answer itself and decides: star codes, new calls (stateful proxy with forwarding), requests inside dialogs it
 * record-routed, click-to-dial control legs, and everything else to a fallback (the presence server).
 * @packageDocumentation
 */
import type { ClickToDialRequest } from '../api/index.js';
import {
  KNOWN_METHODS,
  systemClock,
  type ServerTransaction,
  type SipRequest,
  type SipRequestContext,
  type SipRequestHandler,
  type SipServer,
  type SipTimer,
} from '../sip/index.js';
import { ClickToDial } from './click-to-dial.js';
import { activeCallsOf, memberOf, type RouterContext } from './context.js';
import { reasonHeader, wantsAnonymity } from './headers.js';
import { CallRegistry, carriesOurRoute, routeInDialog } from './in-dialog.js';
import { DEFAULT_ROUTER_TIMERS, type CallRouter, type CallRouterOptions } from './options.js';
import { OverloadGuard } from './overload.js';
import { HistoryWriter } from './parties.js';
import { ProxiedCall } from './proxied-call.js';
import { handleStarCode } from './star-codes.js';

/** The dial string of a request: the Request-URI's user part (sip) or number (tel), separators removed. */
export function dialStringOf(request: SipRequest): string | undefined {
  let raw: string | undefined;
  const tel = /^tel:([^;]+)/i.exec(request.uri);
  if (tel) raw = tel[1];
  else raw = request.sipUri?.user;
  if (raw === undefined) return undefined;
  const dial = raw.replace(/[\s\-.()]/g, '');
  // Only what a keypad can send (and + from a web dialer); anything else is no dial string of ours.
  return /^[0-9*#+]{1,32}$/.test(dial) ? dial : undefined;
}

/**
 * Creates the call router. Pass `router.onRequest` to the SIP server and `router` as the API's `callControl`.
 *
 * @example
 * ```ts
 * let sip: SipServer | undefined;
 * const router = createCallRouter({ sip: () => sip, store, events, lines });
 * sip = new SipServer({ realmFor, findCredential, onRequest: router.onRequest });
 * ```
 */
export function createCallRouter(options: CallRouterOptions): CallRouter {
  const source = options.sip;
  const ownRoutes = new Map<string, boolean>();
  const timers = { ...DEFAULT_ROUTER_TIMERS, ...options.timers };
  const clock = options.clock ?? systemClock;
  const ctx: RouterContext = {
    sip(): SipServer {
      const server = typeof source === 'function' ? source() : source;
      if (!server) throw new Error('the call router has no SIP server yet');
      return server;
    },
    store: options.store,
    events: options.events,
    lines: options.lines,
    clock,
    timers,
    voicemail: options.voicemail,
    controlDialogs: new Set(),
    // The writer needs the context; the context only calls it once calls run, after both exist.
    history: { write: (entries) => history.write(entries) },
    isOwnRoute(uri: string): boolean {
      const known = ownRoutes.get(uri);
      if (known !== undefined) return known;
      const own = ctx.sip().isOwnUri(uri);
      // Bounded: flow tokens name connections, and a PBX has many over a day.
      if (ownRoutes.size >= 10_000) ownRoutes.clear();
      ownRoutes.set(uri, own);
      return own;
    },
    log(level, message, data) {
      try {
        options.log?.(level, message, data);
      } catch {
        // A broken logger must not break call routing.
      }
    },
  };
  const history = new HistoryWriter(ctx, timers.historyBatchMs);
  const overload = timers.overloadLagMs > 0 ? new OverloadGuard(timers.overloadLagMs) : undefined;
  const calls = new CallRegistry(ctx);
  const clickToDial = new ClickToDial(ctx);
  let closed = false;
  let sweepTimer: SipTimer | undefined;

  const sweep = (): void => {
    sweepTimer = clock.setTimer(() => {
      if (closed) return;
      for (const call of calls.live()) {
        try {
          call.checkFlows();
        } catch (error) {
          ctx.log('error', 'checking a call failed', { callId: call.callId, error: String(error) });
        }
      }
      sweep();
    }, timers.sweepMs);
  };
  sweep();

  /**
   * The SIP layer takes the digest realm from the From domain. An anonymous caller (RFC 3323: From
   * `anonymous@anonymous.invalid`) names no domain of ours, so it is authenticated against the domain it calls: the
   * check runs on a copy whose From has the Request-URI's domain (the answer still goes to the real request).
   */
  const realmView = (request: SipRequest): SipRequest => {
    const fromHost = request.from?.sipUri?.host.toLowerCase();
    const target = request.sipUri?.host.toLowerCase();
    if (fromHost === undefined || target === undefined || ctx.store.findTenantBySipDomain(fromHost)) return request;
    if (!ctx.store.findTenantBySipDomain(target)) return request;
    const copy = request.clone();
    copy.headers.set('From', `<sip:anonymous@${target}>;tag=${request.fromTag ?? 'none'}`);
    return copy;
  };

  const newCall = (request: SipRequest, transaction: ServerTransaction, context: SipRequestContext): void => {
    const sip = ctx.sip();
    const authenticated = context.authenticatedUser ?? sip.authenticate(realmView(request), transaction);
    if (!authenticated) return;
    const member = memberOf(ctx, authenticated.userId);
    if (!member) {
      transaction.reply(403, { headers: [reasonHeader(403, 'Unknown user')] });
      return;
    }
    // The PBX is no open relay: it routes only calls addressed to its own domains (numbers are read in the caller's
    // tenant whichever of them the request names).
    if (request.sipUri && !ctx.isOwnRoute(`sip:${request.sipUri.host}`)) {
      transaction.reply(404, { reason: 'Domain Not Served', headers: [reasonHeader(404, 'This PBX does not serve that domain')] });
      return;
    }
    const dial = dialStringOf(request);
    if (dial === undefined) {
      transaction.reply(404, { headers: [reasonHeader(404, 'Not a number, extension or star code')] });
      return;
    }
    if (handleStarCode(ctx, member, dial, transaction)) return;
    if (activeCallsOf(ctx, member.user.id) >= member.tenant.maxConcurrentCalls) {
      transaction.reply(403, {
        headers: [reasonHeader(403, `Too many calls: at most ${member.tenant.maxConcurrentCalls} at the same time`)],
      });
      return;
    }
    const existing = calls.get(request.callId);
    if (existing && !existing.finished) {
      // The same Call-ID while the call is being routed: a request that came back to us (RFC 3261 §16.3 step 4).
      transaction.reply(482);
      return;
    }
    const from = request.from;
    const call = new ProxiedCall(ctx, {
      request,
      upstream: transaction,
      caller: {
        ...member,
        deviceId: authenticated.deviceId,
        anonymous: wantsAnonymity(request.headers.getAll('Privacy'), from?.uri, from?.displayName),
        flowId: context.flow.id,
      },
      dial,
      onFinished: (finished) => calls.finished(finished),
    });
    calls.add(call);
    call.start();
  };

  const onRequest: SipRequestHandler = (request, transaction, context) => {
    if (closed) {
      transaction?.reply(503);
      return;
    }
    if (clickToDial.owns(request)) {
      clickToDial.onRequest(request, transaction, context);
      return;
    }
    const inDialog = request.toTag !== undefined;
    if (request.method === 'ACK') {
      // ACK of a 2xx: end to end, through the route we recorded. ACKs of failures never get here.
      if (inDialog) routeInDialog(ctx, calls, request, undefined, context);
      return;
    }
    if (!transaction) return;
    if (inDialog && (calls.get(request.callId) || carriesOurRoute(ctx, request))) {
      routeInDialog(ctx, calls, request, transaction, context);
      return;
    }
    if (request.method === 'INVITE' && !inDialog) {
      if (overload?.overloaded) {
        transaction.reply(503, { headers: [['Retry-After', '5'], reasonHeader(503, 'The PBX is overloaded; try again in a few seconds')] });
        return;
      }
      newCall(request, transaction, context);
      return;
    }
    if (options.fallback) {
      const result = options.fallback(request, transaction, context);
      if (result instanceof Promise) return result;
      return;
    }
    if (inDialog) transaction.reply(481);
    else if (!KNOWN_METHODS.includes(request.method)) transaction.reply(501);
    else transaction.reply(405, { headers: [['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER']] });
  };

  return {
    onRequest,
    clickToDial(request: ClickToDialRequest): Promise<{ readonly callId: string }> {
      if (closed) return Promise.reject(new Error('the call router is closed'));
      try {
        return Promise.resolve(clickToDial.start(request));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    get activeCalls(): number {
      return calls.active + clickToDial.active;
    },
    get overloaded(): boolean {
      return overload?.overloaded ?? false;
    },
    close(): void {
      if (closed) return;
      closed = true;
      sweepTimer?.cancel();
      overload?.close();
      for (const call of calls.live()) call.abandon();
      calls.clear();
      clickToDial.close();
      history.flush();
    },
  };
}
