/**
 * The Centrex API contract: the JSON the reference PBX (`src/pbx/api`) sends and accepts, as TypeScript types.
 *
 * These types describe the wire format exactly (times are ISO 8601 strings, absent values are `null` where the API
 * sends `null`), so that the PBX's serializers can be typed against them and `docs/openapi.yaml` stays the one
 * description of both sides. The client ({@link HttpApi}) unwraps list envelopes such as {@link ContactList} and
 * otherwise returns these shapes unchanged.
 *
 * @packageDocumentation
 */
import type { DirectoryEntry, ContactScope } from '../directory/index.js';
import type { ForwardingIssue, ForwardingSettings } from '../forwarding/index.js';
import type { CoverSheetContent } from '../fax/cover-render.js';
import type { CoverSheet } from '../fax/cover-sheet.js';
import type { FaxJob, ReceivedFax } from '../fax/job.js';
import type { FaxExtension } from '../fax/transport.js';
import type { Availability } from '../presence/index.js';

// Re-exported under this module so that one import covers the whole contract.
export type { ContactScope, DirectoryEntry, ForwardingIssue, ForwardingSettings };

/** An ISO 8601 date-time string with time zone, as the API writes it (`2025-05-04T09:30:00.000Z`). */
export type IsoDateTime = string;

/** The role of a user within a tenant. */
export type Role = 'admin' | 'user';

/** The languages of the app and of the PBX's mails. */
export type Language = 'de' | 'en';

/** A tenant (company) as its users see it. */
export interface TenantSummary {
  readonly id: string;
  readonly name: string;
  /** ISO 3166-1 alpha-2 country of the dial plan, e.g. `DE`. */
  readonly country: string;
  /** The company's main number in E.164; a user's direct number is this followed by the extension. */
  readonly mainNumber: string | null;
  /** Shortest and longest extension, in digits. */
  readonly extensionDigits: readonly [number, number];
  /** The SIP domain (and digest realm) of the tenant. */
  readonly sipDomain: string;
}

/** The tenant's policy for expensive destinations (forwarding, parallel call, external devices, click-to-dial). */
export interface TollFraudPolicy {
  readonly allowInternational: boolean;
  readonly allowPremium: boolean;
}

/** A tenant as its admins see and edit it (`GET /admin/tenant`). */
export interface TenantAdmin extends TenantSummary {
  /** Origins (scheme, host, port) whose pages may use the tenant's accounts. */
  readonly allowedOrigins: readonly string[];
  readonly tollFraud: TollFraudPolicy;
  /** How many calls one user may have at once. */
  readonly maxConcurrentCalls: number;
}

/** The signed-in user (`GET /me` and the login answer). */
export interface Me {
  readonly id: string;
  readonly name: string;
  /** The login; compared without regard to case. */
  readonly email: string;
  readonly role: Role;
  readonly extension: string;
  readonly language: Language;
  /** The user's direct number (DDI) in E.164, when the tenant has a main number. */
  readonly directNumber: string | null;
  readonly tenant: TenantSummary;
}

/** The answer of `POST /login`. */
export interface LoginResponse {
  /** Opaque bearer token; the client keeps it in memory only. */
  readonly token: string;
  /** When the session ends on its own. */
  readonly expiresAt: IsoDateTime;
  readonly user: Me;
}

/** The body of `PATCH /me`; changing `email` needs `currentPassword`. */
export interface MeUpdate {
  readonly name?: string;
  readonly language?: Language;
  readonly email?: string;
  readonly currentPassword?: string;
}

/** The user's "Parallelanruf": ring this target together with the user's own devices. */
export interface ParallelCall {
  readonly enabled: boolean;
  /** An extension or an E.164 number; required while enabled. */
  readonly target: string | null;
}

/** Voicemail options as the API shows them; the PIN itself is never sent back. */
export interface VoicemailSettings {
  readonly pinSet: boolean;
  readonly sendByEmail: boolean;
  readonly deleteAfterEmail: boolean;
}

