/**
 * A three-party conference made on this phone ("Dreierkonferenz"): the calls stay separate SIP calls, and their
 * audio is mixed locally with Web Audio so that each far end hears this user and every other far end.
 *
 * ```
 *   microphone ──┬──────────────▶ mix for A ──▶ sent to A
 *   from B ──────┘        ┌─────▶ mix for B ──▶ sent to B
 *   microphone ───────────┤
 *   from A ───────────────┘       (this user hears A and B on the speaker as usual)
 * ```
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import type { Call } from './call.js';
import { Emitter } from './emitter.js';
import type { Logger } from './logger.js';
import type { MediaController } from './media.js';

/** Events of a {@link Conference}. */
export interface ConferenceEventMap {
  /** A call left the conference (it ended, or the conference was split). */
  leave: { readonly conference: Conference; readonly call: Call };
  /** The conference is over: fewer than two calls remain, or it was ended or split. */
  ended: { readonly conference: Conference };
}

/** A local audio conference of two or more calls. Created by {@link CallManager.conference}. */
export class Conference extends Emitter<ConferenceEventMap> {
  readonly #media: MediaController;
  readonly #logger: Logger;
  readonly #calls: Call[];
  #context: AudioContext | undefined;
  #micGain: GainNode | undefined;
  #muted = false;
  #ended = false;
  readonly #offs: (() => void)[] = [];

  /** @internal */
  constructor(calls: readonly Call[], media: MediaController, logger: Logger) {
    super((error) => logger.error('conference listener threw', error));
    this.#calls = [...calls];
    this.#media = media;
    this.#logger = logger;
  }

  /** The calls in the conference. */
  get calls(): readonly Call[] {
    return this.#calls;
  }

  /** Whether this user's microphone is muted for everyone in the conference. */
  get muted(): boolean {
    return this.#muted;
  }

  /** Whether the conference is over. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Mutes this user for all parties (the parties still hear each other). */
  mute(): void {
    this.#muted = true;
    if (this.#micGain) this.#micGain.gain.value = 0;
  }

  /** Unmutes this user. */
  unmute(): void {
    this.#muted = false;
    if (this.#micGain) this.#micGain.gain.value = 1;
  }

  /** Ends the conference and hangs up all its calls. */
  async hangup(): Promise<void> {
    const calls = [...this.#calls];
    await this.#dissolve();
    await Promise.all(calls.map((call) => call.hangup().catch(() => undefined)));
  }

  /**
   * Ends the conference but keeps the calls: each goes back to sending the plain microphone. The caller decides
   * what happens next (the call manager holds all but one).
   */
  async split(): Promise<void> {
    await this.#dissolve();
  }

  /** Builds the mix. @internal */
  async _start(): Promise<void> {
    const Ctor = this.#media.environment.AudioContext;
    if (!Ctor) throw new CentrexError('not-supported', 'A three-party conference needs Web Audio, which this environment lacks.');
    const microphone = this.#calls.map((call) => call._microphone()).find((track) => track !== undefined);
    if (!microphone) throw new CentrexError('invalid-call-state', 'Cannot start a conference: no microphone is open on these calls.');
    const context = new Ctor();
    this.#context = context;
    if (context.state !== 'running') await context.resume().catch(() => undefined);
    const micGain = context.createGain();
    micGain.gain.value = this.#muted ? 0 : 1;
    context.createMediaStreamSource(new MediaStream([microphone])).connect(micGain);
    this.#micGain = micGain;
    const remotes = this.#calls.map((call) => {
      const tracks = call.remoteStream?.getAudioTracks() ?? [];
      return tracks.length > 0 ? context.createMediaStreamSource(new MediaStream(tracks)) : undefined;
    });
    for (const [index, call] of this.#calls.entries()) {
      const destination = context.createMediaStreamDestination();
      micGain.connect(destination);
      remotes.forEach((source, other) => {
        if (other !== index) source?.connect(destination);
      });
      await call._setAudioSource(destination.stream.getAudioTracks()[0]);
      this.#offs.push(call.on('ended', () => void this.#leave(call)));
    }
  }

  async #leave(call: Call): Promise<void> {
    const index = this.#calls.indexOf(call);
    if (index < 0 || this.#ended) return;
    this.#calls.splice(index, 1);
    this.emit('leave', { conference: this, call });
    if (this.#calls.length < 2) {
      await this.#dissolve();
      return;
    }
    // Rebuild the mix without the call that left.
    this.#offs.splice(0).forEach((off) => off());
    await this.#teardown();
    await this._start().catch((error: unknown) => this.#logger.error('conference: could not rebuild the mix', error));
  }

  async #dissolve(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    this.#offs.splice(0).forEach((off) => off());
    await Promise.all(this.#calls.map((call) => (call.state === 'ended' ? undefined : call._setAudioSource(undefined).catch(() => undefined))));
    await this.#teardown();
    this.emit('ended', { conference: this });
  }

  async #teardown(): Promise<void> {
    const context = this.#context;
    this.#context = undefined;
    this.#micGain = undefined;
    await context?.close().catch(() => undefined);
  }
}
