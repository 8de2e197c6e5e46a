import { CentrexError, isCentrexError } from '../errors.js';
import { HttpApi, type HttpApiOptions } from '../api/http-api.js';
import type {
  ClickToDialResult,
  Contact,
  ContactInput,
  Device,
  Favorite,
  FavoriteInput,
  ForwardingSettings,
  HistoryEntry,
  Me,
  MeUpdate,
  Queue,
  Room,
  UserSettings,
  UserSettingsUpdate,
} from '../api/types.js';
import type { DirectoryEntry } from '../directory/index.js';
import type { DialPlan } from '../numbers/index.js';
import type { Availability, LineState } from '../presence/index.js';
import { Emitter } from '../phone/emitter.js';
// Type only: the phone (sip.js, WebRTC) is loaded when a user signs in, so pages that never sign in stay small.
import type { Phone, PhoneOptions } from '../phone/phone.js';
import type { Call } from '../phone/call.js';
import type { DialOptions } from '../phone/call-manager.js';
import type { CountryCode } from 'libphonenumber-js';

/** The parts of the client's state that can change; a `change` event names one. */
export type ClientArea =
  | 'status'
  | 'me'
  | 'settings'
  | 'devices'
  | 'favorites'
  | 'contacts'
  | 'history'
  | 'forwarding'
  | 'queues'
  | 'rooms'
  | 'directory'
  | 'presence';

/**
 * Where the client is:
 * - `signed-out`: no session; call {@link CentrexClient.signIn} or {@link CentrexClient.useToken}.
 * - `connecting`: loading the user's data and registering the web phone.
 * - `ready`: data loaded and events arriving; the web phone (if enabled) is registered.
 * - `degraded`: signed in, but the event stream or the phone is reconnecting; what is shown may be stale.
 */
export type ClientStatus = 'signed-out' | 'connecting' | 'ready' | 'degraded';

/** Events of a {@link CentrexClient}. */
export interface CentrexClientEventMap {
  /** Part of the state changed; read it again from the client. */
  change: { readonly area: ClientArea };
  /** The status changed. */
  status: { readonly status: ClientStatus };
  /** Something failed in the background that the user should hear about. */
  error: { readonly error: CentrexError };
  /** The forwarding was changed elsewhere (another session, or a star code dialled on a desk phone). */
  forwardingchanged: { readonly settings: ForwardingSettings; readonly source: 'api' | 'star-code' };
  /** A new entry arrived in the call list. */
  history: { readonly entry: HistoryEntry };
  /** The session ended (signed out here or elsewhere, or expired). */
  signedout: { readonly error?: CentrexError | undefined };
}

/** Options of a {@link CentrexClient}. */
export interface CentrexClientOptions {
  /**
   * The Centrex server: its origin (`https://pbx.example.com`) or its API root (`…/api/v1`). An empty string means
   * the page's own origin.
   */
  readonly server: string;
  /** A session token obtained elsewhere (for example from the host page's back end); otherwise call `signIn`. */
  readonly token?: string | undefined;
  /**
   * The web phone: `false` for none (click-to-dial through other devices only), or options that override what the
   * client derives from the API (ICE servers, a WebSocket factory for Node, a logger …). Default: a web phone.
   */
  readonly phone?: false | Partial<Omit<PhoneOptions, 'server' | 'uri' | 'password' | 'username' | 'realm'>> | undefined;
  /** Options of the API client (fetch, timeouts, cookie use). */
  readonly api?: Omit<HttpApiOptions, 'baseUrl' | 'token' | 'onUnauthorized'> | undefined;
}

/** What {@link CentrexClient.call} did: a call on the web phone, or another device being rung first. */
export type PlacedCall =
  | { readonly via: 'web'; readonly call: Call }
  | { readonly via: 'device'; readonly device: Device; readonly result: ClickToDialResult };

const ALL_AREAS: readonly ClientArea[] = [
  'status',
  'me',
  'settings',
  'devices',
  'favorites',
  'contacts',
  'history',
  'forwarding',
  'queues',
  'rooms',
  'directory',
  'presence',
];

/** The id the client uses for the web app as a calling device when the API does not list one. */
export const WEB_DEVICE_ID = 'web';

