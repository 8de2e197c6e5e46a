/**
 * Calls the PBX learns of only after they began. A restarted PBX has forgotten every call; the phones keep talking
 * (media goes between them) and, once registered again, refresh their calls with re-INVITEs addressed to each other's
 * GRUUs, which the router relays (decision 0013). When such a re-INVITE is answered with a 2xx, the router adopts the
 * dialog here, so that both users are "in a call" again for BLF lamps, presence and the busy check, until a BYE, a
 * device that does not come back, or the longest call the PBX allows.
 *
 * What the old process knew and took with it is not made up: the call gets no call-list entries (who called whom and
 * when it began are unknown), and the lamps cannot tell who called (each side is shown from its own view: the one
 * that sent the re-INVITE as the initiator).
 * @packageDocumentation
 */
import type { SipBinding, SipRequest, SipTarget } from '../sip/index.js';
import { memberOf, targetOfBinding, type RouterContext } from './context.js';
import { addressOf, Party } from './parties.js';

/** One side of an adopted dialog: its dialog tag, its device (by GRUU), its user's line. */
interface RecoveredSide {
  readonly tag: string;
  readonly gruu: string;
  readonly party: Party;
  lostSince: number | undefined;
}

/** A call whose dialog the router adopted after a restart; see the module comment. */
export class RecoveredCall {
  /** The dialog's Call-ID. */
  readonly callId: string;
  /** When the router adopted it (not when the call began, which is unknown). */
  readonly startedAt: number;
  readonly #ctx: RouterContext;
  readonly #sides: readonly [RecoveredSide, RecoveredSide];
  readonly #onFinished: (call: RecoveredCall) => void;
  #finished = false;

  private constructor(ctx: RouterContext, callId: string, sides: readonly [RecoveredSide, RecoveredSide], onFinished: (call: RecoveredCall) => void) {
    this.#ctx = ctx;
    this.callId = callId;
    this.startedAt = ctx.clock.now();
    this.#sides = sides;
    this.#onFinished = onFinished;
    for (const side of sides) side.party.report('confirmed');
  }

  /**
   * Adopts the dialog of a relayed re-INVITE that the other side answered with a 2xx, when both ends are registered
   * devices of ours known by GRUU: the sender's Contact and the Request-URI. The sender must be registered on the
   * connection the re-INVITE came on, so a request cannot put someone else into a call. Undefined otherwise.
   */
  static adopt(ctx: RouterContext, request: SipRequest, arrivedOn: string, onFinished: (call: RecoveredCall) => void): RecoveredCall | undefined {
    const sip = ctx.sip();
    const senderGruu = /<([^>]+)>/.exec(request.headers.get('Contact') ?? '')?.[1];
    const sender = senderGruu === undefined ? undefined : sip.resolveGruu(senderGruu);
    const receiver = sip.resolveGruu(request.uri);
    const fromTag = request.fromTag;
    const toTag = request.toTag;
    if (!sender || !receiver || senderGruu === undefined || fromTag === undefined || toTag === undefined) return undefined;
    if (sender.flowId !== arrivedOn) return undefined;
    const senderMember = memberOf(ctx, sender.owner.userId);
    const receiverMember = memberOf(ctx, receiver.owner.userId);
    if (!senderMember || !receiverMember) return undefined;
    const party = (member: NonNullable<typeof senderMember>, other: NonNullable<typeof senderMember>, direction: 'initiator' | 'recipient'): Party =>
      new Party(ctx, { member, direction, callId: request.callId, remote: addressOf(other, member.tenant) });
    return new RecoveredCall(
      ctx,
      request.callId,
      [
        { tag: fromTag, gruu: senderGruu, party: party(senderMember, receiverMember, 'initiator'), lostSince: undefined },
        { tag: toTag, gruu: request.uri, party: party(receiverMember, senderMember, 'recipient'), lostSince: undefined },
      ],
      onFinished,
    );
  }

  /** Whether the call has ended. */
  get finished(): boolean {
    return this.#finished;
  }

  /** A request of this dialog passed through: a BYE from either side ends the call. */
  inDialog(request: SipRequest): void {
    if (this.#finished || request.method !== 'BYE') return;
    const tags = this.#sides.map((side) => side.tag);
    if (tags.includes(request.fromTag ?? '') && tags.includes(request.toTag ?? '')) this.#finish();
  }

  /** The other side's device, on its current registration. */
  peerTarget(request: SipRequest): SipTarget | undefined {
    const other = this.#sides.find((side) => side.tag !== request.fromTag);
    const binding = other === undefined ? undefined : this.#binding(other);
    return binding === undefined ? undefined : targetOfBinding(this.#ctx, binding);
  }

  /**
   * Ends the call when a side's device stays unregistered for longer than the reconnect grace (it cannot send a BYE
   * any more), or when the call reaches the longest duration. Nothing is sent: the PBX holds no dialog state to
   * send a BYE with (CSeq numbers, routes); the phones end their calls themselves.
   */
  checkFlows(): void {
    if (this.#finished) return;
    const now = this.#ctx.clock.now();
    const gone = this.#sides.some((side) => {
      if (this.#binding(side)) {
        side.lostSince = undefined;
        return false;
      }
      side.lostSince ??= now;
      return now - side.lostSince >= this.#ctx.timers.reconnectGraceMs;
    });
    if (gone || now - this.startedAt >= this.#ctx.timers.maxCallMs) this.#finish();
  }

  /** Ends the call at shutdown: the lines are told, nothing is sent. */
  abandon(): void {
    this.#finish();
  }

  #binding(side: RecoveredSide): SipBinding | undefined {
    return this.#ctx.sip().resolveGruu(side.gruu);
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const side of this.#sides) side.party.report('terminated');
    this.#onFinished(this);
  }
}
