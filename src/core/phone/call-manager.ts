/**
 * All calls of a phone: placing them, receiving them, and the features that involve more than one call — call
 * waiting, swapping ("Makeln"), the three-party conference and the attended transfer. Reached as `phone.calls`.
 *
 * @packageDocumentation
 */
import type { Invitation} from 'sip.js';
import { Inviter, UserAgent, type Core, type Referral, type URI } from 'sip.js';
import { CentrexError } from '../errors.js';
import type { DialPlan } from '../numbers/index.js';
import { Call, type AcceptOptions, type CallContext, type CallSettings, type DtmfMethod } from './call.js';
import type { CallState } from './call-state.js';
import { parseCapabilities } from './capabilities.js';
import type { Clock } from './clock.js';
import { Conference } from './conference.js';
import { Emitter } from './emitter.js';
import type { Logger } from './logger.js';
import type { MediaController } from './media.js';
import type { CallNotifier } from './notifications.js';
import type { Ringer } from './ringer.js';
import { mediaSections } from './sdp.js';
import type { CallMediaOptions } from './session-description-handler.js';
import {
  identityFromHeader,
  parseAutoAnswer,
  parseDiversion,
  parseHistoryInfo,
  type ForwardingHop,
  type PartyIdentity,
} from './sip-headers.js';
import { dialTargetToUri } from './targets.js';

/** Settings for calls (`PhoneOptions.calls`). */
export interface CallOptions {
  /**
   * Where "send to voicemail" redirects a ringing call: a dial string or SIP URI of the voicemail box (with the
   * reference PBX, the star code `*791`…; with Kamailio, whatever the deployment routes to its voicemail).
   * Without it, {@link Call.sendToVoicemail} reports `not-supported`.
   */
  readonly voicemail?: string | undefined;
  /** Let a second call ring while in a call (call waiting). When false, it is rejected with 486. Default: true. */
  readonly callWaiting?: boolean | undefined;
  /**
   * The user allows intercom calls to be answered automatically when the INVITE asks for it (`Call-Info:
   * answer-after`, `Alert-Info: auto-answer`, `Answer-Mode: Auto`). Never while another call is up. Default: false.
   */
  readonly intercomAutoAnswer?: boolean | undefined;
  /** How DTMF is sent. Default: `auto` (RTP events when negotiated, else SIP INFO). */
  readonly dtmf?: DtmfMethod | undefined;
  /** Tone length and gap in milliseconds for DTMF. Defaults: 100 and 70. */
  readonly dtmfDuration?: number | undefined;
  /** Gap between DTMF tones in milliseconds. Default: 70. */
  readonly dtmfGap?: number | undefined;
  /** The SIP status of {@link Call.reject}. Default: 486 Busy Here (the PBX then applies "forward when busy"). */
  readonly rejectStatus?: number | undefined;
  /** Follow 3xx redirects of outgoing calls (forwarding before answer). Default: true. */
  readonly followRedirects?: boolean | undefined;
  /** Follow transfer requests (REFER) from the far end. Default: true. */
  readonly acceptTransfers?: boolean | undefined;
  /** Play the ringer for incoming calls. Default: true. */
  readonly ring?: boolean | undefined;
}

/** Options of {@link CallManager.dial}. */
export interface DialOptions {
  /** Send video from the camera from the start. Default: false. */
  readonly video?: boolean | undefined;
  /** Ask the callee to answer automatically (intercom, `Call-Info: answer-after=0`). */
  readonly intercom?: boolean | undefined;
  /** The callee's name, shown while the call is set up. */
  readonly displayName?: string | undefined;
  /** Extra SIP header lines for the INVITE (`Name: value`). */
  readonly headers?: readonly string[] | undefined;
}

/** Events of the {@link CallManager}. */
export interface CallManagerEventMap {
  /** A call was created (placed, received, or made by a transfer). */
  call: { readonly call: Call };
  /** An incoming call rings (not for calls that replace another one, which are answered at once). */
  incoming: { readonly call: Call };
  /** Any call changed state. */
  statechange: { readonly call: Call; readonly from: CallState; readonly to: CallState };
  /** A call ended. */
  ended: { readonly call: Call };
  /** The call being talked on changed (undefined: none, e.g. all held). */
  activechange: { readonly call: Call | undefined };
  /** A conference started or ended. */
  conference: { readonly conference: Conference | undefined };
}

