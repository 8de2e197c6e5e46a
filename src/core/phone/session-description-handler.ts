/**
 * The WebRTC side of a call, built on sip.js's browser session description handler with three changes:
 *
 * 1. **Fast setup.** sip.js waits for ICE gathering to finish (or a timeout) before it sends the INVITE or the
 *    200 OK. Here the description goes out as soon as it holds a candidate the {@link IceCandidatePolicy} accepts:
 *    on a LAN the first host candidate, a few milliseconds after `setLocalDescription`. The gathering timeout
 *    stays as an upper bound.
 * 2. **Directions per m-line.** sip.js answers every m-line with the direction of the first one it finds; here
 *    each line is answered on its own, from what was offered and what this side sends (so a video upgrade from
 *    the far end is answered `recvonly` until this side turns its camera on).
 * 3. **Media errors** from the {@link MediaController} (microphone refused, no device) surface as CentrexErrors.
 * 4. **Prepared offers.** A handler can make its audio offer before anyone dials ({@link
 *    PhoneSessionDescriptionHandler.prepareOffer}); the call that takes it sends that offer as soon as the
 *    microphone track is in place. An incoming call's offer can be applied while the phone rings
 *    ({@link PhoneSessionDescriptionHandler.applyOfferEarly}). See `prepared-offer.ts`.
 *
 * @packageDocumentation
 */
import { Inviter, type BodyAndContentType, type Session, type SessionDescriptionHandlerFactory, type SessionDescriptionHandlerModifier } from 'sip.js';
// The web platform's description handler alone: `import { Web } from 'sip.js'` would pull in all of sip.js's web helpers.
import * as Web from 'sip.js/lib/platform/web/session-description-handler/index.js';
import { CentrexError } from '../errors.js';
import type { Logger } from './logger.js';
import type { MediaController } from './media.js';
import type { OfferPreparer, RingingOffers } from './prepared-offer.js';
import { answerDirection, candidateSatisfies, hasUsableCandidate, mediaSections, offerDirection, type IceCandidatePolicy } from './sdp.js';

/** ICE settings of calls. */
export interface IceOptions {
  /** STUN/TURN servers. Default: none (LAN, loopback, or a PBX that anchors media). */
  readonly servers: readonly RTCIceServer[];
  /** When a description is good enough to send; default `first` without servers and `reflexive` with. */
  readonly candidatePolicy: IceCandidatePolicy;
  /** Upper bound in milliseconds to wait for a usable candidate (then whatever was gathered is sent). */
  readonly gatheringTimeout: number;
  /**
   * Do a call's WebRTC work ahead: keep the next outgoing call's audio offer ready (peer connection, offer, ICE
   * candidates), so that dialling sends the INVITE almost at once instead of after 5–10 ms of setup (more with STUN);
   * and apply an incoming call's offer while it rings, so that answering is quicker. Default: true.
   */
  readonly prepareCalls: boolean;
  /** How long a prepared offer may wait for a call, in milliseconds, before it is made anew. Default: 120000. */
  readonly preparedOfferMaxAge: number;
}

/** Per-call settings the call manager passes to the handler through sip.js's options. */
export interface CallMediaOptions extends Web.SessionDescriptionHandlerOptions {
  /** Centrex additions; sip.js ignores them. */
  readonly centrex?: {
    /** Use this track for video instead of opening the camera (screen sharing). */
    readonly videoTrack?: MediaStreamTrack;
  };
}

/**
 * A sip.js session description handler with fast ICE and per-m-line directions.
 * @internal
 */
export class PhoneSessionDescriptionHandler extends Web.SessionDescriptionHandler {
  /** Which kinds of media this side wants to send (the call manager flips `video`). */
  readonly sending: { audio: boolean; video: boolean } = { audio: true, video: false };
  readonly #policy: IceCandidatePolicy;
  // The offer made by prepareOffer, resolving to its audio transceiver (whose sender has no track yet); cleared by
  // the first getDescription, which either sends it or undoes it.
  #preparedOffer: Promise<RTCRtpTransceiver> | undefined;
  // The prepared transceiver until the microphone track is put on it.
  #emptyTransceiver: RTCRtpTransceiver | undefined;
  // An incoming call's offer applied while ringing, until the call is answered (or not).
  #earlyOffer: { readonly sdp: string; readonly applied: Promise<void> } | undefined;

