/**
 * One phone call: its state machine, who it is with, and everything that can be done with it (answer, hold,
 * mute, DTMF, transfer, video, screen sharing). Calls are created by the {@link CallManager}; applications get
 * them from `phone.calls.dial()` and the `incoming` event.
 *
 * @packageDocumentation
 */
import {
  Invitation,
  Inviter,
  SessionState,
  type Bye,
  type Cancel,
  type Core,
  type Info,
  type Notification,
  type Referral,
  type Session,
  type SessionDescriptionHandler,
  type URI,
} from 'sip.js';
import { CentrexError } from '../errors.js';
import { CALL_TRANSITIONS, type CallEndReason, type CallState } from './call-state.js';
import { parseCapabilities, type SipCapabilities } from './capabilities.js';
import type { Clock, TimerHandle } from './clock.js';
import { Emitter } from './emitter.js';
import type { Logger } from './logger.js';
import type { AudioSink, MediaController } from './media.js';
import { hasTelephoneEvent, isRemoteHold, mediaSections } from './sdp.js';
import { PhoneSessionDescriptionHandler, type CallMediaOptions } from './session-description-handler.js';
import type { AutoAnswerRequest, ForwardingHop, PartyIdentity } from './sip-headers.js';
import { assertTransition } from './state-machine.js';
import { summarizeStats, type MediaStatsSummary } from './stats.js';

/** Whether the call was placed by this phone or came in. */
export type CallDirection = 'outgoing' | 'incoming';

/** How DTMF tones are sent: `rtp` (RFC 4733 telephone events in the media), `info` (SIP INFO) or `auto`. */
export type DtmfMethod = 'auto' | 'rtp' | 'info';

/** Events of a {@link Call}. */
export interface CallEventMap {
  /** The call moved from one state to another. */
  statechange: { readonly call: Call; readonly from: CallState; readonly to: CallState };
  /** The call is over. Fired once, after the `statechange` to `ended`. */
  ended: { readonly call: Call; readonly reason: CallEndReason; readonly status: number | undefined; readonly error: CentrexError | undefined };
  /** The far end put this call on hold or took it off hold. */
  remotehold: { readonly call: Call; readonly held: boolean };
  /** The microphone of this call was muted or unmuted. */
  mute: { readonly call: Call; readonly muted: boolean };
  /** The far end sent DTMF by SIP INFO. (Tones sent in the audio as RFC 4733 events are played, not reported.) */
  dtmf: { readonly call: Call; readonly tone: string; readonly duration: number | undefined };
  /** Local or remote tracks changed: video turned on or off, screen sharing started or stopped. */
  media: { readonly call: Call };
  /** Progress of a transfer this side started (REFER). */
  transfer: { readonly call: Call; readonly status: 'requested' | 'accepted' | 'succeeded' | 'failed'; readonly statusCode: number | undefined };
  /** After a reconnect: whether the call's signalling could be refreshed (re-INVITE with ICE restart). */
  recovery: { readonly call: Call; readonly ok: boolean; readonly status: number | undefined };
}

/** Options for {@link Call.accept}. */
export interface AcceptOptions {
  /** Send video from the camera as well. Default: false. */
  readonly video?: boolean | undefined;
}

/** Settings of calls that the call manager passes down. @internal */
export interface CallSettings {
  readonly dtmfMethod: DtmfMethod;
  readonly dtmfDuration: number;
  readonly dtmfGap: number;
  readonly rejectStatus: number;
}

/** What a call needs from its manager. @internal */
export interface CallContext {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly media: MediaController;
  readonly settings: CallSettings;
  /** The user's own address, used in Diversion headers. */
  readonly ownUri: string;
  /** Where {@link Call.sendToVoicemail} redirects to. */
  readonly voicemail: string | undefined;
  /** Called before a call becomes the one talked on (answer, resume): the manager holds the others. */
  beforeActivate(call: Call): Promise<void>;
  /** Turns a dial string into a SIP URI (dial plan applied). */
  toUri(target: string): URI;
  onStateChange(call: Call, from: CallState, to: CallState): void;
  onReferral(call: Call, referral: Referral): void;
  /** A 3xx arrived for an outgoing call: return true when the manager follows it (the call continues). */
  onRedirect(call: Call, response: Core.IncomingResponseMessage): boolean;
}

/** What is known about a call when it is created. @internal */
export interface CallInit {
  readonly id: string;
  readonly direction: CallDirection;
  readonly session: Inviter | Invitation;
  readonly remote: PartyIdentity;
  readonly referredBy?: PartyIdentity | undefined;
  readonly forwardedBy?: readonly ForwardingHop[] | undefined;
  readonly autoAnswer?: AutoAnswerRequest | undefined;
  readonly video?: boolean | undefined;
  readonly capabilities?: SipCapabilities | undefined;
}

/**
 * A phone call.
 *
 * The state machine is in {@link CallStates} (see the diagram in `call-state.ts`); every change goes through one
 * private `transition()` that checks the table, logs and emits `statechange`. Methods that are not possible in
 * the current state throw {@link CentrexError} `invalid-call-state` and change nothing.
 *
 * @example
 * ```ts
 * const call = await phone.calls.dial('1002');
 * call.on('statechange', ({ to }) => render(to));
 * await call.next('statechange', { predicate: (e) => e.to === 'established' });
 * await call.hold();
 * await call.resume();
 * await call.hangup();
 * ```
 */
export class Call extends Emitter<CallEventMap> {
  /** A local identifier, unique per phone. */
  readonly id: string;
  /** Placed by this phone or received. */
  readonly direction: CallDirection;
  /** When the call was created (clock milliseconds). */
  readonly startedAt: number;

