/**
 * The state machine of an outgoing fax job, shared by the PBX (which drives it) and the client (which follows it).
 *
 * ```
 *               send accepted
 *                     │
 *                     ▼          dialling (attempt n+1)
 *                  queued ──────────────────────────▶ sending ──────────▶ sent
 *                   │  ▲                               │   │   delivered
 *   cancelled,      │  │  busy / no answer and         │   │
 *   expired         │  └───── attempts left ───────────┘   │ rejected, invalid number,
 *                   ▼         (a retry)                    │ or the last attempt failed
 *                failed ◀──────────────────────────────────┘
 * ```
 *
 * `sent` and `failed` are final. A retry is the way back from `sending` to `queued`, allowed only while
 * `attempt < maxAttempts`; each `queued → sending` starts the next attempt. Every transition increments `revision`,
 * which lets a client put status events in order and drop stale ones.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';

/** The states of a fax job. */
export const FaxJobStates = {
  /** Accepted and waiting for a line (first attempt, or a retry). */
  queued: 'queued',
  /** Dialling or transmitting. */
  sending: 'sending',
  /** Delivered. Final. */
  sent: 'sent',
  /** Not delivered; `failure` says why. Final. */
  failed: 'failed',
} as const;

/** One of {@link FaxJobStates}. */
export type FaxJobState = (typeof FaxJobStates)[keyof typeof FaxJobStates];

/** The allowed transitions (see the diagram in the module comment). */
export const FAX_JOB_TRANSITIONS = {
  queued: ['sending', 'failed'],
  sending: ['sent', 'failed', 'queued'],
  sent: [],
  failed: [],
} as const satisfies { readonly [From in FaxJobState]: readonly FaxJobState[] };

/** Why a fax was not delivered (or, for a queued retry, why the last attempt failed). */
export type FaxFailureReason =
  /** The line was busy. */
  | 'busy'
  /** Nobody (no fax machine) answered. */
  | 'no-answer'
  /** The far end answered but refused or broke off the transmission. */
  | 'rejected'
  /** The number does not exist or cannot be dialled. */
  | 'invalid-number'
  /** The document could not be converted for fax. */
  | 'document'
  /** Someone cancelled the job, or it waited too long in the queue. */
  | 'cancelled'
  /** Anything else (the provider's error, an internal failure). */
  | 'error';

/** The reason a job failed, for people and programs. */
export interface FaxFailure {
  /** The stable reason. */
  readonly reason: FaxFailureReason;
  /** Details from the fax line or provider, for people; may be missing. */
  readonly message?: string;
}

/** An outgoing fax and where it stands. Plain data (timestamps as ISO 8601 strings), so it travels as JSON. */
export interface FaxJob {
  /** Unique id, assigned by the server. */
  readonly id: string;
  /** Always `'outgoing'`; received faxes are {@link ReceivedFax}. */
  readonly direction: 'outgoing';
  /** The fax extension sending it. */
  readonly extensionId: string;
  /** The destination: an E.164 number or an internal extension, as normalized by the dial plan. */
  readonly to: string;
  /** Where the job stands. */
  readonly state: FaxJobState;
  /** Sending attempts started so far (0 until the first dial). */
  readonly attempt: number;
  /** Attempts allowed in total; at least 1. */
  readonly maxAttempts: number;
  /** Pages sent, including the cover page. */
  readonly pages: number;
  /** Whether a cover page was put in front. */
  readonly coverSheet: boolean;
  /** When the job was accepted. */
  readonly createdAt: string;
  /** When the state last changed. */
  readonly updatedAt: string;
  /** Increases by one with every transition; 0 when created. */
  readonly revision: number;
  /** Set in `failed`, and in `queued` after a failed attempt (why it is retried). */
  readonly failure?: FaxFailure;
}

/** A fax that arrived at one of the user's fax extensions. */
export interface ReceivedFax {
  /** Unique id, assigned by the server. */
  readonly id: string;
  /** Always `'incoming'`. */
  readonly direction: 'incoming';
  /** The fax extension that received it. */
  readonly extensionId: string;
  /** The sender's number (E.164 or extension) as the line reported it; empty when withheld. */
  readonly from: string;
  /** Number of pages. */
  readonly pages: number;
  /** When it arrived (ISO 8601). */
  readonly receivedAt: string;
}

/** An entry of the fax history: sent or received. */
export type FaxHistoryEntry = FaxJob | ReceivedFax;

/** What {@link createFaxJob} needs. */
export interface NewFaxJob {
  /** Unique id (the server's choice). */
  readonly id: string;
  /** The sending fax extension. */
  readonly extensionId: string;
  /** The normalized destination (E.164 or extension). */
  readonly to: string;
  /** Pages including the cover page. */
  readonly pages: number;
  /** Whether the first page is a cover page. */
  readonly coverSheet: boolean;
  /** Attempts allowed; default {@link DEFAULT_FAX_ATTEMPTS}. */
  readonly maxAttempts?: number;
  /** When it was accepted. */
  readonly at: Date;
}

