/**
 * The NOTIFY bodies of the three packages, built with the core's presence writers. Each renderer also returns a
 * `key`: what the watcher has been told, so that a burst of changes that ends where it started sends nothing.
 */
import {
  buildDialogInfo,
  buildMessageSummary,
  buildPidf,
  pidfForAvailability,
  type Availability,
  type Dialog,
  type MessageCounts,
} from '../../core/presence/index.js';
import type { LineDialog } from '../line-states.js';

/** A rendered NOTIFY body. */
export interface RenderedBody {
  readonly body: string;
  /** Equal keys mean the watcher would learn nothing new. */
  readonly key: string;
}

/** What {@link renderDialogInfo} needs. */
export interface DialogInfoInput {
  /** The watched line, e.g. `sip:12@alpha.test`. */
  readonly entity: string;
  /** The user's live dialogs (LineStates). */
  readonly dialogs: readonly LineDialog[];
  /** The dialogs the previous NOTIFY of this subscription showed as live, by id. */
  readonly reported: ReadonlyMap<string, LineDialog>;
  /** The document version: how many NOTIFYs this subscription sent before (RFC 4235 §4.1). */
  readonly version: number;
  /** The clock, ms since the epoch, for call durations. */
  readonly now: number;
}

/** A rendered dialog-info body and the live dialogs it showed (the next call's `reported`). */
export interface RenderedDialogInfo extends RenderedBody {
  readonly reported: ReadonlyMap<string, LineDialog>;
}

function toDialog(line: LineDialog, entity: string, now: number, withRemote: boolean): Dialog {
  const remote = withRemote && line.remote && line.remote.uri !== '' ? line.remote : undefined;
  const duration = line.state === 'confirmed' && line.confirmedAt !== undefined ? Math.max(0, Math.floor((now - line.confirmedAt) / 1000)) : undefined;
  return {
    id: line.id,
    ...(line.callId === '' ? {} : { callId: line.callId }),
    direction: line.direction,
    state: line.state,
    ...(duration === undefined ? {} : { duration }),
    local: { identity: entity },
    ...(remote === undefined
      ? {}
      : {
          remote: {
            identity: remote.uri,
            ...(remote.displayName === undefined || remote.displayName === '' ? {} : { displayName: remote.displayName }),
          },
        }),
  };
}

/** What a watcher has been told about a set of live dialogs: ids, states, directions and the other party. */
function dialogKey(dialogs: readonly LineDialog[]): string {
  return JSON.stringify(
    dialogs
      .map((dialog) => [dialog.id, dialog.state, dialog.direction, dialog.remote?.uri ?? '', dialog.remote?.displayName ?? ''])
      .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)),
  );
}

/**
 * A `full` dialog-info document (RFC 4235) of the user's live dialogs. A dialog the previous NOTIFY showed and that
 * has ended since is listed once more as `terminated`: a BLF key then sees the call end instead of a dialog that
 * merely disappears, which some phones show as "unknown".
 *
 * Remote identities come from the call (a caller's From): if one cannot be written as XML (a control character),
 * the document is written without the remote parties rather than not at all.
 */
export function renderDialogInfo(input: DialogInfoInput): RenderedDialogInfo {
  const live = input.dialogs.filter((dialog) => dialog.state !== 'terminated');
  const liveIds = new Set(live.map((dialog) => dialog.id));
  const ended = [...input.reported.values()].filter((dialog) => !liveIds.has(dialog.id)).map((dialog) => ({ ...dialog, state: 'terminated' as const }));
  const all = [...live, ...ended];
  const build = (withRemote: boolean): string =>
    buildDialogInfo({
      version: input.version,
      state: 'full',
      entity: input.entity,
      dialogs: all.map((dialog) => toDialog(dialog, input.entity, input.now, withRemote)),
    });
  let body: string;
  try {
    body = build(true);
  } catch {
    body = build(false);
  }
  return { body, key: dialogKey(live), reported: new Map(live.map((dialog) => [dialog.id, dialog])) };
}

/** What {@link renderPresence} needs. */
export interface PresenceInput {
  /** The presentity, e.g. `sip:12@alpha.test`; also the tuple's contact (the line to call). */
  readonly entity: string;
  readonly availability: Availability;
  /** When the availability began, ms since the epoch. */
  readonly since: number;
}

/** A PIDF document for an availability, encoded as the core's `pidfForAvailability` defines. */
export function renderPresence(input: PresenceInput): RenderedBody {
  const body = buildPidf(
    pidfForAvailability({
      entity: input.entity,
      availability: input.availability,
      contact: input.entity,
      timestamp: new Date(input.since).toISOString(),
    }),
  );
  return { body, key: input.availability };
}

/** What {@link renderMessageSummary} needs. */
export interface MessageSummaryInput {
  /** The mailbox, e.g. `sip:12@alpha.test`. */
  readonly account: string;
  /** The voice message counts; no voicemail yet means 0/0. */
  readonly voice: MessageCounts;
}

/** A message-summary body (RFC 3842): `Messages-Waiting` is `yes` exactly when there are new messages. */
export function renderMessageSummary(input: MessageSummaryInput): RenderedBody {
  const body = buildMessageSummary({
    messagesWaiting: input.voice.newMessages > 0,
    account: input.account,
    counts: { voice: input.voice },
  });
  return { body, key: body };
}
