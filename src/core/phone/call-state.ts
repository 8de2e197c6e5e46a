/**
 * The state machine of a {@link Call}.
 *
 * ```
 *  outgoing:  dialling ──180──▶ ringing ──183+SDP──▶ early-media ──200──▶ established
 *                │                 │                     │                  │  ▲
 *  incoming:     │              ringing ──accept()────────────────────────▶ │  │ resume()
 *                │                 │                                        ▼  │
 *                │                 │                                       held
 *                │                 │                       transfer() from established/held:
 *                │                 │                               ──▶ transferring ──▶ ended (transferred)
 *                │                 │                                        └──failed──▶ back where it was
 *                └─────────────────┴──── any state ──▶ ended (with an end reason)
 * ```
 *
 * `ringing` means "the far end rings" for outgoing calls and "this phone rings" for incoming ones.
 *
 * @packageDocumentation
 */
import type { TransitionTable } from './state-machine.js';

/** The states of a call. */
export const CallStates = {
  /** Outgoing: INVITE sent, the far end has not started ringing. */
  dialling: 'dialling',
  /** Outgoing: the far end rings. Incoming: this phone rings. */
  ringing: 'ringing',
  /** Outgoing: the far end plays audio before answering (announcements, ring-back tones). */
  earlyMedia: 'early-media',
  /** Answered; both sides talk. */
  established: 'established',
  /** This side put the call on hold. */
  held: 'held',
  /** A transfer (REFER) is in progress. */
  transferring: 'transferring',
  /** Over; see {@link CallEndReason}. */
  ended: 'ended',
} as const;

/** One of {@link CallStates}. */
export type CallState = (typeof CallStates)[keyof typeof CallStates];

/** The allowed call transitions (see the diagram in the module comment). */
export const CALL_TRANSITIONS: TransitionTable<CallState> = Object.freeze({
  dialling: ['ringing', 'early-media', 'established', 'ended'],
  ringing: ['early-media', 'established', 'ended'],
  'early-media': ['ringing', 'established', 'ended'],
  established: ['held', 'transferring', 'ended'],
  held: ['established', 'transferring', 'ended'],
  transferring: ['established', 'held', 'ended'],
  ended: [],
});

/** Why a call ended. */
export const CallEndReasons = {
  /** This side hung up an answered call. */
  hangup: 'hangup',
  /** The far end hung up an answered call. */
  remoteHangup: 'remote-hangup',
  /** This side cancelled an outgoing call before it was answered. */
  cancelled: 'cancelled',
  /** The caller gave up before this side answered (incoming CANCEL). */
  missed: 'missed',
  /** This side rejected an incoming call. */
  rejected: 'rejected',
  /** The far end or the PBX refused the outgoing call (see `endStatus`, e.g. 486 busy, 603 decline, 404). */
  refused: 'refused',
  /** The far end was busy (486 / 600). */
  busy: 'busy',
  /** Nobody answered in time (408 / 480 / local no-answer timeout). */
  noAnswer: 'no-answer',
  /** This side forwarded the incoming call before answering. */
  forwarded: 'forwarded',
  /** This side sent the incoming call to voicemail. */
  voicemail: 'voicemail',
  /** The call was transferred to someone else (blind or attended); this leg is done. */
  transferred: 'transferred',
  /** Another call replaced this one (RFC 3891, the far end of an attended transfer). */
  replaced: 'replaced',
  /** Another device of the same user answered (CANCEL with `Reason: SIP;cause=200`). */
  answeredElsewhere: 'answered-elsewhere',
  /** Media or signalling failed (see `endStatus` / `error`). */
  failed: 'failed',
} as const;

/** One of {@link CallEndReasons}. */
export type CallEndReason = (typeof CallEndReasons)[keyof typeof CallEndReasons];