const WEB_DEVICE: Device = Object.freeze({ id: WEB_DEVICE_ID, kind: 'web', name: 'Web app', number: null, createdAt: '' });

/**
 * One signed-in Centrex user in a page: the API session, the user's data kept current by the server's events, and
 * the web phone. The elements of `centrex-sdk/components` share one client (through `<centrex-provider>`); a
 * headless app can use it alone.
 *
 * The data getters return what was last loaded; every `change` event names the area that changed. Writing methods
 * (`saveForwarding`, `updateSettings`, …) go to the server first and update the local copy from its answer, so a
 * failed write changes nothing.
 *
 * @example
 * ```ts
 * const client = new CentrexClient({ server: 'https://pbx.example.com' });
 * await client.signIn('anna@example.com', password);
 * client.on('change', ({ area }) => area === 'favorites' && render(client.favorites));
 * await client.call('0171 3921234');
 * ```
 */
export class CentrexClient extends Emitter<CentrexClientEventMap> {
  /** The Centrex API; for anything the client does not wrap. */
  readonly api: HttpApi;

  readonly #options: CentrexClientOptions;
  #status: ClientStatus = 'signed-out';
  #phone: Phone | undefined;
  #events: AbortController | undefined;
  #me: Me | undefined;
  #settings: UserSettings | undefined;
  #devices: readonly Device[] = [];
  #favorites: readonly Favorite[] = [];
  #contacts: readonly Contact[] = [];
  #history: readonly HistoryEntry[] = [];
  #forwarding: ForwardingSettings | undefined;
  #queues: readonly Queue[] = [];
  #rooms: readonly Room[] = [];
  #directory: readonly DirectoryEntry[] = [];
  readonly #availability = new Map<string, Availability>();
  #streamOpen = false;
  #connecting: Promise<void> | undefined;

  /**
   * @throws CentrexError `invalid-argument` for a malformed server address or token
   */
  constructor(options: CentrexClientOptions) {
    super((error) => {
      // A listener of the host page failed; it must not stop the client's own bookkeeping.
      queueMicrotask(() => {
        throw error;
      });
    });
    this.#options = options;
    this.api = new HttpApi({
      ...options.api,
      baseUrl: options.server === '' ? '/' : options.server,
      ...(options.token === undefined ? {} : { token: options.token }),
      onUnauthorized: (error) => void this.#sessionLost(error),
    });
  }

  /** Where the client is; see {@link ClientStatus}. */
  get status(): ClientStatus {
    return this.#status;
  }

  /** The web phone, once connected (and unless disabled). */
  get phone(): Phone | undefined {
    return this.#phone;
  }

  /** The signed-in user. */
  get me(): Me | undefined {
    return this.#me;
  }

  /** The user's settings (manual B.3). */
  get settings(): UserSettings | undefined {
    return this.#settings;
  }

