/**
 * {@link HttpApi}: the client of the Centrex API over `fetch`, for browsers and Node alike.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import type { DirectoryEntry } from '../directory/index.js';
import type { CoverSheet } from '../fax/cover-sheet.js';
import type { FaxJob, ReceivedFax } from '../fax/job.js';
import type { FaxExtension } from '../fax/transport.js';
import type { ForwardingSettings } from '../forwarding/index.js';
import { AdminApi } from './admin-api.js';
import { expectList, expectObject, invalidArgument, pathSegment } from './check.js';
import { apiErrorFromResponse, invalidResponse, parseRetryAfter, timedOut, unreachable, type ApiRequestInfo } from './errors.js';
import { ApiEventStream, systemTimers, type ApiEventStreamOptions, type ApiTimers } from './events.js';
import type {
  ClickToDialResult,
  Contact,
  ContactInput,
  ContactScope,
  Device,
  ExternalDeviceInput,
  FaxCoverSheetInput,
  FaxJobInput,
  FaxListQuery,
  Favorite,
  FavoriteInput,
  HistoryEntry,
  HistoryQuery,
  LoginResponse,
  Me,
  MeUpdate,
  Queue,
  Room,
  SipRegistrationInfo,
  UserSettings,
  UserSettingsUpdate,
} from './types.js';

/** The HTTP methods the API uses. */
export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Per-call options every method of {@link HttpApi} and {@link AdminApi} accepts. */
export interface ApiRequestOptions {
  /** Aborting rejects the call with the signal's reason (an `AbortError` unless another reason was given). */
  readonly signal?: AbortSignal;
  /** Overrides {@link HttpApiOptions.timeoutMs} for this call. */
  readonly timeoutMs?: number;
}

/** Options of {@link HttpApi.request}, for endpoints this client does not wrap. */
export interface ApiCallOptions extends ApiRequestOptions {
  /** Sent as JSON; a `FormData` is sent as it is (`multipart/form-data`). */
  readonly body?: unknown;
  /** Query parameters; `undefined` values are left out. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** Options of {@link HttpApi}. */
export interface HttpApiOptions {
  /**
   * Where the PBX is: `https://pbx.example.com` (the client adds `/api/v1`) or the API root itself
   * (`https://pbx.example.com/api/v1`). A path such as `/` works in browsers for pages on the PBX's own origin.
   */
  readonly baseUrl: string;
  /** The `fetch` to use; default the global one (looked up at each call, so test doubles installed later work). */
  readonly fetch?: typeof fetch;
  /** A token obtained elsewhere (for example by the host page's server); otherwise call {@link HttpApi.login}. */
  readonly token?: string;
  /** When {@link HttpApiOptions.token} expires, as an ISO date-time or milliseconds since the epoch. */
  readonly tokenExpiresAt?: string | number;
  /**
   * Whether the browser sends the PBX's `HttpOnly` session cookie: `omit` (default) authenticates with the bearer
   * token alone, so no ambient cookie can act for the user; `include` also lets pages on the PBX's origin use the
   * cookie (a session that survives a reload without the page ever seeing the token).
   */
  readonly credentials?: 'include' | 'omit';
  /** How long a call may take, in milliseconds, until its answer is read completely; default 15 000; 0 for no limit. */
  readonly timeoutMs?: number;
  /**
   * Called when the API answers 401 `unauthorized` (expired, signed out elsewhere, password changed): the token is
   * dropped and the app should ask the user to sign in again. Called once per lost session.
   */
  readonly onUnauthorized?: (error: CentrexError) => void;
  /** Timers and randomness (tests); default the global ones. */
  readonly timers?: ApiTimers;
}

const API_ROOT = '/api/v1';
const DEFAULT_TIMEOUT_MS = 15_000;
// Sending a fax uploads up to 20 MiB and waits for the PBX's document check: give it longer than a JSON call.
const FAX_UPLOAD_TIMEOUT_MS = 120_000;
// What a bearer token may contain (RFC 6750 b64token); anything else could smuggle text into a header.
const TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]{1,2000}$/;

/** The API root from a base URL: the URL itself when it ends in `/api/v1`, else the URL with `/api/v1` added. */
function apiRoot(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string' || baseUrl.trim() === '') {
    throw invalidArgument('baseUrl must be the address of the PBX, such as https://pbx.example.com.', { baseUrl });
  }
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/i.test(trimmed) && !trimmed.startsWith('/') && trimmed !== '') {
    throw invalidArgument('baseUrl must start with http://, https:// or / (for the page’s own origin).', { baseUrl });
  }
  if (/[?#]/.test(trimmed)) throw invalidArgument('baseUrl must not have a query or a fragment.', { baseUrl });
  return trimmed.endsWith(API_ROOT) ? trimmed : `${trimmed}${API_ROOT}`;
}

function checkTimeout(timeoutMs: unknown): number {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw invalidArgument('timeoutMs must be a number of milliseconds, 0 (no limit) or more.', { timeoutMs });
  }
  return timeoutMs;
}

