/**
 * The people in a call as the router records them: each user's dialog state for LineStates (BLF, "busy"), and
 * each user's call-list entry at the end.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import type { IncomingCall } from '../../core/forwarding/index.js';
import type { LineDialog, LineDialogState } from '../line-states.js';
import { directNumberOf, type CallResult, type HistoryParty, type NewHistoryEntry } from '../store/index.js';
import type { RouterContext } from './context.js';
import type { Member } from './options.js';

/** A short random id for calls and dialogs. */
export function newId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** The caller of a call: an authenticated user, the device and flow the INVITE came from, and privacy. */
export interface Caller extends Member {
  /** The device whose credentials authenticated the INVITE. */
  readonly deviceId: string | undefined;
  /** The caller withholds their identity (Privacy header or anonymous From). */
  readonly anonymous: boolean;
  /** The flow the INVITE arrived on. */
  readonly flowId: string;
}

/** How a callee in `tenantId` sees the caller, for `planIncomingCall`: a colleague, an external number, or nobody. */
export function callerAsSeenBy(caller: Caller, tenantId: string): IncomingCall['from'] {
  if (caller.anonymous) return { anonymous: true };
  if (caller.tenant.id === tenantId) return { extension: caller.user.extension };
  const number = directNumberOf(caller.tenant, caller.user);
  return number === null ? { anonymous: true } : { number };
}

/** A user as someone in `viewer`'s tenant sees them in a call list: a colleague by extension, else their number. */
export function peerOf(member: Member, viewerTenantId: string): Partial<HistoryParty> {
  if (member.tenant.id === viewerTenantId) return { extension: member.user.extension, name: member.user.name };
  return { number: directNumberOf(member.tenant, member.user) };
}

/** The caller as a callee in `viewerTenantId` sees them in a call list. */
export function callerPeer(caller: Caller, viewerTenantId: string): Partial<HistoryParty> {
  return caller.anonymous ? {} : peerOf(caller, viewerTenantId);
}

/** A SIP address for a user as seen from `viewer`'s tenant (for LineStates and P-Asserted-Identity). */
export function addressOf(member: Member, viewer: Member['tenant']): { uri: string; displayName?: string } {
  if (member.tenant.id === viewer.id) {
    return { uri: `sip:${member.user.extension}@${member.tenant.sipDomain}`, displayName: member.user.name };
  }
  const number = directNumberOf(member.tenant, member.user);
  return number === null ? { uri: 'sip:anonymous@anonymous.invalid' } : { uri: `sip:${number}@${viewer.sipDomain};user=phone` };
}

/** One user's part in a call: their dialog for LineStates and their call-list outcome. */
export class Party {
  /** The user. */
  readonly member: Member;
  /** `initiator` for the caller, `recipient` for everyone rung. */
  readonly direction: LineDialog['direction'];
  /** The LineStates dialog id. */
  readonly dialogId: string;
  /** Who forwarded the call to this user, if someone did. */
  readonly forwardedBy: Member | undefined;
  /** How the call ended for this user, once known. */
  outcome: CallResult | undefined;
  /** The other side, for LineStates. */
  remote: { uri: string; displayName?: string };
  #state: LineDialogState | undefined;
  #confirmedAt: number | undefined;
  readonly #ctx: RouterContext;
  readonly #callId: string;

  constructor(
    ctx: RouterContext,
    init: {
      readonly member: Member;
      readonly direction: LineDialog['direction'];
      readonly callId: string;
      readonly remote: { uri: string; displayName?: string };
      readonly forwardedBy?: Member | undefined;
    },
  ) {
    this.#ctx = ctx;
    this.member = init.member;
    this.direction = init.direction;
    this.#callId = init.callId;
    this.remote = init.remote;
    this.forwardedBy = init.forwardedBy;
    this.dialogId = `${init.direction === 'initiator' ? 'out' : 'in'}-${newId(6)}`;
  }

  /** The last state reported, if any. */
  get state(): LineDialogState | undefined {
    return this.#state;
  }

  /** Whether the party's dialog is live (reported and not terminated). */
  get live(): boolean {
    return this.#state !== undefined && this.#state !== 'terminated';
  }