/** How often a fax is tried before it fails, unless the server says otherwise. */
export const DEFAULT_FAX_ATTEMPTS = 3;

/**
 * Creates a job in state `queued` (used by the server when it accepts a fax).
 *
 * @throws CentrexError `invalid-argument` for a missing id or destination, or counts that are not whole numbers ≥ 1
 */
export function createFaxJob(job: NewFaxJob): FaxJob {
  const maxAttempts = job.maxAttempts ?? DEFAULT_FAX_ATTEMPTS;
  for (const [field, value] of [
    ['id', job.id],
    ['extensionId', job.extensionId],
    ['to', job.to],
  ] as const) {
    if (typeof value !== 'string' || value === '') {
      throw new CentrexError('invalid-argument', `A fax job needs a non-empty ${field}.`, { details: { field } });
    }
  }
  for (const [field, value] of [
    ['pages', job.pages],
    ['maxAttempts', maxAttempts],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new CentrexError('invalid-argument', `A fax job's ${field} must be a whole number of at least 1.`, {
        details: { field, value },
      });
    }
  }
  const at = isoOf(job.at);
  return {
    id: job.id,
    direction: 'outgoing',
    extensionId: job.extensionId,
    to: job.to,
    state: 'queued',
    attempt: 0,
    maxAttempts,
    pages: job.pages,
    coverSheet: job.coverSheet,
    createdAt: at,
    updatedAt: at,
    revision: 0,
  };
}

/** Whether the table allows `from → to` (ignoring the attempt count; see {@link canTransitionFaxJob}). */
export function isFaxJobTransition(from: FaxJobState, to: FaxJobState): boolean {
  return (FAX_JOB_TRANSITIONS[from] as readonly FaxJobState[]).includes(to);
}

/** Whether `job` may move to `to` now: the table allows it and, for a retry, attempts are left. */
export function canTransitionFaxJob(job: FaxJob, to: FaxJobState): boolean {
  if (!isFaxJobTransition(job.state, to)) return false;
  return !(job.state === 'sending' && to === 'queued' && job.attempt >= job.maxAttempts);
}

/** What a transition records besides the new state. */
export interface FaxJobTransition {
  /** When it happened. */
  readonly at: Date;
  /** Required for `failed`; for a retry (`sending → queued`), why the attempt failed. Ignored otherwise. */
  readonly failure?: FaxFailure;
}

/**
 * Moves a job to a new state and returns the new job (the input is not changed). `queued → sending` counts an
 * attempt; `sent` clears an earlier attempt's failure.
 *
 * @throws CentrexError `invalid-transition` when the table does not allow it or a retry has no attempts left (the job
 *   must fail instead); `invalid-argument` when `failed` comes without a failure reason
 */
export function transitionFaxJob(job: FaxJob, to: FaxJobState, transition: FaxJobTransition): FaxJob {
  if (!canTransitionFaxJob(job, to)) {
    const allowed = FAX_JOB_TRANSITIONS[job.state] as readonly FaxJobState[];
    const why = isFaxJobTransition(job.state, to)
      ? `all ${job.maxAttempts} attempts are used, so it cannot be retried; move it to "failed"`
      : `allowed from "${job.state}": ${allowed.join(', ') || 'nothing (final state)'}`;
    throw new CentrexError(
      'invalid-transition',
      `Fax job ${job.id} cannot go from "${job.state}" to "${to}"; ${why}. This is a bug in the code that drove it.`,
      {
        details: {
          subject: `fax job ${job.id}`,
          from: job.state,
          to,
          attempt: job.attempt,
          maxAttempts: job.maxAttempts,
        },
      },
    );
  }
  if (to === 'failed' && !transition.failure) {
    throw new CentrexError('invalid-argument', `Fax job ${job.id} cannot fail without a reason.`, {
      details: { field: 'failure' },
    });
  }
  const { failure: _previous, ...rest } = job;
  const next: FaxJob = {
    ...rest,
    state: to,
    attempt: to === 'sending' ? job.attempt + 1 : job.attempt,
    updatedAt: isoOf(transition.at),
    revision: job.revision + 1,
  };
  // A retry keeps why the last attempt failed (people see "busy, retrying"); sending keeps it too until the outcome.
  const failure = to === 'failed' || to === 'queued' ? transition.failure : to === 'sending' ? job.failure : undefined;
  return failure ? { ...next, failure } : next;
}

function isoOf(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new CentrexError('invalid-argument', 'A fax job transition needs a valid date.', {
      details: { field: 'at' },
    });
  }
  return date.toISOString();
}
