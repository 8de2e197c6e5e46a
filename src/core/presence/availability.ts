/**
 * The presence states of the manual and how they travel in PIDF.
 *
 * {@link availabilityOf} reads any PIDF document, ours or a foreign server's, into an {@link Availability};
 * {@link pidfForAvailability} encodes one so that `availabilityOf(parsePidf(buildPidf(pidfForAvailability(x))))`
 * gives back `x.availability`.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import type { PidfDocument, PidfNote } from './pidf.js';

/**
 * The presence states of the manual.
 *
 * - `available` ("Verfügbar"): reachable, at the web app.
 * - `busy` ("Besetzt"): in a call.
 * - `line-free` ("Leitung frei"): reachable on a registered desk phone, but not at the web app.
 * - `dnd` ("Nicht stören"): does not want calls.
 * - `offline` ("Offline"): not reachable.
 */
export type Availability = 'available' | 'busy' | 'line-free' | 'dnd' | 'offline';

/** Every {@link Availability}, in the order of the manual. */
export const AVAILABILITIES: readonly Availability[] = Object.freeze(['available', 'busy', 'line-free', 'dnd', 'offline']);

/**
 * How each {@link Availability} is written: the tuple's `<basic>`, the person's RPID activity (if any) and the
 * default note for watchers that only show text.
 *
 * | availability | basic  | activity       | note             |
 * |--------------|--------|----------------|------------------|
 * | available    | open   | (none)         | Available        |
 * | busy         | open   | `on-the-phone` | On the phone     |
 * | line-free    | open   | `unknown`      | Line free        |
 * | dnd          | closed | `busy`         | Do not disturb   |
 * | offline      | closed | (none)         | Offline          |
 *
 * `line-free` uses RPID's `unknown` because it states exactly what is known: the line is reachable, but nobody is
 * at the web app to say what the person is doing. `dnd` is `closed` so that watchers which only read `<basic>` (most
 * desk phones) do not offer a call, and `busy` tells it apart from `offline`.
 */
export const AVAILABILITY_ENCODING: Readonly<
  Record<Availability, { readonly basic: 'open' | 'closed'; readonly activity?: string; readonly note: string }>
> = Object.freeze({
  available: { basic: 'open', note: 'Available' },
  busy: { basic: 'open', activity: 'on-the-phone', note: 'On the phone' },
  'line-free': { basic: 'open', activity: 'unknown', note: 'Line free' },
  dnd: { basic: 'closed', activity: 'busy', note: 'Do not disturb' },
  offline: { basic: 'closed', note: 'Offline' },
});

// Absence-like activities: the person is not at the app, but an open service means the phone still rings.
const ABSENT_ACTIVITIES = new Set(['unknown', 'away']);

/**
 * Reads the {@link Availability} of a PIDF document, ours or a foreign server's.
 *
 * The document is `open` when any tuple's `<basic>` is `open`, otherwise (all `closed`, or no basic at all)
 * `closed`. The RPID activities of all persons and tuples are then looked at:
 *
 * - `closed` with `busy` → `dnd`; any other `closed` → `offline`.
 * - `open` with `on-the-phone` or `busy` → `busy`. Asterisk and Kamailio report a line in use this way
 *   (`<rpid:busy/>` and `<rpid:on-the-phone/>` respectively, with `<basic>open</basic>`).
 * - `open` with `unknown` or `away` → `line-free`: reachable by phone, but not attending the app.
 * - any other `open` (just `<basic>open</basic>`, or activities such as `meeting`) → `available`.
 *
 * Notes are never interpreted: their wording depends on the server and the language.
 *
 * @param doc - a parsed PIDF document
 */
export function availabilityOf(doc: PidfDocument): Availability {
  const open = doc.tuples.some((tuple) => tuple.basic === 'open');
  const activities = new Set([...doc.persons.flatMap((person) => person.activities), ...doc.tuples.flatMap((tuple) => tuple.activities)]);
  if (!open) return activities.has('busy') ? 'dnd' : 'offline';
  if (activities.has('on-the-phone') || activities.has('busy')) return 'busy';
  if ([...activities].some((activity) => ABSENT_ACTIVITIES.has(activity))) return 'line-free';
  return 'available';
}

/** What {@link pidfForAvailability} needs to describe a presentity. */
export interface AvailabilityPresence {
  /** The presentity, e.g. `sip:33@pbx.example.com`. */
  readonly entity: string;
  /** The state to publish. */
  readonly availability: Availability;
  /** A note for people, replacing the default of {@link AVAILABILITY_ENCODING}; `''` writes none. */
  readonly note?: string;
  /** The language of the note, e.g. `'de'`; written as `xml:lang`. */
  readonly noteLang?: string;
  /** The SIP contact of the line, written into the tuple. */
  readonly contact?: string;
  /** When the state was set (RFC 3339), supplied by the caller since this code reads no clock. */
  readonly timestamp?: string;
  /** The tuple id; defaults to `'line'`. */
  readonly tupleId?: string;
  /** The person id; defaults to `'person'`. */
  readonly personId?: string;
}

/**
 * Describes an {@link Availability} as a PIDF document (see {@link AVAILABILITY_ENCODING}): one tuple with the
 * basic status, the contact, the note and the timestamp, and one person with the RPID activity.
 *
 * @example
 * ```ts
 * const body = buildPidf(pidfForAvailability({ entity: 'sip:33@pbx.example.com', availability: 'dnd' }));
 * ```
 * @throws {@link CentrexError} `invalid-argument` for an unknown availability; other fields are checked by
 *   {@link buildPidf}
 */
export function pidfForAvailability(presence: AvailabilityPresence): PidfDocument {
  if (presence === null || typeof presence !== 'object' || !AVAILABILITIES.includes(presence.availability)) {
    throw new CentrexError('invalid-argument', `Pass an availability: one of ${AVAILABILITIES.join(', ')}.`, {
      details: { field: 'availability' },
    });
  }
  const encoding = AVAILABILITY_ENCODING[presence.availability];
  const noteText = presence.note ?? encoding.note;
  const notes: PidfNote[] = noteText === '' ? [] : [{ text: noteText, ...(presence.noteLang !== undefined ? { lang: presence.noteLang } : {}) }];
  return {
    entity: presence.entity,
    tuples: [
      {
        id: presence.tupleId ?? 'line',
        basic: encoding.basic,
        activities: [],
        ...(presence.contact !== undefined ? { contact: presence.contact } : {}),
        notes,
        ...(presence.timestamp !== undefined ? { timestamp: presence.timestamp } : {}),
      },
    ],
    notes: [],
    persons: [{ id: presence.personId ?? 'person', activities: encoding.activity === undefined ? [] : [encoding.activity], notes: [] }],
    devices: [],
  };
}
