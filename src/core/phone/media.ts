/**
 * Local media for calls: which microphone, camera, speaker and ringer output to use, getting the streams with
 * errors that say what to do, and playing remote audio on the chosen speaker.
 *
 * Everything browser-specific is reached through a {@link MediaEnvironment}, so the phone loads in Node (where
 * calls have no media and these methods report `not-supported`) and tests can fake devices.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import { Emitter } from './emitter.js';
import type { Logger } from './logger.js';

/** The browser APIs the phone's media code uses. Defaults to the globals. */
export interface MediaEnvironment {
  /** `navigator.mediaDevices` (absent in Node and on insecure origins). */
  readonly mediaDevices: MediaDevices | undefined;
  /** Creates an element that plays a stream (`new Audio()`); absent where there is no DOM. */
  readonly createAudioElement: (() => HTMLAudioElement) | undefined;
  /** The Web Audio constructor, for the ringer and the conference mixer. */
  readonly AudioContext: (new () => AudioContext) | undefined;
}

/** The environment of the current global scope. */
export function defaultMediaEnvironment(): MediaEnvironment {
  const g = globalThis as {
    navigator?: { mediaDevices?: MediaDevices };
    Audio?: new () => HTMLAudioElement;
    AudioContext?: new () => AudioContext;
  };
  const AudioCtor = g.Audio;
  return {
    mediaDevices: g.navigator?.mediaDevices,
    createAudioElement: AudioCtor ? () => new AudioCtor() : undefined,
    AudioContext: g.AudioContext,
  };
}

/** Device ids chosen by the user; `undefined` means the system default. */
export interface DeviceSelection {
  /** Microphone (`audioinput`). */
  readonly microphone: string | undefined;
  /** Camera (`videoinput`). */
  readonly camera: string | undefined;
  /** Where call audio plays (`audiooutput`). */
  readonly speaker: string | undefined;
  /** Where the ringer plays (`audiooutput`); lets a headset user hear the ring on the loudspeaker. */
  readonly ringer: string | undefined;
}

/** The devices of each kind, as the browser lists them (labels are empty until the user granted access once). */
export interface DeviceList {
  /** Microphones. */
  readonly microphones: readonly MediaDeviceInfo[];
  /** Cameras. */
  readonly cameras: readonly MediaDeviceInfo[];
  /** Speakers and headsets. */
  readonly speakers: readonly MediaDeviceInfo[];
}

/** Events of a {@link MediaController}. */
export interface MediaEventMap {
  /** A device was chosen. */
  selectionchange: { readonly selection: DeviceSelection };
  /** Devices were plugged in or removed (the browser's `devicechange`). */
  devicechange: Record<string, never>;
}

/** A remote stream playing on the chosen speaker. */
export interface AudioSink {
  /** The element playing it (for apps that want to show or inspect it); `undefined` without a DOM. */
  readonly element: HTMLAudioElement | undefined;
  /** Mutes or unmutes the playback (not the call). */
  setMuted(muted: boolean): void;
  /** Stops playback and releases the element. */
  detach(): void;
}

/**
 * Chooses devices, opens them and plays remote audio. One per phone (`phone.media`).
 */
export class MediaController extends Emitter<MediaEventMap> {
  readonly #env: MediaEnvironment;
  readonly #logger: Logger;
  #selection: DeviceSelection = { microphone: undefined, camera: undefined, speaker: undefined, ringer: undefined };
  readonly #sinks = new Set<HTMLAudioElement>();
  #warm: MediaStream | undefined;

  /**
   * @param env - the browser APIs (see {@link defaultMediaEnvironment})
   * @param logger - diagnostics
   */
  constructor(env: MediaEnvironment, logger: Logger) {
    super((error) => logger.error('media event listener threw', error));
    this.#env = env;
    this.#logger = logger;
    env.mediaDevices?.addEventListener?.('devicechange', () => this.emit('devicechange', {}));
  }

  /** The browser APIs in use. */
  get environment(): MediaEnvironment {
    return this.#env;
  }

  /** The chosen devices. */
  get selection(): DeviceSelection {
    return this.#selection;
  }

  /** Whether audio output can be routed to a chosen device (`setSinkId`; Chromium, Edge, Firefox 116+). */
  get canChooseSpeaker(): boolean {
    const proto = (globalThis as { HTMLMediaElement?: { prototype: object } }).HTMLMediaElement?.prototype;
    return proto !== undefined && 'setSinkId' in proto;
  }

  /** Lists the devices. Labels stay empty until the user has granted microphone or camera access once. */
  async listDevices(): Promise<DeviceList> {
    const devices = this.#mediaDevices('list devices');
    const all = await devices.enumerateDevices();
    return {
      microphones: all.filter((d) => d.kind === 'audioinput'),
      cameras: all.filter((d) => d.kind === 'videoinput'),
      speakers: all.filter((d) => d.kind === 'audiooutput'),
    };
  }