  /**
   * Reports a new dialog state to LineStates. Repeats are not reported; nothing comes after `terminated`; a state
   * never goes back (a late 180 after the 200 changes nothing).
   */
  report(state: LineDialogState): void {
    const order: readonly LineDialogState[] = ['trying', 'proceeding', 'early', 'confirmed', 'terminated'];
    if (this.#state === 'terminated') return;
    if (this.#state !== undefined && order.indexOf(state) <= order.indexOf(this.#state)) return;
    // A dialog never reported has nothing to terminate: presence would only see a stray "terminated".
    if (state === 'terminated' && this.#state === undefined) return;
    this.#state = state;
    if (state === 'confirmed') this.#confirmedAt = this.#ctx.clock.now();
    this.#ctx.lines.report({
      id: this.dialogId,
      tenantId: this.member.tenant.id,
      userId: this.member.user.id,
      extension: this.member.user.extension,
      callId: this.#callId,
      direction: this.direction,
      state,
      remote: this.remote,
      ...(this.#confirmedAt === undefined ? {} : { confirmedAt: this.#confirmedAt }),
    });
  }
}

/** The order of outcomes when one user took part several times (rung, then rung again after forwarding). */
const OUTCOME_RANK: Readonly<Record<CallResult, number>> = { answered: 4, rejected: 3, busy: 2, missed: 1, failed: 0 };

/** The better of two outcomes for one user's single call-list entry. */
export function betterOutcome(a: CallResult | undefined, b: CallResult): CallResult {
  return a === undefined || OUTCOME_RANK[b] > OUTCOME_RANK[a] ? b : a;
}

/** What the caller's call list says for a call that ended with `status` and was not answered. */
export function callerResult(status: number): CallResult {
  if (status === 486 || status === 600) return 'busy';
  if (status === 603) return 'rejected';
  if (status === 408 || status === 480 || status === 487) return 'missed';
  return 'failed';
}

/** One call-list entry to write. */
export interface PendingEntry {
  readonly member: Member;
  readonly entry: NewHistoryEntry;
}

/**
 * Writes call-list entries. Entries of calls that end close together are written in one transaction a moment later
 * (`historyBatchMs`): with the store's synchronous=FULL every transaction costs a disk sync, and under load many
 * calls end at once. Each entry is announced with `history-added` once written. A failure is logged: the call itself
 * is over and must not be disturbed by bookkeeping.
 */
export class HistoryWriter {
  readonly #ctx: RouterContext;
  readonly #delayMs: number;
  #pending: PendingEntry[] = [];
  #cancel: (() => void) | undefined;

  constructor(ctx: RouterContext, delayMs: number) {
    this.#ctx = ctx;
    this.#delayMs = delayMs;
  }

  /** Queues entries for the next write. */
  write(entries: readonly PendingEntry[]): void {
    if (entries.length === 0) return;
    this.#pending.push(...entries);
    if (this.#cancel) return;
    if (this.#delayMs <= 0) {
      const handle = setImmediate(() => this.flush());
      this.#cancel = () => clearImmediate(handle);
    } else {
      // Real time on purpose: this is I/O batching, and the router's clock may be a test's manual one.
      const handle = setTimeout(() => this.flush(), this.#delayMs);
      handle.unref();
      this.#cancel = () => clearTimeout(handle);
    }
  }

  /** Writes everything queued now (also at shutdown). */
  flush(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    const entries = this.#pending;
    this.#pending = [];
    if (entries.length === 0) return;
    const ctx = this.#ctx;
    let written: Array<{ member: Member; id: string }>;
    try {
      written = ctx.store.transaction(() =>
        entries.map(({ member, entry }) => ({ member, id: ctx.store.addHistoryEntry(member.user.id, entry).id })),
      );
    } catch (error) {
      ctx.log('error', 'could not write call-list entries', { error: String(error), entries: entries.length });
      return;
    }
    for (const { member, id } of written) {
      ctx.events.emit({ type: 'history-added', tenantId: member.tenant.id, userId: member.user.id, entryId: id });
    }
  }
}
