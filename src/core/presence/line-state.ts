/**
 * What a busy lamp field (BLF) key shows for a dialog-info document, and how partial documents add up.
 *
 * @packageDocumentation
 */
import type { Dialog, DialogInfo } from './dialog-info.js';

/**
 * The state of a BLF key for one observed line.
 *
 * - `idle`: no call on the line.
 * - `ringing`: a call is coming in and not yet answered (it can be picked up).
 * - `calling`: the line is placing a call that is not yet answered.
 * - `busy`: the line is in an answered call.
 */
export type LineState = 'idle' | 'ringing' | 'calling' | 'busy';

/**
 * Derives the BLF state from all dialogs of a line.
 *
 * Terminated dialogs are ignored; of the rest, the first rule that matches wins:
 *
 * 1. any `confirmed` dialog → `busy` (a call waiting on a line that is already talking is shown as busy, because
 *    the line is in use);
 * 2. any `trying`, `proceeding` or `early` dialog with direction `recipient` → `ringing`;
 * 3. any other `trying`, `proceeding` or `early` dialog (direction `initiator`, or no direction given) → `calling`.
 *    Without a direction a ringing phone cannot be told from a calling one, and `calling` never invites a pickup
 *    that would fail;
 * 4. otherwise → `idle`.
 *
 * Pass the merged state of a subscription (see {@link mergeDialogInfo}); a `partial` document alone only lists the
 * dialogs that changed.
 *
 * @param info - a full dialog-info document, or just its dialogs
 */
export function lineStateOf(info: DialogInfo | readonly Dialog[]): LineState {
  const dialogs = isDialogList(info) ? info : info.dialogs;
  let ringing = false;
  let calling = false;
  for (const dialog of dialogs) {
    switch (dialog.state) {
      case 'confirmed':
        return 'busy';
      case 'trying':
      case 'proceeding':
      case 'early':
        if (dialog.direction === 'recipient') ringing = true;
        else calling = true;
        break;
      case 'terminated':
        break;
    }
  }
  return ringing ? 'ringing' : calling ? 'calling' : 'idle';
}

function isDialogList(info: DialogInfo | readonly Dialog[]): info is readonly Dialog[] {
  return Array.isArray(info);
}

/**
 * Applies a received dialog-info document to the state known so far (RFC 4235 section 4.1).
 *
 * - A document whose version is not newer than `current` is a duplicate or arrived late: `current` is returned.
 * - A `full` document replaces the state.
 * - A `partial` document replaces the dialogs with the same id and adds new ones.
 *
 * The result is always a `full` document with the newest version, and terminated dialogs are dropped from it: they
 * no longer affect the line, and keeping them would let the state grow for as long as the subscription lives.
 *
 * A `partial` document without a known state, or one that skips versions, means notifications were lost; it is still
 * applied as well as possible, and the caller should refresh the subscription to get a full document.
 *
 * @param current - the state so far, `undefined` before the first NOTIFY
 * @param update - the document just received
 */
export function mergeDialogInfo(current: DialogInfo | undefined, update: DialogInfo): DialogInfo {
  const live = (dialogs: readonly Dialog[]): Dialog[] => dialogs.filter((dialog) => dialog.state !== 'terminated');
  if (current !== undefined && update.version <= current.version) return current;
  if (current === undefined || update.state === 'full') {
    return { version: update.version, state: 'full', entity: update.entity, dialogs: live(update.dialogs) };
  }
  const byId = new Map<string, Dialog>(current.dialogs.map((dialog) => [dialog.id, dialog]));
  for (const dialog of update.dialogs) byId.set(dialog.id, dialog);
  return { version: update.version, state: 'full', entity: current.entity, dialogs: live([...byId.values()]) };
}
