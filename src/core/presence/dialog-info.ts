/**
 * `application/dialog-info+xml` (RFC 4235): the dialog event package behind busy lamp fields (BLF).
 *
 * {@link parseDialogInfo} reads a NOTIFY body, {@link buildDialogInfo} writes one (for the reference PBX's presence
 * server). Only what a BLF needs is modelled: dialog identifiers, direction, state, duration and the two
 * participants' identity and target. `<replaces>`, `<referred-by>`, `<route-set>`, target parameters, session
 * descriptions and CSeq are skipped when reading and never written.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import {
  attributeOf,
  childNamed,
  childrenNamed,
  clip,
  expectRoot,
  invalidDocument,
  parseXmlDocument,
  type PresenceParseOptions,
  type XmlElement,
} from './xml.js';
import { checkXmlValue, renderXmlDocument, type XmlNode } from './xml-writer.js';

/** The XML namespace of dialog-info documents. */
export const DIALOG_INFO_NAMESPACE = 'urn:ietf:params:xml:ns:dialog-info';

/** Whether a document lists every dialog (`full`) or only those that changed (`partial`). */
export type DialogInfoState = 'full' | 'partial';

/** Which side sent the INVITE: the observed entity (`initiator`, an outgoing call) or the other party (`recipient`). */
export type DialogDirection = 'initiator' | 'recipient';

/** The state of one dialog, from the first INVITE to the end of the call. */
export type DialogState = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';

/** Why a dialog reached its state (RFC 4235 lists these for `terminated`). */
export type DialogStateEvent = 'cancelled' | 'rejected' | 'replaced' | 'local-bye' | 'remote-bye' | 'error' | 'timeout';

/** One side of a dialog. */
export interface DialogParticipant {
  /** The participant's address of record, e.g. `sip:bob@example.com`. */
  readonly identity?: string;
  /** The display name sent with the identity. */
  readonly displayName?: string;
  /** The participant's contact (target) URI, e.g. the desk phone's address. */
  readonly target?: string;
}

/** One dialog of the observed entity. */
export interface Dialog {
  /** Identifies the dialog within the subscription; required. */
  readonly id: string;
  /** The SIP Call-ID of the dialog. */
  readonly callId?: string;
  /** The observed entity's tag. */
  readonly localTag?: string;
  /** The other party's tag. */
  readonly remoteTag?: string;
  /** Who started the call; unknown when absent. */
  readonly direction?: DialogDirection;
  /** The dialog's state. */
  readonly state: DialogState;
  /** Why the dialog reached its state. */
  readonly event?: DialogStateEvent;
  /** The SIP response code that caused the state, e.g. 486. */
  readonly code?: number;
  /** Seconds since the dialog was created. */
  readonly duration?: number;
  /** The observed entity's side. */
  readonly local?: DialogParticipant;
  /** The other party's side. */
  readonly remote?: DialogParticipant;
}

/** A dialog-info document. */
export interface DialogInfo {
  /** Increases by one with each NOTIFY of a subscription; starts at 0. */
  readonly version: number;
  /** Whether {@link DialogInfo.dialogs} is the complete list or a change. */
  readonly state: DialogInfoState;
  /** The observed entity, e.g. `sip:33@pbx.example.com`. */
  readonly entity: string;
  /** The dialogs of the entity (for `partial`, only those that changed). */
  readonly dialogs: readonly Dialog[];
}

const KIND = 'dialog-info';
const DIALOG_STATES: readonly DialogState[] = ['trying', 'proceeding', 'early', 'confirmed', 'terminated'];
const DIRECTIONS: readonly DialogDirection[] = ['initiator', 'recipient'];
const EVENTS: readonly DialogStateEvent[] = ['cancelled', 'rejected', 'replaced', 'local-bye', 'remote-bye', 'error', 'timeout'];
const UNSIGNED = /^[0-9]{1,15}$/;
const RESPONSE_CODE = /^[1-6][0-9]{2}$/;

function isOneOf<T extends string>(values: readonly T[], value: string | undefined): value is T {
  return value !== undefined && (values as readonly string[]).includes(value);
}

/** Reads a participant (`<local>` or `<remote>`). */
function readParticipant(element: XmlElement): DialogParticipant {
  const identity = childNamed(element, DIALOG_INFO_NAMESPACE, 'identity');
  const target = childNamed(element, DIALOG_INFO_NAMESPACE, 'target');
  const identityText = identity?.text.trim();
  const displayName = identity === undefined ? undefined : attributeOf(identity, 'display');
  const targetUri = target === undefined ? undefined : attributeOf(target, 'uri');
  return {
    ...(identityText ? { identity: identityText } : {}),
    ...(displayName !== undefined ? { displayName } : {}),
    ...(targetUri ? { target: targetUri } : {}),
  };
}