/** {@link CallOptions} with the defaults applied. */
interface ResolvedCallOptions {
  readonly voicemail: string | undefined;
  readonly callWaiting: boolean;
  readonly intercomAutoAnswer: boolean;
  readonly dtmf: DtmfMethod;
  readonly dtmfDuration: number;
  readonly dtmfGap: number;
  readonly rejectStatus: number;
  readonly followRedirects: boolean;
  readonly acceptTransfers: boolean;
  readonly ring: boolean;
}

/** What the call manager needs from the phone. @internal */
export interface CallManagerLink {
  readonly userAgent: UserAgent;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly media: MediaController;
  readonly ringer: Ringer;
  readonly notifier: CallNotifier;
  readonly domain: string;
  readonly ownUri: string;
  readonly dialPlan: DialPlan | undefined;
  isRegistered(): boolean;
  /** Whether calls can have media here (WebRTC, or a replaced session description handler). */
  canCall(): boolean;
  /** Adds credentials to a new INVITE when the phone has a fresh challenge to answer. */
  preAuthenticate(request: Core.OutgoingRequestMessage): void;
  /** Starts applying an incoming call's offer while it rings, so that answering is quicker. */
  prepareAnswer(invitation: Invitation): void;
}

/**
 * The calls of a phone. Every call is also a {@link Call} with its own events; this object adds the features that
 * span calls and applies the user's rules: a new or answered call holds the current one, a second incoming call
 * rings with the call-waiting tone, intercom calls are answered automatically only when allowed.
 */
export class CallManager extends Emitter<CallManagerEventMap> {
  readonly #link: CallManagerLink;
  #options: ResolvedCallOptions;
  readonly #calls: Call[] = [];
  #nextId = 1;
  #active: Call | undefined;
  #conference: Conference | undefined;
  readonly #settings: CallSettings;

