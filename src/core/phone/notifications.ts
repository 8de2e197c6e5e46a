/**
 * Browser notifications for incoming calls, shown when the page is hidden or in the background (manual: "Browser
 * notifications for incoming calls"). The phone never asks for permission on its own: the application calls
 * {@link CallNotifier.requestPermission} from a user action, where the browser's prompt makes sense to the user.
 *
 * @packageDocumentation
 */
import type { Call } from './call.js';
import type { Logger } from './logger.js';

/** The Notification API subset used here (absent in Node and some embedded browsers). */
interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): Notification;
}

/** Options of the notifier. */
export interface CallNotifierOptions {
  /** Show notifications at all (when permitted). Default: true. */
  readonly enabled?: boolean | undefined;
  /** Only when the page is hidden (another tab, minimized). Default: true. */
  readonly onlyWhenHidden?: boolean | undefined;
  /** The notification title for a call. Default: "Incoming call". */
  readonly title?: ((call: Call) => string) | undefined;
}

/** Shows and closes incoming-call notifications. One per phone (`phone.notifications`). */
export class CallNotifier {
  readonly #logger: Logger;
  readonly #options: Required<{ [K in keyof CallNotifierOptions]: NonNullable<CallNotifierOptions[K]> }>;
  readonly #open = new Map<string, Notification>();

  /** @internal */
  constructor(logger: Logger, options: CallNotifierOptions = {}) {
    this.#logger = logger;
    this.#options = {
      enabled: options.enabled ?? true,
      onlyWhenHidden: options.onlyWhenHidden ?? true,
      title: options.title ?? (() => 'Incoming call'),
    };
  }

  /** The browser's permission, or `unsupported` without the Notification API. */
  get permission(): NotificationPermission | 'unsupported' {
    return api()?.permission ?? 'unsupported';
  }

  /**
   * Asks the user for permission. Call it from a click or key press; browsers ignore or penalize prompts that
   * appear on their own.
   */
  async requestPermission(): Promise<NotificationPermission | 'unsupported'> {
    const notification = api();
    if (!notification) return 'unsupported';
    return notification.requestPermission();
  }

  /** Shows a notification for a ringing call, if allowed; closes it when the call stops ringing. @internal */
  _show(call: Call): void {
    const notification = api();
    if (!notification || !this.#options.enabled || notification.permission !== 'granted') return;
    const doc = (globalThis as { document?: { visibilityState?: string } }).document;
    if (this.#options.onlyWhenHidden && doc?.visibilityState === 'visible') return;
    const who = call.remote.displayName ? `${call.remote.displayName} (${call.remote.user ?? call.remote.uri})` : (call.remote.user ?? call.remote.uri);
    const via = call.referredBy ? `, transferred by ${call.referredBy.displayName ?? call.referredBy.user ?? ''}` : '';
    try {
      const shown = new notification(this.#options.title(call), { body: `${who}${via}`, tag: `centrex-call-${call.id}`, requireInteraction: true });
      shown.onclick = () => {
        (globalThis as { focus?: () => void }).focus?.();
        shown.close();
      };
      this.#open.set(call.id, shown);
      const off = call.on('statechange', ({ to }) => {
        if (to === 'ringing') return;
        off();
        this._close(call);
      });
    } catch (error) {
      // Some browsers only allow notifications from a service worker; the call still rings.
      this.#logger.warn('Could not show a notification for the incoming call', error);
    }
  }

  /** Closes the notification of a call. @internal */
  _close(call: Call): void {
    this.#open.get(call.id)?.close();
    this.#open.delete(call.id);
  }
}

function api(): NotificationApi | undefined {
  return (globalThis as { Notification?: NotificationApi }).Notification;
}
