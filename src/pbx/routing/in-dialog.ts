/**
 * Requests inside dialogs the proxy record-routed (BYE, ACK of a 2xx, re-INVITE, UPDATE, INFO, REFER, NOTIFY,
 * PRACK): loose routing (RFC 3261 §16.4, §16.6), with the flow tokens of our Record-Route values naming the
 * connection to send on.
 * @packageDocumentation
 */
import type { ServerTransaction, SipRequest, SipRequestContext, SipResponse, SipTarget } from '../sip/index.js';
import { addressTarget, targetOfBinding, type RouterContext } from './context.js';
import { reasonHeader } from './headers.js';
import type { ProxiedCall } from './proxied-call.js';
import { RecoveredCall } from './recovered-call.js';

/** A call the proxy routed, or one it adopted after a restart. */
export type KnownCall = ProxiedCall | RecoveredCall;

/** The calls the proxy knows by Call-ID: routed now, up, or recently ended. */
export class CallRegistry {
  readonly #calls = new Map<string, KnownCall>();
  readonly #ctx: RouterContext;

  constructor(ctx: RouterContext) {
    this.#ctx = ctx;
  }

  /** The call with this Call-ID, if the proxy routed or adopted it. */
  get(callId: string): KnownCall | undefined {
    return this.#calls.get(callId);
  }

  /** Remembers a new call. */
  add(call: KnownCall): void {
    this.#calls.set(call.callId, call);
  }

  /** A call ended: it is forgotten after the linger time, so late retransmissions and ACKs still find it. */
  finished(call: KnownCall): void {
    this.#ctx.clock.setTimer(() => {
      if (this.#calls.get(call.callId) === call) this.#calls.delete(call.callId);
    }, this.#ctx.timers.lingerMs);
  }

  /** How many calls are being routed or are up. */
  get active(): number {
    let count = 0;
    for (const call of this.#calls.values()) if (!call.finished) count++;
    return count;
  }

  /** Every call not finished yet. */
  live(): KnownCall[] {
    return [...this.#calls.values()].filter((call) => !call.finished);
  }

  /** Forgets everything (shutdown). */
  clear(): void {
    this.#calls.clear();
  }
}

/**
 * Whether a request's Route names one of our Record-Route values (a flow-token URI of ours): then it belongs to a
 * dialog the proxy recorded, not to a dialog with a service of the PBX itself (presence subscriptions).
 */
export function carriesOurRoute(ctx: RouterContext, request: SipRequest): boolean {
  return request.headers.getAll('Route').some((value) => {
    const uri = uriOfRoute(value);
    return uri !== undefined && /^sips?:f-[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+@/i.test(uri) && ctx.isOwnRoute(uri);
  });
}

/**
 * The URI inside a Route/Record-Route value (always the name-addr form, RFC 3261 §20.30). The parser checked the
 * values of arriving messages already; this only cuts out the part between the angle brackets.
 */
export function uriOfRoute(value: string): string | undefined {
  return /^\s*(?:"(?:[^"\\]|\\.)*"\s*|[^<"]*)<([^>]+)>/.exec(value)?.[1];
}

/**
 * Forwards an in-dialog request (or the ACK of a 2xx) of a call the proxy routed. Requests of dialogs the proxy
 * does not know get 481 (ACKs are dropped): flow tokens are not secret, so a known Call-ID is what lets a request
 * use them. One exception keeps calls alive across a restart of the PBX, which forgets every call: a request from a
 * registered device to a GRUU of a registered device is relayed to that device (see {@link deviceOfRequest}), and a
 * re-INVITE so relayed that is answered with a 2xx makes the PBX adopt the call ({@link RecoveredCall}).
 *
 * Where the request goes: a further hop the dialog recorded; else the device its Request-URI names when that is one
 * of our GRUUs (the device may have reconnected since the dialog began); else the connection our Record-Route named;
 * else the other side of the call as the proxy knows it.
 */