  /** @internal */
  constructor(link: CallManagerLink, options: CallOptions = {}) {
    super((error, type) => link.logger.error(`calls: "${String(type)}" listener threw`, error));
    this.#link = link;
    this.#options = {
      voicemail: options.voicemail,
      callWaiting: options.callWaiting ?? true,
      intercomAutoAnswer: options.intercomAutoAnswer ?? false,
      dtmf: options.dtmf ?? 'auto',
      dtmfDuration: options.dtmfDuration ?? 100,
      dtmfGap: options.dtmfGap ?? 70,
      rejectStatus: options.rejectStatus ?? 486,
      followRedirects: options.followRedirects ?? true,
      acceptTransfers: options.acceptTransfers ?? true,
      ring: options.ring ?? true,
    };
    this.#settings = {
      dtmfMethod: this.#options.dtmf,
      dtmfDuration: this.#options.dtmfDuration,
      dtmfGap: this.#options.dtmfGap,
      rejectStatus: this.#options.rejectStatus,
    };
  }

  /**
   * Changes the user's call behaviour while the phone runs (the settings "call waiting" and "intercom"): it applies
   * to calls that arrive from now on.
   */
  setBehaviour(behaviour: { readonly callWaiting?: boolean | undefined; readonly intercomAutoAnswer?: boolean | undefined }): void {
    this.#options = {
      ...this.#options,
      ...(behaviour.callWaiting === undefined ? {} : { callWaiting: behaviour.callWaiting }),
      ...(behaviour.intercomAutoAnswer === undefined ? {} : { intercomAutoAnswer: behaviour.intercomAutoAnswer }),
    };
  }

  /** The calls that have not ended, oldest first. */
  get calls(): readonly Call[] {
    return this.#calls.filter((call) => call.state !== 'ended');
  }

  /** The call being talked on (established and not held), if any. */
  get active(): Call | undefined {
    return this.#active;
  }

  /** The running conference, if any. */
  get conferenceInProgress(): Conference | undefined {
    return this.#conference;
  }

  /** The call with this id (also ended ones while they are referenced). */
  get(id: string): Call | undefined {
    return this.#calls.find((call) => call.id === id);
  }

  /**
   * Places a call. A call that is being talked on is put on hold first (as on a desk phone), so a consultation call
   * for an attended transfer is simply a second `dial()`.
   *
   * @param target - extension, number (read with the dial plan), star code, SIP user or SIP URI
   * @returns the call, in state `dialling`; follow its `statechange` events
   * @throws CentrexError `not-registered` when the phone is not registered, `invalid-number` for an unusable
   *   target, `not-supported` without WebRTC (Node)
   */
  async dial(target: string, options: DialOptions = {}): Promise<Call> {
    if (!this.#link.isRegistered()) {
      throw new CentrexError('not-registered', 'The phone is not connected to the telephone system. Wait until it is online (or check the connection) and try again.');
    }
    if (!this.#link.canCall()) {
      throw new CentrexError('not-supported', 'Calls need WebRTC (RTCPeerConnection), which this environment lacks. Place calls from a browser; in Node the phone can register and watch presence.');
    }
    const uri = this.#toUri(target);
    await this.#holdOthers(undefined);
    const video = options.video === true;
    const extraHeaders = [...(options.headers ?? [])];
    if (options.intercom) extraHeaders.push(`Call-Info: <${uri.toString()}>;answer-after=0`, 'Alert-Info: <urn:alert:service:auto-answer>;info=alert-autoanswer');
    const inviter = new Inviter(this.#link.userAgent, uri, {
      earlyMedia: true,
      extraHeaders,
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video } } satisfies CallMediaOptions,
      ...(options.displayName ? { params: { toDisplayName: options.displayName } } : {}),
    });
    const remote: PartyIdentity = { uri: uri.toString(), user: uri.user, host: uri.host, displayName: options.displayName };
    const call = this.#create({ id: this.#newId(), direction: 'outgoing', session: inviter, remote, video });
    this.#link.preAuthenticate(inviter.request);
    call._invite();
    return call;
  }

  /**
   * Answers a ringing call; a call being talked on is held first (call waiting). Same as {@link Call.accept}.
   */
  async accept(call: Call, options: AcceptOptions = {}): Promise<void> {
    await call.accept(options);
  }

  /**
   * Swaps ("Makeln"): holds the call being talked on and resumes `to` (default: the held call that was held
   * longest).
   *
   * @throws CentrexError `invalid-call-state` when there is no held call to swap to
   */
  async swap(to?: Call): Promise<void> {
    const target = to ?? this.calls.find((call) => call.state === 'held');
    if (!target || target.state !== 'held') {
      throw new CentrexError('invalid-call-state', 'There is no held call to switch to.', { details: { calls: this.calls.map((c) => c.state) } });
    }
    await target.resume();
  }

  /** Holds every call that is being talked on. */
  async holdAll(): Promise<void> {
    await this.#holdOthers(undefined);
  }

  /**
   * Joins two calls into a three-party conference mixed on this phone: the held one is resumed, and each far end
   * hears this user and the other far end.
   *
   * @param a - default: the active call
   * @param b - default: the first held call
   * @param options.muted - start with this user's microphone muted for the conference
   * @throws CentrexError `invalid-call-state` unless both calls are answered; `not-supported` without Web Audio
   */
  async conference(a?: Call, b?: Call, options: { muted?: boolean | undefined } = {}): Promise<Conference> {
    const first = a ?? this.#active ?? this.calls.find((call) => call.state === 'established');
    const second = b ?? this.calls.find((call) => call !== first && (call.state === 'held' || call.state === 'established'));
    if (!first || !second || first === second) {
      throw new CentrexError('invalid-call-state', 'A conference needs two answered calls: one active and one on hold.');
    }
    for (const call of [first, second]) {
      if (call.state !== 'established' && call.state !== 'held') {
        throw new CentrexError('invalid-call-state', `Cannot join a call that is ${call.state} into a conference.`, { details: { callId: call.id } });
      }
    }
    if (this.#conference && !this.#conference.ended) await this.#conference.split();
    const conference = new Conference([first, second], this.#link.media, this.#link.logger);
    if (options.muted) conference.mute();
    this.#conference = conference;
    for (const call of [first, second]) if (call.state === 'held') await call.resume();
    await conference._start();
    conference.on('ended', () => {
      if (this.#conference === conference) this.#conference = undefined;
      this.emit('conference', { conference: undefined });
      this.#updateActive();
    });
    this.emit('conference', { conference });
    return conference;
  }

  /**
   * Attended transfer ("Weiterleitung mit Rückfrage"): connects the far ends of two calls and leaves. The
   * `transferee` (usually the held call) is asked to call the far end of `target` (the consultation call) with a
   * `Replaces` header, so the far end of `target` swaps its call with this user for the call with the transferee.
   * Both calls end with reason `transferred`.
   *
   * Before answering ("Transfer vor Anrufannahme mit Rückfrage"): when `transferee` is an incoming call that still
   * rings, it is redirected (302) to the far end of `target` with the Replaces header in the Contact; a caller whose
   * phone follows redirects (phones of this SDK do) then takes over the consultation call.
   *
   * @throws CentrexError `transfer-failed` when the transferee refuses or the target cannot be reached (both calls
   *   stay as they were)
   */
  async attendedTransfer(transferee: Call, target: Call): Promise<void> {
    if (transferee === target) throw new CentrexError('invalid-argument', 'An attended transfer needs two different calls.');
    if (target.state !== 'established' && target.state !== 'held') {
      throw new CentrexError('invalid-call-state', `The transfer target's call is ${target.state}; it must be answered first.`);
    }
    target._markTransferred();
    try {
      if (transferee.direction === 'incoming' && transferee.state === 'ringing') await transferee._redirectWithReplaces(target);
      else await transferee._referWithReplaces(target);
    } catch (error) {
      target._unmarkTransferred();
      throw error;
    }
  }

  /** Hangs up every call. */
  async hangupAll(): Promise<void> {
    await Promise.all(this.calls.map((call) => call.hangup().catch(() => undefined)));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internal API for the phone

  /** Handles an incoming INVITE. @internal */
  _onInvitation(invitation: Invitation): void {
    const request = invitation.request;
    this.#link.prepareAnswer(invitation);
    const remote =
      identityFromHeader(request.getHeader('p-asserted-identity')) ??
      identityFromHeader(request.getHeader('from')) ?? { uri: request.from.uri.toString(), user: request.from.uri.user, host: request.from.uri.host, displayName: undefined };
    const diversion = parseDiversion(request.getHeaders('diversion'));
    const forwardedBy: ForwardingHop[] = diversion.length > 0 ? diversion.reverse() : parseHistoryInfo(request.getHeaders('history-info'));
    const autoAnswer = parseAutoAnswer({
      callInfo: request.getHeaders('call-info'),
      alertInfo: request.getHeaders('alert-info'),
      answerMode: request.getHeaders('answer-mode'),
    });
    const video = request.body ? mediaSections(request.body).some((s) => s.kind === 'video' && s.port !== 0) : false;
    const call = this.#create({
      id: this.#newId(),
      direction: 'incoming',
      session: invitation,
      remote,
      referredBy: identityFromHeader(request.getHeader('referred-by')),
      forwardedBy,
      autoAnswer,
      video: false,
      capabilities: parseCapabilities({ allow: request.getHeaders('allow'), supported: request.getHeaders('supported'), allowEvents: request.getHeaders('allow-events') }),
    });
    const busy = this.calls.some((other) => other !== call && other.state !== 'ringing' && other.state !== 'dialling');
    // An INVITE with Replaces continues a call this user already has (the far end of an attended transfer):
    // answer it at once, the replaced call ends.
    const replaced = invitation.replacee ? this.#calls.find((other) => other._session === invitation.replacee) : undefined;
    if (replaced) {
      replaced._markReplaced();
      const wasHeld = replaced.state === 'held';
      void call.accept({ video: video && replaced.sendingVideo }).then(
        async () => {
          if (wasHeld) await call.hold().catch(() => undefined);
        },
        (error: unknown) => this.#link.logger.warn('answering the replacing call failed', error),
      );
      return;
    }
    if (busy && !this.#options.callWaiting) {
      void call.reject({ status: 486 }).catch(() => undefined);
      return;
    }
    this.emit('incoming', { call });
    if (autoAnswer && this.#options.intercomAutoAnswer && !busy) {
      this.#link.clock.setTimeout(() => {
        if (call.state !== 'ringing') return;
        call.accept().catch((error: unknown) => this.#link.logger.warn('intercom auto-answer failed', error));
      }, autoAnswer.delaySeconds * 1000);
    }
  }

  /** Refreshes the signalling of answered calls after a reconnect. @internal */
  async _recoverAll(): Promise<void> {
    for (const call of this.calls) await call._recover();
  }

  // ---------------------------------------------------------------------------------------------------------------

  #create(init: ConstructorParameters<typeof Call>[0]): Call {
    const call = new Call(init, this.#callContext());
    this.#calls.push(call);
    this.emit('call', { call });
    if (init.direction === 'incoming') this.#updateRinging(call);
    return call;
  }

  #callContext(): CallContext {
    return {
      logger: this.#link.logger,
      clock: this.#link.clock,
      media: this.#link.media,
      settings: this.#settings,
      ownUri: this.#link.ownUri,
      voicemail: this.#options.voicemail,
      toUri: (target) => this.#toUri(target),
      beforeActivate: (call) => this.#holdOthers(call),
      onStateChange: (call, from, to) => this.#onCallState(call, from, to),
      onReferral: (call, referral) => this.#onReferral(call, referral),
      onRedirect: (call, response) => this.#onRedirect(call, response),
    };
  }

  #onCallState(call: Call, from: CallState, to: CallState): void {
    this.emit('statechange', { call, from, to });
    if (call.direction === 'incoming' && (from === 'ringing' || to === 'ringing')) this.#updateRinging(call);
    this.#updateActive();
    if (to === 'ended') {
      // Keep ended calls only while someone may still look at them: drop them from the list right away.
      const index = this.#calls.indexOf(call);
      if (index >= 0) this.#calls.splice(index, 1);
      this.#updateRinging(call);
      this.emit('ended', { call });
    }
  }

  #updateActive(): void {
    const active = this.calls.find((call) => call.state === 'established');
    if (active === this.#active) return;
    this.#active = active;
    this.emit('activechange', { call: active });
  }

  #updateRinging(changed: Call): void {
    const ringing = this.calls.filter((call) => call.direction === 'incoming' && call.state === 'ringing');
    const inCall = this.calls.some((call) => call.state !== 'ringing' && call.state !== 'dialling');
    if (changed.state === 'ringing') this.#link.notifier._show(changed);
    else this.#link.notifier._close(changed);
    if (!this.#options.ring || ringing.length === 0) {
      this.#link.ringer.stop();
      return;
    }
    this.#link.ringer.start(inCall ? 'call-waiting' : 'ring');
  }

  /** Holds every answered call except `keep` (unless they form a conference with it). */
  async #holdOthers(keep: Call | undefined): Promise<void> {
    const conference = this.#conference && !this.#conference.ended ? this.#conference : undefined;
    for (const call of this.calls) {
      if (call === keep || call.state !== 'established' || call._beingReplaced) continue;
      if (keep && conference?.calls.includes(call) && conference.calls.includes(keep)) continue;
      if (conference?.calls.includes(call)) await conference.split();
      await call.hold();
    }
  }

  #onReferral(call: Call, referral: Referral): void {
    if (!this.#options.acceptTransfers) {
      void referral.reject({ statusCode: 603 });
      return;
    }
    let target: URI;
    try {
      target = referral.referTo.uri.clone();
    } catch {
      void referral.reject({ statusCode: 400 });
      return;
    }
    target.clearHeaders();
    void referral.accept().then(() => {
      call._markTransferred();
      const inviter = referral.makeInviter({
        earlyMedia: true,
        sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } satisfies CallMediaOptions,
      });
      const referredBy = identityFromHeader(referral.referredBy);
      const remote: PartyIdentity = { uri: target.toString(), user: target.user, host: target.host, displayName: referral.referTo.displayName || undefined };
      const next = this.#create({ id: this.#newId(), direction: 'outgoing', session: inviter, remote, referredBy });
      next._invite();
    });
  }

  #onRedirect(call: Call, response: Core.IncomingResponseMessage): boolean {
    if (!this.#options.followRedirects) return false;
    // A loop of forwards must end somewhere; five hops is more than any sensible configuration.
    if (call.forwardedBy.length >= 5) return false;
    const contact = response.parseHeader('contact') as { uri?: URI; displayName?: string } | undefined;
    const contactUri = contact?.uri;
    if (!contactUri) return false;
    const target = contactUri.clone();
    const replaces = target.getHeader('replaces');
    target.clearHeaders();
    const diversion = response.getHeaders('diversion');
    const hops = parseDiversion(diversion).reverse();
    const extraHeaders = diversion.map((value) => `Diversion: ${value}`);
    if (replaces?.[0]) extraHeaders.push(`Replaces: ${decodeURIComponent(replaces[0])}`);
    const inviter = new Inviter(this.#link.userAgent, target, {
      earlyMedia: true,
      extraHeaders,
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: call.sendingVideo } } satisfies CallMediaOptions,
    });
    const previous = call.remote;
    call._attach(inviter, [...call.forwardedBy, ...(hops.length > 0 ? hops : [{ from: previous, reason: String(response.statusCode ?? 302) }])]);
    call._setRemote({ uri: target.toString(), user: target.user, host: target.host, displayName: contact.displayName || undefined });
    call._invite();
    return true;
  }

  #toUri(target: string): URI {
    const resolved = dialTargetToUri(target, this.#link.domain, this.#link.dialPlan);
    const uri = UserAgent.makeURI(resolved.uri);
    if (!uri) {
      throw new CentrexError('invalid-number', `Cannot call "${target}": "${resolved.uri}" is not a valid SIP address.`, { details: { reason: 'not-a-number', target } });
    }
    return uri;
  }

  #newId(): string {
    return String(this.#nextId++);
  }
}
