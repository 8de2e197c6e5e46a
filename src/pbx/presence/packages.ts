/**
 * The event packages the presence server offers (RFC 6665 §7), their body types and the header values a
 * subscription is described by: `Event` (package and `id`), `Accept`, `Subscription-State`.
 */

/** The event packages a watcher can subscribe to. */
export const PRESENCE_EVENT_PACKAGES = ['dialog', 'presence', 'message-summary'] as const;

/** One of {@link PRESENCE_EVENT_PACKAGES}. */
export type PresenceEventPackage = (typeof PRESENCE_EVENT_PACKAGES)[number];

/** The NOTIFY body type of each package. */
export const PACKAGE_CONTENT_TYPES: Readonly<Record<PresenceEventPackage, string>> = Object.freeze({
  dialog: 'application/dialog-info+xml',
  presence: 'application/pidf+xml',
  'message-summary': 'application/simple-message-summary',
});

/** The value of `Allow-Events` in our answers: what a watcher may subscribe to here. */
export const ALLOW_EVENTS = PRESENCE_EVENT_PACKAGES.join(', ');

/** An `Event` header value, read. */
export interface EventHeader {
  /** The event type as written (compare with {@link isPresencePackage}). */
  readonly type: string;
  /**
   * The `id` parameter as written (a quoted value keeps its quotes), which tells subscriptions in one dialog apart
   * (RFC 6665 §8.2.1); echoed unchanged in our NOTIFYs.
   */
  readonly id: string | undefined;
}

// event-type = token with dots for templates (RFC 6665 §8.4); parameters follow after semicolons.
const EVENT_TYPE = /^[A-Za-z0-9\-.!%*_+`'~]{1,64}$/;
const PARAM = /^([A-Za-z0-9\-.!%*_+`'~]{1,64})(?:[ \t]*=[ \t]*([A-Za-z0-9\-.!%*_+`'~]{1,128}|"[^"\\\r\n]{0,128}"))?$/;

/**
 * Reads an `Event` header value such as `dialog;id=7`. Undefined when it is absent or malformed (an odd character,
 * an over-long token): such a SUBSCRIBE gets 400, never a guess.
 */
export function parseEventHeader(value: string | undefined): EventHeader | undefined {
  if (value === undefined) return undefined;
  const [typePart, ...paramParts] = value.split(';');
  const type = (typePart ?? '').trim();
  if (!EVENT_TYPE.test(type)) return undefined;
  let id: string | undefined;
  for (const part of paramParts) {
    const match = PARAM.exec(part.trim());
    if (!match) return undefined;
    if (match[1]?.toLowerCase() === 'id') id = match[2] ?? '';
  }
  return { type, id };
}

/**
 * Whether an event type names one of our packages. Event types are compared without regard to case: RFC 6665 makes
 * them tokens, and phones that write `Dialog` exist; being lenient here costs nothing.
 */
export function isPresencePackage(type: string): type is PresenceEventPackage {
  return (PRESENCE_EVENT_PACKAGES as readonly string[]).includes(type);
}

/** The package named by an event type, ignoring case; undefined for packages we do not offer. */
export function packageOf(type: string): PresenceEventPackage | undefined {
  const lower = type.toLowerCase();
  return isPresencePackage(lower) ? lower : undefined;
}

/** The `Event` header of our NOTIFYs: the package and the subscription's `id`, as the watcher sent it. */
export function formatEventHeader(pkg: PresenceEventPackage, id: string | undefined): string {
  return id === undefined ? pkg : `${pkg};id=${id}`;
}

/**
 * Whether the `Accept` values of a SUBSCRIBE allow `contentType`. No `Accept` header means the package's default
 * type (RFC 6665 §8.1.1); `*` wildcards and parameters (`;q=0.5`) are understood.
 */
export function acceptsType(acceptValues: readonly string[], contentType: string): boolean {
  if (acceptValues.length === 0) return true;
  const [wantedType, wantedSubtype] = contentType.toLowerCase().split('/');
  return acceptValues.some((value) => {
    const range = (value.split(';')[0] ?? '').trim().toLowerCase();
    if (range === '') return false;
    const [type, subtype] = range.split('/');
    return (type === '*' || type === wantedType) && (subtype === '*' || subtype === wantedSubtype);
  });
}

/** Why a subscription ended, as written in `Subscription-State: terminated;reason=…` (RFC 6665 §8.2.3). */
export type TerminationReason = 'timeout' | 'noresource' | 'deactivated' | 'rejected';
