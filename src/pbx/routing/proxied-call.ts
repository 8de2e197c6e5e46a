/**
 * One call through the stateful proxy (RFC 3261 §16): the caller's INVITE server transaction upstream, the branches
 * it is forked into downstream, and the forwarding decisions of the core `planIncomingCall` between them.
 * @packageDocumentation
 */
import { planIncomingCall, type CallPlan, type Destination } from '../../core/forwarding/index.js';
import { normalizeNumber } from '../../core/numbers/index.js';
import {
  sameInstance,
  SipHeaders,
  SipRequest,
  type ClientTransaction,
  type ServerTransaction,
  type SipBinding,
  type SipResponse,
  type SipTarget,
  type SipTimer,
} from '../sip/index.js';
import { checkDestination, type CallResult, type HistoryParty, type UserSettings } from '../store/index.js';
import {
  isBranchPending,
  isPending,
  nextBranchState,
  nextCallState,
  type BranchEvent,
  type BranchState,
  type CallEvent,
  type CallState,
} from './call-state.js';
import { activeCallsOf, bindingsOfUser, targetOfBinding, type RouterContext } from './context.js';
import {
  diversionHeaders,
  headerText,
  historyInfoHeader,
  intercomHeaders,
  reasonHeader,
  stripCallerControlled,
  type Diversion,
  type DiversionReason,
  type HeaderLine,
} from './headers.js';
import type { Member, VoicemailReason } from './options.js';
import {
  addressOf,
  betterOutcome,
  callerAsSeenBy,
  callerPeer,
  callerResult,
  Party,
  peerOf,
  type Caller,
  type PendingEntry,
} from './parties.js';
import { bestOutcome, isBusyStatus } from './responses.js';
import { uriOfRoute } from './in-dialog.js';

/** What kind of target a branch rings. */
type BranchKind = 'device' | 'parallel' | 'voicemail';

/** One target of a fork: a device binding (or the voicemail service) and whose it is. */
interface BranchSpec {
  readonly kind: BranchKind;
  /** The user whose device this is; none for voicemail. */
  readonly party: Party | undefined;
  /** The Request-URI (the registered contact). */
  readonly uri: string;
  readonly target: SipTarget;
  /** Path of the registration (RFC 3327), used as Route. */
  readonly path: readonly string[];
  /** The device, when the binding names it. */
  readonly deviceId: string | undefined;
  /** The binding's `+sip.instance`: lets the proxy find the device again after it reconnected. */
  readonly instanceId: string | undefined;
}

/** One ringing step: the branches started together for one user (plus their parallel-call target). */
interface Phase {
  /** The user being rung. */
  readonly callee: Member;
  /** The callee's party; none for voicemail. */
  readonly party: Party | undefined;
  readonly onNoAnswer: { readonly after: number; readonly to: Destination } | undefined;
  readonly onBusy: Destination | undefined;
  readonly branches: Branch[];
  /** The no-answer timer. */
  timer: SipTimer | undefined;
  /** Whether the phase has been decided (answered, forwarded or failed). */
  done: boolean;
}

/**
 * The dial string a 3xx response points at: the user part of its first Contact (`sip:13@…` → `13`, `tel:+49…`), when
 * it looks like a number, extension or star-code-free dial string. Anything else is ignored (the call then fails over
 * as unanswered).
 */
function redirectTarget(response: SipResponse): string | undefined {
  const first = response.contacts[0];
  if (!first || !('uri' in first)) return undefined;
  const match = /^(?:sips?:([^@;?]+)@|tel:([^;?]+))/i.exec(first.uri);
  const user = decodeURIComponentSafe(match?.[1] ?? match?.[2] ?? '');
  return /^\+?[\d\s()./-]{1,32}$/.test(user) ? user : undefined;
}

/** Whether the first Contact of a 3xx has URI headers (`?Replaces=…`) meant for the INVITE that follows it. */
function redirectCarriesHeaders(response: SipResponse): boolean {
  const first = response.contacts[0];
  return first !== undefined && 'uri' in first && first.uri.includes('?');
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}

/** One INVITE client transaction towards one device, with its state machine and Timer C. */
class Branch {
  readonly phase: Phase;
  readonly spec: BranchSpec;
  #state: BranchState = 'calling';
  transaction: ClientTransaction | undefined;
  /** The INVITE as sent (our Via on top). */
  request: SipRequest | undefined;
  /** The final status (synthesised for timeouts and transport errors). */
  status: number | undefined;
  response: SipResponse | undefined;
  timerC: SipTimer | undefined;
  /** Timer C cancelled it: its 487 means "nobody answered in time", a 408 for the caller. */
  timedOut = false;

  constructor(phase: Phase, spec: BranchSpec) {
    this.phase = phase;
    this.spec = spec;
  }

  get state(): BranchState {
    return this.#state;
  }

