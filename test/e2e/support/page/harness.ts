// Runs inside each test user's Chromium page (bundled with esbuild at test start). It holds the user's Phone and
// gives the Node side small, serializable operations; everything waits by polling with a deadline, never by sleeping
// a fixed time to pass.
import {
  Phone,
  type Call,
  type CallEndReason,
  type Conference,
  type MediaStatsSummary,
  type PhoneOptions,
  type RegistrationState,
} from '../../../../src/core/phone/index.js';
import type { LineState } from '../../../../src/core/presence/index.js';

/** A serializable view of a call. */
export interface CallView {
  id: string;
  direction: 'incoming' | 'outgoing';
  state: string;
  remoteUser: string | undefined;
  remoteName: string | undefined;
  referredBy: string | undefined;
  forwardedBy: string[];
  endReason: CallEndReason | undefined;
  endStatus: number | undefined;
  held: boolean;
  remoteHeld: boolean;
  muted: boolean;
  sendingVideo: boolean;
  receivingVideo: boolean;
  screenSharing: boolean;
  autoAnswer: boolean;
}

/** Which media counter to watch. */
export type FlowKey = 'audioIn' | 'audioOut' | 'videoIn' | 'videoOut';

/** Options for starting the page's phone (the serializable part of PhoneOptions). */
export type StartOptions = Pick<PhoneOptions, 'server' | 'uri' | 'username' | 'password' | 'displayName' | 'realm' | 'registerExpires' | 'instanceId'> & {
  calls?: { voicemail?: string; intercomAutoAnswer?: boolean; callWaiting?: boolean; dtmf?: 'auto' | 'rtp' | 'info' };
  reconnect?: { baseDelay?: number; maxDelay?: number; jitter?: number };
  keepAlive?: { interval?: number; timeout?: number };
  waitForRegistration?: boolean;
  warmMicrophone?: boolean;
  traceSip?: boolean;
  /** Answer every incoming call at once (benchmarks). */
  autoAccept?: boolean;
  /** Do calls' WebRTC work ahead (the phone's default: true). */
  prepareCalls?: boolean;
};

function view(call: Call): CallView {
  return {
    id: call.id,
    direction: call.direction,
    state: call.state,
    remoteUser: call.remote.user,
    remoteName: call.remote.displayName,
    referredBy: call.referredBy?.user,
    forwardedBy: call.forwardedBy.map((hop) => hop.from.user ?? hop.from.uri),
    endReason: call.endReason,
    endStatus: call.endStatus,
    held: call.held,
    remoteHeld: call.remoteHeld,
    muted: call.muted,
    sendingVideo: call.sendingVideo,
    receivingVideo: call.receivingVideo,
    screenSharing: call.screenSharing,
    autoAnswer: call.autoAnswer !== undefined,
  };
}

async function poll<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeout: number, interval = 20): Promise<T> {
  const deadline = performance.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * The far end's view of RFC 4733 telephone events: a worker (an RTCRtpScriptTransform) sees every encoded frame the
 * audio receiver gets and reports each telephone event once, when its end packet arrives, with its event code,
 * payload type and duration. Every frame is passed on unchanged, so the call's audio is not touched. (Kept as text:
 * a worker is loaded from a URL.)
 */
const TELEPHONE_EVENT_TAP = `
self.addEventListener('rtctransform', (event) => {
  const reported = new Set();
  event.transformer.readable
    .pipeThrough(new TransformStream({
      transform(frame, controller) {
        const meta = frame.getMetadata();
        if (meta.mimeType === 'audio/telephone-event') {
          const bytes = new Uint8Array(frame.data);
          const timestamp = meta.rtpTimestamp ?? frame.timestamp;
          // RFC 4733 §2.3: event, E bit + volume, duration. The end packet is sent three times; count it once.
          if (bytes.length >= 4 && (bytes[1] & 0x80) !== 0 && !reported.has(timestamp)) {
            reported.add(timestamp);
            self.postMessage({ event: bytes[0], duration: (bytes[2] << 8) | bytes[3], payloadType: meta.payloadType });
          }
        }
        controller.enqueue(frame);
      },
    }))
    .pipeTo(event.transformer.writable);
});
`;

/** RFC 4733 event codes 0–15 as keys. */
const EVENT_KEYS = '0123456789*#ABCD';

/** One telephone event a call received: the key and how long it was pressed. */
export interface ReceivedDtmfEvent {
  readonly key: string;
  readonly durationMs: number;
}

