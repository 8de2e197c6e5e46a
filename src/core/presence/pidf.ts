/**
 * `application/pidf+xml` (RFC 3863) with the extensions SIP servers actually send: the data model's `<person>` and
 * `<device>` (RFC 4479) and RPID `<activities>` (RFC 4480).
 *
 * {@link parsePidf} reads a document into a {@link PidfDocument}, {@link buildPidf} writes one. What a presence key
 * shows is decided separately, in `availability.ts`.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import {
  XML_NAMESPACE,
  attributeOf,
  childNamed,
  childrenNamed,
  expectRoot,
  invalidDocument,
  parseXmlDocument,
  type PresenceParseOptions,
  type XmlElement,
} from './xml.js';
import { checkXmlValue, renderXmlDocument, type XmlNode } from './xml-writer.js';

/** The XML namespace of PIDF (RFC 3863). */
export const PIDF_NAMESPACE = 'urn:ietf:params:xml:ns:pidf';
/** The XML namespace of the presence data model (RFC 4479): `<person>`, `<device>`. */
export const PIDF_DATA_MODEL_NAMESPACE = 'urn:ietf:params:xml:ns:pidf:data-model';
/** The XML namespace of rich presence, RPID (RFC 4480): `<activities>`. */
export const RPID_NAMESPACE = 'urn:ietf:params:xml:ns:pidf:rpid';

/** Whether a service can be reached (`open`) or not (`closed`). */
export type PidfBasic = 'open' | 'closed';

/** A free-text note, optionally tagged with its language. */
export interface PidfNote {
  /** The text, trimmed. */
  readonly text: string;
  /** The `xml:lang` of the note, e.g. `'en'`. */
  readonly lang?: string;
}

/** A communication service of the presentity (RFC 3863 `<tuple>`). */
export interface PidfTuple {
  /** The tuple id, unique in the document. */
  readonly id: string;
  /** The `<status><basic>` value, when given. */
  readonly basic?: PidfBasic;
  /**
   * RPID activity names found inside `<status>`: older clients put them there instead of in a `<person>`.
   * Empty when there are none.
   */
  readonly activities: readonly string[];
  /** The contact URI of the service. */
  readonly contact?: string;
  /** The contact's priority, from 0 to 1. */
  readonly contactPriority?: number;
  /** Notes about the service. */
  readonly notes: readonly PidfNote[];
  /** When the status was last set, as written in the document (an RFC 3339 date-time). */
  readonly timestamp?: string;
}

/** The human behind the presentity (RFC 4479 `<person>`). */
export interface PidfPerson {
  /** The person id; some servers (Asterisk) leave it out. */
  readonly id?: string;
  /**
   * The person's RPID activities as local names, e.g. `['on-the-phone']` or `['away']` (RFC 4480 lists `away`,
   * `busy`, `meeting`, `on-the-phone`, `vacation`, `unknown` and more); empty when none are given.
   */
  readonly activities: readonly string[];
  /** Notes about the person. */
  readonly notes: readonly PidfNote[];
  /** When the information was last set, as written in the document. */
  readonly timestamp?: string;
}

/** A device of the presentity, e.g. a desk phone (RFC 4479 `<device>`). */
export interface PidfDevice {
  /** The element id. */
  readonly id?: string;
  /** The device identifier (`<deviceID>`), e.g. a `urn:uuid:` or MAC-based URN. */
  readonly deviceId?: string;
  /** Notes about the device. */
  readonly notes: readonly PidfNote[];
  /** When the information was last set, as written in the document. */
  readonly timestamp?: string;
}

/** A PIDF document. */
export interface PidfDocument {
  /** The presentity, e.g. `pres:alice@example.com` or `sip:33@pbx.example.com`. */
  readonly entity: string;
  /** The services (`<tuple>`). */
  readonly tuples: readonly PidfTuple[];
  /** Notes about the whole presentity (`<note>` directly in `<presence>`). */
  readonly notes: readonly PidfNote[];
  /** The data model's persons. */
  readonly persons: readonly PidfPerson[];
  /** The data model's devices. */
  readonly devices: readonly PidfDevice[];
}

const KIND = 'PIDF';
const PRIORITY = /^(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?|\.[0-9]{1,3})$/;
// RPID activity names are XML local names; this ASCII subset covers every registered one and keeps built names valid.
const ACTIVITY_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

function readNotes(parent: XmlElement, namespace: string): PidfNote[] {
  return childrenNamed(parent, namespace, 'note').map((note) => {
    const lang = attributeOf(note, 'lang', XML_NAMESPACE);
    return { text: note.text.trim(), ...(lang !== undefined ? { lang } : {}) };
  });
}

function readTimestamp(parent: XmlElement, namespace: string): { timestamp?: string } {
  const timestamp = childNamed(parent, namespace, 'timestamp')?.text.trim();
  return timestamp ? { timestamp } : {};
}

