/**
 * What the call router knows about every user's calls, for the presence server (BLF, "busy") and the router itself
 * ("is the callee in a call?"). The router reports each dialog's state changes; watchers read or subscribe.
 */

/** RFC 4235 dialog states as the proxy sees them. */
export type LineDialogState = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';

/** One call leg of a user, as seen by the proxy. */
export interface LineDialog {
  /** Stable id of this user's side of the call (unique per user). */
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  /** The user's extension. */
  readonly extension: string;
  readonly callId: string;
  /** `initiator`: the user called; `recipient`: the user is being called. */
  readonly direction: 'initiator' | 'recipient';
  readonly state: LineDialogState;
  /** The other party: a SIP URI and display name, when known. */
  readonly remote?: { readonly uri: string; readonly displayName?: string };
  /** When the dialog entered `confirmed`, ms since the epoch. */
  readonly confirmedAt?: number;
}

/** A listener of {@link LineStates}. */
export type LineStateListener = (dialog: LineDialog) => void;

/**
 * The live dialogs of all users. The router calls {@link LineStates.report} on each change; a dialog reported as
 * `terminated` is announced once and then forgotten.
 */
export class LineStates {
  readonly #dialogs = new Map<string, Map<string, LineDialog>>();
  readonly #listeners = new Set<LineStateListener>();

  /** Records a dialog's new state and tells every listener. */
  report(dialog: LineDialog): void {
    let ofUser = this.#dialogs.get(dialog.userId);
    if (dialog.state === 'terminated') {
      ofUser?.delete(dialog.id);
      if (ofUser?.size === 0) this.#dialogs.delete(dialog.userId);
    } else {
      if (!ofUser) this.#dialogs.set(dialog.userId, (ofUser = new Map()));
      ofUser.set(dialog.id, dialog);
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(dialog);
      } catch {
        // One failing watcher must not stop the router or the other watchers.
      }
    }
  }

  /** The user's dialogs that have not terminated. */
  dialogsOf(userId: string): LineDialog[] {
    return [...(this.#dialogs.get(userId)?.values() ?? [])];
  }

  /** Whether the user is in an established call (a confirmed dialog). */
  isBusy(userId: string): boolean {
    return this.dialogsOf(userId).some((dialog) => dialog.state === 'confirmed');
  }

  /**
   * Subscribes to every change.
   * @returns a function that unsubscribes
   */
  on(listener: LineStateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
