/**
 * Subscriptions for the favourites list: busy lamp fields (`Event: dialog`, RFC 4235), presence (`Event:
 * presence`, PIDF) and message waiting for the user's own voicemail (`Event: message-summary`, RFC 3842). The
 * documents are read with the core presence parsers.
 *
 * SUBSCRIBE requests leave at a limited rate (a list of 200 favourites must not hit the PBX in one burst),
 * subscriptions refresh themselves before they expire, come back after the PBX ended them, and are made again
 * after the phone reconnects (a restarted PBX has forgotten them).
 *
 * @packageDocumentation
 */
import { Subscriber, SubscriptionState, UserAgent, type Notification, type URI } from 'sip.js';
import { CentrexError } from '../errors.js';
import {
  availabilityOf,
  lineStateOf,
  mergeDialogInfo,
  parseDialogInfo,
  parseMessageSummary,
  parsePidf,
  type Availability,
  type DialogInfo,
  type LineState,
  type MessageSummary,
  type PidfDocument,
} from '../presence/index.js';
import type { Clock, TimerHandle } from './clock.js';
import { Emitter } from './emitter.js';
import type { Logger } from './logger.js';

/** Which event packages to watch for a target. */
export interface WatchKinds {
  /** The line state (BLF): idle, ringing, calling, busy. Default: true. */
  readonly dialog?: boolean | undefined;
  /** The availability (PIDF presence). Default: false. */
  readonly presence?: boolean | undefined;
}

/** Settings of the watcher (`PhoneOptions.presence`). */
export interface PresenceOptions {
  /** At most this many SUBSCRIBE requests per second. Default: 10. */
  readonly subscribeRate?: number | undefined;
  /** Requested subscription lifetime in seconds; refreshed before it ends. Default: 600. */
  readonly expires?: number | undefined;
  /** Subscribe to the user's own message-summary (voicemail lamp) when the phone registers. Default: false. */
  readonly voicemail?: boolean | undefined;
}

/** Events of the {@link PresenceWatcher}. */
export interface PresenceEventMap {
  /** A watched line changed state (BLF). */
  line: { readonly target: string; readonly state: LineState; readonly info: DialogInfo };
  /** A watched user's availability changed. */
  availability: { readonly target: string; readonly availability: Availability; readonly document: PidfDocument };
  /** The user's voicemail lamp changed. */
  voicemail: { readonly summary: MessageSummary };
  /** A subscription was refused or a document could not be read; it is retried later. */
  error: { readonly target: string; readonly event: string; readonly error: CentrexError };
}

/** What the watcher needs from the phone. @internal */
export interface PresenceLink {
  readonly userAgent: UserAgent;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly ownUri: string;
  isRegistered(): boolean;
  toUri(target: string): URI;
}

type EventPackage = 'dialog' | 'presence' | 'message-summary';

const ACCEPT: Record<EventPackage, string> = {
  dialog: 'application/dialog-info+xml',
  presence: 'application/pidf+xml',
  'message-summary': 'application/simple-message-summary',
};

interface Watch {
  readonly key: string;
  readonly target: string;
  readonly uri: URI;
  readonly event: EventPackage;
  subscriber: Subscriber | undefined;
  /** Whether a NOTIFY arrived since the last SUBSCRIBE (an immediate end without one counts as refused). */
  notified: boolean;
  failures: number;
  retryTimer: TimerHandle | undefined;
  queued: boolean;
}

/**
 * Watches other users' lines and availability, and the user's own voicemail. One per phone (`phone.presence`).
 *
 * @example
 * ```ts
 * phone.presence.watch(['1002', '1003']);
 * phone.presence.on('line', ({ target, state }) => lamp(target).set(state));
 * ```
 */
export class PresenceWatcher extends Emitter<PresenceEventMap> {
  readonly #link: PresenceLink;
  readonly #rate: number;
  readonly #expires: number;
  readonly #watchVoicemail: boolean;
  readonly #watches = new Map<string, Watch>();
  readonly #dialogs = new Map<string, DialogInfo>();
  readonly #lines = new Map<string, LineState>();
  readonly #availability = new Map<string, Availability>();
  #voicemail: MessageSummary | undefined;
  readonly #queue: Watch[] = [];
  #pumpTimer: TimerHandle | undefined;
  #lastSent = Number.NEGATIVE_INFINITY;