/** Collects the RPID activity names of every `<rpid:activities>` child of `parent`. */
function readActivities(parent: XmlElement): string[] {
  return childrenNamed(parent, RPID_NAMESPACE, 'activities').flatMap((activities) =>
    activities.children.filter((child) => child.namespace === RPID_NAMESPACE).map((child) => child.localName),
  );
}

function readTuple(element: XmlElement): PidfTuple {
  const id = attributeOf(element, 'id');
  if (!id) invalidDocument(KIND, 'a <tuple> has no id attribute.');
  const status = childNamed(element, PIDF_NAMESPACE, 'status');
  const basic = status === undefined ? undefined : childNamed(status, PIDF_NAMESPACE, 'basic')?.text.trim();
  const contact = childNamed(element, PIDF_NAMESPACE, 'contact');
  const contactUri = contact?.text.trim();
  const priority = contact === undefined ? undefined : attributeOf(contact, 'priority')?.trim();
  return {
    id,
    // An unknown basic value is dropped, not fatal: the rest of the tuple can still be shown.
    ...(basic === 'open' || basic === 'closed' ? { basic } : {}),
    activities: status === undefined ? [] : readActivities(status),
    ...(contactUri ? { contact: contactUri } : {}),
    ...(contactUri && priority !== undefined && PRIORITY.test(priority) ? { contactPriority: Number(priority) } : {}),
    notes: readNotes(element, PIDF_NAMESPACE),
    ...readTimestamp(element, PIDF_NAMESPACE),
  };
}

function readPerson(element: XmlElement): PidfPerson {
  const id = attributeOf(element, 'id');
  return {
    ...(id ? { id } : {}),
    activities: readActivities(element),
    notes: readNotes(element, PIDF_DATA_MODEL_NAMESPACE),
    ...readTimestamp(element, PIDF_DATA_MODEL_NAMESPACE),
  };
}

function readDevice(element: XmlElement): PidfDevice {
  const id = attributeOf(element, 'id');
  const deviceId = childNamed(element, PIDF_DATA_MODEL_NAMESPACE, 'deviceID')?.text.trim();
  return {
    ...(id ? { id } : {}),
    ...(deviceId ? { deviceId } : {}),
    notes: readNotes(element, PIDF_DATA_MODEL_NAMESPACE),
    ...readTimestamp(element, PIDF_DATA_MODEL_NAMESPACE),
  };
}

/**
 * Parses an `application/pidf+xml` document (RFC 3863) with data-model persons and devices (RFC 4479) and RPID
 * activities (RFC 4480).
 *
 * The root must be `<presence>` in the `urn:ietf:params:xml:ns:pidf` namespace with an `entity`, and every `<tuple>`
 * needs an `id`. Namespaces are resolved, so any prefixes work. Elements of other extensions are skipped; unknown
 * `<basic>` values and malformed priorities are left out. Text values are trimmed.
 *
 * @param xml - the NOTIFY or PUBLISH body
 * @param options - limits replacing {@link PRESENCE_DOCUMENT_LIMITS}
 * @throws {@link CentrexError} `invalid-argument` for non-string input; `invalid-xml` for hostile or malformed XML;
 *   `unexpected-document` for another root element or namespace, or a missing entity or tuple id
 */
export function parsePidf(xml: string, options?: PresenceParseOptions): PidfDocument {
  const root = parseXmlDocument(xml, options, KIND);
  expectRoot(root, PIDF_NAMESPACE, 'presence', KIND);
  const entity = attributeOf(root, 'entity')?.trim();
  if (!entity) invalidDocument(KIND, 'the entity attribute is missing.');
  return {
    entity,
    tuples: childrenNamed(root, PIDF_NAMESPACE, 'tuple').map(readTuple),
    notes: readNotes(root, PIDF_NAMESPACE),
    persons: childrenNamed(root, PIDF_DATA_MODEL_NAMESPACE, 'person').map(readPerson),
    devices: childrenNamed(root, PIDF_DATA_MODEL_NAMESPACE, 'device').map(readDevice),
  };
}

function badField(field: string, message: string): never {
  throw new CentrexError('invalid-argument', message, { details: { field } });
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  const text = checkXmlValue(value, field);
  if (text.trim() === '') badField(field, `The field ${field} must not be empty; leave it out instead.`);
  return text;
}

function requiredString(value: unknown, field: string): string {
  const text = optionalString(value, field);
  if (text === undefined) badField(field, `The field ${field} is required.`);
  return text;
}

function list<T>(value: readonly T[] | undefined, field: string): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) badField(field, `The field ${field} must be an array.`);
  return value;
}

function noteNodes(notes: readonly PidfNote[] | undefined, name: string, field: string): XmlNode[] {
  return list(notes, field).map((note, index) => {
    if (note === null || typeof note !== 'object') badField(`${field}[${index}]`, `The field ${field}[${index}] must be an object.`);
    return {
      name,
      attributes: [['xml:lang', optionalString(note.lang, `${field}[${index}].lang`)]],
      text: checkXmlValue(note.text, `${field}[${index}].text`),
    };
  });
}

