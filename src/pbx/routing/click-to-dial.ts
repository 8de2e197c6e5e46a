/**
 * Click-to-dial with a chosen device ("Anrufen mit"), by REFER (RFC 3515, the click-to-dial pattern of RFC 5359
 * §2.18): the PBX rings the device with an offerless INVITE marked `Call-Info: <destination>;purpose=
 * x-centrex-click-to-dial` (no auto-answer is implied: the person answers), answers the device's SDP offer in the
 * ACK with an inactive "black hole" answer, and sends the device a REFER to the destination. The device then places
 * the real call itself, through the PBX like any call it dials — forwarding, toll-fraud checks, call lists and BLF
 * apply unchanged, and the person hears ringback. When the device reports the outcome (NOTIFY with a final sipfrag
 * status), or after a time limit, the PBX hangs up its control leg.
 *
 * Why not RFC 3725 flow I (the PBX bridging the device's offer to the destination): the PBX would stay a back-to-back
 * UA for the whole call (every re-INVITE, hold, transfer relayed), and the device's 2xx would have to wait
 * unacknowledged for as long as the destination rings.
 * @packageDocumentation
 */
import { CallControlError, type ClickToDialRequest } from '../api/index.js';
import {
  SipHeaders,
  SipRequest,
  type ClientTransaction,
  type ClientTransactionHandlers,
  type ServerTransaction,
  type SipRequestContext,
  type SipResponse,
  type SipTarget,
  type SipTimer,
} from '../sip/index.js';
import { checkDestination, type Device } from '../store/index.js';
import { activeCallsOf, bindingsOfUser, memberOf, targetOfBinding, type RouterContext } from './context.js';
import { CLICK_TO_DIAL_PURPOSE, headerText } from './headers.js';
import type { Member } from './options.js';
import { newId, Party } from './parties.js';
import { blackHoleAnswer } from './sdp.js';

/**
 * States of a click-to-dial control leg.
 * - `ringing`: the device is being rung.
 * - `connected`: the device answered; the REFER is on its way.
 * - `referring`: the device accepted the REFER and is calling the destination.
 * - `ended`: the PBX or the device hung up the control leg.
 * - `failed`: the device did not answer or refused.
 */
export const CONTROL_LEG_STATES = ['ringing', 'connected', 'referring', 'ended', 'failed'] as const;

/** A state of a control leg; see {@link CONTROL_LEG_STATES}. */
export type ControlLegState = (typeof CONTROL_LEG_STATES)[number];

/** Every allowed transition of a control leg. */
export const CONTROL_LEG_TRANSITIONS = {
  ringing: { answered: 'connected', refused: 'failed', 'hung-up': 'ended' },
  connected: { 'refer-accepted': 'referring', 'hung-up': 'ended' },
  referring: { 'hung-up': 'ended' },
  ended: {},
  failed: {},
} as const satisfies Record<ControlLegState, Partial<Record<string, ControlLegState>>>;

type ControlLegEvent = 'answered' | 'refused' | 'refer-accepted' | 'hung-up';

const ALLOW = 'INVITE, ACK, CANCEL, BYE, NOTIFY, OPTIONS, INFO, UPDATE';

/** The dialog of a control leg once the device answered. */
interface ControlDialog {
  readonly remoteContact: string;
  /** The device's To (with its tag). */
  readonly remoteTo: string;
  readonly routes: readonly string[];
  readonly target: SipTarget;
}

/** The INVITE to one binding of the device. */
interface Fork {
  transaction: ClientTransaction | undefined;
  readonly target: { readonly flowId: string };
  /** Our Contact on this binding's flow. */
  readonly contact: string;
  done: boolean;
}

/** One click-to-dial: the INVITE fork to the device's bindings, then the dialog with the device. */
class ControlLeg {
  readonly callId: string;
  readonly member: Member;
  readonly referTo: string;
  readonly party: Party;
  /** Our From (with our tag) and the device's To before its tag. */
  readonly localFrom: string;
  readonly remoteAddress: string;
  state: ControlLegState = 'ringing';
  cseq = 1;
  contact = '';
  dialog: ControlDialog | undefined;
  readonly forks: Fork[] = [];
  /** The fork whose 2xx established the dialog. */
  winner: Fork | undefined;
  timer: SipTimer | undefined;