function checkToken(token: unknown): string {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) {
    throw invalidArgument('The token must be the opaque text the Centrex API issued at login.', {});
  }
  return token;
}

/** The fields of a contact the API accepts, so that a {@link Contact} read earlier can be sent back as it is. */
function contactBody(input: ContactInput): Record<string, unknown> {
  return {
    name: input.name,
    ...(input.company === undefined ? {} : { company: input.company }),
    ...(input.email === undefined ? {} : { email: input.email }),
    ...(input.numbers === undefined
      ? {}
      : { numbers: input.numbers.map((n) => (n.label === undefined ? { number: n.number } : { label: n.label, number: n.number })) }),
    ...(input.scope === undefined ? {} : { scope: input.scope }),
  };
}

/** The fields of a cover sheet the API accepts, so that a `CoverSheet` read earlier (with its id) can be sent back. */
function coverSheetBody(input: FaxCoverSheetInput): Record<string, unknown> {
  return {
    name: input.name,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    ...(input.message === undefined ? {} : { message: input.message }),
  };
}

/** The fields of a function key the API accepts, so that a {@link Favorite} can be sent back as it is. */
function favoriteBody(input: FavoriteInput): Record<string, unknown> {
  return {
    ...(input.position === undefined ? {} : { position: input.position }),
    name: input.name,
    type: input.type,
    target: input.target,
  };
}

/**
 * The client of the Centrex API: sign-in, the user's own data, address books, function keys, queues, call list,
 * rooms, directory, click-to-dial and live events; admin endpoints under {@link HttpApi.admin}.
 *
 * The bearer token lives in this object's memory only: never in `localStorage`, `sessionStorage`, IndexedDB or a
 * readable cookie. A reload therefore needs a new sign-in (or `credentials: 'include'` on the PBX's own origin).
 *
 * Every method rejects with a {@link CentrexError}: `api-…` codes for the API's error answers (the API's own code in
 * `details.apiCode`, plus `field`, `issues`, `retryAfter` when sent), `server-unreachable` when no answer came,
 * `timeout`, `api-invalid-response` for answers that are not the API's JSON. Aborting a call's `signal` rejects with
 * the signal's reason instead.
 *
 * @example
 * ```ts
 * const api = new HttpApi({ baseUrl: 'https://pbx.example.com', onUnauthorized: () => showLogin() });
 * const me = await api.login('ben@demo.test', password);
 * const forwarding = await api.getForwarding();
 * for await (const item of api.events()) if (item.type === 'forwarding') render(item.data.settings);
 * ```
 */
export class HttpApi {
  /** The admin endpoints (`/admin/…`); they answer `api-forbidden` for users without the admin role. */
  readonly admin: AdminApi;
  readonly #root: string;
  readonly #fetch: typeof fetch;
  readonly #credentials: 'include' | 'omit';
  readonly #timeoutMs: number;
  readonly #onUnauthorized: ((error: CentrexError) => void) | undefined;
  readonly #timers: ApiTimers;
  readonly #streams = new Set<ApiEventStream>();
  #token: string | undefined;
  #expiresAt: number | undefined;
  // Set once a 401 was reported, so the app hears about a lost session once, not once per failing call.
  #sessionLost = false;