  /**
   * Chooses a device for new calls (microphone, camera) or for playback right away (speaker, ringer).
   *
   * @param kind - which role
   * @param deviceId - a `deviceId` from {@link MediaController.listDevices}, or `undefined` for the default
   */
  async select(kind: keyof DeviceSelection, deviceId: string | undefined): Promise<void> {
    this.#selection = { ...this.#selection, [kind]: deviceId };
    if (kind === 'speaker') {
      await Promise.all([...this.#sinks].map((element) => this.#applySink(element, deviceId)));
    }
    if (kind === 'microphone' && this.#warm) {
      this.coolDown();
      await this.warmUp();
    }
    this.emit('selectionchange', { selection: this.#selection });
  }

  /**
   * Opens the microphone (and camera) with the chosen devices.
   *
   * @throws CentrexError `microphone-denied` / `camera-denied` when access is refused, `no-device` when nothing
   *   matches, `not-supported` without getUserMedia (Node, plain-http pages)
   */
  async getUserMedia(wanted: { audio: boolean; video: boolean }): Promise<MediaStream> {
    const devices = this.#mediaDevices('use the microphone');
    if (wanted.audio && !wanted.video && this.#warm) {
      const live = this.#warm.getAudioTracks().find((t) => t.readyState === 'live');
      if (live) return new MediaStream([live.clone()]);
    }
    const constraints: MediaStreamConstraints = {
      audio: wanted.audio ? deviceConstraint(this.#selection.microphone) : false,
      video: wanted.video ? deviceConstraint(this.#selection.camera) : false,
    };
    try {
      return await devices.getUserMedia(constraints);
    } catch (error) {
      throw mediaError(error, wanted.video && !wanted.audio ? 'camera' : 'microphone');
    }
  }

  /**
   * Asks the user for a screen, window or tab to share.
   *
   * @throws CentrexError `screen-share-denied` when the user cancels, `not-supported` without getDisplayMedia
   */
  async getDisplayMedia(): Promise<MediaStream> {
    const devices = this.#mediaDevices('share the screen');
    if (typeof devices.getDisplayMedia !== 'function') {
      throw new CentrexError('not-supported', 'This browser cannot share the screen (no getDisplayMedia). Use a current Chrome, Edge or Firefox.');
    }
    try {
      return await devices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NotAllowedError' || name === 'AbortError') {
        throw new CentrexError('screen-share-denied', 'Screen sharing was cancelled or refused. Choose a screen, window or tab to share.', { cause: error });
      }
      throw mediaError(error, 'screen');
    }
  }

  /**
   * Keeps the microphone open between calls so that a new call does not wait for `getUserMedia` (tens of
   * milliseconds, more on the first call). The browser shows the microphone as in use while warm; call
   * {@link MediaController.coolDown} to release it.
   */
  async warmUp(): Promise<void> {
    if (this.#warm?.getAudioTracks().some((t) => t.readyState === 'live')) return;
    const devices = this.#mediaDevices('use the microphone');
    try {
      this.#warm = await devices.getUserMedia({ audio: deviceConstraint(this.#selection.microphone), video: false });
    } catch (error) {
      throw mediaError(error, 'microphone');
    }
  }

  /** Releases the microphone kept open by {@link MediaController.warmUp}. */
  coolDown(): void {
    this.#warm?.getTracks().forEach((t) => t.stop());
    this.#warm = undefined;
  }

  /**
   * Plays a remote stream on the chosen speaker. Without a DOM (Node) nothing plays and the sink is inert.
   */
  playRemote(stream: MediaStream): AudioSink {
    const element = this.#env.createAudioElement?.();
    if (!element) return { element: undefined, setMuted: () => undefined, detach: () => undefined };
    element.autoplay = true;
    element.srcObject = stream;
    this.#sinks.add(element);
    void this.#applySink(element, this.#selection.speaker);
    element.play().catch((error: unknown) => {
      // Autoplay policies may block playback until the user interacts with the page; answering a call is such an
      // interaction, so this mostly affects calls answered automatically.
      this.#logger.warn('Remote audio could not start playing (autoplay policy?)', error);
    });
    return {
      element,
      setMuted: (muted) => {
        element.muted = muted;
      },
      detach: () => {
        this.#sinks.delete(element);
        element.pause();
        element.srcObject = null;
      },
    };
  }

  /** Routes an element to a device where the browser allows it; failures are logged, playback continues. */
  async #applySink(element: HTMLAudioElement, deviceId: string | undefined): Promise<void> {
    const withSink = element as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (typeof withSink.setSinkId !== 'function') return;
    try {
      await withSink.setSinkId(deviceId ?? '');
    } catch (error) {
      this.#logger.warn(`Could not play on audio output ${deviceId ?? 'default'}`, error);
    }
  }

  #mediaDevices(purpose: string): MediaDevices {
    const devices = this.#env.mediaDevices;
    if (!devices) {
      throw new CentrexError(
        'not-supported',
        `Cannot ${purpose}: this environment has no media devices. Calls need a browser page served over https (or localhost).`,
      );
    }
    return devices;
  }
}

function deviceConstraint(deviceId: string | undefined): MediaTrackConstraints | true {
  return deviceId === undefined ? true : { deviceId: { exact: deviceId } };
}

/** Maps a getUserMedia / getDisplayMedia failure to a CentrexError that tells the user what to do. */
export function mediaError(error: unknown, device: 'microphone' | 'camera' | 'screen'): CentrexError {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  if (error instanceof CentrexError) return error;
  if (name === 'NotAllowedError' || name === 'PermissionDeniedError' || name === 'SecurityError') {
    if (device === 'camera') {
      return new CentrexError('camera-denied', 'Camera access was refused. Allow the camera for this site in the browser (padlock icon in the address bar) and try again.', { cause: error });
    }
    if (device === 'screen') {
      return new CentrexError('screen-share-denied', 'Screen sharing was refused. Choose a screen, window or tab to share.', { cause: error });
    }
    return new CentrexError('microphone-denied', 'Microphone access was refused. Allow the microphone for this site in the browser (padlock icon in the address bar) and try again.', { cause: error });
  }
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') {
    return new CentrexError('no-device', `No ${device} found. Plug one in, or choose another one in the settings.`, { cause: error, details: { device } });
  }
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') {
    return new CentrexError('no-device', `The ${device} is in use by another application or cannot be opened. Close the other application or choose another device.`, { cause: error, details: { device, reason: 'in-use' } });
  }
  return new CentrexError('call-failed', `The ${device} could not be opened (${name || String(error)}).`, { cause: error, details: { device } });
}