/** The user settings of manual B.3 ("Benutzer"), `GET /me/settings`. */
export interface UserSettings {
  /** A device id; `null` means the web app. */
  readonly primaryDevice: string | null;
  readonly welcomeSound: boolean;
  /** "Anklopfen"; off by default. */
  readonly callWaiting: boolean;
  /** Accept `*80` intercom calls; off by default. */
  readonly intercom: boolean;
  readonly parallelCall: ParallelCall;
  /** Global do-not-disturb. */
  readonly dnd: boolean;
  readonly voicemail: VoicemailSettings;
}

/** The body of `PATCH /me/settings`: absent fields stay as they are. */
export interface UserSettingsUpdate {
  readonly primaryDevice?: string | null;
  readonly welcomeSound?: boolean;
  readonly callWaiting?: boolean;
  readonly intercom?: boolean;
  readonly parallelCall?: { readonly enabled?: boolean; readonly target?: string | null };
  readonly dnd?: boolean;
  readonly voicemail?: {
    readonly sendByEmail?: boolean;
    readonly deleteAfterEmail?: boolean;
    /** A new PIN of 4 to 8 digits, or `null` to remove it. */
    readonly pin?: string | null;
  };
}

/** What kind of device a user calls with ("Anrufen mit"). */
export type DeviceKind = 'web' | 'desk' | 'mobile' | 'external';

/** One of the user's devices. */
export interface Device {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly name: string;
  /** E.164, for external devices; `null` otherwise. */
  readonly number: string | null;
  readonly createdAt: IsoDateTime;
}

/** The body of `POST /me/devices`: an external number (hotel room, mobile) to call with. */
export interface ExternalDeviceInput {
  readonly name: string;
  /** Any format the tenant's dial plan reads; stored as E.164. */
  readonly number: string;
}

/** Fresh SIP credentials for the user's web device (`GET /me/sip`); what the phone needs to register. */
export interface SipRegistrationInfo {
  /** `ws(s)://<host>/sip` (RFC 7118, subprotocol `sip`). */
  readonly websocketUrl: string;
  /** `sip:<extension>@<tenant SIP domain>`. */
  readonly uri: string;
  readonly authorizationUsername: string;
  /** Shown this once; hand it to the phone and do not store it. */
  readonly password: string;
  /** The digest realm the credentials are for; answer no other realm's challenge with them. */
  readonly realm: string;
  /** When the credentials stop working (never after the session). */
  readonly expiresAt: IsoDateTime;
  readonly displayName: string;
  /** The web device the credentials belong to. */
  readonly deviceId: string;
}

/** One number of a contact. */
export interface ContactNumber {
  /** For display (`mobil`, `Zentrale`); may be empty. */
  readonly label: string;
  readonly number: string;
}

/** A contact as the signed-in user sees it. */
export interface Contact {
  readonly id: string;
  readonly scope: ContactScope;
  readonly name: string;
  readonly company: string | null;
  readonly email: string | null;
  readonly numbers: readonly ContactNumber[];
  /** Whether the signed-in user may change or delete it (own private contacts; global ones for admins). */
  readonly writable: boolean;
  readonly createdAt: IsoDateTime;
  readonly updatedAt: IsoDateTime;
}

/** The body of `POST /contacts` and `PUT /contacts/{id}`. */
export interface ContactInput {
  readonly name: string;
  readonly company?: string | null;
  readonly email?: string | null;
  readonly numbers?: readonly { readonly label?: string; readonly number: string }[];
  /** On create: the address book (default `private`; `global` for admins only). On update: must be the contact's own. */
  readonly scope?: ContactScope;
}

/** What a function key does: a busy lamp field, a speed dial, or a star code. */
export type FavoriteType = 'blf' | 'speed-dial' | 'star-code';

/** A function key (favorite) of the user. */
export interface Favorite {
  readonly id: string;
  /** 1–64, unique per user. */
  readonly position: number;
  readonly name: string;
  readonly type: FavoriteType;
  /** blf: an extension; speed-dial: an extension or number; star-code: `*` followed by digits. */
  readonly target: string;
}