export function routeInDialog(
  ctx: RouterContext,
  calls: CallRegistry,
  request: SipRequest,
  transaction: ServerTransaction | undefined,
  context: SipRequestContext,
): void {
  const sip = ctx.sip();
  const call = calls.get(request.callId);
  // The server transaction answers from its request, so that one must keep its headers: forward a copy. An ACK has
  // no transaction and is forwarded as it is.
  const out = transaction ? request.clone() : request;
  // §16.4: a strict router before us put our Record-Route value into the Request-URI and the real one last in Route.
  if (/^sips?:f-/i.test(out.uri) && ctx.isOwnRoute(out.uri)) {
    const routes = out.headers.getAll('Route');
    const last = routes.at(-1);
    const lastUri = last === undefined ? undefined : uriOfRoute(last);
    if (lastUri !== undefined) {
      out.uri = lastUri;
      out.headers.set('Route', routes.slice(0, -1));
    }
  }
  const device = deviceOfRequest(ctx, out.uri);
  if (!call && !(device && sip.hasRegistrationOn(context.flow.id))) {
    transaction?.reply(481, { headers: [reasonHeader(481, 'No such call through this PBX')] });
    return;
  }
  // Loose routing: our own Route values are consumed; the last one names the flow towards the other side.
  let lastOwn: string | undefined;
  for (;;) {
    const top = out.headers.get('Route');
    const uri = top === undefined ? undefined : uriOfRoute(top);
    if (uri === undefined || !ctx.isOwnRoute(uri)) break;
    out.headers.shift('Route');
    lastOwn = uri;
  }
  const maxForwards = out.maxForwards ?? 70;
  if (maxForwards <= 0) {
    transaction?.reply(483);
    return;
  }
  out.headers.set('Max-Forwards', String(maxForwards - 1));

  let target: SipTarget | undefined;
  const next = out.headers.get('Route');
  if (next !== undefined) {
    // A further hop the dialog recorded (a proxy behind us): only addresses, the PBX does not resolve names.
    const nextUri = uriOfRoute(next);
    target = nextUri === undefined ? undefined : addressTarget(nextUri);
  } else if (device) {
    target = device;
  } else {
    const flow = lastOwn === undefined ? undefined : sip.flowOfRoute(lastOwn);
    // With one Record-Route (no flow for the far side) the token names the sender's own flow: use the Request-URI.
    if (flow && flow.id !== context.flow.id) target = { flowId: flow.id };
    else target = call?.peerTarget(request) ?? addressTarget(out.uri);
    if (target && 'flowId' in target) {
      const chosen = sip.flow(target.flowId);
      if (!chosen || chosen.closed) target = addressTarget(out.uri);
    }
  }
  call?.inDialog(request);
  if (!target) {
    transaction?.reply(480, { headers: [reasonHeader(480, 'The other side of the call cannot be reached')] });
    return;
  }
  if (out.method === 'ACK') {
    sip.sendAck(out, target);
    return;
  }
  if (!transaction) return;
  const adoptable = !call && out.method === 'INVITE';
  const pass = (response: SipResponse): void => {
    if (response.status === 100) return;
    if (adoptable && response.status >= 200 && response.status < 300 && !calls.get(request.callId)) {
      const adopted = RecoveredCall.adopt(ctx, out, context.flow.id, (finished) => calls.finished(finished));
      if (adopted) {
        calls.add(adopted);
        ctx.log('info', 'adopted a call that began before a restart', { callId: request.callId });
      }
    }
    response.headers.shift('Via');
    transaction.respond(response);
  };
  try {
    const client = sip.sendRequest(out, target, {
      onResponse: pass,
      onTimeout: () => {
        if (transaction.finalResponse === undefined) transaction.reply(408);
      },
      onTransportError: () => {
        if (transaction.finalResponse === undefined) {
          transaction.reply(480, { headers: [reasonHeader(480, 'The other side of the call cannot be reached')] });
        }
      },
    });
    if (out.method === 'INVITE') transaction.onCancel(() => client.cancel());
  } catch (error) {
    ctx.log('warn', 'could not forward an in-dialog request', { method: out.method, error: String(error) });
    transaction.reply(500);
  }
}

/**
 * Where a request addressed to one of our GRUUs (RFC 5627) goes: the device's current registration. Phones put
 * their GRUU into the Contact of their dialogs, so after a reconnect (a new WebSocket, a restarted PBX) requests of
 * old dialogs still reach them, whichever connection they came back on. Undefined for other Request-URIs and for
 * devices that are not registered now.
 */
export function deviceOfRequest(ctx: RouterContext, requestUri: string): SipTarget | undefined {
  // Only URIs with a gr parameter can be GRUUs; most in-dialog requests are not, and need no parsing here.
  if (!/;gr(?:[=;?>]|$)/i.test(requestUri)) return undefined;
  const binding = ctx.sip().resolveGruu(requestUri);
  return binding === undefined ? undefined : targetOfBinding(ctx, binding);
}