  readonly #context: CallContext;
  #session: Inviter | Invitation;
  #state: CallState;
  #remote: PartyIdentity;
  #referredBy: PartyIdentity | undefined;
  #forwardedBy: readonly ForwardingHop[];
  readonly #autoAnswer: AutoAnswerRequest | undefined;
  #capabilities: SipCapabilities;
  #answeredAt: number | undefined;
  #endedAt: number | undefined;
  #endReason: CallEndReason | undefined;
  #endStatus: number | undefined;
  #endError: CentrexError | undefined;
  /** The reason to report when the session terminates, set by the action that ends it. */
  #pendingEnd: { reason: CallEndReason; status?: number | undefined; error?: CentrexError | undefined } | undefined;
  #sink: AudioSink | undefined;
  #holdWanted = false;
  #remoteHeld = false;
  #muted = false;
  #videoWanted: boolean;
  #screenTrack: MediaStreamTrack | undefined;
  #cameraTrack: MediaStreamTrack | undefined;
  /** What the audio sender sends when not held: the microphone, or a conference mix. */
  #audioSource: MediaStreamTrack | undefined;
  #renegotiation: Promise<unknown> = Promise.resolve();
  #stateBeforeTransfer: 'established' | 'held' | undefined;
  #finishing = false;
  #transferredAway = false;
  /** After a reconnect the dialog no longer routes to the far end (see {@link Call.signallingLost}). */
  #signallingLost = false;
  /**
   * For an incoming call: settles when the caller's ACK for our 200 OK arrives. sip.js tears the dialog down when a
   * re-INVITE (hold, video) leaves before that ACK, so renegotiation waits for it.
   */
  #ackReceived: Promise<void> | undefined;

  /** @internal */
  constructor(init: CallInit, context: CallContext) {
    super((error, type) => context.logger.error(`call ${init.id}: "${String(type)}" listener threw`, error));
    this.id = init.id;
    this.direction = init.direction;
    this.#context = context;
    this.#session = init.session;
    this.#state = init.direction === 'outgoing' ? 'dialling' : 'ringing';
    this.#remote = init.remote;
    this.#referredBy = init.referredBy;
    this.#forwardedBy = init.forwardedBy ?? [];
    this.#autoAnswer = init.autoAnswer;
    this.#capabilities = init.capabilities ?? { methods: [], extensions: [], events: [] };
    this.#videoWanted = init.video === true;
    this.startedAt = context.clock.now();
    this.#bind(init.session);
  }

  /** The current state; see {@link CallStates}. */
  get state(): CallState {
    return this.#state;
  }

  /** Who the call is with: the callee for outgoing calls, the caller (asserted identity if given) for incoming ones. */
  get remote(): PartyIdentity {
    return this.#remote;
  }

  /** Who transferred this call here (from `Referred-By`), if it came from a transfer. */
  get referredBy(): PartyIdentity | undefined {
    return this.#referredBy;
  }

  /** Who forwarded this call on its way here, oldest first (from `Diversion` or `History-Info`). */
  get forwardedBy(): readonly ForwardingHop[] {
    return this.#forwardedBy;
  }

  /** The intercom request of an incoming INVITE, if it asked to be answered automatically. */
  get autoAnswer(): AutoAnswerRequest | undefined {
    return this.#autoAnswer;
  }

  /** What the far end announced (`Allow`, `Supported`) in its INVITE or answer. */
  get capabilities(): SipCapabilities {
    return this.#capabilities;
  }

  /** When the call was answered (clock milliseconds), if it was. */
  get answeredAt(): number | undefined {
    return this.#answeredAt;
  }

  /** When the call ended (clock milliseconds), if it did. */
  get endedAt(): number | undefined {
    return this.#endedAt;
  }