/** The body of `POST /favorites` and `PUT /favorites/{id}`, and one entry of a reordered list. */
export interface FavoriteInput {
  /** 1–64; without it the first free position. */
  readonly position?: number;
  readonly name: string;
  readonly type: FavoriteType;
  readonly target: string;
}

/** A queue of the tenant, with the user's membership and login state. */
export interface Queue {
  readonly id: string;
  readonly name: string;
  readonly extension: string;
  /** The queue is on the user's list. */
  readonly member: boolean;
  readonly loggedIn: boolean;
}

/** One side of a call list entry; any part may be unknown. */
export interface HistoryParty {
  readonly number: string | null;
  readonly extension: string | null;
  readonly name: string | null;
}

/** How a call ended for the user. */
export type CallResult = 'answered' | 'missed' | 'rejected' | 'busy' | 'failed';

/** An entry of the user's call list. */
export interface HistoryEntry {
  readonly id: string;
  readonly direction: 'in' | 'out';
  /** The other party. */
  readonly peer: HistoryParty;
  /** Who forwarded or transferred the call to the user, if someone did. */
  readonly forwardedBy: HistoryParty | null;
  readonly result: CallResult;
  readonly startedAt: IsoDateTime;
  /** Talk time in whole seconds. */
  readonly durationS: number;
}

/** Paging of `GET /history`. */
export interface HistoryQuery {
  /** 1–1000, default 100. */
  readonly limit?: number;
  /** Entries to skip, default 0. */
  readonly offset?: number;
}

/** A conference room, with whether the user subscribed to it. */
export interface Room {
  readonly id: string;
  readonly name: string;
  readonly extension: string;
  readonly subscribed: boolean;
}

/** The answer of `POST /calls` (click-to-dial): the device is being rung. */
export interface ClickToDialResult {
  readonly callId: string;
  /** The device id that rings first. */
  readonly device: string;
  /** The extension or E.164 number that is called once the device answers. */
  readonly to: string;
}

/** A user as an admin sees them. */
export interface AdminUser {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly extension: string;
  readonly language: Language;
  readonly directNumber: string | null;
  /** False until the user used the set-password link. */
  readonly hasPassword: boolean;
  readonly createdAt: IsoDateTime;
}

/** The body of `POST /admin/users`. */
export interface NewUserInput {
  readonly name: string;
  readonly email: string;
  /** Digits of the tenant's extension length, not starting with 0. */
  readonly extension: string;
  readonly role?: Role;
  readonly language?: Language;
}

/** The answer of `POST /admin/users`: the set-password link itself goes to the user, not to the admin. */
export interface CreatedUser {
  readonly user: AdminUser;
  readonly setPasswordLinkExpiresAt: IsoDateTime;
}

/** The body of `PATCH /admin/users/{id}`. */
export interface AdminUserUpdate {
  readonly name?: string;
  readonly email?: string;
  readonly extension?: string;
  readonly role?: Role;
  readonly language?: Language;
}

/** The body of `PATCH /admin/tenant`. */
export interface TenantUpdate {
  readonly name?: string;
  readonly allowedOrigins?: readonly string[];
  readonly tollFraud?: Partial<TollFraudPolicy>;
  /** 1–100. */
  readonly maxConcurrentCalls?: number;
}

/** The body of `POST /admin/queues`. */
export interface NewQueueInput {
  readonly name: string;
  readonly extension: string;
}

/** The body of `POST /admin/rooms`; the PIN is stored only as a hash. */
export interface NewRoomInput {
  readonly name: string;
  readonly extension: string;
  /** 4 to 10 digits. */
  readonly pin: string;
}

/** The body of `POST /fax/extensions`: the fax login and PIN the administrator gave the user. */
export interface FaxLinkInput {
  readonly login: string;
  readonly pin: string;
}

/** The body of `POST /fax/cover-sheets` and `PUT /fax/cover-sheets/{id}`; subject and message default to empty. */
export interface FaxCoverSheetInput {
  /** Unique among the user's cover sheets, ignoring case. */
  readonly name: string;
  readonly subject?: string;
  readonly message?: string;
}

