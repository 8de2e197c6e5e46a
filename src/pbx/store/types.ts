/**
 * The records of the PBX store, as the rest of the PBX sees them. Times are milliseconds since the epoch (UTC);
 * ids are random UUIDs. Nothing here carries a password, a token or a PIN, only facts about them.
 * @packageDocumentation
 */
import type { CountryCode } from 'libphonenumber-js';
import type { DialPlan } from '../../core/numbers/index.js';

/** What a user may do: `admin` manages the tenant (users, global contacts, queues, rooms); `user` only their own data. */
export type Role = 'admin' | 'user';

/** The languages of the app. */
export type Language = 'de' | 'en';

/** A tenant's dial plan: the core {@link DialPlan} plus the company's main number, whose DDI block the extensions extend. */
export interface TenantDialPlan extends DialPlan {
  /** ISO country, e.g. `'DE'`. */
  readonly country: CountryCode;
  /** Shortest and longest extension, in digits. */
  readonly extensionDigits: readonly [min: number, max: number];
  /** The main number in E.164 (`+49891234567`); a user's direct number is this followed by the extension. */
  readonly mainNumber: string | null;
}

/** The toll-fraud policy of a tenant: which external destinations forwarding, parallel ringing and click-to-dial may reach. */
export interface TollFraudPolicy {
  /** Numbers outside the tenant's country. */
  readonly allowInternational: boolean;
  /** Premium-rate and shared-cost numbers (in Germany 0900, 0137, 0138, 0180, 0190, 118xy). */
  readonly allowPremium: boolean;
}

/** A company on the PBX. */
export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly dialPlan: TenantDialPlan;
  /** The SIP domain, which is also the digest realm (`localhost` in the demo). Unique on the PBX. */
  readonly sipDomain: string;
  /** Origins (`https://intranet.example.com`) whose pages may call the API with the user's credentials. */
  readonly allowedOrigins: readonly string[];
  readonly tollFraud: TollFraudPolicy;
  /** How many calls one user may have at the same time. */
  readonly maxConcurrentCalls: number;
  readonly createdAt: number;
}

/** What {@link Tenant} needs to be created; omitted fields take safe defaults (nothing allowed, 2 calls per user). */
export interface NewTenant {
  readonly name: string;
  readonly country: CountryCode;
  readonly mainNumber?: string | null;
  readonly extensionDigits?: readonly [min: number, max: number];
  readonly sipDomain: string;
  readonly allowedOrigins?: readonly string[];
  readonly allowInternational?: boolean;
  readonly allowPremium?: boolean;
  readonly maxConcurrentCalls?: number;
}

/** A change to a tenant; absent fields stay as they are. */
export interface TenantUpdate {
  readonly name?: string;
  readonly allowedOrigins?: readonly string[];
  readonly allowInternational?: boolean;
  readonly allowPremium?: boolean;
  readonly maxConcurrentCalls?: number;
}

/** A person with an extension. */
export interface User {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** The login, as the user wrote it; compared without regard to case. */
  readonly email: string;
  readonly role: Role;
  readonly extension: string;
  readonly language: Language;
  /** False until the user has set a password with the link from the admin flow. */
  readonly hasPassword: boolean;
  readonly createdAt: number;
}

/** What a new user needs; the password hash may come later (set-password link). */
export interface NewUser {
  readonly name: string;
  readonly email: string;
  readonly extension: string;
  readonly role?: Role;
  readonly language?: Language;
  /** A hash from `hashPassword`, never the password. */
  readonly passwordHash?: string;
}

/** A change to a user's account; absent fields stay as they are. */
export interface UserUpdate {
  readonly name?: string;
  readonly email?: string;
  readonly extension?: string;
  readonly role?: Role;
  readonly language?: Language;
}

/** The user's "Parallelanruf": ring this extension or number together with the user's own devices. */
export interface ParallelCall {
  readonly enabled: boolean;
  /** An extension or an E.164 number; required while enabled. */
  readonly target: string | null;
}

/** Voicemail options (manual B.3, tab "Voicemail"). The PIN itself is only ever stored as a hash. */
export interface VoicemailSettings {
  readonly pinSet: boolean;
  readonly sendByEmail: boolean;
  readonly deleteAfterEmail: boolean;
}

/** The user settings of manual B.3 ("Benutzer", tab "Standard" and "Voicemail"). */
export interface UserSettings {
  /** The device calls to queues and the default ringing go to; `null` means the web app. */
  readonly primaryDevice: string | null;
  readonly welcomeSound: boolean;
  /** "Anklopfen"; off by default as in the manual. */
  readonly callWaiting: boolean;
  /** Accept `*80` + extension intercom calls; off by default. */
  readonly intercom: boolean;
  readonly parallelCall: ParallelCall;
  /** Global do-not-disturb. */
  readonly dnd: boolean;
  readonly voicemail: VoicemailSettings;
}