  /** Applies an event; false when the transition table does not allow it (the event is then ignored). */
  apply(event: BranchEvent): boolean {
    const next = nextBranchState(this.#state, event);
    if (next === undefined) return false;
    this.#state = next;
    return true;
  }
}

/** How the proxy reaches one side of a confirmed dialog. */
interface DialogSide {
  /** Where requests for this side go: its connection when the dialog began, later where its device came back. */
  target: SipTarget;
  /** The side's user (none for services such as voicemail). */
  readonly userId: string | undefined;
  /** The side's device (`+sip.instance`), when it named one: a device can come back on a new connection. */
  readonly instanceId: string | undefined;
  /** Since when (router clock) the side has been unreachable: no open connection, no registration. */
  lostSince: number | undefined;
}

/** What the proxy keeps of the confirmed dialog, to end it itself when one side's connection dies. */
interface DialogRecord {
  readonly callerTag: string;
  readonly calleeTag: string;
  /** The caller's Contact (INVITE) and the callee's (2xx). */
  readonly callerContact: string | undefined;
  readonly calleeContact: string | undefined;
  /** The 2xx's To (with the callee's tag). */
  readonly calleeTo: string;
  readonly caller: DialogSide;
  readonly callee: DialogSide;
  /** The highest CSeq each side has used, for a BYE the proxy sends on its behalf. */
  callerCSeq: number;
  calleeCSeq: number;
}

/** Options of {@link ProxiedCall}. */
export interface ProxiedCallInit {
  /** The INVITE as it arrived (never modified: branches are copies). */
  readonly request: SipRequest;
  readonly upstream: ServerTransaction;
  readonly caller: Caller;
  /** What the caller dialled (the Request-URI's user part). */
  readonly dial: string;
  /** Called once when the call is over (failed, cancelled, hung up). */
  readonly onFinished: (call: ProxiedCall) => void;
}

/** How a call is delivered to a user: with forwarding, as intercom (`*80`), or as a Replaces INVITE. */
type DeliveryMode = 'normal' | 'intercom' | 'replaces';

/** Whom a forwarded call comes from, and why: becomes Diversion/History-Info and the call list's "forwarded by". */
interface Via {
  readonly by: Member;
  readonly reason: DiversionReason;
}

/** A call through the proxy, from the caller's INVITE until its BYE (or its final non-2xx response). */
export class ProxiedCall {
  /** The SIP Call-ID (the same on every branch: a proxy does not change it). */
  readonly callId: string;
  /** When the INVITE arrived (router clock). */
  readonly startedAt: number;
  readonly #ctx: RouterContext;
  readonly #request: SipRequest;
  readonly #upstream: ServerTransaction;
  readonly #caller: Caller;
  readonly #dial: string;
  readonly #onFinished: (call: ProxiedCall) => void;
  #state: CallState = 'routing';
  #phase: Phase | undefined;
  readonly #branches: Branch[] = [];
  #winner: Branch | undefined;
  #answeredAt: number | undefined;
  /** Whether the caller's ACK for the answer went through (calls never acknowledged are ended by the sweep). */
  #acked = false;
  #finalStatus: number | undefined;
  readonly #visited = new Set<string>();
  readonly #diversions: Diversion[] = [];
  readonly #callerParty: Party;
  readonly #parties: Party[] = [];
  #dialled: Partial<HistoryParty>;
  #dialog: DialogRecord | undefined;
  #finished = false;

  constructor(ctx: RouterContext, init: ProxiedCallInit) {
    this.#ctx = ctx;
    this.#request = init.request;
    this.#upstream = init.upstream;
    this.#caller = init.caller;
    this.#dial = init.dial;
    this.#onFinished = init.onFinished;
    this.callId = init.request.callId;
    this.startedAt = ctx.clock.now();
    this.#dialled = { number: init.dial };
    this.#callerParty = new Party(ctx, {
      member: init.caller,
      direction: 'initiator',
      callId: this.callId,
      remote: { uri: `sip:${init.dial}@${init.caller.tenant.sipDomain}` },
    });
    init.upstream.onCancel(() => this.#safely(() => this.cancel()));
  }

  /** The call's state. */
  get state(): CallState {
    return this.#state;
  }

  /** Whether the call has ended (it stays known for a while for late in-dialog messages). */
  get finished(): boolean {
    return this.#finished;
  }

  /** Routes the call: what the caller dialled decides where it goes. */
  start(): void {
    this.#callerParty.report('trying');
    this.#safely(() => this.#route());
  }