/**
 * What {@link HttpApi.sendFax} sends as `POST /fax/jobs` (multipart/form-data). At most one of `coverSheet`,
 * `coverSheetId` and `coverIncluded` may be given; the PBX adds date and sender to a cover page it renders.
 */
export interface FaxJobInput {
  /** A fax extension the user has linked. */
  readonly extensionId: string;
  /** The destination as the user typed it; the PBX reads it with the tenant's dial plan. */
  readonly to: string;
  /** The PDF. */
  readonly document: Uint8Array | Blob;
  /** A cover page for the PBX to render in front of the document. */
  readonly coverSheet?: CoverSheetContent;
  /** One of the user's saved cover sheets for the PBX to render in front of the document. */
  readonly coverSheetId?: string;
  /** The document's first page is a cover page already (the SDK's `FaxClient` renders it itself). */
  readonly coverIncluded?: boolean;
  /** The file name sent with the document (default `fax.pdf`). */
  readonly filename?: string;
}

/** Paging of `GET /fax/jobs` and `GET /fax/received`. */
export interface FaxListQuery {
  /** 1–1000, default 100. */
  readonly limit?: number;
  /** Entries to skip, default 0. */
  readonly offset?: number;
}

/** A fax extension as an admin sees it (`/admin/fax-extensions`); the PIN is never sent back. */
export interface AdminFaxExtension {
  readonly id: string;
  readonly name: string;
  /** The fax login users link it with. */
  readonly login: string;
  /** Its extension in the tenant's number space. */
  readonly extension: string;
  /** Its fax number: the tenant's main number followed by the extension (E.164), or the bare extension. */
  readonly number: string;
  /** The users it is assigned to (only they can link it). */
  readonly userIds: readonly string[];
  /** The assigned users who have linked it. */
  readonly linkedUserIds: readonly string[];
  readonly createdAt: IsoDateTime;
}

/** The body of `POST /admin/fax-extensions`. */
export interface NewFaxExtensionInput {
  readonly name: string;
  /** 3 to 64 letters, digits, `.`, `_`, `-` or `@`; unique in the tenant without regard to case. */
  readonly login: string;
  /** 4 to 10 digits; stored only as a hash. */
  readonly pin: string;
  /** An extension of the tenant's dial plan that nothing else uses. */
  readonly extension: string;
  /** Users to assign it to. */
  readonly userIds?: readonly string[];
}

/** The body of `PATCH /admin/fax-extensions/{id}`; `userIds` replaces the assignment list. */
export interface FaxExtensionUpdate {
  readonly name?: string;
  readonly pin?: string;
  readonly userIds?: readonly string[];
}

/** `GET /fax/extensions`. */
export interface FaxExtensionList {
  readonly extensions: readonly FaxExtension[];
}
/** `GET /fax/cover-sheets`. */
export interface FaxCoverSheetList {
  readonly coverSheets: readonly CoverSheet[];
}
/** `GET /fax/jobs`. */
export interface FaxJobList {
  readonly jobs: readonly FaxJob[];
}
/** `GET /fax/received`. */
export interface ReceivedFaxList {
  readonly faxes: readonly ReceivedFax[];
}
/** `GET /admin/fax-extensions`. */
export interface AdminFaxExtensionList {
  readonly faxExtensions: readonly AdminFaxExtension[];
}

/** `GET /me/devices`. */
export interface DeviceList {
  readonly devices: readonly Device[];
}
/** `GET /contacts`. */
export interface ContactList {
  readonly contacts: readonly Contact[];
}
/** `GET /favorites`, `PUT /favorites` (answer and body). */
export interface FavoriteList<T extends FavoriteInput = Favorite> {
  readonly favorites: readonly T[];
}
/** `GET /queues`. */
export interface QueueList {
  readonly queues: readonly Queue[];
}
/** `GET /history`. */
export interface HistoryList {
  readonly entries: readonly HistoryEntry[];
}
/** `GET /rooms`. */
export interface RoomList {
  readonly rooms: readonly Room[];
}
/** `GET /directory`: colleagues, visible contacts, rooms and queues (as `group`) as core directory entries. */
export interface DirectoryListing {
  readonly entries: readonly DirectoryEntry[];
}
/** `GET /admin/users`. */
export interface AdminUserList {
  readonly users: readonly AdminUser[];
}