  /** @internal */
  constructor(link: PresenceLink, options: PresenceOptions = {}) {
    super((error, type) => link.logger.error(`presence: "${String(type)}" listener threw`, error));
    this.#link = link;
    const rate = options.subscribeRate ?? 10;
    if (!(Number.isFinite(rate) && rate > 0)) {
      throw new CentrexError('invalid-argument', 'presence.subscribeRate must be a positive number of SUBSCRIBE requests per second.');
    }
    this.#rate = rate;
    this.#expires = options.expires ?? 600;
    this.#watchVoicemail = options.voicemail ?? false;
  }

  /** The targets being watched (as passed to {@link PresenceWatcher.watch}). */
  get targets(): readonly string[] {
    return [...new Set([...this.#watches.values()].filter((w) => w.event !== 'message-summary').map((w) => w.target))];
  }

  /** The last known line state of a target, if any NOTIFY arrived. */
  lineState(target: string): LineState | undefined {
    return this.#lines.get(target);
  }

  /** The last known availability of a target. */
  availability(target: string): Availability | undefined {
    return this.#availability.get(target);
  }

  /** The last known voicemail summary of the user. */
  get voicemail(): MessageSummary | undefined {
    return this.#voicemail;
  }

  /**
   * Starts watching targets (extensions, numbers or SIP URIs). Already watched targets are left alone. The
   * SUBSCRIBE requests go out at the configured rate once the phone is registered.
   *
   * @throws CentrexError `invalid-number` for a target that cannot be turned into a SIP address
   */
  watch(targets: readonly string[], kinds: WatchKinds = {}): void {
    const events: EventPackage[] = [];
    if (kinds.dialog ?? true) events.push('dialog');
    if (kinds.presence ?? false) events.push('presence');
    const resolved = targets.map((target) => ({ target, uri: this.#link.toUri(target) }));
    for (const { target, uri } of resolved) for (const event of events) this.#add(target, uri, event);
  }

  /** Stops watching targets (all kinds); without arguments, stops watching everything except voicemail. */
  unwatch(targets?: readonly string[]): void {
    for (const watch of [...this.#watches.values()]) {
      if (watch.event === 'message-summary') continue;
      if (targets && !targets.includes(watch.target)) continue;
      this.#remove(watch);
      this.#dialogs.delete(watch.target);
      this.#lines.delete(watch.target);
      this.#availability.delete(watch.target);
    }
  }

  /** Subscribes to the user's own message-summary (the voicemail lamp). */
  watchVoicemail(): void {
    const uri = UserAgent.makeURI(this.#link.ownUri);
    if (uri) this.#add(this.#link.ownUri, uri, 'message-summary');
  }

  /** Called when the phone (re)registered: (re)subscribes everything. @internal */
  _onRegistered(recovered: boolean): void {
    if (this.#watchVoicemail && ![...this.#watches.values()].some((w) => w.event === 'message-summary')) this.watchVoicemail();
    for (const watch of this.#watches.values()) {
      if (recovered || !watch.subscriber) {
        // After a reconnect the old dialogs point at a connection that is gone (and a restarted PBX forgot them).
        this.#drop(watch);
        this.#enqueue(watch);
      }
    }
    // Watches queued before the registration are waiting for this.
    this.#pump();
  }

  /** Stops everything (phone stopped). @internal */
  _stop(): void {
    for (const watch of [...this.#watches.values()]) {
      this.#clearRetry(watch);
      const subscriber = watch.subscriber;
      watch.subscriber = undefined;
      if (subscriber) void subscriber.unsubscribe().then(() => subscriber.dispose()).catch(() => undefined);
    }
    this.#queue.splice(0);
    if (this.#pumpTimer !== undefined) this.#link.clock.clearTimeout(this.#pumpTimer);
    this.#pumpTimer = undefined;
  }

  #add(target: string, uri: URI, event: EventPackage): void {
    const key = `${event} ${uri.toString()}`;
    if (this.#watches.has(key)) return;
    const watch: Watch = { key, target, uri, event, subscriber: undefined, notified: false, failures: 0, retryTimer: undefined, queued: false };
    this.#watches.set(key, watch);
    this.#enqueue(watch);
  }

  #remove(watch: Watch): void {
    this.#watches.delete(watch.key);
    this.#clearRetry(watch);
    const index = this.#queue.indexOf(watch);
    if (index >= 0) this.#queue.splice(index, 1);
    const subscriber = watch.subscriber;
    watch.subscriber = undefined;
    if (subscriber) void subscriber.unsubscribe().then(() => subscriber.dispose()).catch(() => undefined);
  }

  #drop(watch: Watch): void {
    this.#clearRetry(watch);
    const subscriber = watch.subscriber;
    watch.subscriber = undefined;
    // The old subscription is abandoned without an un-SUBSCRIBE: its dialog belongs to a dead connection.
    if (subscriber) void subscriber.dispose().catch(() => undefined);
  }

  #enqueue(watch: Watch): void {
    if (watch.queued) return;
    watch.queued = true;
    this.#queue.push(watch);
    this.#pump();
  }

  /** Sends queued SUBSCRIBEs, spaced so that no more than `subscribeRate` leave per second. */
  #pump(): void {
    if (this.#pumpTimer !== undefined) return;
    if (!this.#link.isRegistered()) return;
    const spacing = 1000 / this.#rate;
    const now = this.#link.clock.now();
    const wait = this.#lastSent + spacing - now;
    if (wait > 0) {
      this.#pumpTimer = this.#link.clock.setTimeout(() => {
        this.#pumpTimer = undefined;
        this.#pump();
      }, wait);
      return;
    }
    const watch = this.#queue.shift();
    if (!watch) return;
    watch.queued = false;
    this.#lastSent = now;
    if (this.#watches.get(watch.key) === watch) this.#subscribe(watch);
    if (this.#queue.length > 0) this.#pump();
  }

  #subscribe(watch: Watch): void {
    const subscriber = new Subscriber(this.#link.userAgent, watch.uri, watch.event, {
      expires: this.#expires,
      extraHeaders: [`Accept: ${ACCEPT[watch.event]}`],
    });
    watch.subscriber = subscriber;
    watch.notified = false;
    subscriber.delegate = { onNotify: (notification) => this.#onNotify(watch, subscriber, notification) };
    subscriber.stateChange.addListener((state) => {
      if (state !== SubscriptionState.Terminated || watch.subscriber !== subscriber) return;
      watch.subscriber = undefined;
      void subscriber.dispose().catch(() => undefined);
      if (this.#watches.get(watch.key) !== watch) return;
      if (!watch.notified) {
        watch.failures++;
        this.emit('error', {
          target: watch.target,
          event: watch.event,
          error: new CentrexError('subscription-failed', `The telephone system refused to report "${watch.event}" for ${watch.target}. It is retried later.`, {
            details: { target: watch.target, event: watch.event },
          }),
        });
      } else {
        watch.failures = 0;
      }
      this.#scheduleRetry(watch);
    });
    subscriber.subscribe().catch((error: unknown) => this.#link.logger.warn(`SUBSCRIBE ${watch.event} ${watch.target} failed`, error));
  }

  /** Comes back after the PBX ended a subscription: soon after a normal end, later after refusals. */
  #scheduleRetry(watch: Watch): void {
    this.#clearRetry(watch);
    const delay = watch.failures === 0 ? 1000 : Math.min(30_000 * 2 ** (watch.failures - 1), 600_000);
    watch.retryTimer = this.#link.clock.setTimeout(() => {
      watch.retryTimer = undefined;
      if (this.#watches.get(watch.key) === watch && !watch.subscriber) this.#enqueue(watch);
    }, delay * (0.8 + 0.4 * this.#link.clock.random()));
  }

  #clearRetry(watch: Watch): void {
    if (watch.retryTimer !== undefined) this.#link.clock.clearTimeout(watch.retryTimer);
    watch.retryTimer = undefined;
  }

  #onNotify(watch: Watch, subscriber: Subscriber, notification: Notification): void {
    void notification.accept();
    if (watch.subscriber !== subscriber) return;
    // Versions count per subscription: the first NOTIFY of a new subscription starts the state afresh.
    const first = !watch.notified;
    watch.notified = true;
    const body = notification.request.body;
    if (!body) return;
    try {
      switch (watch.event) {
        case 'dialog': {
          const update = parseDialogInfo(body);
          const merged = mergeDialogInfo(first ? undefined : this.#dialogs.get(watch.target), update);
          this.#dialogs.set(watch.target, merged);
          const state = lineStateOf(merged);
          this.#lines.set(watch.target, state);
          this.emit('line', { target: watch.target, state, info: merged });
          break;
        }
        case 'presence': {
          const document = parsePidf(body);
          const availability = availabilityOf(document);
          this.#availability.set(watch.target, availability);
          this.emit('availability', { target: watch.target, availability, document });
          break;
        }
        case 'message-summary': {
          const summary = parseMessageSummary(body);
          this.#voicemail = summary;
          this.emit('voicemail', { summary });
          break;
        }
      }
    } catch (error) {
      const centrex =
        error instanceof CentrexError
          ? error
          : new CentrexError('unexpected-document', `An unreadable ${watch.event} document arrived for ${watch.target}.`, { cause: error });
      this.emit('error', { target: watch.target, event: watch.event, error: centrex });
    }
  }
}