  constructor(init: { callId: string; member: Member; referTo: string; party: Party; localFrom: string; remoteAddress: string }) {
    this.callId = init.callId;
    this.member = init.member;
    this.referTo = init.referTo;
    this.party = init.party;
    this.localFrom = init.localFrom;
    this.remoteAddress = init.remoteAddress;
  }

  apply(event: ControlLegEvent): boolean {
    const row: Partial<Record<ControlLegEvent, ControlLegState>> = CONTROL_LEG_TRANSITIONS[this.state];
    const next = row[event];
    if (next === undefined) return false;
    this.state = next;
    return true;
  }
}

/** Click-to-dial control legs, and the requests devices send within them. */
export class ClickToDial {
  readonly #ctx: RouterContext;
  readonly #legs = new Map<string, ControlLeg>();

  constructor(ctx: RouterContext) {
    this.#ctx = ctx;
  }

  /** How many control legs are in progress. */
  get active(): number {
    let count = 0;
    for (const leg of this.#legs.values()) if (leg.state !== 'ended' && leg.state !== 'failed') count++;
    return count;
  }

  /** Whether a request belongs to one of the PBX's control legs (the device talks to the PBX as its peer). */
  owns(request: SipRequest): boolean {
    return this.#legs.has(request.callId);
  }

  /** Starts ringing the device; see {@link CallRouter.clickToDial}. */
  start(request: ClickToDialRequest): { callId: string } {
    const ctx = this.#ctx;
    const member = memberOf(ctx, request.userId);
    if (!member || member.tenant.id !== request.tenantId) throw new CallControlError('failed', 'The user does not exist.');
    const device = ctx.store.getDevice(member.user.id, request.deviceId);
    if (!device) throw new CallControlError('device-unavailable', 'The device is not one of the user’s devices.');
    // The API checked the destination; the tenant's policy may have changed since, and the router decides at call time.
    const destination = checkDestination(request.to, member.tenant);
    if (!destination.allowed) throw new CallControlError('failed', destination.message);
    if (destination.kind === 'extension' && destination.extension === member.user.extension) {
      throw new CallControlError('failed', 'You cannot call your own extension.');
    }
    if (activeCallsOf(ctx, member.user.id) >= member.tenant.maxConcurrentCalls) {
      throw new CallControlError('call-limit', `You already have ${member.tenant.maxConcurrentCalls} calls; end one first.`);
    }
    const targets = this.#deviceTargets(member, device);
    if (targets.length === 0) throw new CallControlError('device-unavailable', `The device "${device.name}" is not registered.`);

    const domain = member.tenant.sipDomain;
    let referTo: string;
    let name: string;
    if (destination.kind === 'extension') {
      referTo = `sip:${destination.extension}@${domain}`;
      name = ctx.store.findUserByExtension(member.tenant.id, destination.extension)?.name ?? destination.extension;
    } else {
      referTo = `sip:${destination.e164}@${domain};user=phone`;
      name = destination.e164;
    }
    const callId = `${newId(12)}@click-to-dial`;
    const party = new Party(ctx, { member, direction: 'initiator', callId, remote: { uri: referTo, displayName: name } });
    ctx.controlDialogs.add(party.dialogId);
    const leg = new ControlLeg({
      callId,
      member,
      referTo,
      party,
      localFrom: `"${headerText(`Call ${name}`)}" <${referTo}>;tag=${newId(6)}`,
      remoteAddress: `"${headerText(member.user.name)}" <sip:${member.user.extension}@${domain}>`,
    });
    this.#legs.set(callId, leg);
    party.report('trying');
    for (const { target, contact, path } of targets) this.#invite(leg, target, contact, path);
    // Nobody answering the device must not keep it ringing for ever (after a 180 no transaction timer ends it).
    leg.timer = ctx.clock.setTimer(() => this.#safely(leg, () => this.#giveUp(leg)), ctx.timers.clickToDialMs);
    if (leg.forks.every((fork) => fork.done)) {
      this.#legs.delete(callId);
      ctx.controlDialogs.delete(party.dialogId);
      party.report('terminated');
      throw new CallControlError('device-unavailable', `The device "${device.name}" cannot be reached.`);
    }
    ctx.log('info', 'click-to-dial: ringing the device', { userId: member.user.id, deviceId: device.id, callId });
    return { callId };
  }

  /** A request from a device within a control leg. */
  onRequest(request: SipRequest, transaction: ServerTransaction | undefined, _context: SipRequestContext): void {
    const leg = this.#legs.get(request.callId);
    if (!leg || request.method === 'ACK' || !transaction) return;
    const ok = (body?: string): void => {
      transaction.reply(200, {
        headers: [['Contact', leg.contact], ['Allow', ALLOW]],
        ...(body === undefined ? {} : { body: { type: 'application/sdp', content: body } }),
      });
    };
    switch (request.method) {
      case 'BYE':
        transaction.reply(200);
        this.#ended(leg);
        return;
      case 'NOTIFY':
        transaction.reply(200);
        this.#notified(leg, request);
        return;
      case 'INVITE':
      case 'UPDATE': {
        // A re-INVITE or UPDATE (the device puts the control leg on hold while it calls): answer its offer inactive.
        if (request.body.length === 0) {
          if (request.method === 'UPDATE') ok();
          else transaction.reply(488, { headers: [['Warning', '399 centrex-pbx "The control leg has no media to offer"']] });
          return;
        }
        const answer = blackHoleAnswer(request.bodyText);
        if (answer === undefined) transaction.reply(488);
        else ok(answer);
        return;
      }
      case 'INFO':
      case 'OPTIONS':
        ok();
        return;
      default:
        transaction.reply(405, { headers: [['Allow', ALLOW]] });
    }
  }

  /** Stops every timer and reports the legs as terminated (shutdown). */
  close(): void {
    for (const leg of this.#legs.values()) {
      leg.timer?.cancel();
      leg.party.report('terminated');
      this.#ctx.controlDialogs.delete(leg.party.dialogId);
    }
    this.#legs.clear();
  }

  // ---- the device's side ----------------------------------------------------------------------------------------

  #deviceTargets(member: Member, device: Device): Array<{ target: { readonly flowId: string }; contact: string; path: readonly string[] }> {
    const ctx = this.#ctx;
    let bindings;
    if (device.kind === 'external') {
      // An "Anrufen mit" number: reachable only where the PBX can route it (the demo's outside-world numbers).
      const check = checkDestination(device.number ?? '', member.tenant);
      if (!check.allowed) throw new CallControlError('failed', check.message);
      const found = check.kind === 'external' ? ctx.store.findUserByNumber(check.e164) : undefined;
      bindings = found ? bindingsOfUser(ctx, found.user.id) : [];
    } else {
      bindings = bindingsOfUser(ctx, member.user.id).filter((binding) => binding.owner.deviceId === device.id);
    }
    const targets: Array<{ target: { readonly flowId: string }; contact: string; path: readonly string[] }> = [];
    for (const binding of bindings) {
      const target = targetOfBinding(ctx, binding);
      // The control leg needs a flow: the device's requests within it come back on it.
      if (target && 'flowId' in target) targets.push({ target, contact: binding.contact, path: binding.path });
    }
    return targets;
  }

  #invite(leg: ControlLeg, target: { readonly flowId: string }, contactUri: string, path: readonly string[]): void {
    const sip = this.#ctx.sip();
    const flow = sip.flow(target.flowId);
    if (!flow) return;
    // Our Contact is a flow-token URI, like our Record-Route values, so the device's requests find their way back.
    const contact = sip.recordRoute(flow).replace(/;lr(?=[;>])/, '');
    const headers = new SipHeaders();
    for (const hop of path) headers.append('Route', hop);
    headers
      .append('From', leg.localFrom)
      .append('To', leg.remoteAddress)
      .append('Call-ID', leg.callId)
      .append('CSeq', `${leg.cseq} INVITE`)
      .append('Contact', contact)
      .append('Call-Info', `<${leg.referTo}>;purpose=${CLICK_TO_DIAL_PURPOSE}`)
      .append('Allow', ALLOW)
      .append('Subject', 'Click-to-dial');
    const request = new SipRequest('INVITE', contactUri, headers);
    const fork: Fork = { transaction: undefined, target, contact, done: false };
    leg.forks.push(fork);
    try {
      fork.transaction = sip.sendRequest(request, target, {
        onResponse: (response) => this.#safely(leg, () => this.#onResponse(leg, fork, response)),
        onTimeout: () => this.#safely(leg, () => this.#forkFailed(leg, fork)),
        onTransportError: () => this.#safely(leg, () => this.#forkFailed(leg, fork)),
      });
    } catch (error) {
      this.#ctx.log('warn', 'click-to-dial: could not ring a device binding', { error: String(error) });
      fork.done = true;
    }
  }