  /**
   * @param logger - sip.js logger
   * @param mediaStreamFactory - opens local media
   * @param configuration - peer connection configuration and the gathering timeout
   * @param policy - which candidate is enough to send
   */
  constructor(
    logger: ConstructorParameters<typeof Web.SessionDescriptionHandler>[0],
    mediaStreamFactory: Web.MediaStreamFactory,
    configuration: Web.SessionDescriptionHandlerConfiguration,
    policy: IceCandidatePolicy,
  ) {
    super(logger, mediaStreamFactory, configuration);
    this.#policy = policy;
  }

  /**
   * Makes an audio offer now, before there is a call: one sendrecv audio transceiver without a track, the offer set
   * as local description, and ICE gathered until a candidate the policy accepts is there (or the gathering timeout).
   * The first {@link PhoneSessionDescriptionHandler.getDescription} then sends this offer if it fits the call.
   *
   * @returns when the offer is ready to send; rejects when WebRTC failed (the handler is then of no use)
   */
  prepareOffer(): Promise<void> {
    const pc = this._peerConnection;
    if (!pc || pc.signalingState !== 'stable' || pc.getTransceivers().length > 0) return Promise.reject(new Error('Only a new peer connection can prepare an offer.'));
    const transceiver = pc.addTransceiver('audio', { direction: 'sendrecv' });
    this.#emptyTransceiver = transceiver;
    const timeout = this.sessionDescriptionHandlerConfiguration?.iceGatheringTimeout ?? 0;
    const prepared = pc
      .createOffer()
      .then((offer) => pc.setLocalDescription(offer))
      .then(() => this.waitForIceGatheringComplete(false, timeout))
      .then(() => transceiver);
    this.#preparedOffer = prepared;
    return prepared.then(() => undefined);
  }

  /** Whether a prepared offer is waiting for its call. */
  get hasPreparedOffer(): boolean {
    return this.#preparedOffer !== undefined;
  }

  /**
   * The local description for the far end. The first call on a handler with a prepared offer sends that offer, once
   * the microphone track is on its transceiver, when the call wants exactly what was prepared (audio, no ICE
   * restart, no SDP modifiers); otherwise the prepared offer is rolled back and the description made as usual.
   */
  override getDescription(options?: CallMediaOptions, modifiers?: SessionDescriptionHandlerModifier[]): Promise<BodyAndContentType> {
    const prepared = this.#preparedOffer;
    if (!prepared) return super.getDescription(options, modifiers);
    this.#preparedOffer = undefined;
    const fits =
      !options?.constraints?.video && !options?.centrex?.videoTrack && !options?.offerOptions?.iceRestart && !options?.dataChannel && !options?.hold && !modifiers?.length;
    return prepared.then(
      (transceiver) => (fits ? this.#sendPreparedOffer(transceiver, options) : this.#dropPreparedOffer().then(() => super.getDescription(options, modifiers))),
      () => this.#dropPreparedOffer().then(() => super.getDescription(options, modifiers)),
    );
  }

  async #sendPreparedOffer(transceiver: RTCRtpTransceiver, options: CallMediaOptions | undefined): Promise<BodyAndContentType> {
    const pc = this._peerConnection;
    if (!pc || pc.signalingState !== 'have-local-offer' || transceiver.currentDirection === 'stopped') throw new Error('The prepared offer is gone.');
    // Opens the microphone (from the warm stream when there is one) and puts it on the prepared sender.
    await this.getLocalMediaStream(options);
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new Error('The prepared offer is gone.');
    // The description now holds every candidate gathered since it was made.
    return { body: sdp, contentType: 'application/sdp' };
  }