function activitiesNode(activities: readonly string[] | undefined, field: string): XmlNode[] {
  const names = list(activities, field);
  if (names.length === 0) return [];
  return [
    {
      name: 'rpid:activities',
      children: names.map((name, index) => {
        if (typeof name !== 'string' || !ACTIVITY_NAME.test(name)) {
          badField(`${field}[${index}]`, `The activity ${JSON.stringify(name)} is not a valid RPID activity name such as "on-the-phone".`);
        }
        return { name: `rpid:${name}` };
      }),
    },
  ];
}

function timestampNode(timestamp: string | undefined, name: string, field: string): XmlNode[] {
  const text = optionalString(timestamp, field);
  return text === undefined ? [] : [{ name, text }];
}

function tupleNode(tuple: PidfTuple, index: number): XmlNode {
  const field = `tuples[${index}]`;
  if (tuple === null || typeof tuple !== 'object') badField(field, `The field ${field} must be an object.`);
  if (tuple.basic !== undefined && tuple.basic !== 'open' && tuple.basic !== 'closed') {
    badField(`${field}.basic`, `The field ${field}.basic must be "open" or "closed".`);
  }
  const contact = optionalString(tuple.contact, `${field}.contact`);
  const priority = tuple.contactPriority;
  if (priority !== undefined && (typeof priority !== 'number' || !(priority >= 0 && priority <= 1) || contact === undefined)) {
    badField(`${field}.contactPriority`, `The field ${field}.contactPriority must be a number from 0 to 1 and needs a contact.`);
  }
  const status: XmlNode[] = [
    ...(tuple.basic !== undefined ? [{ name: 'basic', text: tuple.basic }] : []),
    ...activitiesNode(tuple.activities, `${field}.activities`),
  ];
  return {
    name: 'tuple',
    attributes: [['id', requiredString(tuple.id, `${field}.id`)]],
    children: [
      { name: 'status', children: status },
      ...(contact !== undefined
        ? [{ name: 'contact', attributes: [['priority', priority === undefined ? undefined : String(Number(priority.toFixed(3)))]] as const, text: contact }]
        : []),
      ...noteNodes(tuple.notes, 'note', `${field}.notes`),
      ...timestampNode(tuple.timestamp, 'timestamp', `${field}.timestamp`),
    ],
  };
}

function personNode(person: PidfPerson, index: number): XmlNode {
  const field = `persons[${index}]`;
  if (person === null || typeof person !== 'object') badField(field, `The field ${field} must be an object.`);
  return {
    name: 'dm:person',
    attributes: [['id', optionalString(person.id, `${field}.id`)]],
    children: [
      ...activitiesNode(person.activities, `${field}.activities`),
      ...noteNodes(person.notes, 'dm:note', `${field}.notes`),
      ...timestampNode(person.timestamp, 'dm:timestamp', `${field}.timestamp`),
    ],
  };
}

function deviceNode(device: PidfDevice, index: number): XmlNode {
  const field = `devices[${index}]`;
  if (device === null || typeof device !== 'object') badField(field, `The field ${field} must be an object.`);
  const deviceId = optionalString(device.deviceId, `${field}.deviceId`);
  return {
    name: 'dm:device',
    attributes: [['id', optionalString(device.id, `${field}.id`)]],
    children: [
      ...(deviceId !== undefined ? [{ name: 'dm:deviceID', text: deviceId }] : []),
      ...noteNodes(device.notes, 'dm:note', `${field}.notes`),
      ...timestampNode(device.timestamp, 'dm:timestamp', `${field}.timestamp`),
    ],
  };
}

/**
 * Writes an `application/pidf+xml` document: PIDF as the default namespace, the data model as `dm:` and RPID as
 * `rpid:`, elements in the order the schemas require.
 *
 * Every value is escaped. `parsePidf(buildPidf(doc))` returns `doc` again when its texts have no leading or trailing
 * blanks and contact priorities have at most three decimals; empty `activities`/`notes` arrays may also be left out
 * of the input, they come back as `[]`.
 *
 * @param doc - the document to write
 * @throws {@link CentrexError} `invalid-argument` when the entity or a tuple id is missing, `basic` is not
 *   `open`/`closed`, a priority is outside 0..1, an activity name is not a valid XML name, or a string holds a
 *   character XML cannot carry
 */
export function buildPidf(doc: PidfDocument): string {
  if (doc === null || typeof doc !== 'object') badField('doc', 'Pass the PIDF document as an object.');
  return renderXmlDocument({
    name: 'presence',
    attributes: [
      ['xmlns', PIDF_NAMESPACE],
      ['xmlns:dm', PIDF_DATA_MODEL_NAMESPACE],
      ['xmlns:rpid', RPID_NAMESPACE],
      ['entity', requiredString(doc.entity, 'entity')],
    ],
    children: [
      ...list(doc.tuples, 'tuples').map(tupleNode),
      ...noteNodes(doc.notes, 'note', 'notes'),
      ...list(doc.persons, 'persons').map(personNode),
      ...list(doc.devices, 'devices').map(deviceNode),
    ],
  });
}