/** Reads one `<dialog>`: strict about what identifies it and its state, lenient about optional details. */
function readDialog(element: XmlElement): Dialog {
  const id = attributeOf(element, 'id');
  if (!id) invalidDocument(KIND, 'a <dialog> has no id attribute.');
  const stateElement = childNamed(element, DIALOG_INFO_NAMESPACE, 'state');
  // Enumerations are case-sensitive in the schema, but some phones write "Confirmed"; reading them costs nothing.
  const state = stateElement?.text.trim().toLowerCase();
  if (!isOneOf(DIALOG_STATES, state)) {
    invalidDocument(KIND, `the dialog "${clip(id)}" has no known <state> (found ${JSON.stringify(clip(state ?? ''))}).`, {
      dialogId: clip(id, 200),
    });
  }
  const callId = attributeOf(element, 'call-id');
  const localTag = attributeOf(element, 'local-tag');
  const remoteTag = attributeOf(element, 'remote-tag');
  const direction = attributeOf(element, 'direction');
  const event = stateElement === undefined ? undefined : attributeOf(stateElement, 'event');
  const code = stateElement === undefined ? undefined : attributeOf(stateElement, 'code')?.trim();
  const duration = childNamed(element, DIALOG_INFO_NAMESPACE, 'duration')?.text.trim();
  const local = childNamed(element, DIALOG_INFO_NAMESPACE, 'local');
  const remote = childNamed(element, DIALOG_INFO_NAMESPACE, 'remote');
  // Unknown or malformed optional values are dropped: a vendor's extra event name must not hide the call state.
  return {
    id,
    ...(callId ? { callId } : {}),
    ...(localTag ? { localTag } : {}),
    ...(remoteTag ? { remoteTag } : {}),
    ...(isOneOf(DIRECTIONS, direction) ? { direction } : {}),
    state,
    ...(isOneOf(EVENTS, event) ? { event } : {}),
    ...(code !== undefined && RESPONSE_CODE.test(code) ? { code: Number(code) } : {}),
    ...(duration !== undefined && UNSIGNED.test(duration) ? { duration: Number(duration) } : {}),
    ...(local !== undefined ? { local: readParticipant(local) } : {}),
    ...(remote !== undefined ? { remote: readParticipant(remote) } : {}),
  };
}

/**
 * Parses an `application/dialog-info+xml` document (RFC 4235).
 *
 * The root must be `<dialog-info>` in the `urn:ietf:params:xml:ns:dialog-info` namespace (under any prefix) with a
 * numeric `version`, a `state` of `full` or `partial` and an `entity`; every `<dialog>` needs an `id` and a known
 * `<state>`. Optional values that are unknown or malformed (a vendor's own `event`, a negative duration) are left
 * out rather than failing the document. Text values are trimmed.
 *
 * @param xml - the NOTIFY body
 * @param options - limits replacing {@link PRESENCE_DOCUMENT_LIMITS}
 * @throws {@link CentrexError} `invalid-argument` for non-string input; `invalid-xml` for hostile or malformed XML;
 *   `unexpected-document` for another root element or namespace, or a missing required value
 * @example
 * ```ts
 * const info = parseDialogInfo(notify.body);
 * const lamp = lineStateOf(info); // 'idle' | 'ringing' | 'calling' | 'busy'
 * ```
 */
export function parseDialogInfo(xml: string, options?: PresenceParseOptions): DialogInfo {
  const root = parseXmlDocument(xml, options, KIND);
  expectRoot(root, DIALOG_INFO_NAMESPACE, 'dialog-info', KIND);
  const version = attributeOf(root, 'version')?.trim();
  if (version === undefined || !UNSIGNED.test(version)) {
    invalidDocument(KIND, 'the version attribute must be a whole number.', { version: clip(version ?? '') });
  }
  const state = attributeOf(root, 'state')?.trim();
  if (state !== 'full' && state !== 'partial') {
    invalidDocument(KIND, 'the state attribute must be "full" or "partial".', { state: clip(state ?? '') });
  }
  const entity = attributeOf(root, 'entity')?.trim();
  if (!entity) invalidDocument(KIND, 'the entity attribute is missing.');
  const dialogs = childrenNamed(root, DIALOG_INFO_NAMESPACE, 'dialog').map(readDialog);
  return { version: Number(version), state, entity, dialogs };
}

/** Throws `invalid-argument` for a field of a document to build. */
function badField(field: string, message: string): never {
  throw new CentrexError('invalid-argument', message, { details: { field } });
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const text = checkXmlValue(value, field);
  if (text === '') badField(field, `The field ${field} must not be empty; leave it out instead.`);
  return text;
}