  async #dropPreparedOffer(): Promise<void> {
    this.#emptyTransceiver = undefined;
    const pc = this._peerConnection;
    if (pc?.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
  }

  /**
   * Puts the microphone on the prepared transceiver with `replaceTrack`, which needs no renegotiation: the offer
   * already went out with that sender. Everything else is sip.js's own handling (add or replace per kind).
   */
  protected override setLocalMediaStream(stream: MediaStream): Promise<void> {
    const transceiver = this.#emptyTransceiver;
    const audio = stream.getAudioTracks()[0];
    if (!transceiver || !audio || stream.getVideoTracks().length > 0) return super.setLocalMediaStream(stream);
    this.#emptyTransceiver = undefined;
    return transceiver.sender.replaceTrack(audio).then(() => {
      this._localMediaStream.addTrack(audio);
      this._localMediaStream.dispatchEvent(new MediaStreamTrackEvent('addtrack', { track: audio }));
    });
  }

  /**
   * Applies an incoming call's offer while the phone rings, so that answering only has to make the answer. Nothing
   * is sent: without a local description there is no ICE gathering and no media. A failure shows when the call is
   * answered, as it would have without this.
   *
   * @param sdp - the offer of the INVITE
   */
  applyOfferEarly(sdp: string): void {
    const pc = this._peerConnection;
    if (!pc || pc.signalingState !== 'stable' || this.#earlyOffer || this.#preparedOffer) return;
    const applied = pc.setRemoteDescription({ type: 'offer', sdp });
    applied.catch(() => undefined);
    this.#earlyOffer = { sdp, applied };
  }

  /**
   * Sets the far end's description. The offer of a ringing call that {@link
   * PhoneSessionDescriptionHandler.applyOfferEarly} applied already is not applied again; then the microphone is
   * opened (sip.js opens it before applying the offer; the answer is the same either way).
   */
  override setDescription(sdp: string, options?: CallMediaOptions, modifiers?: SessionDescriptionHandlerModifier[]): Promise<void> {
    const early = this.#earlyOffer;
    if (!early) return super.setDescription(sdp, options, modifiers);
    this.#earlyOffer = undefined;
    if (early.sdp === sdp && !modifiers?.length) return early.applied.then(() => this.getLocalMediaStream(options));
    // Something else is to be applied: undo the early offer first (if it took).
    return early.applied
      .then(
        () => this._peerConnection?.setRemoteDescription({ type: 'rollback' }),
        () => undefined,
      )
      .then(() => super.setDescription(sdp, options, modifiers));
  }

  /**
   * Undoes a local offer the far end refused (or a remote offer that could not be answered), so the next
   * renegotiation starts from the last agreed state. sip.js calls it when a re-INVITE fails; its own browser handler
   * lacks it, which leaves the connection stuck in `have-local-offer`.
   */
  rollbackDescription(): Promise<void> {
    const pc = this._peerConnection;
    if (!pc || pc.signalingState === 'stable' || pc.signalingState === 'closed') return Promise.resolve();
    return pc.setLocalDescription({ type: 'rollback' });
  }

  protected override waitForIceGatheringComplete(restart = false, timeout = 0): Promise<void> {
    const pc = this._peerConnection;
    if (!pc || this.#policy === 'complete') return super.waitForIceGatheringComplete(restart, timeout);
    // The candidate may already be in the description (events are delivered before this promise chain resumes).
    if (hasUsableCandidate(pc.localDescription?.sdp, this.#policy)) return Promise.resolve();
    const waiting = super.waitForIceGatheringComplete(restart, timeout);
    const policy = this.#policy;
    const onCandidate = (event: RTCPeerConnectionIceEvent): void => {
      if (event.candidate && candidateSatisfies(event.candidate.candidate, policy)) this.iceGatheringComplete();
    };
    pc.addEventListener('icecandidate', onCandidate);
    return waiting.finally(() => pc.removeEventListener('icecandidate', onCandidate));
  }

  protected override updateDirection(options?: Web.SessionDescriptionHandlerOptions): Promise<void> {
    const pc = this._peerConnection;
    if (!pc) return Promise.reject(new Error('Peer connection closed.'));
    const hold = options?.hold === true;
    const wants = (t: RTCRtpTransceiver): boolean => (t.receiver.track.kind === 'video' ? this.sending.video : this.sending.audio);
    if (pc.signalingState === 'stable') {
      for (const t of pc.getTransceivers()) {
        if (t.currentDirection === 'stopped' || t.direction === 'stopped') continue;
        const direction = offerDirection(wants(t), hold);
        if (t.direction !== direction) t.direction = direction;
      }
      return Promise.resolve();
    }
    if (pc.signalingState === 'have-remote-offer') {
      const offered = new Map(mediaSections(pc.remoteDescription?.sdp ?? '').map((s) => [s.mid, s]));
      for (const t of pc.getTransceivers()) {
        if (t.currentDirection === 'stopped' || t.direction === 'stopped') continue;
        const section = offered.get(t.mid ?? undefined);
        if (!section) continue;
        const direction = answerDirection(section.direction, wants(t), hold);
        if (t.direction !== direction) t.direction = direction;
      }
      return Promise.resolve();
    }
    return Promise.reject(new Error(`Invalid signaling state ${pc.signalingState}`));
  }
}

/** What the factory needs from the phone. */
export interface SessionDescriptionHandlerSettings {
  /** Opens devices. */
  readonly media: MediaController;
  /** ICE settings. */
  readonly ice: IceOptions;
  /** Diagnostics. */
  readonly logger: Logger;
}

/**
 * Creates a handler with the phone's ICE settings and media.
 * @internal
 */
export function createPhoneSessionDescriptionHandler(settings: SessionDescriptionHandlerSettings, logger: ConstructorParameters<typeof Web.SessionDescriptionHandler>[0]): PhoneSessionDescriptionHandler {
  if (typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection !== 'function') {
    throw new CentrexError('not-supported', 'Calls need WebRTC (RTCPeerConnection), which this environment lacks. Run the phone in a browser.');
  }
  const mediaStreamFactory: Web.MediaStreamFactory = async (constraints, _sdh, options) => {
    const wantAudio = Boolean(constraints.audio);
    const extra = (options as CallMediaOptions | undefined)?.centrex;
    const wantVideo = Boolean(constraints.video) && extra?.videoTrack === undefined;
    const stream = wantAudio || wantVideo ? await settings.media.getUserMedia({ audio: wantAudio, video: wantVideo }) : new MediaStream();
    if (extra?.videoTrack) stream.addTrack(extra.videoTrack);
    return stream;
  };
  const configuration: Web.SessionDescriptionHandlerConfiguration = {
    iceGatheringTimeout: settings.ice.gatheringTimeout,
    peerConnectionConfiguration: {
      iceServers: [...settings.ice.servers],
      // One transport for audio and video: a video upgrade needs no new ICE candidates.
      bundlePolicy: 'max-bundle',
      rtcpMuxPolicy: 'require',
    },
  };
  return new PhoneSessionDescriptionHandler(logger, mediaStreamFactory, configuration, settings.ice.candidatePolicy);
}

/**
 * Creates the sip.js session description handler factory of the phone. A new outgoing call takes the prepared
 * handler when there is one, an incoming call the handler that applied its offer while it rang; everything else gets
 * a new handler.
 * @internal
 */
export function createSessionDescriptionHandlerFactory(settings: SessionDescriptionHandlerSettings, prepared?: { offers?: OfferPreparer | undefined; answers?: RingingOffers | undefined }): SessionDescriptionHandlerFactory {
  return (session: Session, _options?: object) => {
    // A session asks once for its own handler; early-media forks of an Inviter ask again later (and get new ones).
    if (session.sessionDescriptionHandler === undefined) {
      const handler = session instanceof Inviter ? prepared?.offers?.take() : prepared?.answers?.take(session);
      if (handler) return handler;
    }
    return createPhoneSessionDescriptionHandler(settings, session.userAgent.getLogger('centrex.sdh'));
  };
}