  /**
   * @param options - where the PBX is, and how to talk to it
   * @throws CentrexError `invalid-argument` for a malformed base URL, token or timeout
   */
  constructor(options: HttpApiOptions) {
    this.#root = apiRoot(options.baseUrl);
    const custom = options.fetch;
    // Looked up per call and called on globalThis: browsers refuse a detached `fetch` ("Illegal invocation").
    this.#fetch = custom ?? ((input, init) => globalThis.fetch(input, init));
    this.#credentials = options.credentials ?? 'omit';
    if (this.#credentials !== 'omit' && this.#credentials !== 'include') {
      throw invalidArgument("credentials must be 'omit' or 'include'.", { credentials: this.#credentials });
    }
    this.#timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.#onUnauthorized = options.onUnauthorized;
    this.#timers = options.timers ?? systemTimers;
    if (options.token !== undefined) this.setToken(options.token, options.tokenExpiresAt);
    this.admin = new AdminApi(this);
  }

  /** The API root all paths are relative to, e.g. `https://pbx.example.com/api/v1`. */
  get baseUrl(): string {
    return this.#root;
  }

  /** Whether a token is held (it may still have expired or been revoked on the server). */
  get signedIn(): boolean {
    return this.#token !== undefined;
  }

  /** When the held token expires by the server's clock, if known. Warn the user or sign in again before then. */
  get expiresAt(): Date | undefined {
    return this.#expiresAt === undefined ? undefined : new Date(this.#expiresAt);
  }

  /**
   * Uses a token obtained elsewhere, replacing the one held (if any); open event streams use it when they reconnect.
   *
   * @param token - the opaque token from the API's login
   * @param expiresAt - when it expires (ISO date-time or ms since the epoch), if known
   * @throws CentrexError `invalid-argument` for text that cannot be a token or an unreadable expiry
   */
  setToken(token: string, expiresAt?: string | number): void {
    const checked = checkToken(token);
    let expires: number | undefined;
    if (expiresAt !== undefined) {
      expires = typeof expiresAt === 'number' ? expiresAt : Date.parse(expiresAt);
      if (!Number.isFinite(expires)) throw invalidArgument('expiresAt must be an ISO date-time or milliseconds.', { expiresAt });
    }
    this.#token = checked;
    this.#expiresAt = expires;
    this.#sessionLost = false;
  }

  /**
   * Signs in and keeps the session's token in memory.
   *
   * @returns the signed-in user
   * @throws CentrexError `api-invalid-credentials` (wrong e-mail or password), `api-rate-limited` (locked out for
   *   `details.retryAfter` seconds), `api-forbidden` (the page's origin is not allowed), or a transport error
   */
  async login(email: string, password: string, options: ApiRequestOptions = {}): Promise<Me> {
    if (typeof email !== 'string' || typeof password !== 'string') {
      throw invalidArgument('Sign in with an e-mail address and a password, both text.', {});
    }
    const request = { method: 'POST', path: '/login' } as const;
    const answer = expectObject(
      await this.#call(request, { ...options, body: { email, password } }, null),
      request,
    ) as Partial<Record<keyof LoginResponse, unknown>>;
    const expires = typeof answer.expiresAt === 'string' ? Date.parse(answer.expiresAt) : Number.NaN;
    if (typeof answer.token !== 'string' || !TOKEN_PATTERN.test(answer.token) || Number.isNaN(expires)) {
      throw invalidResponse(request, 'no usable token or expiry');
    }
    const user = expectObject(answer.user, request, 'the user') as unknown as Me;
    this.#token = answer.token;
    this.#expiresAt = expires;
    this.#sessionLost = false;
    return user;
  }

  /**
   * Signs out: closes this client's event streams, forgets the token, and ends the session on the server (which
   * also revokes SIP credentials issued under it). The token is forgotten even when the server cannot be reached.
   *
   * @throws CentrexError `server-unreachable` or `timeout` when the server could not be told (the session then
   *   ends by itself when it expires)
   */
  async logout(options: ApiRequestOptions = {}): Promise<void> {
    const token = this.#token;
    this.#token = undefined;
    this.#expiresAt = undefined;
    for (const stream of [...this.#streams]) stream.close();
    if (token === undefined && this.#credentials === 'omit') return;
    await this.#call({ method: 'POST', path: '/logout' }, options, token ?? null);
  }

  /**
   * Sets the password with the token of a set-password link (no sign-in needed); every session of the user ends.
   *
   * @returns the e-mail address to sign in with
   * @throws CentrexError `api-validation-failed` with `details.field` `token` (unknown, used or expired link) or
   *   `password` (too short, too simple, the e-mail address)
   */
  async setPassword(linkToken: string, password: string, options: ApiRequestOptions = {}): Promise<{ readonly email: string }> {
    const request = { method: 'POST', path: '/password' } as const;
    const answer = expectObject(await this.#call(request, { ...options, body: { token: linkToken, password } }, null), request);
    if (typeof answer['email'] !== 'string') throw invalidResponse(request, 'no e-mail address');
    return { email: answer['email'] };
  }

  /** The signed-in user. */
  async getMe(options: ApiRequestOptions = {}): Promise<Me> {
    return this.#object<Me>('GET', '/me', options);
  }

  /** Changes name, language or e-mail address (the e-mail needs `currentPassword`). @returns the changed user */
  async updateMe(update: MeUpdate, options: ApiRequestOptions = {}): Promise<Me> {
    return this.#object<Me>('PATCH', '/me', { ...options, body: update });
  }

  /**
   * Changes the password; the user's other sessions end.
   * @throws CentrexError `api-forbidden` when the current password is wrong, `api-validation-failed` for a weak one
   */
  async changePassword(currentPassword: string, newPassword: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'POST', path: '/me/password' }, { ...options, body: { currentPassword, newPassword } });
  }

  /** The user settings of manual B.3. */
  async getSettings(options: ApiRequestOptions = {}): Promise<UserSettings> {
    return this.#object<UserSettings>('GET', '/me/settings', options);
  }

  /** Changes some settings (absent fields stay); the user's other sessions get a `settings` event. */
  async updateSettings(update: UserSettingsUpdate, options: ApiRequestOptions = {}): Promise<UserSettings> {
    return this.#object<UserSettings>('PATCH', '/me/settings', { ...options, body: update });
  }

  /** The user's devices ("Anrufen mit"), web app first. */
  async listDevices(options: ApiRequestOptions = {}): Promise<readonly Device[]> {
    return this.#list<Device>('/me/devices', 'devices', options);
  }

  /**
   * Adds an external number (hotel room, mobile) to call with.
   * @throws CentrexError `api-forbidden` (`destination-not-allowed`) for numbers the tenant's policy forbids
   */
  async addExternalDevice(device: ExternalDeviceInput, options: ApiRequestOptions = {}): Promise<Device> {
    return this.#object<Device>('POST', '/me/devices', { ...options, body: { kind: 'external', name: device.name, number: device.number } });
  }

  /** Removes one of the user's external numbers (phones are managed by the admin: `api-forbidden`). */
  async deleteDevice(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/me/devices/${pathSegment(id)}` }, options);
  }

  /**
   * Fresh SIP credentials for the user's web device, for the phone to register with. Each call issues new ones;
   * hand the password to the phone and do not store it.
   */
  async getSipRegistration(options: ApiRequestOptions = {}): Promise<SipRegistrationInfo> {
    const request = { method: 'GET', path: '/me/sip' } as const;
    const answer = expectObject(await this.#call(request, options), request);
    for (const key of ['websocketUrl', 'uri', 'authorizationUsername', 'password', 'realm', 'expiresAt'] as const) {
      if (typeof answer[key] !== 'string') throw invalidResponse(request, `no ${key}`);
    }
    return answer as unknown as SipRegistrationInfo;
  }

  /** The forwarding settings (manual B.4). */
  async getForwarding(options: ApiRequestOptions = {}): Promise<ForwardingSettings> {
    return this.#object<ForwardingSettings>('GET', '/me/forwarding', options);
  }

  /**
   * Replaces the whole forwarding settings; the user's sessions get a `forwarding` event.
   *
   * @returns the settings as stored
   * @throws CentrexError `api-validation-failed` with `details.issues` (the core's `ForwardingIssue`s) when the
   *   settings break a rule (the stored ones stay as they were); `api-forbidden` for a forbidden destination
   */
  async putForwarding(settings: ForwardingSettings, options: ApiRequestOptions = {}): Promise<ForwardingSettings> {
    return this.#object<ForwardingSettings>('PUT', '/me/forwarding', { ...options, body: settings });
  }

  /** The tenant's global contacts and the user's private ones, by name; `scope` keeps one address book. */
  async listContacts(scope?: ContactScope, options: ApiRequestOptions = {}): Promise<readonly Contact[]> {
    return this.#list<Contact>('/contacts', 'contacts', { ...options, query: { scope } });
  }

  /** One contact the user can see (`api-not-found` for other users' private contacts). */
  async getContact(id: string, options: ApiRequestOptions = {}): Promise<Contact> {
    return this.#object<Contact>('GET', `/contacts/${pathSegment(id)}`, options);
  }

  /**
   * Adds a contact: private by default; `scope: 'global'` needs the admin role (`api-forbidden` otherwise).
   * Only the fields the API accepts are sent, so a {@link Contact} can be passed back as it is.
   */
  async createContact(contact: ContactInput, options: ApiRequestOptions = {}): Promise<Contact> {
    return this.#object<Contact>('POST', '/contacts', { ...options, body: contactBody(contact) });
  }

  /** Replaces a contact the user may write (own private ones; global ones for admins). */
  async updateContact(id: string, contact: ContactInput, options: ApiRequestOptions = {}): Promise<Contact> {
    return this.#object<Contact>('PUT', `/contacts/${pathSegment(id)}`, { ...options, body: contactBody(contact) });
  }

  /** Deletes a contact the user may write. */
  async deleteContact(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/contacts/${pathSegment(id)}` }, options);
  }

  /** The user's function keys by position. */
  async listFavorites(options: ApiRequestOptions = {}): Promise<readonly Favorite[]> {
    return this.#list<Favorite>('/favorites', 'favorites', options);
  }

  /** Adds a function key (without `position`, at the first free one); `api-conflict` when the position is taken. */
  async createFavorite(favorite: FavoriteInput, options: ApiRequestOptions = {}): Promise<Favorite> {
    return this.#object<Favorite>('POST', '/favorites', { ...options, body: favoriteBody(favorite) });
  }

  /** Replaces one function key; moving it to a free position is allowed. */
  async updateFavorite(id: string, favorite: FavoriteInput, options: ApiRequestOptions = {}): Promise<Favorite> {
    return this.#object<Favorite>('PUT', `/favorites/${pathSegment(id)}`, { ...options, body: favoriteBody(favorite) });
  }

  /** Removes one function key. */
  async deleteFavorite(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/favorites/${pathSegment(id)}` }, options);
  }

  /** Replaces the whole list of function keys at once (all or nothing). @returns the new list */
  async replaceFavorites(favorites: readonly FavoriteInput[], options: ApiRequestOptions = {}): Promise<readonly Favorite[]> {
    return this.#list<Favorite>('/favorites', 'favorites', { ...options, method: 'PUT', body: { favorites: favorites.map(favoriteBody) } });
  }

  /**
   * Puts the function keys in the given order, at positions 1, 2, 3 … (what a drag and drop produces). Keys left out
   * are removed. One request, all or nothing.
   *
   * @returns the new list
   */
  async reorderFavorites(inOrder: readonly FavoriteInput[], options: ApiRequestOptions = {}): Promise<readonly Favorite[]> {
    return this.replaceFavorites(
      inOrder.map((favorite, index) => ({ ...favorite, position: index + 1 })),
      options,
    );
  }

  /** The tenant's queues with the user's membership and login state. */
  async listQueues(options: ApiRequestOptions = {}): Promise<readonly Queue[]> {
    return this.#list<Queue>('/queues', 'queues', options);
  }

  /** Logs in to a queue (adding it to the user's list). */
  async queueLogin(id: string, options: ApiRequestOptions = {}): Promise<Queue> {
    return this.#object<Queue>('POST', `/queues/${pathSegment(id)}/login`, options);
  }

  /** Logs out of a queue (it stays on the user's list). */
  async queueLogout(id: string, options: ApiRequestOptions = {}): Promise<Queue> {
    return this.#object<Queue>('POST', `/queues/${pathSegment(id)}/logout`, options);
  }

  /** Takes a queue off the user's list. */
  async leaveQueue(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/queues/${pathSegment(id)}/membership` }, options);
  }