  #onResponse(leg: ControlLeg, fork: Fork, response: SipResponse): void {
    const status = response.status;
    if (status < 200) {
      if (status !== 100 && leg.state === 'ringing') leg.party.report(response.toTag === undefined ? 'proceeding' : 'early');
      return;
    }
    if (status >= 300) {
      this.#forkFailed(leg, fork);
      return;
    }
    if (fork === leg.winner && leg.dialog) {
      // A retransmitted 2xx: our ACK was lost.
      this.#ack(leg, fork, response, leg.dialog.remoteContact);
      return;
    }
    fork.done = true;
    const contact = response.contacts[0];
    const remoteContact = contact && 'uri' in contact ? contact.uri : undefined;
    if (leg.state !== 'ringing' || remoteContact === undefined) {
      // Another binding of the device answered first: acknowledge this one and hang it up.
      if (remoteContact !== undefined) this.#ackAndBye(leg, fork, response, remoteContact);
      return;
    }
    const routes = response.headers.getAll('Record-Route').reverse();
    leg.dialog = { remoteContact, remoteTo: response.headers.get('To') ?? leg.remoteAddress, routes, target: fork.target };
    leg.winner = fork;
    leg.contact = fork.contact;
    leg.timer?.cancel();
    leg.apply('answered');
    this.#ack(leg, fork, response, remoteContact);
    for (const other of leg.forks) if (other !== fork && !other.done) other.transaction?.cancel();
    leg.party.report('confirmed');
    this.#refer(leg);
  }

  #giveUp(leg: ControlLeg): void {
    if (leg.state !== 'ringing') return;
    for (const fork of leg.forks) if (!fork.done) fork.transaction?.cancel();
    for (const fork of leg.forks) fork.done = true;
    leg.apply('refused');
    this.#finish(leg);
  }

  #forkFailed(leg: ControlLeg, fork: Fork): void {
    fork.done = true;
    if (leg.state !== 'ringing' || leg.forks.some((other) => !other.done)) return;
    leg.apply('refused');
    this.#ctx.log('info', 'click-to-dial: the device did not answer', { callId: leg.callId });
    this.#finish(leg);
  }

  /** The ACK of the device's 2xx, with the black-hole answer to its offer. */
  #ack(leg: ControlLeg, fork: Fork, response: SipResponse, remoteContact: string): void {
    const ack = this.#inDialog(leg, 'ACK', 1, remoteContact, response.headers.get('To') ?? leg.remoteAddress, response.headers.getAll('Record-Route').reverse());
    const answer = response.body.length > 0 ? blackHoleAnswer(response.bodyText) : undefined;
    if (answer !== undefined) ack.setBody(answer, 'application/sdp');
    this.#ctx.sip().sendAck(ack, fork.target);
  }

  #ackAndBye(leg: ControlLeg, fork: Fork, response: SipResponse, remoteContact: string): void {
    this.#ack(leg, fork, response, remoteContact);
    const to = response.headers.get('To') ?? leg.remoteAddress;
    const bye = this.#inDialog(leg, 'BYE', 2, remoteContact, to, response.headers.getAll('Record-Route').reverse());
    this.#send(bye, fork.target, {});
  }

  #refer(leg: ControlLeg): void {
    const dialog = leg.dialog;
    if (!dialog) return;
    leg.cseq += 1;
    const refer = this.#inDialog(leg, 'REFER', leg.cseq, dialog.remoteContact, dialog.remoteTo, dialog.routes);
    refer.headers
      .append('Contact', leg.contact)
      .append('Refer-To', `<${leg.referTo}>`)
      .append('Referred-By', `<sip:${leg.member.user.extension}@${leg.member.tenant.sipDomain}>`);
    this.#send(refer, dialog.target, {
      onResponse: (response) =>
        this.#safely(leg, () => {
          if (response.status < 200) return;
          if (response.status < 300 && leg.apply('refer-accepted')) {
            leg.timer = this.#ctx.clock.setTimer(() => this.#safely(leg, () => this.#hangUp(leg)), this.#ctx.timers.clickToDialMs);
            return;
          }
          this.#ctx.log('info', 'click-to-dial: the device refused the REFER', { callId: leg.callId, status: response.status });
          this.#hangUp(leg);
        }),
      onTimeout: () => this.#safely(leg, () => this.#hangUp(leg)),
      onTransportError: () => this.#safely(leg, () => this.#ended(leg)),
    });
  }

  /** A NOTIFY of the REFER's implicit subscription: a final sipfrag status (or its end) means the job is done. */
  #notified(leg: ControlLeg, request: SipRequest): void {
    const status = Number(/^SIP\/2\.0 (\d{3})/.exec(request.bodyText.trim())?.[1] ?? 0);
    const terminated = /^\s*terminated/i.test(request.headers.get('Subscription-State') ?? '');
    if (status >= 200 || terminated) {
      this.#ctx.log('info', 'click-to-dial: the device reported its call', { callId: leg.callId, status });
      this.#hangUp(leg);
    }
  }

  /** The PBX hangs up the control leg. */
  #hangUp(leg: ControlLeg): void {
    const dialog = leg.dialog;
    if (dialog && (leg.state === 'connected' || leg.state === 'referring')) {
      leg.cseq += 1;
      this.#send(this.#inDialog(leg, 'BYE', leg.cseq, dialog.remoteContact, dialog.remoteTo, dialog.routes), dialog.target, {});
    }
    this.#ended(leg);
  }

  #ended(leg: ControlLeg): void {
    if (!leg.apply('hung-up')) return;
    this.#finish(leg);
  }

  #finish(leg: ControlLeg): void {
    leg.timer?.cancel();
    leg.party.report('terminated');
    this.#ctx.controlDialogs.delete(leg.party.dialogId);
    // Kept a little longer, so that a retransmitted BYE or NOTIFY still gets its answer.
    this.#ctx.clock.setTimer(() => {
      if (this.#legs.get(leg.callId) === leg) this.#legs.delete(leg.callId);
    }, this.#ctx.timers.lingerMs);
  }

  #inDialog(leg: ControlLeg, method: string, cseq: number, uri: string, to: string, routes: readonly string[]): SipRequest {
    const headers = new SipHeaders();
    for (const route of routes) headers.append('Route', route);
    headers.append('From', leg.localFrom).append('To', to).append('Call-ID', leg.callId).append('CSeq', `${cseq} ${method}`);
    return new SipRequest(method, uri, headers);
  }

  #send(request: SipRequest, target: SipTarget, handlers: ClientTransactionHandlers): void {
    try {
      this.#ctx.sip().sendRequest(request, target, handlers);
    } catch (error) {
      this.#ctx.log('warn', 'click-to-dial: could not send a request', { method: request.method, error: String(error) });
    }
  }

  #safely(leg: ControlLeg, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#ctx.log('error', 'click-to-dial failed', { callId: leg.callId, error: String(error) });
    }
  }
}