  /** The devices the user can call with ("Anrufen mit"), the web app first. */
  get devices(): readonly Device[] {
    const listed = this.#devices;
    // Without a web phone in this page, the web app cannot ring here, so it is no device to call with.
    if (this.#options.phone === false) return listed.filter((device) => device.kind !== 'web');
    return listed.some((device) => device.kind === 'web') ? listed : [WEB_DEVICE, ...listed];
  }

  /** The device calls are made with: the user's primary device, else the web app. */
  get callingDevice(): Device {
    const devices = this.devices;
    const primary = this.#settings?.primaryDevice;
    const chosen = primary == null ? undefined : devices.find((device) => device.id === primary);
    return chosen ?? devices.find((device) => device.kind === 'web') ?? devices[0] ?? WEB_DEVICE;
  }

  /** The user's favorites (function keys), by position. */
  get favorites(): readonly Favorite[] {
    return this.#favorites;
  }

  /** Global and private contacts. */
  get contacts(): readonly Contact[] {
    return this.#contacts;
  }

  /** The call list, newest first. */
  get history(): readonly HistoryEntry[] {
    return this.#history;
  }

  /** The forwarding settings (profiles, rules). */
  get forwarding(): ForwardingSettings | undefined {
    return this.#forwarding;
  }

  /** The tenant's queues with the user's membership. */
  get queues(): readonly Queue[] {
    return this.#queues;
  }

  /** Conference rooms. */
  get rooms(): readonly Room[] {
    return this.#rooms;
  }

  /** Everything the search finds: colleagues, contacts, rooms, groups. */
  get directory(): readonly DirectoryEntry[] {
    return this.#directory;
  }

  /** The tenant's dial plan, for reading typed numbers. */
  get dialPlan(): DialPlan | undefined {
    const tenant = this.#me?.tenant;
    return tenant === undefined ? undefined : { country: tenant.country as CountryCode, extensionDigits: tenant.extensionDigits };
  }

  /** The user's language setting, if signed in. */
  get language(): 'de' | 'en' | undefined {
    return this.#me?.language;
  }

  /**
   * A colleague's availability by extension: from the web phone's presence subscription when it has one, else from
   * the server's events. `undefined` while nothing is known.
   */
  availability(extension: string): Availability | undefined {
    return this.#phone?.presence.availability(extension) ?? this.#availability.get(extension);
  }

  /** A watched extension's line state (BLF), from the web phone's dialog subscription. */
  lineState(extension: string): LineState | undefined {
    return this.#phone?.presence.lineState(extension);
  }

  /**
   * Signs in with e-mail and password and connects.
   *
   * @throws CentrexError `api-invalid-credentials`, `api-rate-limited` and the errors of {@link CentrexClient.connect}
   */
  async signIn(email: string, password: string): Promise<Me> {
    const me = await this.api.login(email, password);
    this.#me = me;
    this.emit('change', { area: 'me' });
    await this.connect();
    return me;
  }

  /**
   * Uses a session token obtained elsewhere and connects.
   *
   * @throws CentrexError `invalid-argument` for a malformed token, and the errors of {@link CentrexClient.connect}
   */
  async useToken(token: string, expiresAt?: string | number): Promise<void> {
    this.api.setToken(token, expiresAt);
    await this.connect();
  }

  /**
   * Loads the user's data, opens the event stream and registers the web phone. Safe to call twice: the second call
   * waits for the first.
   *
   * @throws CentrexError `api-unauthorized` without a valid session; `server-unreachable`; the phone's registration
   *   errors (`auth-failed`, …) — the data stays loaded then, and click-to-dial through other devices still works
   */
  connect(): Promise<void> {
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    if (!this.api.signedIn) throw new CentrexError('api-unauthorized', 'Sign in first: no session is held.');
    this.#setStatus('connecting');
    await this.reload();
    this.#openEvents();
    if (this.#options.phone !== false && this.#phone === undefined) await this.#startPhone();
    this.#updateStatus();
  }

  /** Loads every area again from the server (after a reconnect, when events may have been missed). */
  async reload(): Promise<void> {
    const api = this.api;
    const [me, settings, devices, favorites, contacts, history, forwarding, queues, rooms, directory] = await Promise.all([
      api.getMe(),
      api.getSettings(),
      api.listDevices(),
      api.listFavorites(),
      api.listContacts(),
      api.listHistory(),
      api.getForwarding(),
      api.listQueues(),
      api.listRooms(),
      api.getDirectory(),
    ]);
    this.#me = me;
    this.#settings = settings;
    this.#devices = devices;
    this.#favorites = sortFavorites(favorites);
    this.#contacts = contacts;
    this.#history = history;
    this.#forwarding = forwarding;
    this.#queues = queues;
    this.#rooms = rooms;
    this.#directory = directory;
    for (const area of ALL_AREAS) if (area !== 'status' && area !== 'presence') this.emit('change', { area });
    this.#watchFavorites();
  }

  /**
   * Calls a number, extension or star code with the chosen device: on the web phone directly, on any other device
   * by click-to-dial (the PBX rings that device first).
   *
   * @param target - as typed: `0171 3921234`, `+49 89 1234567`, `12`, `*21`
   * @param options - for web-phone calls: video, intercom, a display name
   * @throws CentrexError `invalid-argument` for an empty target; `not-registered` when the web app is the calling device
   *   but its phone is not registered; the API's click-to-dial errors
   */
  async call(target: string, options: DialOptions & { readonly device?: string | undefined } = {}): Promise<PlacedCall> {
    if (typeof target !== 'string' || target.trim() === '') {
      throw new CentrexError('invalid-argument', 'Enter a number, an extension or a name to call.');
    }
    const device = options.device === undefined ? this.callingDevice : this.devices.find((item) => item.id === options.device);
    if (device === undefined) throw new CentrexError('invalid-argument', 'That device is not one of yours.', { details: { device: options.device } });
    if (device.kind === 'web') {
      const phone = this.#phone;
      if (phone === undefined || !phone.registered) {
        throw new CentrexError('not-registered', 'The web phone is not connected yet. Wait a moment, or choose another device under "Call with".');
      }
      return { via: 'web', call: await phone.calls.dial(target.trim(), options) };
    }
    return { via: 'device', device, result: await this.api.clickToDial(device.id, target.trim()) };
  }

  /** Chooses the device calls are made with ("Anrufen mit"); stored as the user's primary device on the server. */
  async setCallingDevice(deviceId: string): Promise<void> {
    const device = this.devices.find((item) => item.id === deviceId);
    if (device === undefined) throw new CentrexError('invalid-argument', 'That device is not one of yours.', { details: { device: deviceId } });
    await this.updateSettings({ primaryDevice: device.kind === 'web' ? null : device.id });
  }

  /** Changes the user's name, language or e-mail; the local copy (and the elements' language) follows. */
  async updateMe(update: MeUpdate): Promise<Me> {
    this.#me = await this.api.updateMe(update);
    this.emit('change', { area: 'me' });
    return this.#me;
  }

  /** Changes settings; the local copy follows the server's answer. */
  async updateSettings(update: UserSettingsUpdate): Promise<UserSettings> {
    this.#settings = await this.api.updateSettings(update);
    this.#applyCallSettings();
    this.emit('change', { area: 'settings' });
    return this.#settings;
  }

  /** Call waiting and intercom are settings the web phone acts on itself; keep it in step with them. */
  #applyCallSettings(): void {
    const settings = this.#settings;
    if (settings === undefined) return;
    this.#phone?.calls.setBehaviour({ callWaiting: settings.callWaiting, intercomAutoAnswer: settings.intercom });
  }

  /** Saves forwarding settings (checked by the server with the same rules as the core's `validateForwarding`). */
  async saveForwarding(settings: ForwardingSettings): Promise<ForwardingSettings> {
    this.#forwarding = await this.api.putForwarding(settings);
    this.emit('change', { area: 'forwarding' });
    return this.#forwarding;
  }

  /** Adds a contact (private unless an admin asks for `global`). */
  async addContact(contact: ContactInput): Promise<Contact> {
    const created = await this.api.createContact(contact);
    this.#contacts = [...this.#contacts, created];
    this.emit('change', { area: 'contacts' });
    return created;
  }

  /** Changes a contact the user may write. */
  async updateContact(id: string, contact: ContactInput): Promise<Contact> {
    const updated = await this.api.updateContact(id, contact);
    this.#contacts = this.#contacts.map((item) => (item.id === id ? updated : item));
    this.emit('change', { area: 'contacts' });
    return updated;
  }

  /** Deletes a contact the user may write. */
  async deleteContact(id: string): Promise<void> {
    await this.api.deleteContact(id);
    this.#contacts = this.#contacts.filter((item) => item.id !== id);
    this.emit('change', { area: 'contacts' });
  }

  /** Adds a favorite (function key). */
  async addFavorite(favorite: FavoriteInput): Promise<Favorite> {
    const created = await this.api.createFavorite(favorite);
    this.#favorites = sortFavorites([...this.#favorites, created]);
    this.emit('change', { area: 'favorites' });
    this.#watchFavorites();
    return created;
  }

  /** Changes a favorite. */
  async updateFavorite(id: string, favorite: FavoriteInput): Promise<Favorite> {
    const updated = await this.api.updateFavorite(id, favorite);
    this.#favorites = sortFavorites(this.#favorites.map((item) => (item.id === id ? updated : item)));
    this.emit('change', { area: 'favorites' });
    this.#watchFavorites();
    return updated;
  }

  /** Removes a favorite. */
  async deleteFavorite(id: string): Promise<void> {
    await this.api.deleteFavorite(id);
    this.#favorites = this.#favorites.filter((item) => item.id !== id);
    this.emit('change', { area: 'favorites' });
    this.#watchFavorites();
  }

  /** Puts the favorites in a new order (positions 1, 2, … in the order given). */
  async reorderFavorites(inOrder: readonly Favorite[]): Promise<void> {
    const saved = await this.api.reorderFavorites(inOrder.map(({ name, type, target }) => ({ name, type, target })));
    this.#favorites = sortFavorites(saved);
    this.emit('change', { area: 'favorites' });
  }

  /** Deletes one call list entry. */
  async deleteHistoryEntry(id: string): Promise<void> {
    await this.api.deleteHistoryEntry(id);
    this.#history = this.#history.filter((entry) => entry.id !== id);
    this.emit('change', { area: 'history' });
  }

  /** Logs in to or out of a queue. */
  async setQueueLogin(id: string, loggedIn: boolean): Promise<Queue> {
    const queue = loggedIn ? await this.api.queueLogin(id) : await this.api.queueLogout(id);
    this.#queues = this.#queues.map((item) => (item.id === id ? queue : item));
    this.emit('change', { area: 'queues' });
    return queue;
  }

  /** Adds an external number (mobile, hotel room) as a device to call with. */
  async addExternalDevice(name: string, number: string): Promise<Device> {
    const device = await this.api.addExternalDevice({ name, number });
    this.#devices = [...this.#devices, device];
    this.emit('change', { area: 'devices' });
    return device;
  }

  /** Removes an external number from the devices to call with. */
  async removeDevice(id: string): Promise<void> {
    await this.api.deleteDevice(id);
    this.#devices = this.#devices.filter((device) => device.id !== id);
    this.emit('change', { area: 'devices' });
  }

  /** Takes a queue off the user's list (logging out of it). */
  async leaveQueue(id: string): Promise<void> {
    await this.api.leaveQueue(id);
    this.#queues = await this.api.listQueues();
    this.emit('change', { area: 'queues' });
  }

  /** Signs out: stops the phone and the event stream and ends the session on the server. */
  async signOut(): Promise<void> {
    await this.#teardown();
    try {
      await this.api.logout();
    } finally {
      this.#clear();
      this.emit('signedout', {});
    }
  }

  /** Stops the phone and the event stream without ending the session (a page that goes away). */
  async disconnect(): Promise<void> {
    await this.#teardown();
    this.#setStatus(this.api.signedIn ? 'degraded' : 'signed-out');
  }

  async #teardown(): Promise<void> {
    this.#events?.abort();
    this.#events = undefined;
    this.#streamOpen = false;
    const phone = this.#phone;
    this.#phone = undefined;
    if (phone !== undefined) {
      await phone.calls.hangupAll().catch(() => undefined);
      await phone.dispose().catch(() => undefined);
    }
  }