  /** Talk time in milliseconds: from answer to now (or to the end); 0 if never answered. */
  get duration(): number {
    if (this.#answeredAt === undefined) return 0;
    return (this.#endedAt ?? this.#context.clock.now()) - this.#answeredAt;
  }

  /** Why the call ended; `undefined` while it lasts. */
  get endReason(): CallEndReason | undefined {
    return this.#endReason;
  }

  /** The SIP status that ended the call, when one did (486, 603, 404 …). */
  get endStatus(): number | undefined {
    return this.#endStatus;
  }

  /** The error that ended the call, if it failed or was refused. */
  get endError(): CentrexError | undefined {
    return this.#endError;
  }

  /** Whether this side holds the call. */
  get held(): boolean {
    return this.#state === 'held' || (this.#state === 'transferring' && this.#holdWanted);
  }

  /** Whether the far end holds the call. */
  get remoteHeld(): boolean {
    return this.#remoteHeld;
  }

  /** Whether this call's microphone is muted. */
  get muted(): boolean {
    return this.#muted;
  }

  /** Whether this side sends video (camera or screen). */
  get sendingVideo(): boolean {
    return this.#videoWanted;
  }

  /**
   * Whether the call lost its signalling path in a reconnect (the PBX cannot route requests of the old dialog to
   * the far end; see docs/interop-kamailio.md). Media goes on; hold and resume then act locally only, and transfers
   * and video changes are not possible.
   */
  get signallingLost(): boolean {
    return this.#signallingLost;
  }

  /** Whether this side shares its screen. */
  get screenSharing(): boolean {
    return this.#screenTrack !== undefined;
  }

  /** For an incoming call: whether the caller's offer includes video (so "accept with video" makes sense). */
  get remoteOffersVideo(): boolean {
    const session = this.#session;
    if (!(session instanceof Invitation)) return false;
    const body = session.request.body;
    return typeof body === 'string' && mediaSections(body).some((m) => m.kind === 'video' && m.port !== 0 && m.direction !== 'inactive');
  }

  /** Whether the far end sends video to this side. */
  get receivingVideo(): boolean {
    const pc = this.peerConnection;
    if (!pc) return false;
    return pc.getTransceivers().some(
      (t) => t.receiver.track.kind === 'video' && (t.currentDirection === 'sendrecv' || t.currentDirection === 'recvonly'),
    );
  }

  /** The media this side sends (microphone, camera or screen tracks). Empty before media starts. */
  get localStream(): MediaStream | undefined {
    return this.#sdh()?.localMediaStream;
  }

  /** The media from the far end; attach it to a `<video>` element to show remote video. */
  get remoteStream(): MediaStream | undefined {
    return this.#sdh()?.remoteMediaStream;
  }

  /** The WebRTC connection (for statistics and diagnostics); `undefined` before media starts and after the end. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.#sdh()?.peerConnection;
  }

  /** The SIP Call-ID of the current dialog (or INVITE). */
  get sipCallId(): string | undefined {
    return this.#session.dialog?.callId ?? this.#session.request.callId;
  }

  /** The raw WebRTC statistics. */
  async getStats(): Promise<RTCStatsReport | undefined> {
    return this.peerConnection?.getStats();
  }

  /** Packet and byte counters per kind and direction: what a person would notice as media flowing. */
  async mediaStats(): Promise<MediaStatsSummary | undefined> {
    const report = await this.getStats();
    return report && summarizeStats(report);
  }

  /**
   * Answers an incoming call.
   *
   * @throws CentrexError `invalid-call-state` unless the call is incoming and ringing; `microphone-denied`,
   *   `no-device` and friends when media cannot be opened (the call keeps ringing)
   */
  async accept(options: AcceptOptions = {}): Promise<void> {
    this.#ringingInvitation('answer');
    await this.#context.beforeActivate(this);
    const invitation = this.#ringingInvitation('answer');
    const video = options.video === true;
    this.#videoWanted = video;
    try {
      await invitation.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video } } });
    } catch (error) {
      throw this.#asCallError(error, 'The call could not be answered');
    }
  }

  /**
   * Rejects an incoming call.
   *
   * @param options.status - the SIP status to send (default from the phone's settings, 486 Busy Here, so the PBX
   *   applies "forward when busy"; 603 Decline refuses outright)
   */
  async reject(options: { status?: number | undefined } = {}): Promise<void> {
    const invitation = this.#ringingInvitation('reject');
    const statusCode = options.status ?? this.#context.settings.rejectStatus;
    if (!Number.isInteger(statusCode) || statusCode < 400 || statusCode > 699) {
      throw new CentrexError('invalid-argument', 'Reject an incoming call with a SIP status from 400 to 699 (486 busy, 603 decline).', {
        details: { status: statusCode },
      });
    }
    this.#pendingEnd = { reason: 'rejected', status: statusCode };
    await invitation.reject({ statusCode });
  }

  /**
   * Forwards an incoming call before answering ("Weiterleitung vor Anrufannahme"): answers the INVITE with
   * 302 Moved Temporarily naming the target, and a `Diversion` header naming this user. The caller's phone (or the
   * PBX) then calls the target; phones of this SDK follow the redirect on their own.
   *
   * @param target - a dial string or SIP URI
   */
  async forward(target: string): Promise<void> {
    await this.#redirect(target, 'forwarded');
  }

  /**
   * Sends a ringing incoming call to voicemail: a redirect (302) to the voicemail target of the phone's settings
   * (`calls.voicemail`).
   *
   * @throws CentrexError `not-supported` when no voicemail target is configured
   */
  async sendToVoicemail(): Promise<void> {
    const target = this.#context.voicemail;
    if (!target) {
      throw new CentrexError('not-supported', 'No voicemail is configured for this phone (set calls.voicemail in the phone options).');
    }
    await this.#redirect(target, 'voicemail');
  }

  /**
   * Ends the call whatever its state: cancels an outgoing call that is not answered yet, rejects a ringing incoming
   * call, hangs up an answered one. Does nothing when the call has already ended.
   */
  async hangup(): Promise<void> {
    const session = this.#session;
    switch (this.#state) {
      case 'ended':
        return;
      case 'dialling':
      case 'ringing':
      case 'early-media':
        if (session instanceof Inviter) {
          this.#pendingEnd = { reason: 'cancelled' };
          await session.cancel();
          return;
        }
        await this.reject();
        return;
      case 'established':
      case 'held':
      case 'transferring':
        this.#pendingEnd ??= { reason: 'hangup' };
        if (session.state === SessionState.Established) await session.bye();
        else if (session.state !== SessionState.Terminated) await session.dispose();
        return;
    }
  }

  /**
   * Puts the call on hold: a re-INVITE with the media set to `sendonly`, then this side stops sending. The far end
   * hears nothing (or the PBX's music on hold).
   *
   * @throws CentrexError `invalid-call-state` unless established; `call-failed` when the far end refuses (the call
   *   stays established)
   */
  async hold(): Promise<void> {
    await this.#serialize(async () => {
      this.#assertState(['established'], 'hold');
      this.#holdWanted = true;
      try {
        // Without a signalling path the hold is local: this side stops sending and listening.
        if (!this.#signallingLost) await this.#reinvite();
      } catch (error) {
        this.#holdWanted = false;
        throw error;
      }
      await this.#applySending();
      this.#transition('held');
    });
  }

  /**
   * Takes the call off hold.
   *
   * @throws CentrexError `invalid-call-state` unless held
   */
  async resume(): Promise<void> {
    await this.#serialize(async () => {
      this.#assertState(['held'], 'resume');
      await this.#context.beforeActivate(this);
      this.#holdWanted = false;
      try {
        if (!this.#signallingLost) await this.#reinvite();
      } catch (error) {
        this.#holdWanted = true;
        throw error;
      }
      await this.#applySending();
      this.#transition('established');
    });
  }

  /** Mutes the microphone of this call (the far end hears silence; the call and its packets go on). */
  mute(): void {
    this.#setMuted(true);
  }

  /** Unmutes the microphone of this call. */
  unmute(): void {
    this.#setMuted(false);
  }

  /**
   * Sends DTMF tones (`0-9 * # A-D`, `,` for a 2 s pause with RTP).
   *
   * With `auto` (the default setting) tones go as RFC 4733 telephone events in the audio when both sides negotiated
   * them, otherwise by SIP INFO (`application/dtmf-relay`).
   *
   * @returns the method used
   * @throws CentrexError `invalid-argument` for other characters, `invalid-call-state` unless established
   */
  async sendDtmf(tones: string, options: { method?: DtmfMethod | undefined } = {}): Promise<'rtp' | 'info'> {
    if (typeof tones !== 'string' || !/^[0-9A-D#*,]+$/i.test(tones)) {
      throw new CentrexError('invalid-argument', 'DTMF tones are 0-9, *, #, A-D (and "," for a pause).', { details: { tones } });
    }
    this.#assertState(['established'], 'send DTMF');
    const { dtmfDuration, dtmfGap } = this.#context.settings;
    const method = options.method ?? this.#context.settings.dtmfMethod;
    const sender = this.#transceiver('audio')?.sender;
    const remoteSdp = this.peerConnection?.remoteDescription?.sdp ?? '';
    const rtpPossible = sender?.dtmf != null && sender.dtmf.canInsertDTMF && hasTelephoneEvent(remoteSdp);
    if (method === 'rtp' || (method === 'auto' && rtpPossible)) {
      if (!sender?.dtmf || !sender.dtmf.canInsertDTMF) {
        throw new CentrexError('not-supported', 'DTMF in the audio (RFC 4733) is not possible on this call; use SIP INFO.');
      }
      sender.dtmf.insertDTMF(tones.toUpperCase(), dtmfDuration, dtmfGap);
      return 'rtp';
    }
    for (const tone of tones.toUpperCase().replace(/,/g, '')) {
      await this.#session.info({
        requestOptions: {
          body: { contentDisposition: 'render', contentType: 'application/dtmf-relay', content: `Signal=${tone}\r\nDuration=${dtmfDuration}\r\n` },
        },
      });
    }
    return 'info';
  }

  /**
   * Blind transfer ("Weiterleitung ohne Rückfrage"): asks the far end to call `target` (REFER) and hangs up once
   * the far end accepted the request. The call ends with reason `transferred`.
   *
   * @throws CentrexError `transfer-failed` when the far end refuses the REFER (the call returns to its state)
   */
  async transfer(target: string): Promise<void> {
    const uri = this.#context.toUri(target);
    await this.#refer(uri, false);
  }

  /**
   * Turns video on: opens the camera, adds (or reuses) a video stream and renegotiates. The far end sees the video
   * once it accepts; it decides separately whether to send its own.
   */
  async startVideo(): Promise<void> {
    await this.#serialize(async () => {
      this.#assertState(['established'], 'start video');
      if (this.#videoWanted && !this.#screenTrack) return;
      const stream = await this.#context.media.getUserMedia({ audio: false, video: true });
      const track = stream.getVideoTracks()[0];
      if (!track) throw new CentrexError('no-device', 'No camera found. Plug one in, or choose another one in the settings.');
      this.#cameraTrack?.stop();
      this.#cameraTrack = track;
      await this.#sendVideo(this.#screenTrack ?? track);
    });
  }

  /** Turns video off (both camera and screen sharing) and renegotiates; receiving the far end's video goes on. */
  async stopVideo(): Promise<void> {
    await this.#serialize(async () => {
      this.#assertState(['established', 'held'], 'stop video');
      if (!this.#videoWanted) return;
      await this.#stopSendingVideo();
    });
  }

  /**
   * Shares the screen (a screen, window or tab the user picks) in place of the camera. When the call has no video
   * yet, video is added first. Stopping the share in the browser's own bar stops it here too.
   *
   * @throws CentrexError `screen-share-denied` when the user cancels the picker
   */
  async startScreenShare(): Promise<void> {
    await this.#serialize(async () => {
      this.#assertState(['established'], 'share the screen');
      const track = await this.#pickScreen();
      await this.#sendVideo(track);
    });
  }

  /** Lets the user pick another screen, window or tab; swaps the track without renegotiating. */
  async switchScreenShare(): Promise<void> {
    await this.#serialize(async () => {
      if (!this.#screenTrack) throw this.#stateError('switch the shared screen (nothing is shared)');
      const old = this.#screenTrack;
      const track = await this.#pickScreen();
      await this.#transceiver('video')?.sender.replaceTrack(this.#holdWanted ? null : track);
      this.#replaceLocalTrack(old, track);
      old.stop();
      this.emit('media', { call: this });
    });
  }

  /** Stops sharing the screen: back to the camera if it was on, otherwise video stops. */
  async stopScreenShare(): Promise<void> {
    await this.#serialize(async () => {
      await this.#stopScreen();
    });
  }

  /**
   * Renegotiates ICE (re-INVITE with new ICE credentials), for example after the network changed. The phone does
   * this itself after reconnecting; the `recovery` event reports the outcome.
   */
  async restartIce(): Promise<void> {
    await this.#serialize(async () => {
      this.#assertState(['established', 'held'], 'restart ICE');
      await this.#reinvite({ offerOptions: { iceRestart: true } });
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internal API for the call manager

  /** The sip.js session. @internal */
  get _session(): Inviter | Invitation {
    return this.#session;
  }

  /** Sends the INVITE of an outgoing call (or of its redirected successor). @internal */
  _invite(): void {
    const session = this.#session;
    if (!(session instanceof Inviter)) throw new Error('only outgoing calls send INVITE');
    session
      .invite({
        requestDelegate: {
          onProgress: (response) => {
            if (session !== this.#session) return;
            const code = response.message.statusCode ?? 0;
            this.#learnCapabilities(response.message);
            if (code === 183 && response.message.body) this.#transitionIfAllowed('early-media');
            else if (code >= 180 && code < 200) this.#transitionIfAllowed('ringing');
          },
          onAccept: (response) => {
            if (session !== this.#session) return;
            this.#learnCapabilities(response.message);
          },
          onRedirect: (response) => {
            if (session !== this.#session) return;
            if (this.#context.onRedirect(this, response.message)) return;
            this.#pendingEnd = { reason: 'refused', status: response.message.statusCode, error: this.#refusal(response.message) };
          },
          onReject: (response) => {
            if (session !== this.#session) return;
            const status = response.message.statusCode ?? 0;
            if (this.#pendingEnd?.reason === 'cancelled') return;
            this.#pendingEnd = { reason: endReasonForStatus(status), status, error: this.#refusal(response.message) };
          },
        },
      })
      .catch((error: unknown) => {
        if (session !== this.#session) return;
        this.#pendingEnd = { reason: 'failed', error: this.#asCallError(error, 'The call could not be placed') };
        if (session.state !== SessionState.Terminated) void session.dispose();
        else this.#finishSoon(session);
      });
  }

  /** Replaces the session after following a redirect; the call keeps its identity and state. @internal */
  _attach(session: Inviter, forwardedBy: readonly ForwardingHop[]): void {
    this.#session = session;
    this.#forwardedBy = forwardedBy;
    this.#bind(session);
  }

  /** Updates who the call is with (after a redirect). @internal */
  _setRemote(remote: PartyIdentity): void {
    this.#remote = remote;
  }

  /** Sets what the audio sender sends when not held (a conference mix), or the microphone again. @internal */
  async _setAudioSource(track: MediaStreamTrack | undefined): Promise<void> {
    this.#audioSource = track ?? this.#microphone();
    if (!this.#holdWanted) await this.#transceiver('audio')?.sender.replaceTrack(this.#audioSource ?? null);
  }

  /** The microphone track of this call (for the conference mixer). @internal */
  _microphone(): MediaStreamTrack | undefined {
    return this.#microphone();
  }

  /** Marks the call as transferred away so that its end is reported as `transferred`. @internal */
  _markTransferred(): void {
    this.#transferredAway = true;
  }

  /** Undoes {@link Call._markTransferred} after a failed transfer. @internal */
  _unmarkTransferred(): void {
    this.#transferredAway = false;
  }

  /** Marks the call as replaced (RFC 3891) so that its end is reported as `replaced`. @internal */
  _markReplaced(): void {
    this.#pendingEnd = { reason: 'replaced' };
  }

  /** Whether another call is about to replace this one. @internal */
  get _beingReplaced(): boolean {
    return this.#pendingEnd?.reason === 'replaced';
  }

  /** Attended transfer: REFER with Replaces naming `other`. @internal */
  async _referWithReplaces(other: Call): Promise<void> {
    await this.#refer(other.#replacesTarget(), true);
  }

  /**
   * Attended transfer of a call that was never answered: a 302 whose Contact carries a Replaces header naming
   * `other`, so the caller's phone calls the far end of `other` and takes that call over. @internal
   */
  async _redirectWithReplaces(other: Call): Promise<void> {
    const invitation = this.#ringingInvitation('transfer');
    const target = other.#replacesTarget();
    this.#pendingEnd = { reason: 'transferred', status: 302 };
    await invitation.reject({
      statusCode: 302,
      extraHeaders: [`Contact: <${target.toString()}>`, `Diversion: <${this.#context.ownUri}>;reason=deflection;counter=1`],
    });
  }

  /** Reports a failed reconnect recovery or success. @internal */
  async _recover(): Promise<void> {
    // The far end may still be reconnecting itself (a restarted PBX drops everyone): retry a few times.
    for (let attempt = 1; attempt <= 4; attempt++) {
      if (this.#state !== 'established' && this.#state !== 'held') return;
      const status = await this.#probeDialog();
      if (status !== undefined && dialogReachable(status)) {
        try {
          // Chromium resets the media transport when the DTLS client side rolls back a refused offer, so that side
          // restarts ICE only when media is broken anyway; the dialog answered, which is what recovery needs.
          if (this.#mediaBroken() || this.#dtlsRole() !== 'client') await this.restartIce();
          this.emit('recovery', { call: this, ok: true, status });
        } catch (error) {
          const refused = error instanceof CentrexError ? (error.details?.['status'] as number | undefined) : undefined;
          this.#context.logger.warn(`call ${this.id}: the ICE restart after the reconnect was refused; media goes on`, error);
          this.emit('recovery', { call: this, ok: false, status: refused });
        }
        return;
      }
      if (attempt === 4) {
        this.#signallingLost = true;
        this.#context.logger.warn(`call ${this.id}: the far end cannot be reached through the new connection (SIP ${status ?? 'no answer'}); media goes on`);
        this.emit('recovery', { call: this, ok: false, status });
        return;
      }
      const delay = 500 * 2 ** (attempt - 1) * (0.75 + 0.5 * this.#context.clock.random());
      await new Promise<void>((resolve) => this.#context.clock.setTimeout(resolve, delay));
    }
  }

  /** Sends an empty in-dialog INFO to learn whether the dialog still routes to the far end; resolves the status. */
  #probeDialog(): Promise<number | undefined> {
    const session = this.#session;
    if (session.state !== SessionState.Established) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      session
        .info({
          requestDelegate: {
            onAccept: (response) => resolve(response.message.statusCode),
            onReject: (response) => resolve(response.message.statusCode),
          },
        })
        .catch(() => resolve(undefined));
    });
  }

  #mediaBroken(): boolean {
    const state = this.peerConnection?.iceConnectionState;
    return state === 'disconnected' || state === 'failed';
  }

  /** This side's DTLS role from the agreed description: `client` when it answered `a=setup:active`. */
  #dtlsRole(): 'client' | 'server' | undefined {
    const setup = /^a=setup:(\w+)/m.exec(this.peerConnection?.currentLocalDescription?.sdp ?? '')?.[1];
    return setup === 'active' ? 'client' : setup === 'passive' ? 'server' : undefined;
  }

  /**
   * Ends the call when its media connection is gone for good (the far end closed it, or ICE failed) and no BYE
   * follows within a grace period: a far end that hung up normally closes its media a moment before its BYE arrives,
   * and a BYE that cannot be routed (signalling lost in a reconnect) never does.
   */
  #watchMedia(pc: RTCPeerConnection): void {
    let timer: TimerHandle | undefined;
    const gone = (): boolean => {
      const dtls = pc.getSenders()[0]?.transport?.state ?? pc.getReceivers()[0]?.transport?.state;
      return pc.connectionState === 'failed' || dtls === 'closed' || dtls === 'failed';
    };
    const end = (): void => {
      timer = undefined;
      if (this.#state === 'ended' || this.peerConnection !== pc || !gone()) return;
      if (this.#state !== 'established' && this.#state !== 'held' && this.#state !== 'transferring') return;
      this.#context.logger.warn(`call ${this.id}: the media connection is gone (${pc.connectionState}); ending the call`);
      this.#pendingEnd ??= {
        reason: 'failed',
        error: new CentrexError('call-failed', 'The connection to the other party was lost. Call again.', { details: { connectionState: pc.connectionState } }),
      };
      const session = this.#session;
      if (session.state === SessionState.Established) void session.bye().catch(() => session.dispose());
      else void session.dispose();
    };
    const check = (): void => {
      if (timer !== undefined || this.#state === 'ended' || !gone()) return;
      timer = this.#context.clock.setTimeout(end, MEDIA_LOSS_GRACE_MS);
    };
    pc.addEventListener('connectionstatechange', check);
    // The DTLS transport exists once negotiation assigned one; the far end closing it is the fastest signal.
    const watchTransport = (): void => {
      const transport = pc.getSenders()[0]?.transport ?? pc.getReceivers()[0]?.transport;
      if (!transport) return;
      transport.addEventListener('statechange', check);
      pc.removeEventListener('signalingstatechange', watchTransport);
    };
    pc.addEventListener('signalingstatechange', watchTransport);
  }

  // ---------------------------------------------------------------------------------------------------------------

  #bind(session: Session): void {
    let ackArrived: (() => void) | undefined;
    if (session instanceof Invitation) this.#ackReceived = new Promise<void>((resolve) => (ackArrived = resolve));
    session.delegate = {
      onAck: () => ackArrived?.(),
      onBye: (bye: Bye) => {
        void bye.accept();
        if (session !== this.#session) return;
        this.#pendingEnd ??= { reason: this.#state === 'transferring' || this.#transferredAway ? 'transferred' : 'remote-hangup' };
      },
      onCancel: (cancel: Cancel) => {
        if (session !== this.#session) return;
        const reason = cancel.request.getHeader('reason') ?? '';
        this.#pendingEnd = { reason: /cause\s*=\s*200\b/i.test(reason) ? 'answered-elsewhere' : 'missed' };
      },
      onInfo: (info: Info) => {
        void info.accept();
        if (session !== this.#session) return;
        const parsed = parseDtmfInfo(info.request.getHeader('content-type'), info.request.body);
        if (parsed) this.emit('dtmf', { call: this, tone: parsed.tone, duration: parsed.duration });
      },
      onInvite: (request: Core.IncomingRequestMessage) => {
        if (session !== this.#session) return;
        if (request.body) this.#setRemoteHeld(isRemoteHold(request.body));
        this.emit('media', { call: this });
      },
      onRefer: (referral: Referral) => {
        if (session !== this.#session) return;
        this.#context.onReferral(this, referral);
      },
      onSessionDescriptionHandler: (sdh: SessionDescriptionHandler) => {
        if (sdh instanceof PhoneSessionDescriptionHandler) sdh.sending.video = this.#videoWanted;
        const pc = (sdh as PhoneSessionDescriptionHandler).peerConnection;
        if (pc) {
          pc.addEventListener('track', () => this.emit('media', { call: this }));
          this.#watchMedia(pc);
        }
      },
    };
    session.sessionDescriptionHandlerOptionsReInvite = reinviteOptions({ hold: false });
    session.stateChange.addListener((state) => {
      if (session !== this.#session) return;
      if (state === SessionState.Established) this.#onEstablished();
      if (state === SessionState.Terminated) {
        ackArrived?.();
        this.#finishSoon(session);
      }
    });
  }

  #onEstablished(): void {
    if (this.#state === 'established' || this.#state === 'held' || this.#state === 'ended') return;
    this.#answeredAt = this.#context.clock.now();
    this.#audioSource = this.#microphone();
    const sdh = this.#sdh();
    if (sdh) {
      this.#sink?.detach();
      this.#sink = this.#context.media.playRemote(sdh.remoteMediaStream);
      const remoteSdp = sdh.peerConnection?.remoteDescription?.sdp;
      if (remoteSdp) this.#remoteHeld = isRemoteHold(remoteSdp);
    }
    if (this.#muted) this.#applyMute();
    this.#transition('established');
  }

  /**
   * sip.js reports the final response through the request delegate right after the state change, so the end
   * reason is read one microtask later.
   */
  #finishSoon(session: Session): void {
    queueMicrotask(() => {
      if (session !== this.#session) return;
      this.#finish();
    });
  }

  #finish(): void {
    if (this.#state === 'ended' || this.#finishing) return;
    this.#finishing = true;
    const fallback: CallEndReason = this.#answeredAt !== undefined ? 'remote-hangup' : this.direction === 'incoming' ? 'missed' : 'failed';
    const end = this.#transferredAway && this.#pendingEnd?.reason !== 'replaced' ? { reason: 'transferred' as const } : (this.#pendingEnd ?? { reason: fallback });
    this.#endReason = end.reason;
    this.#endStatus = end.status;
    this.#endError = end.error;
    this.#endedAt = this.#context.clock.now();
    this.#sink?.detach();
    this.#sink = undefined;
    this.#screenTrack?.stop();
    this.#cameraTrack?.stop();
    this.#transition('ended');
    this.emit('ended', { call: this, reason: end.reason, status: end.status, error: end.error });
  }

  #transition(to: CallState): void {
    const from = this.#state;
    if (from === to) return;
    assertTransition(CALL_TRANSITIONS, from, to, `call ${this.id} (${this.direction}, ${this.#remote.user ?? this.#remote.uri})`);
    this.#state = to;
    this.#context.logger.debug(`call ${this.id}: ${from} → ${to}`);
    this.#context.onStateChange(this, from, to);
    this.emit('statechange', { call: this, from, to });
  }

  #transitionIfAllowed(to: CallState): void {
    if (this.#state !== to && CALL_TRANSITIONS[this.#state].includes(to)) this.#transition(to);
  }

  async #redirect(target: string, reason: 'forwarded' | 'voicemail'): Promise<void> {
    const invitation = this.#ringingInvitation(reason === 'voicemail' ? 'send to voicemail' : 'forward');
    const uri = this.#context.toUri(target);
    this.#pendingEnd = { reason, status: 302 };
    await invitation.reject({
      statusCode: 302,
      extraHeaders: [`Contact: <${uri.toString()}>`, `Diversion: <${this.#context.ownUri}>;reason=deflection;counter=1`],
    });
  }

  async #refer(target: URI, attended: boolean): Promise<void> {
    await this.#serialize(async () => {
      this.#assertState(['established', 'held'], 'transfer');
      const previous = this.#state as 'established' | 'held';
      this.#stateBeforeTransfer = previous;
      this.#transition('transferring');
      this.emit('transfer', { call: this, status: 'requested', statusCode: undefined });
      const session = this.#session;
      let settled = false;
      const outcome = new Promise<{ ok: boolean; status: number | undefined }>((resolve) => {
        const finish = (ok: boolean, status: number | undefined): void => {
          if (settled) return;
          settled = true;
          resolve({ ok, status });
        };
        session
          .refer(bracketed(target), {
            requestDelegate: {
              onAccept: () => {
                this.emit('transfer', { call: this, status: 'accepted', statusCode: 202 });
                // A blind transfer is done once the far end took the job; an attended one waits for the result.
                if (!attended) finish(true, 202);
              },
              onReject: (response: Core.IncomingResponse) => finish(false, response.message.statusCode),
            },
            onNotify: (notification: Notification) => {
              void notification.accept();
              const status = Number(/^SIP\/2\.0\s+(\d{3})/m.exec(notification.request.body ?? '')?.[1] ?? NaN);
              if (Number.isNaN(status) || status < 200) return;
              finish(status < 300, status);
            },
          })
          .catch(() => finish(false, undefined));
      });
      const result = await outcome;
      if (!result.ok) {
        this.emit('transfer', { call: this, status: 'failed', statusCode: result.status });
        if (this.#state === 'transferring') this.#transition(this.#stateBeforeTransfer ?? previous);
        throw new CentrexError(
          'transfer-failed',
          `The transfer did not work${result.status ? ` (SIP ${result.status})` : ''}. The call is still up; try again or hang up.`,
          { details: { status: result.status } },
        );
      }
      this.emit('transfer', { call: this, status: 'succeeded', statusCode: result.status });
      this._markTransferred();
      if (session.state === SessionState.Established) await session.bye().catch(() => undefined);
    });
  }

  /** The Refer-To URI that makes the far end of another call replace this call's dialog (RFC 3891). */
  #replacesTarget(): URI {
    const dialog = this.#session.dialog;
    if (!dialog) throw this.#stateError('be the target of an attended transfer (no dialog)');
    // The far end's contact only works through proxies that route it (GRUU, outbound); its address of record works
    // through any registrar, so the contact is used only when it is a GRUU.
    const remoteTarget = dialog.remoteTarget;
    const uri = remoteTarget.hasParam('gr') ? remoteTarget.clone() : this.#context.toUri(this.#remote.uri);
    uri.setHeader('Replaces', encodeURIComponent(`${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`));
    return uri;
  }

  async #sendVideo(track: MediaStreamTrack): Promise<void> {
    const sdh = this.#sdh();
    const pc = sdh?.peerConnection;
    if (!sdh || !pc) throw this.#stateError('send video (no media yet)');
    let transceiver = this.#transceiver('video');
    const previous = transceiver?.sender.track ?? undefined;
    const renegotiate = !this.#videoWanted || !transceiver;
    if (transceiver) await transceiver.sender.replaceTrack(this.#holdWanted ? null : track);
    else {
      transceiver = pc.addTransceiver(track, { direction: 'sendrecv', streams: [sdh.localMediaStream] });
      if (this.#holdWanted) await transceiver.sender.replaceTrack(null);
    }
    this.#replaceLocalTrack(previous, track);
    this.#videoWanted = true;
    sdh.sending.video = true;
    if (renegotiate) {
      try {
        await this.#reinvite();
      } catch (error) {
        this.#videoWanted = false;
        sdh.sending.video = false;
        await transceiver.sender.replaceTrack(null);
        this.#replaceLocalTrack(track, undefined);
        throw error;
      }
    }
    this.emit('media', { call: this });
  }

  async #stopSendingVideo(): Promise<void> {
    const sdh = this.#sdh();
    const transceiver = this.#transceiver('video');
    this.#videoWanted = false;
    if (sdh) sdh.sending.video = false;
    const old = transceiver?.sender.track ?? undefined;
    await transceiver?.sender.replaceTrack(null);
    this.#replaceLocalTrack(old, undefined);
    this.#screenTrack?.stop();
    this.#screenTrack = undefined;
    this.#cameraTrack?.stop();
    this.#cameraTrack = undefined;
    if (this.#session.state === SessionState.Established) await this.#reinvite();
    this.emit('media', { call: this });
  }

  async #pickScreen(): Promise<MediaStreamTrack> {
    const stream = await this.#context.media.getDisplayMedia();
    const track = stream.getVideoTracks()[0];
    if (!track) throw new CentrexError('screen-share-denied', 'Nothing was chosen to share. Choose a screen, window or tab.');
    track.addEventListener('ended', () => {
      if (this.#screenTrack === track) void this.stopScreenShare().catch((error: unknown) => this.#context.logger.warn('stopping the screen share failed', error));
    });
    const old = this.#screenTrack;
    this.#screenTrack = track;
    if (old && old !== track) old.stop();
    return track;
  }

  async #stopScreen(): Promise<void> {
    const screen = this.#screenTrack;
    if (!screen) return;
    if (this.#cameraTrack && this.#cameraTrack.readyState === 'live') {
      this.#screenTrack = undefined;
      await this.#transceiver('video')?.sender.replaceTrack(this.#holdWanted ? null : this.#cameraTrack);
      this.#replaceLocalTrack(screen, this.#cameraTrack);
      screen.stop();
      this.emit('media', { call: this });
      return;
    }
    await this.#stopSendingVideo();
  }

  /** Keeps `localStream` in step with what is sent, so apps can show their own video. */
  #replaceLocalTrack(old: MediaStreamTrack | undefined, next: MediaStreamTrack | undefined): void {
    const stream = this.#sdh()?.localMediaStream;
    if (!stream) return;
    if (old && stream.getTracks().includes(old)) stream.removeTrack(old);
    if (next && !stream.getTracks().includes(next)) stream.addTrack(next);
  }

  /** After hold/resume: stop or restart sending, without touching the tracks themselves. */
  async #applySending(): Promise<void> {
    // On hold this side does not listen either (the far end may still send when it did not learn about the hold).
    this.#sink?.setMuted(this.#holdWanted);
    const audio = this.#transceiver('audio');
    const video = this.#transceiver('video');
    // Replacing the track with null stops RTP entirely (a disabled track would still send silence packets).
    await audio?.sender.replaceTrack(this.#holdWanted ? null : (this.#audioSource ?? null));
    if (video) {
      const source = this.#videoWanted ? (this.#screenTrack ?? this.#cameraTrack ?? null) : null;
      await video.sender.replaceTrack(this.#holdWanted ? null : source);
    }
  }

  #setMuted(muted: boolean): void {
    if (this.#state === 'ended') throw this.#stateError(muted ? 'mute' : 'unmute');
    if (this.#muted === muted) return;
    this.#muted = muted;
    this.#applyMute();
    this.emit('mute', { call: this, muted });
  }

  #applyMute(): void {
    const mic = this.#microphone();
    if (mic) mic.enabled = !this.#muted;
  }

  #setRemoteHeld(held: boolean): void {
    if (this.#remoteHeld === held) return;
    this.#remoteHeld = held;
    this.emit('remotehold', { call: this, held });
  }

  #microphone(): MediaStreamTrack | undefined {
    return this.#sdh()?.localMediaStream.getAudioTracks()[0];
  }

  #transceiver(kind: 'audio' | 'video'): RTCRtpTransceiver | undefined {
    return this.peerConnection
      ?.getTransceivers()
      .find((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped' && t.direction !== 'stopped');
  }

  #sdh(): PhoneSessionDescriptionHandler | undefined {
    const sdh = this.#session.sessionDescriptionHandler;
    return sdh instanceof PhoneSessionDescriptionHandler ? sdh : undefined;
  }

  /** Runs renegotiations one after another: a hold must not overlap a video upgrade. */
  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#renegotiation.then(task, task);
    this.#renegotiation = run.catch(() => undefined);
    return run;
  }

  async #reinvite(extra: Partial<CallMediaOptions> = {}): Promise<void> {
    const session = this.#session;
    if (this.#signallingLost) {
      throw new CentrexError('call-failed', 'The other party cannot be reached for changes since the connection was restored; the call itself goes on. Hang up and call again to use this feature.', {
        details: { reason: 'signalling-lost' },
      });
    }
    // An answered incoming call is only ready for a new offer once the caller's ACK came (at most 64·T1 later: sip.js
    // ends the call when it never comes).
    if (session instanceof Invitation) await this.#ackReceived;
    for (let attempt = 1; ; attempt++) {
      if (session.state !== SessionState.Established) throw this.#stateError('renegotiate');
      const result = await new Promise<{ ok: boolean; status: number | undefined }>((resolve, reject) => {
        session.sessionDescriptionHandlerOptionsReInvite = reinviteOptions({ hold: this.#holdWanted, ...extra });
        session
          .invite({
            requestDelegate: {
              onAccept: () => resolve({ ok: true, status: 200 }),
              onReject: (response) => resolve({ ok: false, status: response.message.statusCode }),
            },
          })
          .catch(reject);
      })
        .catch((error: unknown) => {
          throw this.#asCallError(error, 'The call could not be renegotiated');
        })
        .finally(() => {
          session.sessionDescriptionHandlerOptionsReInvite = reinviteOptions({ hold: this.#holdWanted });
        });
      if (result.ok) return;
      // 491 Request Pending: both sides renegotiated at once (glare); retry after a random pause (RFC 3261 14.1).
      if (result.status === 491 && attempt < 4) {
        await new Promise<void>((resolve) => this.#context.clock.setTimeout(resolve, 100 + this.#context.clock.random() * 1900));
        continue;
      }
      throw new CentrexError('call-failed', `The far end refused the change (SIP ${result.status ?? 'no answer'}). The call goes on as before.`, {
        details: { status: result.status },
      });
    }
  }

  #learnCapabilities(message: Core.IncomingResponseMessage): void {
    const caps = parseCapabilities({
      allow: message.getHeaders('allow'),
      supported: message.getHeaders('supported'),
      allowEvents: message.getHeaders('allow-events'),
    });
    if (caps.methods.length + caps.extensions.length + caps.events.length > 0) this.#capabilities = caps;
  }

  #refusal(message: Core.IncomingResponseMessage): CentrexError {
    const status = message.statusCode ?? 0;
    const phrase = message.reasonPhrase ?? '';
    const what =
      status === 486 || status === 600
        ? 'is busy'
        : status === 404 || status === 604
          ? 'does not exist'
          : status === 480
            ? 'is not available right now'
            : status === 408
              ? 'did not answer'
              : status === 403 || status === 603
                ? 'declined the call'
                : 'refused the call';
    return new CentrexError('call-rejected', `${this.#remote.user ?? this.#remote.uri} ${what} (SIP ${status}${phrase ? ` ${phrase}` : ''}). Try again later or call someone else.`, {
      details: { status, reasonPhrase: phrase },
    });
  }

  #ringingInvitation(action: string): Invitation {
    const session = this.#session;
    if (!(session instanceof Invitation) || this.#state !== 'ringing' || session.state !== SessionState.Initial) {
      throw this.#stateError(action);
    }
    return session;
  }

  #assertState(allowed: readonly CallState[], action: string): void {
    if (!allowed.includes(this.#state)) throw this.#stateError(action);
  }

  #stateError(action: string): CentrexError {
    return new CentrexError('invalid-call-state', `Cannot ${action}: the call is ${this.#state}.`, {
      details: { callId: this.id, state: this.#state, action },
    });
  }

  #asCallError(error: unknown, what: string): CentrexError {
    if (error instanceof CentrexError) return error;
    return new CentrexError('call-failed', `${what}: ${error instanceof Error ? error.message : String(error)}.`, { cause: error });
  }
}

/** Typed options for sip.js's re-INVITE handling (sip.js declares the generic, smaller option type). */
function reinviteOptions(options: CallMediaOptions): CallMediaOptions {
  return options;
}

/**
 * A URI that prints itself in angle brackets, so that sip.js writes `Refer-To: <sip:…?Replaces=…>`: without the
 * brackets the URI's own parameters and headers would be read as header parameters (RFC 3261 20.10).
 */
function bracketed(uri: URI): URI {
  const copy = uri.clone();
  const plain = copy.toString.bind(copy);
  copy.toString = () => `<${plain()}>`;
  return copy;
}

/** How long a call whose media connection closed waits for the far end's BYE before it ends itself. */
const MEDIA_LOSS_GRACE_MS = 3000;

/**
 * Whether a final response to an in-dialog request came from the far end (the dialog routes), rather than from a
 * proxy that could not deliver it (404, 408, 410, 477, 480, 481, 482, 483, 5xx).
 */
function dialogReachable(status: number): boolean {
  if (status >= 200 && status < 300) return true;
  if (status >= 500) return false;
  return ![404, 408, 410, 477, 480, 481, 482, 483].includes(status);
}

/** Maps a final failure status of an outgoing call to an end reason. */
export function endReasonForStatus(status: number): CallEndReason {
  if (status === 486 || status === 600) return 'busy';
  if (status === 408 || status === 480) return 'no-answer';
  if (status === 487) return 'cancelled';
  if (status >= 500 && status < 600) return 'failed';
  return 'refused';
}

/** Reads a DTMF INFO body (`application/dtmf-relay` or `application/dtmf`). */
export function parseDtmfInfo(contentType: string | undefined, body: string | undefined): { tone: string; duration: number | undefined } | undefined {
  if (!contentType || body === undefined) return undefined;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/dtmf-relay') {
    const tone = /^\s*signal\s*=\s*([0-9A-D#*])/im.exec(body)?.[1];
    if (!tone) return undefined;
    const duration = /^\s*duration\s*=\s*(\d+)/im.exec(body)?.[1];
    return { tone: tone.toUpperCase(), duration: duration === undefined ? undefined : Number(duration) };
  }
  if (type === 'application/dtmf') {
    const tone = /^\s*([0-9A-D#*])\s*$/i.exec(body)?.[1];
    return tone ? { tone: tone.toUpperCase(), duration: undefined } : undefined;
  }
  return undefined;
}