/** A change to {@link UserSettings}; absent fields stay as they are. */
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
    /** A hash from `hashPassword` of the new PIN, or `null` to remove the PIN. */
    readonly pinHash?: string | null;
  };
}

/** What kind of device a user calls with ("Anrufen mit"). */
export type DeviceKind = 'web' | 'desk' | 'mobile' | 'external';

/** One of a user's devices. */
export interface Device {
  readonly id: string;
  readonly userId: string;
  readonly tenantId: string;
  readonly kind: DeviceKind;
  readonly name: string;
  /** For `external` devices the E.164 number that click-to-dial rings first; `null` otherwise. */
  readonly number: string | null;
  readonly createdAt: number;
}

/** What a new device needs. */
export interface NewDevice {
  readonly kind: DeviceKind;
  readonly name: string;
  /** Required for `external` devices (any format the dial plan reads); not allowed for the others. */
  readonly number?: string;
}

/** What the SIP registrar needs to check a digest response, from {@link Store.findSipCredential}. */
export interface SipCredentialMatch {
  readonly userId: string;
  readonly tenantId: string;
  readonly deviceId: string;
  readonly extension: string;
  /** HA1 = H(username:realm:password) in lowercase hex, for the MD5 and the SHA-256 digest algorithms (RFC 7616). */
  readonly ha1: { readonly md5: string; readonly sha256: string };
  readonly expiresAt: number;
}

/** A freshly issued SIP credential. The password is returned this once and never stored. */
export interface IssuedSipCredential {
  readonly deviceId: string;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly expiresAt: number;
}

/** Which address book a contact is in. */
export type ContactScope = 'global' | 'private';

/** A telephone number of a contact. */
export interface ContactNumber {
  /** What the number is (`mobile`, `Büro`); may be empty. */
  readonly label: string;
  /** As the user wrote it. */
  readonly number: string;
}