  /** The caller's CANCEL: cancel every branch and answer 487 (RFC 3261 §16.10). */
  cancel(): void {
    if (!isPending(this.#state)) return;
    this.#endAllPhases();
    this.#upstream.reply(487);
    this.#finalStatus = 487;
    for (const party of this.#parties) if (party.outcome === undefined) party.outcome = 'missed';
    this.#transition('cancelled');
    this.#finish();
  }

  /**
   * An in-dialog request of this call passed through the proxy: keeps the CSeq numbers current and ends the call
   * on BYE. Requests of other dialogs with the same Call-ID (stray forks) change nothing.
   */
  inDialog(request: SipRequest): void {
    const dialog = this.#dialog;
    if (this.#state !== 'confirmed' || !dialog) return;
    const seq = request.cseq?.seq ?? 0;
    if (request.fromTag === dialog.callerTag && request.toTag === dialog.calleeTag) {
      if (request.method === 'ACK') this.#acked = true;
      else dialog.callerCSeq = Math.max(dialog.callerCSeq, seq);
    } else if (request.fromTag === dialog.calleeTag && request.toTag === dialog.callerTag) {
      dialog.calleeCSeq = Math.max(dialog.calleeCSeq, seq);
    } else return;
    if (request.method === 'BYE') this.#hangUp();
  }

  /**
   * Where an in-dialog request should go when neither its Route nor its Request-URI says (the flow token's
   * connection is gone): the other side of the confirmed dialog, on its current connection. The sender is told
   * by the dialog's tags, not by the connection the request came on, which is new after a reconnect.
   */
  peerTarget(request: SipRequest): SipTarget | undefined {
    const dialog = this.#dialog;
    if (!dialog) return undefined;
    if (request.fromTag === dialog.callerTag) return this.#reach(dialog.callee);
    if (request.fromTag === dialog.calleeTag) return this.#reach(dialog.caller);
    return undefined;
  }

  /**
   * Checks a confirmed call for a side whose connection (WebSocket, TCP) has closed and that did not come back: such
   * a call can never get its BYE, so the proxy sends one to the other side and ends the call. A side whose device
   * named itself (`+sip.instance`) gets `reconnectGraceMs` to register again first: a browser whose WebSocket dropped
   * reconnects and keeps its calls. A call older than `maxCallMs` is ended the same way, with a BYE to both sides.
   */
  checkFlows(): void {
    const dialog = this.#dialog;
    if (this.#state !== 'confirmed' || !dialog) return;
    const now = this.#ctx.clock.now();
    const answeredFor = now - (this.#answeredAt ?? this.startedAt);
    const tooLong = answeredFor >= this.#ctx.timers.maxCallMs;
    const neverAcked = !this.#acked && answeredFor >= this.#ctx.timers.ackWaitMs;
    const callerGone = this.#lost(dialog.caller, now);
    const calleeGone = this.#lost(dialog.callee, now);
    if (!callerGone && !calleeGone && !tooLong && !neverAcked) return;
    const reason = tooLong
      ? 'The call reached the longest duration the PBX allows'
      : neverAcked && !callerGone && !calleeGone
        ? 'The caller never confirmed the answer'
        : 'The other side lost its connection';
    this.#ctx.log('info', 'ending a call', { callId: this.callId, reason });
    if (!calleeGone) this.#sendBye('callee', reason);
    if (!callerGone) this.#sendBye('caller', reason);
    this.#hangUp();
  }

  /** Ends the call at shutdown: LineStates are told, timers stop, nothing is sent. */
  abandon(): void {
    if (this.#finished) return;
    for (const phase of this.#allPhases()) phase.timer?.cancel();
    for (const branch of this.#branches) branch.timerC?.cancel();
    this.#finished = true;
    for (const party of [this.#callerParty, ...this.#parties]) party.report('terminated');
  }

  // ---- routing ----------------------------------------------------------------------------------------------

  #route(): void {
    const caller = this.#caller;
    const store = this.#ctx.store;
    const intercom = /^\*80(\d{1,15})#?$/.exec(this.#dial);
    if (intercom) {
      const extension = intercom[1] ?? '';
      const user = store.findUserByExtension(caller.tenant.id, extension);
      if (!user) return this.#fail(404, `Extension ${extension} does not exist`);
      this.#dialledMember({ user, tenant: caller.tenant });
      return this.#deliver({ user, tenant: caller.tenant }, undefined, 'intercom');
    }
    if (/^[*#]/.test(this.#dial)) return this.#fail(404, `Unknown service code ${this.#dial}`);
    const number = normalizeNumber(this.#dial, caller.tenant.dialPlan);
    if (number.kind === 'invalid') return this.#fail(404, `${this.#dial} is neither an extension nor a phone number`);
    if (number.kind === 'extension') {
      const user = store.findUserByExtension(caller.tenant.id, number.extension);
      if (!user) return this.#fail(404, `Extension ${number.extension} does not exist`);
      this.#dialledMember({ user, tenant: caller.tenant });
      return this.#deliver({ user, tenant: caller.tenant }, undefined, this.#plainMode());
    }
    this.#dialled = { number: number.e164 };
    this.#callerParty.remote = { uri: `sip:${number.e164}@${caller.tenant.sipDomain};user=phone` };
    const check = checkDestination(number.e164, caller.tenant);
    if (!check.allowed) return this.#fail(403, check.message);
    const found = store.findUserByNumber(number.e164);
    if (!found) return this.#fail(404, noTrunk(number.e164));
    if (found.tenant.id === caller.tenant.id) this.#dialledMember(found);
    this.#deliver(found, undefined, this.#plainMode());
  }

  /**
   * An INVITE with Replaces (RFC 3891: the far end of an attended transfer) takes over a call the callee already
   * has: it goes straight to the callee's devices — forwarding, busy and the call cap would break the transfer.
   */
  #plainMode(): DeliveryMode {
    return this.#request.headers.has('Replaces') ? 'replaces' : 'normal';
  }

  #dialledMember(member: Member): void {
    this.#dialled = peerOf(member, this.#caller.tenant.id);
    this.#callerParty.remote = addressOf(member, this.#caller.tenant);
  }

  /** Applies the callee's forwarding (or intercom) and acts on the plan. */
  #deliver(callee: Member, via: Via | undefined, mode: DeliveryMode): void {
    const { store, timers } = this.#ctx;
    if (via) {
      if (this.#diversions.length >= timers.maxForwardingHops) return this.#fail(482, 'Too many forwarding steps');
      this.#diversions.push({ from: `sip:${via.by.user.extension}@${via.by.tenant.sipDomain}`, name: via.by.user.name, reason: via.reason });
    }
    if (this.#visited.has(callee.user.id)) return this.#fail(482, 'Forwarding loop');
    this.#visited.add(callee.user.id);

    const settings = store.getUserSettings(callee.user.id);
    const bindings = bindingsOfUser(this.#ctx, callee.user.id, this.#caller.flowId);
    // A user with as many calls as the tenant allows is busy for the next caller, call waiting or not.
    const capped = activeCallsOf(this.#ctx, callee.user.id) >= callee.tenant.maxConcurrentCalls;
    const busy = capped || this.#ctx.lines.isBusy(callee.user.id);
    const party = this.#newParty(callee, via?.by);

    if (mode === 'replaces') {
      // Addressed to a GRUU (the phone that handed out the call took it from the dialog), only that device has the
      // call to replace; ringing the user's other devices would only make them ring.
      const device = this.#ctx.sip().resolveGruu(this.#request.uri);
      const holders = device ? bindings.filter((binding) => binding.aor === device.aor && binding.instanceId === device.instanceId) : bindings;
      if (holders.length === 0) return this.#fail(481, 'The call to replace is not here');
      this.#ring(callee, party, holders, settings, {}, [], false);
      return;
    }
    if (mode === 'intercom' && settings.intercom && !settings.dnd && !busy && bindings.length > 0) {
      const primary = settings.primaryDevice ?? store.webDeviceOf(callee.user.id)?.id;
      const onPrimary = bindings.filter((binding) => binding.owner.deviceId === primary);
      this.#ring(callee, party, onPrimary.length > 0 ? onPrimary : bindings, settings, {}, intercomHeaders(callee.tenant.sipDomain), false);
      return;
    }
    const plan: CallPlan = planIncomingCall(
      store.getForwarding(callee.user.id),
      { from: callerAsSeenBy(this.#caller, callee.tenant.id) },
      { registered: bindings.length > 0, busy, callWaiting: settings.callWaiting && !capped, dnd: settings.dnd },
      {
        dialPlan: callee.tenant.dialPlan,
        contactNumbers: (contactId) => store.contactNumbers({ tenantId: callee.tenant.id, userId: callee.user.id }, contactId),
      },
    );
    switch (plan.action) {
      case 'ring':
        this.#ring(callee, party, bindings, settings, plan, []);
        return;
      case 'forward': {
        party.outcome = plan.reason === 'busy' ? 'busy' : 'missed';
        const reason: DiversionReason =
          plan.reason === 'always' ? 'unconditional' : plan.reason === 'busy' ? 'user-busy' : plan.reason === 'dnd' ? 'do-not-disturb' : 'unavailable';
        this.#forward(plan.to, callee, reason, plan.reason);
        return;
      }
      case 'reject':
        party.outcome = plan.reason === 'busy' ? 'busy' : 'missed';
        this.#fail(plan.status, plan.reason === 'busy' ? `${callee.user.name} is busy` : `${callee.user.name} is not registered`);
        return;
    }
  }

  /** Sends the call on to a forwarding destination. */
  #forward(destination: Destination, by: Member, reason: DiversionReason, why: VoicemailReason): void {
    switch (destination.type) {
      case 'busy':
        this.#fail(486, `${by.user.name} is busy`);
        return;
      case 'voicemail':
        this.#toVoicemail(by, reason, why);
        return;
      case 'number':
        this.#toNumber(destination.number, by, reason);
        return;
    }
  }

  #toNumber(dialString: string, by: Member, reason: DiversionReason): void {
    const store = this.#ctx.store;
    const number = normalizeNumber(dialString, by.tenant.dialPlan);
    if (number.kind === 'invalid') return this.#fail(404, `Forwarding target ${dialString} is not a number`);
    if (number.kind === 'extension') {
      const user = store.findUserByExtension(by.tenant.id, number.extension);
      if (!user) return this.#fail(404, `Forwarding target ${number.extension} does not exist`);
      return this.#deliver({ user, tenant: by.tenant }, { by, reason }, 'normal');
    }
    // Toll fraud: the forwarding user's company pays for this leg, so its policy decides, now, not when it was set.
    const check = checkDestination(number.e164, by.tenant);
    if (!check.allowed) return this.#fail(403, check.message);
    const found = store.findUserByNumber(number.e164);
    if (!found) return this.#fail(404, noTrunk(number.e164));
    this.#deliver(found, { by, reason }, 'normal');
  }

  #toVoicemail(owner: Member, reason: DiversionReason, why: VoicemailReason): void {
    const route = this.#ctx.voicemail?.route(owner, why);
    if (!route) return this.#fail(480, 'Voicemail not available');
    this.#diversions.push({ from: `sip:${owner.user.extension}@${owner.tenant.sipDomain}`, name: owner.user.name, reason });
    const phase: Phase = { callee: owner, party: undefined, onNoAnswer: undefined, onBusy: undefined, branches: [], timer: undefined, done: false };
    const spec: BranchSpec = {
      kind: 'voicemail',
      party: undefined,
      uri: route.uri,
      target: route.target,
      path: [],
      deviceId: undefined,
      instanceId: undefined,
    };
    phase.branches.push(new Branch(phase, spec));
    this.#startPhase(phase, []);
  }

  /** Rings the callee's devices and, if set, the parallel-call target at the same time. */
  #ring(
    callee: Member,
    party: Party,
    bindings: readonly SipBinding[],
    settings: UserSettings,
    plan: { readonly onNoAnswer?: { readonly after: number; readonly to: Destination }; readonly onBusy?: Destination },
    extra: readonly HeaderLine[],
    parallel = true,
  ): void {
    const phase: Phase = {
      callee,
      party,
      onNoAnswer: plan.onNoAnswer,
      onBusy: plan.onBusy,
      branches: [],
      timer: undefined,
      done: false,
    };
    for (const binding of bindings) {
      const target = targetOfBinding(this.#ctx, binding);
      if (!target) continue;
      phase.branches.push(
        new Branch(phase, {
          kind: 'device',
          party,
          uri: binding.contact,
          target,
          path: binding.path,
          deviceId: binding.owner.deviceId,
          instanceId: binding.instanceId,
        }),
      );
    }
    if (phase.branches.length === 0) {
      party.outcome = 'missed';
      if (plan.onNoAnswer) return this.#forward(plan.onNoAnswer.to, callee, 'unavailable', 'no-answer');
      return this.#fail(480, `No device of ${callee.user.name} can be reached`);
    }
    if (parallel && settings.parallelCall.enabled && settings.parallelCall.target !== null) {
      for (const spec of this.#parallelTargets(callee, settings.parallelCall.target)) phase.branches.push(new Branch(phase, spec));
    }
    this.#startPhase(phase, extra);
    if (plan.onNoAnswer) {
      phase.timer = this.#ctx.clock.setTimer(() => this.#safely(() => this.#noAnswer(phase)), plan.onNoAnswer.after * 1000);
    }
  }

  /** The devices of the callee's parallel-call target ("Parallelanruf"), as extra branches of the same phase. */
  #parallelTargets(callee: Member, target: string): BranchSpec[] {
    const { store } = this.#ctx;
    const number = normalizeNumber(target, callee.tenant.dialPlan);
    let member: Member | undefined;
    if (number.kind === 'extension') {
      const user = store.findUserByExtension(callee.tenant.id, number.extension);
      member = user ? { user, tenant: callee.tenant } : undefined;
    } else if (number.kind === 'external') {
      const check = checkDestination(number.e164, callee.tenant);
      if (!check.allowed) {
        this.#ctx.log('warn', 'parallel-call target refused by the toll-fraud policy', { userId: callee.user.id });
        return [];
      }
      member = store.findUserByNumber(number.e164);
    }
    if (!member || member.user.id === callee.user.id || member.user.id === this.#caller.user.id) return [];
    // The parallel target is rung as it is, without its own forwarding, but not against its own wishes: not in
    // DND, not in a call it could not hear this one in, not past its call cap.
    const targetSettings = store.getUserSettings(member.user.id);
    if (targetSettings.dnd) return [];
    if (activeCallsOf(this.#ctx, member.user.id) >= member.tenant.maxConcurrentCalls) return [];
    if (this.#ctx.lines.isBusy(member.user.id) && !targetSettings.callWaiting) return [];
    const party = this.#newParty(member, callee);
    const specs: BranchSpec[] = [];
    for (const binding of bindingsOfUser(this.#ctx, member.user.id, this.#caller.flowId)) {
      const bindingTarget = targetOfBinding(this.#ctx, binding);
      if (bindingTarget) {
        specs.push({
          kind: 'parallel',
          party,
          uri: binding.contact,
          target: bindingTarget,
          path: binding.path,
          deviceId: binding.owner.deviceId,
          instanceId: binding.instanceId,
        });
      }
    }
    return specs;
  }

  #startPhase(phase: Phase, extra: readonly HeaderLine[]): void {
    this.#phase = phase;
    for (const branch of phase.branches) branch.spec.party?.report('trying');
    for (const branch of phase.branches) this.#send(branch, extra);
    this.#transition('forked');
    this.#callerParty.report('proceeding');
  }

  /** Builds and sends one branch's INVITE (RFC 3261 §16.6). */
  #send(branch: Branch, extra: readonly HeaderLine[]): void {
    const sip = this.#ctx.sip();
    const out = this.#request.clone();
    out.uri = branch.spec.uri;
    // Steps 2–3: the new Request-URI, and Max-Forwards one lower.
    out.headers.set('Max-Forwards', String(Math.max(0, (this.#request.maxForwards ?? 70) - 1)));
    // Step 6 and §16.4: the caller's Route (at most our own address) is consumed here; Path leads to the device.
    out.headers.delete('Route');
    for (const hop of branch.spec.path) out.headers.append('Route', hop);
    stripCallerControlled(out.headers);
    // Step 4: Record-Route, twice (RFC 5658), one per side, each naming its flow: in-dialog requests then reach a
    // browser on its WebSocket or a phone behind NAT, whichever side they come from.
    const calleeFlow = 'flowId' in branch.spec.target ? sip.flow(branch.spec.target.flowId) : undefined;
    const callerFlow = sip.flow(this.#caller.flowId);
    if (callerFlow) out.headers.prepend('Record-Route', sip.recordRoute(callerFlow));
    if (calleeFlow) out.headers.prepend('Record-Route', sip.recordRoute(calleeFlow));
    const viewer = branch.spec.party?.member.tenant ?? this.#caller.tenant;
    if (!this.#caller.anonymous) {
      const asserted = addressOf(this.#caller, viewer);
      const name = asserted.displayName === undefined ? '' : headerText(asserted.displayName);
      out.headers.append('P-Asserted-Identity', name === '' ? `<${asserted.uri}>` : `"${name}" <${asserted.uri}>`);
    }
    for (const header of diversionHeaders(this.#diversions)) out.headers.append(...header);
    const target = branch.spec.party ? addressOf(branch.spec.party.member, viewer).uri : branch.spec.uri;
    const history = historyInfoHeader(this.#diversions, target);
    if (history) out.headers.append(...history);
    for (const header of extra) out.headers.append(...header);
    branch.request = out;
    this.#armTimerC(branch);
    try {
      branch.transaction = sip.sendRequest(out, branch.spec.target, {
        onResponse: (response) => this.#safely(() => this.#onResponse(branch, response)),
        onTimeout: () => this.#safely(() => this.#onFailure(branch, 408, undefined)),
        onTransportError: () => this.#safely(() => this.#onFailure(branch, 503, undefined)),
      });
    } catch (error) {
      this.#ctx.log('warn', 'could not send a branch', { error: String(error) });
      // The failure is handled after the whole fork is out, so that one dead flow does not end the phase early.
      queueMicrotask(() => this.#safely(() => this.#onFailure(branch, 503, undefined)));
    }
  }

  // ---- responses from branches --------------------------------------------------------------------------------

  #onResponse(branch: Branch, response: SipResponse): void {
    const status = response.status;
    if (status < 200) this.#onProvisional(branch, response);
    else if (status < 300) this.#onSuccess(branch, response);
    else this.#onFailure(branch, status, response);
  }

  #onProvisional(branch: Branch, response: SipResponse): void {
    if (!branch.apply('provisional')) return;
    this.#armTimerC(branch);
    // RFC 3261 §16.7 step 5: 100 Trying is not forwarded (the caller has its own from the proxy).
    if (response.status === 100) {
      if (branch.state === 'ringing') branch.spec.party?.report('proceeding');
      return;
    }
    if (branch.state !== 'ringing' || branch.phase !== this.#phase || !isPending(this.#state)) return;
    const early = response.toTag !== undefined;
    branch.spec.party?.report(early ? 'early' : 'proceeding');
    this.#callerParty.report(early ? 'early' : 'proceeding');
    this.#passUpstream(response);
    this.#transition('provisional');
  }

  #onSuccess(branch: Branch, response: SipResponse): void {
    if (this.#winner === branch) {
      // A retransmitted 2xx (the callee has not seen the ACK yet): it goes to the caller too (§16.7 step 5).
      this.#passUpstream(response);
      return;
    }
    branch.apply('answer');
    branch.timerC?.cancel();
    if (this.#winner !== undefined || !isPending(this.#state)) {
      this.#hangUpStray(branch, response);
      return;
    }
    this.#winner = branch;
    this.#answeredAt = this.#ctx.clock.now();
    this.#dialog = this.#dialogOf(branch, response);
    this.#passUpstream(response);
    this.#transition('answered');
    // The first 2xx wins: every other branch, of this phase or an earlier one still ringing, is cancelled.
    this.#endAllPhases(branch);
    const party = branch.spec.party;
    if (party) {
      party.outcome = 'answered';
      party.report('confirmed');
    }
    for (const other of this.#parties) {
      if (other === party) continue;
      if (other.outcome === undefined) other.outcome = 'missed';
      other.report('terminated');
    }
    this.#callerParty.report('confirmed');
  }

  #onFailure(branch: Branch, code: number, answer: SipResponse | undefined): void {
    if (!isBranchPending(branch.state)) return;
    const expired = branch.timedOut && code === 487;
    const status = expired ? 408 : code;
    const response = expired ? undefined : answer;
    branch.apply('fail');
    branch.status = status;
    branch.response = response;
    branch.timerC?.cancel();
    if (!isPending(this.#state)) return;
    const phase = branch.phase;
    if (phase !== this.#phase || phase.done) return;
    // A ringing device that answers 301/302 hands the call on before answering ("Weiterleitung vor Anrufannahme"):
    // the PBX follows it itself, so the tenant's toll-fraud policy applies and the target learns who forwarded.
    if (branch.spec.kind === 'device' && (status === 301 || status === 302) && response !== undefined) {
      // A redirect that carries headers for the new INVITE (an attended transfer before answering puts Replaces
      // there) is the caller's to follow: only the caller can send that INVITE, so the 3xx goes up unchanged.
      if (redirectCarriesHeaders(response)) {
        this.#closePhase(phase);
        if (phase.party) phase.party.report('terminated');
        return this.#reject(status, response);
      }
      const target = redirectTarget(response);
      if (target !== undefined) return this.#deflect(phase, target);
    }
    if (branch.spec.kind === 'device' && status >= 600) return this.#endPhase(phase, status === 603 ? 'declined' : 'busy');
    if (phase.branches.some((other) => isBranchPending(other.state))) return;
    const busy = phase.branches.some((other) => other.spec.kind === 'device' && isBusyStatus(other.status ?? 0));
    this.#endPhase(phase, busy ? 'busy' : 'unanswered');
  }

  /** The callee's device redirected the ringing call to `target` (an extension or number). */
  #deflect(phase: Phase, target: string): void {
    this.#closePhase(phase);
    if (phase.party) {
      phase.party.outcome = betterOutcome(phase.party.outcome, 'missed');
      phase.party.report('terminated');
    }
    this.#toNumber(target, phase.callee, 'deflection');
  }

  #noAnswer(phase: Phase): void {
    if (phase !== this.#phase || phase.done || !isPending(this.#state)) return;
    this.#endPhase(phase, 'timeout');
  }

  /** A ringing step is over without an answer: forward (busy / no answer) or give the caller the best response. */
  #endPhase(phase: Phase, why: 'busy' | 'declined' | 'unanswered' | 'timeout'): void {
    this.#closePhase(phase);
    const outcome: CallResult = why === 'declined' ? 'rejected' : why === 'busy' ? 'busy' : 'missed';
    for (const party of new Set(phase.branches.map((branch) => branch.spec.party))) {
      if (!party) continue;
      party.outcome = betterOutcome(party.outcome, party === phase.party ? outcome : 'missed');
      party.report('terminated');
    }
    const best = bestOutcome(
      phase.branches.filter((branch) => branch.status !== undefined).map((branch) => ({ status: branch.status ?? 408, response: branch.response })),
    );
    if (why === 'busy' || why === 'declined') {
      if (phase.onBusy) return this.#forward(phase.onBusy, phase.callee, 'user-busy', 'busy');
    } else if (phase.onNoAnswer) {
      return this.#forward(phase.onNoAnswer.to, phase.callee, 'no-answer', 'no-answer');
    }
    if (why === 'timeout') return this.#fail(480, `${phase.callee.user.name} did not answer`);
    this.#reject(best.status, best.response);
  }

  /** Stops a phase: no-answer timer off, pending branches cancelled. */
  #closePhase(phase: Phase): void {
    phase.done = true;
    phase.timer?.cancel();
    phase.timer = undefined;
    for (const branch of phase.branches) this.#cancelBranch(branch);
  }

  #endAllPhases(except?: Branch): void {
    for (const phase of this.#allPhases()) {
      phase.done = true;
      phase.timer?.cancel();
      phase.timer = undefined;
    }
    for (const branch of this.#branches) if (branch !== except) this.#cancelBranch(branch);
  }

  #allPhases(): Phase[] {
    return [...new Set([...this.#branches.map((branch) => branch.phase), ...(this.#phase ? [this.#phase] : [])])];
  }

  #cancelBranch(branch: Branch): void {
    if (!branch.apply('cancel')) return;
    branch.transaction?.cancel();
    // The CANCEL goes out once the device has answered provisionally; a device that never sends a final response
    // afterwards must not keep the branch open for ever (RFC 3261 §9.1: 64·T1).
    branch.timerC?.cancel();
    branch.timerC = this.#ctx.clock.setTimer(() => this.#safely(() => branch.apply('fail')), 32_000);
  }

  #armTimerC(branch: Branch): void {
    if (!this.#branches.includes(branch)) this.#branches.push(branch);
    if (branch.state === 'cancelling') return;
    branch.timerC?.cancel();
    branch.timerC = this.#ctx.clock.setTimer(() => this.#safely(() => this.#timerC(branch)), this.#ctx.timers.timerCMs);
  }

  /** Timer C (RFC 3261 §16.8): a branch that rang too long without news is cancelled, one never heard from fails. */
  #timerC(branch: Branch): void {
    if (branch.state === 'ringing') {
      branch.timedOut = true;
      this.#cancelBranch(branch);
    } else if (branch.state === 'calling') this.#onFailure(branch, 408, undefined);
  }

  // ---- answers upstream ---------------------------------------------------------------------------------------

  /** Passes a branch's response to the caller: our Via comes off, the rest is the callee's (§16.7 step 9). */
  #passUpstream(response: SipResponse): void {
    response.headers.shift('Via');
    this.#upstream.respond(response);
  }

  /** Passes the best branch response upstream as the final answer (a 503 was already turned into 500). */
  #reject(status: number, response: SipResponse | undefined): void {
    if (!isPending(this.#state)) return;
    if (response) this.#passUpstream(response);
    else this.#upstream.reply(status);
    this.#finalStatus = status;
    this.#transition('rejected');
    this.#finish();
  }

  /** Answers the caller with a final failure of the PBX's own, with a Reason header that says why. */
  #fail(status: number, text: string): void {
    if (!isPending(this.#state)) return;
    this.#endAllPhases();
    this.#upstream.reply(status, { headers: [reasonHeader(status, text)] });
    this.#finalStatus = status;
    this.#transition('rejected');
    this.#finish();
  }

  // ---- the confirmed dialog -----------------------------------------------------------------------------------

  #dialogOf(branch: Branch, response: SipResponse): DialogRecord {
    const contactOf = (message: SipRequest | SipResponse): string | undefined => {
      const first = message.contacts[0];
      return first && 'uri' in first ? first.uri : undefined;
    };
    // The caller's device is the one registered on the connection its INVITE came on (if it registered at all).
    const callerBinding = this.#ctx
      .sip()
      .registrations()
      .find((binding) => binding.flowId === this.#caller.flowId && binding.owner.userId === this.#caller.user.id);
    return {
      callerTag: this.#request.fromTag ?? '',
      calleeTag: response.toTag ?? '',
      callerContact: contactOf(this.#request),
      calleeContact: contactOf(response),
      calleeTo: response.headers.get('To') ?? '',
      caller: { target: { flowId: this.#caller.flowId }, userId: this.#caller.user.id, instanceId: callerBinding?.instanceId, lostSince: undefined },
      callee: { target: branch.spec.target, userId: branch.spec.party?.member.user.id, instanceId: branch.spec.instanceId, lostSince: undefined },
      callerCSeq: this.#request.cseq?.seq ?? 1,
      calleeCSeq: 0,
    };
  }

  /**
   * Where a side can be reached now: its recorded connection while that is open, else the connection its device
   * registered on since (which then becomes the recorded one). Undefined while the side cannot be reached.
   */
  #reach(side: DialogSide): SipTarget | undefined {
    if (!this.#flowGone(side.target)) return side.target;
    if (side.userId === undefined || side.instanceId === undefined) return undefined;
    const instanceId = side.instanceId;
    const binding = bindingsOfUser(this.#ctx, side.userId).find((candidate) => candidate.instanceId !== undefined && sameInstance(candidate.instanceId, instanceId));
    const target = binding === undefined ? undefined : targetOfBinding(this.#ctx, binding);
    if (target === undefined || this.#flowGone(target)) return undefined;
    side.target = target;
    return target;
  }

  /** Whether a side is gone for good: unreachable, and (for a device that can come back) for longer than the grace. */
  #lost(side: DialogSide, now: number): boolean {
    if (this.#reach(side) !== undefined) {
      side.lostSince = undefined;
      return false;
    }
    if (side.instanceId === undefined) return true;
    side.lostSince ??= now;
    return now - side.lostSince >= this.#ctx.timers.reconnectGraceMs;
  }

  #hangUp(): void {
    if (!this.#transition('hung-up')) return;
    this.#finish();
  }

  #flowGone(target: SipTarget): boolean {
    if (!('flowId' in target)) return false;
    const flow = this.#ctx.sip().flow(target.flowId);
    return !flow || flow.closed;
  }

  /** A BYE from the PBX to one side (`to`), in the name of the other. */
  #sendBye(to: 'caller' | 'callee', reason: string): void {
    const dialog = this.#dialog;
    if (!dialog) return;
    const headers = new SipHeaders();
    const callerFrom = this.#request.headers.get('From') ?? '';
    let uri: string | undefined;
    let target: SipTarget;
    if (to === 'callee') {
      uri = dialog.calleeContact;
      target = this.#reach(dialog.callee) ?? dialog.callee.target;
      headers.append('From', callerFrom).append('To', dialog.calleeTo);
      headers.append('CSeq', `${dialog.callerCSeq + 1} BYE`);
    } else {
      uri = dialog.callerContact;
      target = this.#reach(dialog.caller) ?? dialog.caller.target;
      headers.append('From', dialog.calleeTo).append('To', callerFrom);
      headers.append('CSeq', `${dialog.calleeCSeq + 1} BYE`);
    }
    if (uri === undefined) return;
    headers.append('Call-ID', this.callId).append(...reasonHeader(480, reason));
    this.#sendQuietly(new SipRequest('BYE', uri, headers), target);
  }

  /**
   * A 2xx that lost the race (another branch answered first, or the caller cancelled): the proxy acknowledges it
   * and hangs up that dialog itself, so the device does not stay in a call nobody is in.
   */
  #hangUpStray(branch: Branch, response: SipResponse): void {
    const sent = branch.request;
    const contact = response.contacts[0];
    if (!sent || !contact || !('uri' in contact)) return;
    const seq = sent.cseq?.seq ?? 1;
    const sip = this.#ctx.sip();
    const routes = response.headers
      .getAll('Record-Route')
      .reverse()
      .filter((route) => {
        const uri = uriOfRoute(route);
        return uri !== undefined && !this.#ctx.isOwnRoute(uri);
      });
    const build = (method: string, cseq: number): SipRequest => {
      const headers = new SipHeaders();
      for (const route of routes) headers.append('Route', route);
      headers.append('From', sent.headers.get('From') ?? '');
      headers.append('To', response.headers.get('To') ?? '');
      headers.append('Call-ID', this.callId);
      headers.append('CSeq', `${cseq} ${method}`);
      return new SipRequest(method, contact.uri, headers);
    };
    sip.sendAck(build('ACK', seq), branch.spec.target);
    this.#sendQuietly(build('BYE', seq + 1), branch.spec.target);
  }

  #sendQuietly(request: SipRequest, target: SipTarget): void {
    try {
      this.#ctx.sip().sendRequest(request, target, {});
    } catch (error) {
      this.#ctx.log('debug', 'could not send a request of the proxy', { method: request.method, error: String(error) });
    }
  }

  // ---- bookkeeping --------------------------------------------------------------------------------------------

  #newParty(member: Member, forwardedBy: Member | undefined): Party {
    const party = new Party(this.#ctx, {
      member,
      direction: 'recipient',
      callId: this.callId,
      remote: this.#caller.anonymous ? { uri: 'sip:anonymous@anonymous.invalid' } : addressOf(this.#caller, member.tenant),
      forwardedBy,
    });
    this.#parties.push(party);
    return party;
  }

  #transition(event: CallEvent): boolean {
    const next = nextCallState(this.#state, event);
    if (next === undefined) {
      this.#ctx.log('debug', 'call event ignored in this state', { callId: this.callId, state: this.#state, event });
      return false;
    }
    this.#state = next;
    return true;
  }

  /** The call is over: LineStates are told, call lists written, the registry informed. */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const phase of this.#allPhases()) phase.timer?.cancel();
    const now = this.#ctx.clock.now();
    for (const party of this.#parties) party.report('terminated');
    this.#callerParty.report('terminated');
    const answered = this.#winner !== undefined && this.#answeredAt !== undefined;
    const durationS = answered ? Math.max(0, (now - (this.#answeredAt ?? now)) / 1000) : 0;
    const entries: PendingEntry[] = [
      {
        member: this.#caller,
        entry: {
          direction: 'out',
          peer: this.#dialled,
          result: answered ? 'answered' : callerResult(this.#finalStatus ?? 500),
          startedAt: this.startedAt,
          durationS,
        },
      },
    ];
    // One entry per user rung, with the best outcome if they were rung more than once.
    const byUser = new Map<string, Party>();
    const outcome = new Map<string, CallResult>();
    for (const party of this.#parties) {
      const id = party.member.user.id;
      const result = party.outcome ?? 'missed';
      if (!byUser.has(id)) byUser.set(id, party);
      const merged = betterOutcome(outcome.get(id), result);
      outcome.set(id, merged);
      if (merged === result) byUser.set(id, party);
    }
    for (const [id, party] of byUser) {
      const result = outcome.get(id) ?? 'missed';
      entries.push({
        member: party.member,
        entry: {
          direction: 'in',
          peer: callerPeer(this.#caller, party.member.tenant.id),
          forwardedBy: party.forwardedBy ? peerOf(party.forwardedBy, party.member.tenant.id) : null,
          result,
          startedAt: this.startedAt,
          durationS: result === 'answered' ? durationS : 0,
        },
      });
    }
    this.#ctx.history.write(entries);
    this.#onFinished(this);
  }

  /** Runs a step of the call; an unexpected error fails the call instead of leaving it hanging. */
  #safely(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#ctx.log('error', 'routing a call failed', { callId: this.callId, error: String(error) });
      try {
        this.#fail(500, 'Internal error while routing the call');
      } catch {
        // Nothing more can be done for this call; the transaction layer ends it.
      }
    }
  }
}

function noTrunk(e164: string): string {
  return `${e164} cannot be reached from this PBX (no trunk)`;
}