  /** The user's call list, newest first (100 entries unless `query.limit` says otherwise). */
  async listHistory(query: HistoryQuery = {}, options: ApiRequestOptions = {}): Promise<readonly HistoryEntry[]> {
    return this.#list<HistoryEntry>('/history', 'entries', { ...options, query: { limit: query.limit, offset: query.offset } });
  }

  /** Deletes one entry of the call list. */
  async deleteHistoryEntry(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/history/${pathSegment(id)}` }, options);
  }

  /** Empties the call list. */
  async clearHistory(options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'DELETE', path: '/history' }, options);
  }

  /** The tenant's conference rooms, with whether the user subscribed. */
  async listRooms(options: ApiRequestOptions = {}): Promise<readonly Room[]> {
    return this.#list<Room>('/rooms', 'rooms', options);
  }

  /**
   * Subscribes to a conference room with its PIN (manual B.5).
   * @throws CentrexError `api-forbidden` (`wrong-pin`); repeated failures lead to `api-rate-limited`
   */
  async subscribeRoom(id: string, pin: string, options: ApiRequestOptions = {}): Promise<Room> {
    return this.#object<Room>('POST', `/rooms/${pathSegment(id)}/subscription`, { ...options, body: { pin } });
  }

  /** Ends the subscription to a conference room. */
  async unsubscribeRoom(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/rooms/${pathSegment(id)}/subscription` }, options);
  }

  /**
   * Everything the search box finds, as core directory entries: feed them to `createDirectoryIndex`.
   */
  async getDirectory(options: ApiRequestOptions = {}): Promise<readonly DirectoryEntry[]> {
    return this.#list<DirectoryEntry>('/directory', 'entries', options);
  }

  /**
   * Click-to-dial ("Anrufen mit"): the PBX rings `device` first and connects it to `to` when it answers.
   *
   * @param device - the id of one of the user's devices ({@link HttpApi.listDevices})
   * @param to - what the user dialled (`0171 3921234`, `+49 89 1234567`, `12`)
   * @throws CentrexError `api-call-failed` (`details.apiCode` `device-unavailable`, `call-limit`, `call-failed`),
   *   `api-unavailable` when the PBX has no call control running, `api-forbidden` (`destination-not-allowed`),
   *   `api-validation-failed` for an unreadable number, `api-not-found` for a device that is not the user's
   */
  async clickToDial(device: string, to: string, options: ApiRequestOptions = {}): Promise<ClickToDialResult> {
    const request = { method: 'POST', path: '/calls' } as const;
    const answer = expectObject(await this.#call(request, { ...options, body: { device, to } }), request);
    if (typeof answer['callId'] !== 'string') throw invalidResponse(request, 'no callId');
    return answer as unknown as ClickToDialResult;
  }

  /** The fax extensions the user has linked (manual B.3 "Fax"). */
  async listFaxExtensions(options: ApiRequestOptions = {}): Promise<readonly FaxExtension[]> {
    return this.#list<FaxExtension>('/fax/extensions', 'extensions', options);
  }

  /**
   * Links a fax extension with the fax login and PIN from the administrator ("Fax hinzufügen").
   *
   * @throws CentrexError `fax-login-failed` (wrong login or PIN), `api-rate-limited` after repeated failures
   *   (`details.retryAfter` seconds), `api-forbidden` when the extension is not assigned to the user
   */
  async linkFaxExtension(login: string, pin: string, options: ApiRequestOptions = {}): Promise<FaxExtension> {
    return this.#object<FaxExtension>('POST', '/fax/extensions', { ...options, body: { login, pin } });
  }

  /** Unlinks one of the user's fax extensions (the administrator's assignment stays). */
  async unlinkFaxExtension(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/fax/extensions/${pathSegment(id)}` }, options);
  }

  /** The user's saved cover sheets, by name. */
  async listFaxCoverSheets(options: ApiRequestOptions = {}): Promise<readonly CoverSheet[]> {
    return this.#list<CoverSheet>('/fax/cover-sheets', 'coverSheets', options);
  }

  /** Saves a cover sheet; `api-conflict` when the name is taken, `api-validation-failed` when it is too long. */
  async createFaxCoverSheet(sheet: FaxCoverSheetInput, options: ApiRequestOptions = {}): Promise<CoverSheet> {
    return this.#object<CoverSheet>('POST', '/fax/cover-sheets', { ...options, body: coverSheetBody(sheet) });
  }

  /** Replaces a saved cover sheet. */
  async updateFaxCoverSheet(id: string, sheet: FaxCoverSheetInput, options: ApiRequestOptions = {}): Promise<CoverSheet> {
    return this.#object<CoverSheet>('PUT', `/fax/cover-sheets/${pathSegment(id)}`, { ...options, body: coverSheetBody(sheet) });
  }

  /** Deletes a saved cover sheet. */
  async deleteFaxCoverSheet(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#call({ method: 'DELETE', path: `/fax/cover-sheets/${pathSegment(id)}` }, options);
  }

  /**
   * Sends a fax: uploads the PDF (multipart) and resolves with the job in state `queued` as soon as the PBX has
   * checked and stored it ("Adding fax to queue"); `fax-job` events report the rest. Takes up to 2 minutes unless
   * `timeoutMs` says otherwise.
   *
   * @throws CentrexError `pdf-encrypted`, `pdf-extraction-forbidden`, `pdf-has-form-fields`, `pdf-invalid`,
   *   `pdf-too-large` when the PBX's check refuses the document; `api-validation-failed` (`details.field` `to` for a
   *   number that is neither a fax extension nor a complete number); `api-forbidden` (`destination-not-allowed`);
   *   `api-not-found` for an extension the user has not linked; `api-unavailable` when the PBX has no fax service
   */
  async sendFax(input: FaxJobInput, options: ApiRequestOptions = {}): Promise<FaxJob> {
    if (typeof input?.extensionId !== 'string' || typeof input.to !== 'string') {
      throw invalidArgument('A fax needs the extensionId of a linked fax extension and the number to send to.', {});
    }
    const document = input.document;
    const isBlob = typeof Blob === 'function' && document instanceof Blob;
    if (!(document instanceof Uint8Array) && !isBlob) throw invalidArgument('The fax document must be a Uint8Array or a Blob.', {});
    const form = new FormData();
    form.append('extensionId', input.extensionId);
    form.append('to', input.to);
    if (input.coverSheet !== undefined) {
      form.append('coverSubject', input.coverSheet.subject);
      form.append('coverMessage', input.coverSheet.message);
    }
    if (input.coverSheetId !== undefined) form.append('coverSheetId', input.coverSheetId);
    if (input.coverIncluded !== undefined) form.append('coverIncluded', String(input.coverIncluded));
    // A copy gives the Blob a plain ArrayBuffer, whatever buffer the caller's view sits on.
    const file = document instanceof Uint8Array ? new Blob([new Uint8Array(document)], { type: 'application/pdf' }) : document;
    form.append('document', file, input.filename ?? 'fax.pdf');
    const timeoutMs = options.timeoutMs ?? (this.#timeoutMs === 0 ? 0 : Math.max(this.#timeoutMs, FAX_UPLOAD_TIMEOUT_MS));
    return this.#object<FaxJob>('POST', '/fax/jobs', { ...options, timeoutMs, body: form });
  }

  /** The user's sent faxes with their state, newest first (100 unless `query.limit` says otherwise). */
  async listFaxJobs(query: FaxListQuery = {}, options: ApiRequestOptions = {}): Promise<readonly FaxJob[]> {
    return this.#list<FaxJob>('/fax/jobs', 'jobs', { ...options, query: { limit: query.limit, offset: query.offset } });
  }

  /** One of the user's sent faxes. */
  async getFaxJob(id: string, options: ApiRequestOptions = {}): Promise<FaxJob> {
    return this.#object<FaxJob>('GET', `/fax/jobs/${pathSegment(id)}`, options);
  }

  /** The PDF of a sent fax as it was (or will be) sent, cover page included once rendered. */
  async downloadFaxJob(id: string, options: ApiRequestOptions = {}): Promise<Uint8Array> {
    return this.#pdf(`/fax/jobs/${pathSegment(id)}/document`, options);
  }

  /** The faxes received by the user's linked fax extensions, newest first. */
  async listReceivedFaxes(query: FaxListQuery = {}, options: ApiRequestOptions = {}): Promise<readonly ReceivedFax[]> {
    return this.#list<ReceivedFax>('/fax/received', 'faxes', { ...options, query: { limit: query.limit, offset: query.offset } });
  }

  /** The PDF of a received fax. */
  async downloadReceivedFax(id: string, options: ApiRequestOptions = {}): Promise<Uint8Array> {
    return this.#pdf(`/fax/received/${pathSegment(id)}/document`, options);
  }

  /**
   * Opens the user's live event stream (`GET /events`) with the bearer token, reconnecting by itself; see
   * {@link ApiEventStream}. It closes when `signal` aborts, on {@link HttpApi.logout}, and on 401.
   */
  events(signal?: AbortSignal, options: ApiEventStreamOptions = {}): ApiEventStream {
    const request = { method: 'GET', path: '/events' } as const;
    // The stream may end inside its constructor (an aborted signal), before a variable could name it.
    const holder: { stream?: ApiEventStream } = {};
    const connect = (lastEventId: string, connection: AbortSignal): Promise<Response> =>
      this.#exchange(
        request,
        { signal: connection },
        undefined,
        { accept: 'text/event-stream', ...(lastEventId === '' ? {} : { lastEventId }) },
        async (response) => {
          if (!response.ok) throw await this.#failure(response, request);
          return response;
        },
      );
    const stream = new ApiEventStream(connect, options, signal, this.#timers, () => {
      if (holder.stream) this.#streams.delete(holder.stream);
    });
    holder.stream = stream;
    if (stream.state !== 'closed') this.#streams.add(stream);
    return stream;
  }

  /**
   * Calls any endpoint of the API with this client's token, timeouts and error mapping: for endpoints this class
   * does not wrap (yet), such as a PBX's extensions.
   *
   * @param method - the HTTP method
   * @param path - the path under the API root, starting with `/` (ids encoded by the caller)
   * @returns the parsed JSON answer, or `undefined` for an empty one (204)
   */
  async request(method: ApiMethod, path: string, options: ApiCallOptions = {}): Promise<unknown> {
    if (typeof path !== 'string' || !path.startsWith('/')) throw invalidArgument('path must start with /.', { path });
    return this.#call({ method, path }, options);
  }

  /** A PDF download: the answer must be `application/pdf`. */
  async #pdf(path: string, options: ApiRequestOptions): Promise<Uint8Array> {
    const request = { method: 'GET', path } as const;
    return this.#exchange(request, options, undefined, { accept: 'application/pdf' }, async (response) => {
      if (!response.ok) throw await this.#failure(response, request);
      const type = (response.headers.get('content-type') ?? '').toLowerCase();
      if (!type.startsWith('application/pdf')) throw invalidResponse(request, `expected a PDF, got ${type === '' ? 'no content type' : type}`);
      return new Uint8Array(await response.arrayBuffer());
    });
  }

  async #object<T>(method: ApiMethod, path: string, options: ApiCallOptions): Promise<T> {
    const request = { method, path };
    return expectObject(await this.#call(request, options), request) as T;
  }

  async #list<T>(path: string, key: string, options: ApiCallOptions & { readonly method?: ApiMethod }): Promise<readonly T[]> {
    const request = { method: options.method ?? 'GET', path };
    return expectList<T>(await this.#call(request, options), key, request);
  }

  /**
   * One JSON request. `token`: `undefined` uses the held token, `null` sends none (login), a string sends that one.
   */
  async #call(request: ApiRequestInfo, options: ApiCallOptions, token?: string | null): Promise<unknown> {
    return this.#exchange(request, options, token, { accept: 'application/json' }, async (response) => {
      if (!response.ok) throw await this.#failure(response, request);
      const text = await response.text();
      if (response.status === 204 || text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw invalidResponse(request, 'not JSON', error);
      }
    });
  }

  /**
   * Sends a request and hands the response to `consume`, under the call's signal and timeout: a caller's abort
   * rejects with its reason, the timeout with `timeout`, a failed fetch with `server-unreachable`.
   */
  async #exchange<T>(
    request: ApiRequestInfo,
    options: ApiCallOptions,
    token: string | null | undefined,
    headers: { readonly accept: string; readonly lastEventId?: string },
    consume: (response: Response) => Promise<T>,
  ): Promise<T> {
    const { signal } = options;
    signal?.throwIfAborted();
    const timeoutMs = checkTimeout(options.timeoutMs ?? this.#timeoutMs);
    const url = this.#url(request.path, options.query);
    const outgoing: Record<string, string> = { Accept: headers.accept };
    const bearer = token === undefined ? this.#token : (token ?? undefined);
    if (bearer !== undefined) outgoing['Authorization'] = `Bearer ${bearer}`;
    if (headers.lastEventId !== undefined) outgoing['Last-Event-ID'] = headers.lastEventId;
    let body: string | FormData | undefined;
    if (typeof FormData === 'function' && options.body instanceof FormData) {
      // fetch writes the multipart Content-Type itself, with the boundary it chose.
      body = options.body;
    } else if (options.body !== undefined) {
      outgoing['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const controller = new AbortController();
    let expired = false;
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      timeoutMs > 0
        ? this.#timers.setTimeout(() => {
            expired = true;
            controller.abort(timedOut(request, timeoutMs));
          }, timeoutMs)
        : undefined;
    try {
      // Called through a local so that `this` is not the client: a browser's own fetch refuses any other receiver.
      const send = this.#fetch;
      const response = await send(url, {
        method: request.method,
        headers: outgoing,
        credentials: this.#credentials,
        signal: controller.signal,
        ...(body === undefined ? {} : { body }),
      });
      return await consume(response);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (expired) throw timedOut(request, timeoutMs);
      if (error instanceof CentrexError) throw error;
      throw unreachable(url, request, error);
    } finally {
      if (timer !== undefined) this.#timers.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #url(path: string, query: ApiCallOptions['query']): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) params.append(name, String(value));
    const search = params.toString();
    return `${this.#root}${path}${search === '' ? '' : `?${search}`}`;
  }

  /** The error for a non-2xx answer; a 401 `unauthorized` also ends the session here. */
  async #failure(response: Response, request: ApiRequestInfo): Promise<CentrexError> {
    let body: unknown;
    try {
      body = JSON.parse(await response.text()) as unknown;
    } catch {
      // Not the API's JSON (a proxy's page, an empty body): the status alone decides the code.
    }
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    const error = apiErrorFromResponse(response.status, body, request, retryAfter);
    if (error.code === 'api-unauthorized') this.#lose(error);
    return error;
  }

  #lose(error: CentrexError): void {
    this.#token = undefined;
    this.#expiresAt = undefined;
    if (this.#sessionLost) return;
    this.#sessionLost = true;
    try {
      this.#onUnauthorized?.(error);
    } catch {
      // The hook is the app's; its failure must not replace the API error the caller is about to see.
    }
  }
}