  #clear(): void {
    this.#me = undefined;
    this.#settings = undefined;
    this.#devices = [];
    this.#favorites = [];
    this.#contacts = [];
    this.#history = [];
    this.#forwarding = undefined;
    this.#queues = [];
    this.#rooms = [];
    this.#directory = [];
    this.#availability.clear();
    this.#setStatus('signed-out');
    for (const area of ALL_AREAS) if (area !== 'status') this.emit('change', { area });
  }

  async #sessionLost(error: CentrexError): Promise<void> {
    await this.#teardown();
    this.#clear();
    this.emit('signedout', { error });
  }

  async #startPhone(): Promise<void> {
    const [sip, { Phone }] = await Promise.all([this.api.getSipRegistration(), import('../phone/phone.js')]);
    const overrides = this.#options.phone === false ? {} : (this.#options.phone ?? {});
    const dialPlan = this.dialPlan;
    const phone = new Phone({
      ...overrides,
      server: sip.websocketUrl,
      uri: sip.uri,
      username: sip.authorizationUsername,
      password: sip.password,
      realm: sip.realm,
      displayName: sip.displayName,
      ...(dialPlan === undefined ? {} : { dialPlan }),
      calls: { callWaiting: this.#settings?.callWaiting ?? false, intercomAutoAnswer: this.#settings?.intercom ?? false, ...overrides.calls },
    });
    this.#phone = phone;
    phone.on('statechange', () => this.#updateStatus());
    phone.on('error', ({ error }) => this.emit('error', { error }));
    phone.presence.on('line', () => this.emit('change', { area: 'presence' }));
    phone.presence.on('availability', () => this.emit('change', { area: 'presence' }));
    this.#watchFavorites();
    try {
      await phone.start();
    } catch (error) {
      // The phone keeps retrying by itself; the rest of the client works meanwhile.
      this.emit('error', { error: isCentrexError(error) ? error : new CentrexError('server-unreachable', String(error)) });
    }
  }

  /** Watches line state and availability of every BLF favorite on the web phone. */
  #watchFavorites(): void {
    const phone = this.#phone;
    if (phone === undefined) return;
    const wanted = [...new Set(this.#favorites.filter((item) => item.type === 'blf').map((item) => item.target))];
    const stale = phone.presence.targets.filter((target) => !wanted.includes(target));
    if (stale.length > 0) phone.presence.unwatch(stale);
    const fresh = wanted.filter((target) => !phone.presence.targets.includes(target));
    if (fresh.length > 0) phone.presence.watch(fresh, { dialog: true, presence: true });
  }

  #openEvents(): void {
    if (this.#events !== undefined) return;
    const controller = new AbortController();
    this.#events = controller;
    const stream = this.api.events(controller.signal);
    void (async () => {
      for await (const item of stream) {
        if (controller.signal.aborted) return;
        switch (item.type) {
          case 'open':
            this.#streamOpen = true;
            this.#updateStatus();
            if (item.reconnected) void this.reload().catch((error: unknown) => this.#report(error));
            break;
          case 'reconnecting':
            this.#streamOpen = false;
            this.#updateStatus();
            break;
          case 'error':
            this.#streamOpen = false;
            this.#updateStatus();
            break;
          case 'forwarding':
            this.#forwarding = item.data.settings;
            this.emit('forwardingchanged', item.data);
            this.emit('change', { area: 'forwarding' });
            break;
          case 'settings':
            this.#settings = item.data;
            this.#applyCallSettings();
            this.emit('change', { area: 'settings' });
            break;
          case 'history':
            this.#history = [item.data, ...this.#history.filter((entry) => entry.id !== item.data.id)];
            this.emit('history', { entry: item.data });
            this.emit('change', { area: 'history' });
            break;
          case 'presence':
            this.#availability.set(item.data.extension, item.data.availability);
            this.emit('change', { area: 'presence' });
            break;
          case 'queue':
            void this.#reloadArea('queues');
            break;
          case 'data-changed':
            void this.#reloadArea(item.data.area);
            break;
          default:
            break;
        }
      }
    })().catch((error: unknown) => this.#report(error));
  }

  async #reloadArea(area: 'contacts' | 'favorites' | 'devices' | 'users' | 'queues' | 'rooms'): Promise<void> {
    try {
      switch (area) {
        case 'contacts':
          this.#contacts = await this.api.listContacts();
          break;
        case 'favorites':
          this.#favorites = sortFavorites(await this.api.listFavorites());
          this.#watchFavorites();
          break;
        case 'devices':
          this.#devices = await this.api.listDevices();
          break;
        case 'queues':
          this.#queues = await this.api.listQueues();
          break;
        case 'rooms':
          this.#rooms = await this.api.listRooms();
          break;
        case 'users':
          this.#directory = await this.api.getDirectory();
          this.emit('change', { area: 'directory' });
          return;
      }
      this.emit('change', { area });
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error: unknown): void {
    this.emit('error', { error: isCentrexError(error) ? error : new CentrexError('server-unreachable', String(error)) });
  }

  #updateStatus(): void {
    if (this.#status === 'signed-out' && !this.api.signedIn) return;
    if (this.#connecting !== undefined && this.#status === 'connecting' && !this.#streamOpen) return;
    const phoneOk = this.#options.phone === false || this.#phone?.registered === true;
    this.#setStatus(this.#streamOpen && phoneOk ? 'ready' : 'degraded');
  }

  #setStatus(status: ClientStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.emit('status', { status });
    this.emit('change', { area: 'status' });
  }
}

function sortFavorites(favorites: readonly Favorite[]): readonly Favorite[] {
  return [...favorites].sort((a, b) => a.position - b.position);
}