/** The operations the Node side calls through page.evaluate. */
export class Harness {
  phone: Phone | undefined;
  /** Every call this page has seen, ended ones included. */
  readonly allCalls: Call[] = [];
  readonly events: string[] = [];
  readonly sip: string[] = [];
  readonly dtmf: string[] = [];
  readonly lines = new Map<string, LineState[]>();
  errors: string[] = [];
  /** What the errors said, for people: `code: message`. */
  readonly errorMessages: string[] = [];
  conference: Conference | undefined;
  voicemailCounts: { newMessages: number; oldMessages: number } | undefined;
  availability = new Map<string, string>();

  async start(options: StartOptions): Promise<void> {
    const phone = new Phone({
      ...options,
      ice: { servers: [], prepareCalls: options.prepareCalls ?? true },
      logger: {
        debug: (m) => {
          if (m.startsWith('SIP ')) this.sip.push(`${performance.now().toFixed(1)} ${m.slice(0, 5)} ${m.split('\n')[1] ?? ''}`);
        },
        info: (m) => this.events.push(`info ${m}`),
        warn: (m) => this.events.push(`warn ${m}`),
        error: (m, ...d) => this.events.push(`error ${m} ${d.map(String).join(' ')}`),
      },
    });
    this.phone = phone;
    phone.on('statechange', ({ from, to }) => this.events.push(`phone ${from}->${to}`));
    phone.on('reconnecting', ({ attempt, delay, error }) => this.events.push(`reconnecting ${attempt} ${delay} ${error.code}`));
    phone.on('reconnected', ({ attempts, downtime }) => this.events.push(`reconnected ${attempts} ${downtime}`));
    phone.on('error', ({ error }) => {
      this.errors.push(error.code);
      this.errorMessages.push(`${error.code}: ${error.message}`);
    });
    phone.calls.on('call', ({ call }) => {
      this.allCalls.push(call);
      this.events.push(`call ${call.id} ${call.direction} ${call.remote.user ?? ''}`);
      call.on('statechange', ({ from, to }) => this.events.push(`call ${call.id} ${from}->${to}`));
      call.on('ended', ({ reason, status }) => this.events.push(`call ${call.id} ended ${reason} ${status ?? ''}`));
      call.on('dtmf', ({ tone }) => this.dtmf.push(tone));
      call.on('recovery', ({ ok, status }) => this.events.push(`call ${call.id} recovery ${ok} ${status ?? ''}`));
      if (options.autoAccept && call.direction === 'incoming' && call.state === 'ringing') {
        call.accept().catch((error: unknown) => this.events.push(`error auto-accept ${String(error)}`));
      }
    });
    phone.presence.on('line', ({ target, state }) => {
      const list = this.lines.get(target) ?? [];
      if (list[list.length - 1] !== state) list.push(state);
      this.lines.set(target, list);
    });
    phone.presence.on('availability', ({ target, availability }) => this.availability.set(target, availability));
    phone.presence.on('voicemail', ({ summary }) => {
      const voice = summary.counts.voice ?? { newMessages: 0, oldMessages: 0 };
      this.voicemailCounts = { newMessages: voice.newMessages, oldMessages: voice.oldMessages };
    });
    if (options.warmMicrophone) await phone.media.warmUp();
    const started = phone.start();
    if (options.waitForRegistration === false) {
      started.catch((error: { code?: string; message?: string }) => {
        this.errors.push(`start ${error.code ?? String(error)}`);
        this.errorMessages.push(`start ${error.code ?? ''}: ${error.message ?? String(error)}`);
      });
      return;
    }
    await started;
  }

  /** What the ringer plays now. */
  ringing(): string | undefined {
    return this.phone?.ringer.playing;
  }

  state(): RegistrationState | undefined {
    return this.phone?.state;
  }