/**
 * The stable error codes of the API's error answers (`Error.code` in `docs/openapi.yaml`). {@link HttpApi} turns them
 * into {@link CentrexError} codes (`api-…`) and keeps the original in `details.apiCode`.
 */
export const API_ERROR_CODES = Object.freeze([
  'invalid-json',
  'validation-failed',
  'unsupported-media-type',
  'invalid-credentials',
  'unauthorized',
  'forbidden',
  'origin-not-allowed',
  'destination-not-allowed',
  'wrong-pin',
  'invalid-token',
  'not-found',
  'method-not-allowed',
  'conflict',
  'payload-too-large',
  'rate-limited',
  'not-available',
  'call-failed',
  'device-unavailable',
  'call-limit',
  'fax-login-failed',
  'pdf-encrypted',
  'pdf-extraction-forbidden',
  'pdf-has-form-fields',
  'pdf-invalid',
  'pdf-too-large',
  'internal-error',
] as const);

/** One of {@link API_ERROR_CODES}. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The JSON body of every 4xx/5xx answer of the API. */
export interface ApiErrorBody {
  readonly code: ApiErrorCode;
  /** For people; says what to do. */
  readonly message: string;
  /** The request field concerned, as a dotted path (`numbers.0.number`). */
  readonly field?: string;
  /**
   * For forwarding settings: the core's findings. For `pdf-…` codes: one object with what the document check found
   * (`reason`, and the limit for `pdf-too-large`).
   */
  readonly issues?: readonly ForwardingIssue[] | readonly Readonly<Record<string, unknown>>[];
}

/** The areas a `data-changed` event names: reload that data. */
export type DataChangedArea = 'contacts' | 'favorites' | 'devices' | 'users' | 'queues' | 'rooms';

/**
 * The server-sent events of `GET /events`, by event name, with the JSON `data` each carries. A server typed against
 * this map cannot send an event the client does not know how to read.
 */
export interface ApiEventMap {
  /** The stream is open. */
  readonly ready: { readonly userId: string; readonly tenantId: string };
  /** The user's forwarding changed, through any session or a star code dialled on a phone. */
  readonly forwarding: { readonly settings: ForwardingSettings; readonly source: 'api' | 'star-code' };
  /** The user's settings changed; the whole settings as they are now. */
  readonly settings: UserSettings;
  /** A call landed in the user's call list. */
  readonly history: HistoryEntry;
  /** One of the user's devices registered or unregistered. */
  readonly registration: { readonly registered: boolean };
  /** A colleague's (or the user's own) presence changed. */
  readonly presence: { readonly userId: string; readonly extension: string; readonly availability: Availability };
  /** Someone logged in to or out of a queue of the tenant (`userId` `null` when not known). */
  readonly queue: { readonly queueId: string; readonly userId: string | null };
  /** Contacts, favorites, devices, users, queues or rooms changed: reload them. */
  readonly 'data-changed': { readonly area: DataChangedArea };
  /** A fax job of the user was accepted or changed state: the whole job, ordered by its `revision`. */
  readonly 'fax-job': FaxJob;
  /** A fax arrived at a fax extension the user has linked. */
  readonly 'fax-received': ReceivedFax;
}

/** The name of a server-sent event the SDK knows. */
export type ApiEventName = keyof ApiEventMap;

/** Every {@link ApiEventName}, so a stream can tell known events from ones a newer server added. */
export const API_EVENT_NAMES: readonly ApiEventName[] = Object.freeze([
  'ready',
  'forwarding',
  'settings',
  'history',
  'registration',
  'presence',
  'queue',
  'data-changed',
  'fax-job',
  'fax-received',
]);

/**
 * One server-sent event, typed by its name: `type` is the SSE event name, `data` its parsed JSON, `id` the last
 * event id the stream announced (empty when the server sends none).
 */
export type ApiEvent = {
  readonly [K in ApiEventName]: { readonly type: K; readonly id: string; readonly data: ApiEventMap[K] };
}[ApiEventName];
