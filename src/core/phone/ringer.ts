/**
 * The ringer: a ring pattern synthesized with Web Audio on its own output device (so a headset user can hear the
 * ring on the loudspeaker), and the short call-waiting beeps while already in a call.
 *
 * The whole pattern is scheduled on the audio clock when ringing starts, not with timers: browsers throttle timers
 * in background tabs, the audio clock keeps running, so the ring sounds the same when the tab is hidden.
 *
 * Browsers only play sound after the user interacted with the page. Call {@link Ringer.unlock} from a click (for
 * example the "go online" button) once; until then `start()` is silent and says so in the log.
 *
 * @packageDocumentation
 */
import type { Logger } from './logger.js';
import type { MediaController } from './media.js';

/** What the ringer plays. */
export type RingPattern = 'ring' | 'call-waiting';

/** One pattern: tone frequencies and on/off steps in seconds, repeated. */
export interface RingTone {
  /** One or two frequencies in Hz, mixed. */
  readonly frequencies: readonly number[];
  /** Alternating on and off durations in seconds, starting with "on"; the list repeats. */
  readonly cadence: readonly number[];
}

/** The built-in patterns. */
export const RING_TONES: Readonly<Record<RingPattern, RingTone>> = Object.freeze({
  // A double ring, like many desk phones: 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
  ring: { frequencies: [440, 480], cadence: [0.4, 0.2, 0.4, 2] },
  // Two short tones (the manual's "zwei kurze, schnell aufeinander folgende Töne"), every 5 seconds.
  'call-waiting': { frequencies: [425], cadence: [0.15, 0.15, 0.15, 5] },
});

/** How far ahead the pattern is scheduled: longer than any ringing lasts. */
const SCHEDULE_SECONDS = 180;

/** Plays ring patterns. One per phone (`phone.ringer`). */
export class Ringer {
  readonly #media: MediaController;
  readonly #logger: Logger;
  readonly #tones: Readonly<Record<RingPattern, RingTone>>;
  #context: AudioContext | undefined;
  #playing: { pattern: RingPattern; stop: () => void } | undefined;
  #volume = 0.25;

  /**
   * @param media - gives the Web Audio constructor and the chosen ringer device
   * @param logger - diagnostics
   * @param tones - replaces built-in patterns
   */
  constructor(media: MediaController, logger: Logger, tones: Partial<Record<RingPattern, RingTone>> = {}) {
    this.#media = media;
    this.#logger = logger;
    this.#tones = { ...RING_TONES, ...tones };
    media.on('selectionchange', ({ selection }) => void this.#applySink(selection.ringer));
  }

  /** The pattern playing now, if any. */
  get playing(): RingPattern | undefined {
    return this.#playing?.pattern;
  }

  /** Whether sound can play (the audio context runs). */
  get unlocked(): boolean {
    return this.#context?.state === 'running';
  }

  /** Loudness from 0 to 1 (default 0.25). */
  get volume(): number {
    return this.#volume;
  }

  set volume(value: number) {
    this.#volume = Math.min(Math.max(value, 0), 1);
  }

  /**
   * Allows sound: creates or resumes the audio context. Call it from a user gesture (a click) once.
   * Resolves false where Web Audio is missing (Node).
   */
  async unlock(): Promise<boolean> {
    const context = this.#ensureContext();
    if (!context) return false;
    if (context.state !== 'running') await context.resume().catch(() => undefined);
    return context.state === 'running';
  }

  /** Starts a pattern (replacing the one playing). */
  start(pattern: RingPattern): void {
    if (this.#playing?.pattern === pattern) return;
    this.stop();
    const context = this.#ensureContext();
    if (!context) return;
    if (context.state !== 'running') {
      this.#logger.info('Ringer is silent: the page has not been clicked yet (call ringer.unlock() from a click).');
      void context.resume().catch(() => undefined);
    }
    const tone = this.#tones[pattern];
    const gain = context.createGain();
    gain.gain.value = 0;
    gain.connect(context.destination);
    const oscillators = tone.frequencies.map((frequency) => {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      return oscillator;
    });
    const level = this.#volume / Math.max(tone.frequencies.length, 1);
    const start = context.currentTime + 0.02;
    let t = start;
    let on = true;
    // Short ramps avoid clicks at every edge.
    for (let i = 0; t < start + SCHEDULE_SECONDS; i = (i + 1) % tone.cadence.length) {
      const step = tone.cadence[i] ?? 1;
      if (on) {
        gain.gain.setValueAtTime(0, t);
        gain.gain.linearRampToValueAtTime(level, t + 0.01);
        gain.gain.setValueAtTime(level, t + Math.max(step - 0.01, 0.01));
        gain.gain.linearRampToValueAtTime(0, t + step);
      }
      t += step;
      on = !on;
    }
    oscillators.forEach((o) => o.start(start));
    this.#playing = {
      pattern,
      stop: () => {
        gain.gain.cancelScheduledValues(context.currentTime);
        gain.gain.value = 0;
        oscillators.forEach((o) => {
          try {
            o.stop();
          } catch {
            // already stopped
          }
          o.disconnect();
        });
        gain.disconnect();
      },
    };
  }

  /** Stops ringing. */
  stop(): void {
    this.#playing?.stop();
    this.#playing = undefined;
  }

  /** Stops and releases the audio context. */
  async dispose(): Promise<void> {
    this.stop();
    const context = this.#context;
    this.#context = undefined;
    await context?.close().catch(() => undefined);
  }

  #ensureContext(): AudioContext | undefined {
    if (this.#context) return this.#context;
    const Ctor = this.#media.environment.AudioContext;
    if (!Ctor) return undefined;
    this.#context = new Ctor();
    void this.#applySink(this.#media.selection.ringer);
    return this.#context;
  }

  async #applySink(deviceId: string | undefined): Promise<void> {
    const context = this.#context as (AudioContext & { setSinkId?: (id: string) => Promise<void> }) | undefined;
    if (!context || typeof context.setSinkId !== 'function') return;
    try {
      await context.setSinkId(deviceId ?? '');
    } catch (error) {
      this.#logger.warn(`The ringer cannot play on output ${deviceId ?? 'default'}`, error);
    }
  }
}