/** An address book entry: `global` ones belong to the tenant, `private` ones to one user (`ownerId`). */
export interface Contact {
  readonly id: string;
  readonly tenantId: string;
  readonly scope: ContactScope;
  readonly ownerId: string | null;
  readonly name: string;
  readonly company: string | null;
  readonly email: string | null;
  readonly numbers: readonly ContactNumber[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The editable part of a contact. */
export interface ContactInput {
  readonly name: string;
  readonly company?: string | null;
  readonly email?: string | null;
  readonly numbers?: readonly ContactNumber[];
}

/** Who looks at contacts: they see the tenant's global contacts and their own private ones. */
export interface Viewer {
  readonly tenantId: string;
  readonly userId: string;
}

/** The types of function keys (manual B.3 "Funktionstasten"). */
export type FavoriteType = 'blf' | 'speed-dial' | 'star-code';

/** A function key / favorite. */
export interface Favorite {
  readonly id: string;
  readonly userId: string;
  /** 1 … {@link MAX_FAVORITES}, unique per user. */
  readonly position: number;
  readonly name: string;
  readonly type: FavoriteType;
  /** `blf`: a colleague's extension; `speed-dial`: an extension or number; `star-code`: `*` + digits. */
  readonly target: string;
}

/** What a function key needs; without `position` the first free one is taken. */
export interface FavoriteInput {
  readonly position?: number;
  readonly name: string;
  readonly type: FavoriteType;
  readonly target: string;
}

/** The most function keys a user can have (and the highest position). */
export const MAX_FAVORITES = 64;

/** A call queue ("Warteschlange"). */
export interface Queue {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly extension: string;
}

/** A queue as one user sees it: whether it is on their list, and whether they are logged in. */
export interface QueueView extends Queue {
  readonly member: boolean;
  readonly loggedIn: boolean;
}

/** A member of a queue, for routing. */
export interface QueueMember {
  readonly userId: string;
  readonly extension: string;
  readonly loggedIn: boolean;
}

/** One side of a call in the call list. */
export interface HistoryParty {
  readonly number: string | null;
  readonly extension: string | null;
  readonly name: string | null;
}

/** How a call ended for the user. */
export type CallResult = 'answered' | 'missed' | 'rejected' | 'busy' | 'failed';

/** An entry of a user's call list. */
export interface HistoryEntry {
  readonly id: string;
  readonly userId: string;
  readonly direction: 'in' | 'out';
  /** The other party. */
  readonly peer: HistoryParty;
  /** Who forwarded or transferred the call to the user, if someone did. */
  readonly forwardedBy: HistoryParty | null;
  readonly result: CallResult;
  readonly startedAt: number;
  readonly durationS: number;
}

/** What {@link Store.addHistoryEntry} needs. */
export interface NewHistoryEntry {
  readonly direction: 'in' | 'out';
  readonly peer: Partial<HistoryParty>;
  readonly forwardedBy?: Partial<HistoryParty> | null;
  readonly result: CallResult;
  readonly startedAt: number;
  readonly durationS: number;
}

/** A conference room. The PIN is stored only as a hash. */
export interface Room {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly extension: string;
}

/** A room as one user sees it. */
export interface RoomView extends Room {
  readonly subscribed: boolean;
}

/** A signed-in API session, found by its token. */
export interface Session {
  readonly id: string;
  readonly userId: string;
  readonly tenantId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** A token handed out once (session or set-password link); only its SHA-256 is stored. */
export interface IssuedToken {
  readonly id: string;
  readonly token: string;
  readonly expiresAt: number;
}

/** A fax extension of a tenant (manual B.3 "Fax"). Its PIN is stored only as a hash. */
export interface FaxExtensionRecord {
  readonly id: string;
  readonly tenantId: string;
  /** What users see in the drop-down ("eFax name"). */
  readonly name: string;
  /** The fax login users link it with; unique in the tenant, compared without case. */
  readonly login: string;
  /** Its extension in the tenant's number space (dialled internally, and the end of its direct number). */
  readonly extension: string;
  /** Users the admin assigned it to: only they can link it. */
  readonly assignedUserIds: readonly string[];
  /** Of those, the users who linked it with login and PIN. */
  readonly linkedUserIds: readonly string[];
  readonly createdAt: number;
}

/** What a new fax extension needs; the PIN arrives hashed. */
export interface NewFaxExtension {
  readonly name: string;
  readonly login: string;
  readonly extension: string;
  /** A hash from `hashPassword`, never the PIN. */
  readonly pinHash: string;
}

/** A change to a fax extension; absent fields stay as they are. */
export interface FaxExtensionUpdate {
  readonly name?: string;
  /** A hash from `hashPassword` of the new PIN. */
  readonly pinHash?: string;
}

/** A saved cover sheet of a user (the core's `CoverSheet` plus its owner). */
export interface FaxCoverSheetRecord {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly subject: string;
  readonly message: string;
  readonly createdAt: number;
}

/** How the cover page of a job comes about. */
export type FaxCoverMode =
  /** No cover page. */
  | 'none'
  /** The fax service renders one from `subject` and `message` when it first sends the job. */
  | 'render'
  /** The client put one in front of the document already. */
  | 'included';

/** The states of a fax job (the core's `FaxJobState`). */
export type FaxJobStateName = 'queued' | 'sending' | 'sent' | 'failed';

/** An outgoing fax job as the store keeps it (without its document bytes). */
export interface FaxJobRecord {
  readonly id: string;
  readonly tenantId: string;
  /** The user who sent it; only they see it. */
  readonly ownerId: string;
  readonly faxExtensionId: string;
  /** The sending fax extension's extension when the job was accepted. */
  readonly fromExtension: string;
  /** The sender's fax number (E.164 when the tenant has a main number, else the extension). */
  readonly fromNumber: string;
  /** Printed as the sender on a rendered cover page. */
  readonly senderName: string;
  /** The destination: an extension of the tenant (`internal`) or an E.164 number (`external`). */
  readonly to: string;
  readonly toKind: 'internal' | 'external';
  readonly cover: { readonly mode: FaxCoverMode; readonly subject: string | null; readonly message: string | null };
  /** Language of a rendered cover page (`de`, `en`). */
  readonly locale: string;
  /** Pages including the cover page. */
  readonly pages: number;
  readonly state: FaxJobStateName;
  /** Attempts started so far. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** When a queued job is due (ms). */
  readonly nextAttemptAt: number;
  /** Why it failed, or why the last attempt failed (for a queued retry). */
  readonly failure: { readonly reason: string; readonly message: string | null } | null;
  /** Whether the final document (with any rendered cover page) has been stored. */
  readonly rendered: boolean;
  /** Increases with every state change. */
  readonly revision: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What {@link FaxJobRecord} a new job starts as (state `queued`, no attempts). */
export interface NewFaxJobRecord {
  readonly tenantId: string;
  readonly ownerId: string;
  readonly faxExtensionId: string;
  readonly senderName: string;
  readonly to: string;
  readonly toKind: 'internal' | 'external';
  readonly cover: { readonly mode: FaxCoverMode; readonly subject?: string; readonly message?: string };
  readonly locale: string;
  readonly document: Uint8Array;
  readonly pages: number;
  readonly maxAttempts: number;
}

/** A state change of a job, written only if the job is still at `expectedRevision`. */
export interface FaxJobChange {
  readonly state: FaxJobStateName;
  readonly attempts: number;
  readonly revision: number;
  readonly nextAttemptAt?: number;
  readonly failure: { readonly reason: string; readonly message: string | null } | null;
  readonly updatedAt: number;
}

/** A fax that arrived at a fax extension. */
export interface ReceivedFaxRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly faxExtensionId: string;
  /** The sender's fax number. */
  readonly from: string;
  readonly pages: number;
  /** The internal job it came from, if any. */
  readonly jobId: string | null;
  readonly receivedAt: number;
}