function requiredString(value: unknown, field: string): string {
  const text = optionalString(value, field);
  if (text === undefined) badField(field, `The field ${field} is required.`);
  return text;
}

function optionalInteger(value: unknown, field: string, min: number, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    badField(field, `The field ${field} must be a whole number from ${min} to ${max}.`);
  }
  return String(value);
}

function participantNode(name: 'local' | 'remote', participant: DialogParticipant, field: string): XmlNode {
  if (participant === null || typeof participant !== 'object') badField(field, `The field ${field} must be an object.`);
  const identity = optionalString(participant.identity, `${field}.identity`);
  const displayName = participant.displayName === undefined ? undefined : checkXmlValue(participant.displayName, `${field}.displayName`);
  const target = optionalString(participant.target, `${field}.target`);
  if (displayName !== undefined && identity === undefined) {
    badField(`${field}.displayName`, `The field ${field}.displayName needs ${field}.identity: the display name belongs to the identity.`);
  }
  const children: XmlNode[] = [];
  if (identity !== undefined) children.push({ name: 'identity', attributes: [['display', displayName]], text: identity });
  if (target !== undefined) children.push({ name: 'target', attributes: [['uri', target]] });
  return { name, children };
}

function dialogNode(dialog: Dialog, index: number): XmlNode {
  const field = `dialogs[${index}]`;
  if (dialog === null || typeof dialog !== 'object') badField(field, `The field ${field} must be an object.`);
  if (!isOneOf(DIALOG_STATES, dialog.state)) badField(`${field}.state`, `The field ${field}.state must be one of ${DIALOG_STATES.join(', ')}.`);
  if (dialog.direction !== undefined && !isOneOf(DIRECTIONS, dialog.direction)) {
    badField(`${field}.direction`, `The field ${field}.direction must be "initiator" or "recipient".`);
  }
  if (dialog.event !== undefined && !isOneOf(EVENTS, dialog.event)) {
    badField(`${field}.event`, `The field ${field}.event must be one of ${EVENTS.join(', ')}.`);
  }
  const children: XmlNode[] = [
    {
      name: 'state',
      attributes: [
        ['event', dialog.event],
        ['code', optionalInteger(dialog.code, `${field}.code`, 100, 699)],
      ],
      text: dialog.state,
    },
  ];
  const duration = optionalInteger(dialog.duration, `${field}.duration`, 0, Number.MAX_SAFE_INTEGER);
  if (duration !== undefined) children.push({ name: 'duration', text: duration });
  if (dialog.local !== undefined) children.push(participantNode('local', dialog.local, `${field}.local`));
  if (dialog.remote !== undefined) children.push(participantNode('remote', dialog.remote, `${field}.remote`));
  return {
    name: 'dialog',
    attributes: [
      ['id', requiredString(dialog.id, `${field}.id`)],
      ['call-id', optionalString(dialog.callId, `${field}.callId`)],
      ['local-tag', optionalString(dialog.localTag, `${field}.localTag`)],
      ['remote-tag', optionalString(dialog.remoteTag, `${field}.remoteTag`)],
      ['direction', dialog.direction],
    ],
    children,
  };
}

/**
 * Writes an `application/dialog-info+xml` document (RFC 4235) with the default namespace.
 *
 * Every value is escaped, so display names such as `A & B "x"` or `<img src=x>` arrive as text.
 * `parseDialogInfo(buildDialogInfo(info))` returns `info` again for any valid input whose strings have no leading or
 * trailing blanks in identities.
 *
 * @param info - the document; the caller keeps the version counter of the subscription
 * @returns the XML text, UTF-8 declared
 * @throws {@link CentrexError} `invalid-argument` when a required value is missing, an enumeration has an unknown
 *   value, a number is out of range or a string holds a character XML cannot carry
 */
export function buildDialogInfo(info: DialogInfo): string {
  if (info === null || typeof info !== 'object') badField('info', 'Pass the dialog-info document as an object.');
  const version = optionalInteger(info.version, 'version', 0, Number.MAX_SAFE_INTEGER);
  if (version === undefined) badField('version', 'The field version is required.');
  if (info.state !== 'full' && info.state !== 'partial') badField('state', 'The field state must be "full" or "partial".');
  if (!Array.isArray(info.dialogs)) badField('dialogs', 'The field dialogs must be an array (it may be empty).');
  return renderXmlDocument({
    name: 'dialog-info',
    attributes: [
      ['xmlns', DIALOG_INFO_NAMESPACE],
      ['version', version],
      ['state', info.state],
      ['entity', requiredString(info.entity, 'entity')],
    ],
    children: info.dialogs.map(dialogNode),
  });
}