  #phone(): Phone {
    if (!this.phone) throw new Error('phone not started');
    return this.phone;
  }

  #call(id: string): Call {
    const call = this.allCalls.find((c) => c.id === id);
    if (!call) throw new Error(`no call ${id}`);
    return call;
  }

  calls(): CallView[] {
    return this.allCalls.map(view);
  }

  call(id: string): CallView {
    return view(this.#call(id));
  }

  async dial(target: string, options: { video?: boolean; intercom?: boolean } = {}): Promise<string> {
    const call = await this.#phone().calls.dial(target, options);
    return call.id;
  }

  /** Waits for a call matching the filter and returns its id. */
  async waitForCall(filter: { direction?: 'incoming' | 'outgoing'; state?: string; remoteUser?: string; notIds?: string[] }, timeout = 15_000): Promise<string> {
    return poll(
      `a call ${JSON.stringify(filter)}`,
      () =>
        this.allCalls.find(
          (c) =>
            (filter.direction === undefined || c.direction === filter.direction) &&
            (filter.state === undefined || c.state === filter.state) &&
            (filter.remoteUser === undefined || c.remote.user === filter.remoteUser) &&
            !(filter.notIds ?? []).includes(c.id),
        )?.id,
      timeout,
    );
  }

  async waitForState(id: string, state: string, timeout = 15_000): Promise<CallView> {
    const call = this.#call(id);
    await poll(`call ${id} to be ${state} (is ${call.state})`, () => (call.state === state ? true : undefined), timeout);
    return view(call);
  }

  /** Waits until the event log has an entry starting with `prefix`; returns it. */
  async waitForEvent(prefix: string, timeout = 15_000): Promise<string> {
    return poll(`an event "${prefix}…" (last: ${this.events.slice(-3).join(' | ')})`, () => this.events.find((e) => e.startsWith(prefix)), timeout);
  }

  async waitForPhoneState(state: RegistrationState, timeout = 15_000): Promise<void> {
    await poll(`phone to be ${state} (is ${this.phone?.state})`, () => (this.phone?.state === state ? true : undefined), timeout);
  }

  /** Waits until the phone has the next call's offer ready (an idle phone has it a few ms after a call ended). */
  async waitForPreparedOffer(timeout = 5_000): Promise<void> {
    await poll('a prepared offer', () => (this.#phone().offerPrepared ? true : undefined), timeout, 1);
  }

  async act(id: string, action: 'accept' | 'acceptVideo' | 'reject' | 'hangup' | 'hold' | 'resume' | 'mute' | 'unmute' | 'startVideo' | 'stopVideo' | 'startScreenShare' | 'switchScreenShare' | 'stopScreenShare' | 'sendToVoicemail' | 'restartIce'): Promise<void> {
    const call = this.#call(id);
    switch (action) {
      case 'accept':
        return call.accept();
      case 'acceptVideo':
        return call.accept({ video: true });
      case 'reject':
        return call.reject();
      case 'hangup':
        return call.hangup();
      case 'hold':
        return call.hold();
      case 'resume':
        return call.resume();
      case 'mute':
        return call.mute();
      case 'unmute':
        return call.unmute();
      case 'startVideo':
        return call.startVideo();
      case 'stopVideo':
        return call.stopVideo();
      case 'startScreenShare':
        return call.startScreenShare();
      case 'switchScreenShare':
        return call.switchScreenShare();
      case 'stopScreenShare':
        return call.stopScreenShare();
      case 'sendToVoicemail':
        return call.sendToVoicemail();
      case 'restartIce':
        return call.restartIce();
    }
  }

  async forward(id: string, target: string): Promise<void> {
    await this.#call(id).forward(target);
  }

  async transfer(id: string, target: string): Promise<void> {
    await this.#call(id).transfer(target);
  }

  async attendedTransfer(transfereeId: string, targetId: string): Promise<void> {
    await this.#phone().calls.attendedTransfer(this.#call(transfereeId), this.#call(targetId));
  }

  async swap(): Promise<void> {
    await this.#phone().calls.swap();
  }

  async startConference(muted = false): Promise<void> {
    this.conference = await this.#phone().calls.conference(undefined, undefined, { muted });
  }

  conferenceMute(muted: boolean): void {
    if (muted) this.conference?.mute();
    else this.conference?.unmute();
  }

  async sendDtmf(id: string, tones: string, method: 'rtp' | 'info'): Promise<string> {
    return this.#call(id).sendDtmf(tones, { method });
  }

  async stats(id: string): Promise<MediaStatsSummary | undefined> {
    return this.#call(id).mediaStats();
  }

  /** Waits until a counter grew by `packets` from now. */
  async waitForFlow(id: string, key: FlowKey, packets = 25, timeout = 15_000): Promise<number> {
    const call = this.#call(id);
    const start = (await call.mediaStats())?.[key].packets ?? 0;
    return poll(
      `${key} packets of call ${id} to grow by ${packets}`,
      async () => {
        const now = (await call.mediaStats())?.[key].packets ?? 0;
        return now - start >= packets ? now - start : undefined;
      },
      timeout,
      50,
    );
  }

  /**
   * Waits until a counter stood still for `quietMs` (media stopped). Observing silence needs a window; the wait
   * ends as soon as one is seen.
   */
  async waitForNoFlow(id: string, key: FlowKey, quietMs = 600, timeout = 15_000): Promise<void> {
    const call = this.#call(id);
    let last = -1;
    let since = performance.now();
    await poll(
      `${key} of call ${id} to stop`,
      async () => {
        const now = (await call.mediaStats())?.[key].packets ?? 0;
        if (now !== last) {
          last = now;
          since = performance.now();
          return undefined;
        }
        return performance.now() - since >= quietMs ? true : undefined;
      },
      timeout,
      50,
    );
  }

  /** Waits until the received audio carries energy (someone is audible). */
  async waitForAudioEnergy(id: string, minDelta = 1e-4, timeout = 15_000): Promise<number> {
    const call = this.#call(id);
    const start = (await call.mediaStats())?.audioEnergyIn ?? 0;
    return poll(
      `audio energy on call ${id}`,
      async () => {
        const now = (await call.mediaStats())?.audioEnergyIn ?? 0;
        return now - start >= minDelta ? now - start : undefined;
      },
      timeout,
      50,
    );
  }

  /** Waits until no audio energy arrived for `quietMs` (the far end is silent, or muted). */
  async waitForSilence(id: string, quietMs = 1200, timeout = 15_000): Promise<void> {
    const call = this.#call(id);
    let last = -1;
    let since = performance.now();
    await poll(
      `silence on call ${id}`,
      async () => {
        const now = (await call.mediaStats())?.audioEnergyIn ?? 0;
        if (now - last > 1e-6) {
          last = now;
          since = performance.now();
          return undefined;
        }
        return performance.now() - since >= quietMs ? true : undefined;
      },
      timeout,
      50,
    );
  }

  /** The ICE username fragment this page offers on a call: a new one means ICE was restarted. */
  localIceUfrag(id: string): string | undefined {
    return /a=ice-ufrag:(\S+)/.exec(this.#call(id).peerConnection?.localDescription?.sdp ?? '')?.[1];
  }

  /** The video track this page sends on a call: its label and whether it is a screen capture. */
  sentVideo(id: string): { label: string; screen: boolean; id: string } | undefined {
    const pc = this.#call(id).peerConnection;
    const track = pc?.getTransceivers().find((t) => t.receiver.track.kind === 'video')?.sender.track;
    if (!track) return undefined;
    const settings = track.getSettings() as MediaTrackSettings & { displaySurface?: string };
    return { label: track.label, screen: settings.displaySurface !== undefined, id: track.id };
  }

  /**
   * Dials and measures, in milliseconds from the dial, when the call was established and when the first audio packet
   * from the far end arrived (the remote track unmutes on the first RTP packet). Hangs up afterwards.
   */
  async timeCall(target: string, timeout = 10_000): Promise<{ established: number; firstPacket: number; marks: Record<string, number> }> {
    const phone = this.#phone();
    const t0 = performance.now();
    const call = await phone.calls.dial(target);
    let established = NaN;
    const marks: Record<string, number> = {};
    const mark = (name: string): void => {
      marks[name] ??= Math.round((performance.now() - t0) * 10) / 10;
    };
    call.on('statechange', ({ to }) => {
      if (to === 'established') established = performance.now() - t0;
      mark(to);
    });
    const watchPc = (): void => {
      const pc = call.peerConnection;
      if (!pc) {
        setTimeout(watchPc, 0);
        return;
      }
      pc.addEventListener('iceconnectionstatechange', () => mark(`ice-${pc.iceConnectionState}`));
      pc.addEventListener('connectionstatechange', () => mark(`pc-${pc.connectionState}`));
      pc.addEventListener('icecandidate', (e) => mark(e.candidate ? 'first-candidate' : 'gathering-done'));
      pc.addEventListener('signalingstatechange', () => mark(`sig-${pc.signalingState}`));
    };
    watchPc();
    const firstPacket = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no audio within ${timeout} ms`)), timeout);
      const done = (): void => {
        clearTimeout(timer);
        resolve(performance.now() - t0);
      };
      const attach = (): void => {
        const track = call.peerConnection?.getTransceivers().find((t) => t.receiver.track.kind === 'audio')?.receiver.track;
        if (!track) {
          // The transceiver appears once the microphone is open; check again on the next task.
          setTimeout(attach, 0);
          return;
        }
        if (!track.muted) done();
        else track.addEventListener('unmute', done, { once: true });
      };
      attach();
    });
    mark('unmute');
    await call.hangup();
    await poll('the call to end', () => (call.state === 'ended' ? true : undefined), timeout);
    return { established, firstPacket, marks };
  }

  readonly #eventTaps = new WeakMap<RTCPeerConnection, ReceivedDtmfEvent[]>();
  readonly #tappedReceivers = new WeakSet<RTCRtpReceiver>();
  #tapTelephoneEvents = false;

  /**
   * From now on, every call this page answers records the RFC 4733 telephone events it receives (see
   * {@link Harness.receivedDtmf}). Chromium hands a receiver's frames only to a transform attached before its receive
   * channel is made. On the answering side that is around applying the remote offer (the hook at the end of this
   * file): a receiver that exists before (sip.js adds the microphone first) is tapped just before, one the offer makes
   * (the phone applies the offer while the call rings) just after. So this must be switched on before the call comes in. (On the offering side no moment was found at which
   * Chromium 156 honours a receiver transform: calls this page places are not tapped.)
   */
  tapTelephoneEvents(): void {
    this.#tapTelephoneEvents = true;
  }

  /** Attaches the telephone-event tap to a connection's audio receivers that have none (when switched on). @internal */
  _tapReceivers(pc: RTCPeerConnection): void {
    if (!this.#tapTelephoneEvents) return;
    const events = this.#eventTaps.get(pc) ?? [];
    this.#eventTaps.set(pc, events);
    for (const receiver of pc.getReceivers()) {
      if (receiver.track.kind !== 'audio' || this.#tappedReceivers.has(receiver)) continue;
      this.#tappedReceivers.add(receiver);
      const worker = new Worker(URL.createObjectURL(new Blob([TELEPHONE_EVENT_TAP], { type: 'text/javascript' })));
      worker.onmessage = ({ data }: MessageEvent<{ event: number; duration: number; payloadType: number }>) => {
        const clock = Number(new RegExp(`a=rtpmap:${data.payloadType} telephone-event/(\\d+)`).exec(pc.localDescription?.sdp ?? '')?.[1] ?? 8000);
        events.push({ key: EVENT_KEYS[data.event] ?? '?', durationMs: Math.round((data.duration / clock) * 1000) });
      };
      (receiver as RTCRtpReceiver & { transform: unknown }).transform = new RTCRtpScriptTransform(worker);
    }
  }

  /** The telephone events a call received so far (when {@link Harness.tapTelephoneEvents} was on as it started). */
  receivedDtmf(id: string): ReceivedDtmfEvent[] {
    const pc = this.#call(id).peerConnection;
    return pc ? [...(this.#eventTaps.get(pc) ?? [])] : [];
  }

  watch(targets: string[], presence = false): void {
    this.#phone().presence.watch(targets, { dialog: true, presence });
  }

  lineStates(target: string): LineState[] {
    return this.lines.get(target) ?? [];
  }

  async stop(): Promise<void> {
    await this.phone?.stop();
  }

  /**
   * Hangs up every call that is not over, as a person does before closing the tab, and waits (up to `timeout`) until
   * they ended. Servers then see each call end with a BYE or CANCEL instead of having to notice a vanished browser.
   */
  async hangUpAll(timeout = 5000): Promise<void> {
    const live = this.allCalls.filter((call) => call.state !== 'ended');
    await Promise.all(live.map((call) => call.hangup().catch(() => undefined)));
    await poll('every call to end', () => (this.allCalls.every((call) => call.state === 'ended') ? true : undefined), timeout).catch(() => undefined);
  }
}

declare global {
  interface Window {
    harness: Harness;
  }
}

window.harness = new Harness();

// The page's RTCPeerConnections tell the harness before and after they apply a remote offer, so that it can attach
// its telephone-event tap in time (see Harness.tapTelephoneEvents).
const applyRemote = RTCPeerConnection.prototype.setRemoteDescription;
RTCPeerConnection.prototype.setRemoteDescription = function (this: RTCPeerConnection, ...args: Parameters<RTCPeerConnection['setRemoteDescription']>) {
  if (this.signalingState !== 'stable') return applyRemote.apply(this, args);
  window.harness._tapReceivers(this);
  return applyRemote.apply(this, args).then(() => window.harness._tapReceivers(this));
} as RTCPeerConnection['setRemoteDescription'];
