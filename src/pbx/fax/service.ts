/**
 * The PBX's fax service: checks documents for the API (the core's `checkFaxDocument` in a worker-thread sandbox) and
 * sends queued jobs.
 *
 * Each attempt moves the job with the core's state machine (`transitionFaxJob`), so the PBX and the SDK agree on what
 * a job may do: `queued → sending`, then `sent`, a retry back to `queued` with growing delays while attempts are
 * left, or `failed` with the reason. The first attempt renders the final document (the cover page in front, with
 * date and sender) and stores it, so every retry sends the same pages. A job for a fax extension of the tenant lands
 * in that extension's received faxes; any other number goes through the {@link FaxDelivery}.
 *
 * Every state change is committed before anyone hears of it, and the documents live in the database: after a crash,
 * `start()` picks up queued jobs and repeats attempts that were cut off (they stay `sending`, their attempt is not
 * counted twice). An internal delivery and its job's `sent` are one transaction, so a fax never arrives twice; an
 * external one may be repeated after a crash, as with a real fax line.
 * @packageDocumentation
 */
import { checkFaxDocument } from '../../core/fax/check.js';
import { prependCoverSheet } from '../../core/fax/cover-render.js';
import { canTransitionFaxJob, DEFAULT_FAX_ATTEMPTS, transitionFaxJob, type FaxFailure, type FaxJob } from '../../core/fax/job.js';
import { resolveFaxDocumentLimits, type FaxDocumentInfo, type FaxDocumentLimits } from '../../core/fax/limits.js';
import { createNodeFaxSandbox } from '../../core/fax/node/index.js';
import type { FaxDocumentSandbox } from '../../core/fax/sandbox.js';
import { formatNumber } from '../../core/numbers/index.js';
import type { FaxQueue } from '../api/context.js';
import type { PbxEvents } from '../events.js';
import type { FaxJobChange, FaxJobRecord, Store } from '../store/index.js';
import type { FaxDelivery, FaxDeliveryOutcome } from './delivery.js';
import { toFaxJob, toReceivedFax } from './records.js';

/** Where the fax service writes what happened (never document contents). */
export type FaxLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Readonly<Record<string, unknown>>) => void;

/** Options of {@link createFaxService}. */
export interface FaxServiceOptions {
  readonly store: Store;
  readonly events: PbxEvents;
  /** How faxes to external numbers are sent. */
  readonly delivery: FaxDelivery;
  readonly log?: FaxLog;
  /** Where documents are checked; default a Node worker-thread sandbox, which {@link FaxService.close} stops. */
  readonly sandbox?: FaxDocumentSandbox;
  /** Document limits that differ from the core's defaults. */
  readonly limits?: Partial<FaxDocumentLimits>;
  /** Attempts per job (default the core's `DEFAULT_FAX_ATTEMPTS`, 3). */
  readonly maxAttempts?: number;
  /** Delay before the first retry, in ms (default 60 000); each further retry waits twice as long. */
  readonly retryDelayMs?: number;
  /** The longest delay between attempts, in ms (default 30 minutes). */
  readonly maxRetryDelayMs?: number;
  /** How many jobs are sent at the same time (default 2). */
  readonly concurrency?: number;
  /** How long one attempt may take before it counts as failed, in ms (default 120 000). */
  readonly attemptTimeoutMs?: number;
  /** Time zone of the date on cover pages; default the server's. */
  readonly timeZone?: string;
  /** The clock, in ms since the epoch; default the store's. */
  readonly clock?: () => number;
}

/** The running fax service: what the API needs ({@link FaxQueue}) plus start and stop. */
export interface FaxService extends FaxQueue {
  /** Resumes interrupted attempts and starts sending queued jobs. Call once the PBX is ready. */
  start(): void;
  /**
   * Stops sending: running attempts get a moment to finish and record their outcome; the rest stay `sending` and are
   * repeated at the next start. Stops the service's own sandbox. Safe to call twice.
   */
  close(): Promise<void>;
}

// A last look at the queue this often, whatever the timers say (a clock that jumped, a job written by another tool).
const IDLE_LOOK_MS = 30_000;
const CLOSE_GRACE_MS = 3_000;

function changeOf(job: FaxJob, nextAttemptAt?: number): FaxJobChange {
  return {
    state: job.state,
    attempts: job.attempt,
    revision: job.revision,
    failure: job.failure ? { reason: job.failure.reason, message: job.failure.message ?? null } : null,
    updatedAt: Date.parse(job.updatedAt),
    ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Creates the fax service. It does nothing until {@link FaxService.start}; the document check works at once.
 *
 * @throws CentrexError `invalid-argument` for limits that are not positive numbers
 */
export function createFaxService(options: FaxServiceOptions): FaxService {
  const { store, events, delivery } = options;
  const log: FaxLog = options.log ?? (() => undefined);
  const limits = resolveFaxDocumentLimits(options.limits);
  const sandbox = options.sandbox ?? createNodeFaxSandbox();
  const ownSandbox = options.sandbox === undefined;
  const now = options.clock ?? (() => store.now());
  const maxAttempts = Math.max(1, Math.trunc(options.maxAttempts ?? DEFAULT_FAX_ATTEMPTS));
  const retryDelayMs = options.retryDelayMs ?? 60_000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30 * 60_000;
  const concurrency = Math.max(1, Math.trunc(options.concurrency ?? 2));
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 120_000;
  const running = new Map<string, Promise<void>>();
  const aborts = new Set<AbortController>();
  let started = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wakePending = false;
  let closing: Promise<void> | undefined;

  const emitJob = (record: FaxJobRecord, job: FaxJob): void =>
    events.emit({ type: 'fax-job', tenantId: record.tenantId, userId: record.ownerId, job });

  const backoff = (attempt: number): number => Math.min(maxRetryDelayMs, retryDelayMs * 2 ** Math.max(0, attempt - 1));

  /** Records the outcome of an attempt: sent, a retry later, or failed. */
  function finish(record: FaxJobRecord, job: FaxJob, outcome: FaxDeliveryOutcome): void {
    const at = new Date(now());
    let next: FaxJob;
    let due: number | undefined;
    if (outcome.ok) {
      next = transitionFaxJob(job, 'sent', { at });
    } else {
      const failure: FaxFailure = outcome.message === undefined ? { reason: outcome.reason } : { reason: outcome.reason, message: outcome.message };
      if (!outcome.permanent && canTransitionFaxJob(job, 'queued')) {
        next = transitionFaxJob(job, 'queued', { at, failure });
        due = at.getTime() + backoff(job.attempt);
      } else {
        next = transitionFaxJob(job, 'failed', { at, failure });
      }
    }
    if (!store.changeFaxJob(record.id, job.revision, changeOf(next, due))) return;
    log(outcome.ok ? 'info' : 'warn', `fax ${next.state}`, {
      jobId: record.id,
      attempt: next.attempt,
      ...(next.failure ? { reason: next.failure.reason } : {}),
      ...(due === undefined ? {} : { retryAt: new Date(due).toISOString() }),
    });
    emitJob(record, next);
  }

  /** The document to send: rendered once with its cover page, then the stored result for every retry. */
  async function finalDocument(record: FaxJobRecord): Promise<Uint8Array> {
    if (record.cover.mode !== 'render' || record.rendered) {
      const stored = store.getFaxJobDocument(record.id);
      if (!stored) throw new Error('The job has no document.');
      return stored;
    }
    const source = store.getFaxJobSourceDocument(record.id);
    const tenant = store.getTenant(record.tenantId);
    if (!source || !tenant) throw new Error('The job has no document or no tenant.');
    const rendered = await prependCoverSheet(
      source,
      { subject: record.cover.subject ?? '', message: record.cover.message ?? '' },
      {
        sender: { name: record.senderName, number: formatNumber(record.fromNumber, tenant.dialPlan, 'international') },
        date: new Date(now()),
        recipient: formatNumber(record.to, tenant.dialPlan),
        pages: record.pages,
        locale: record.locale === 'de' ? 'de-DE' : 'en-GB',
        ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      },
    );
    store.setFaxJobRendered(record.id, rendered, record.pages);
    return rendered;
  }

  /** Hands a job to a fax extension of its own tenant: the received fax and `sent` are written together. */
  function deliverInternally(record: FaxJobRecord, job: FaxJob, document: Uint8Array): void {
    const target = store.findFaxExtensionByExtension(record.tenantId, record.to);
    if (!target) {
      finish(record, job, { ok: false, reason: 'invalid-number', permanent: true, message: `Fax extension ${record.to} no longer exists.` });
      return;
    }
    const next = transitionFaxJob(job, 'sent', { at: new Date(now()) });
    const received = store.deliverFaxJobInternally(record.id, job.revision, changeOf(next), {
      faxExtensionId: target.id,
      from: record.fromNumber,
      pages: record.pages,
      document,
    });
    if (!received) return;
    log('info', 'fax sent', { jobId: record.id, attempt: next.attempt, internal: true });
    emitJob(record, next);
    const fax = toReceivedFax(received);
    for (const userId of store.usersLinkedToFaxExtension(target.id)) {
      events.emit({ type: 'fax-received', tenantId: record.tenantId, userId, fax });
    }
  }

  async function attempt(record: FaxJobRecord, job: FaxJob): Promise<void> {
    const controller = new AbortController();
    aborts.add(controller);
    const timeout = setTimeout(() => controller.abort(new Error('The attempt took too long.')), attemptTimeoutMs);
    timeout.unref();
    try {
      let document: Uint8Array;
      try {
        document = await finalDocument(record);
      } catch (error) {
        log('error', 'fax document could not be prepared', { jobId: record.id, error: String(error) });
        finish(record, job, { ok: false, reason: 'document', permanent: true, message: 'The document could not be prepared for fax.' });
        return;
      }
      if (closed) return;
      if (record.toKind === 'internal') {
        deliverInternally(record, job, document);
        return;
      }
      let outcome: FaxDeliveryOutcome;
      try {
        outcome = await delivery.deliver(
          { jobId: record.id, tenantId: record.tenantId, attempt: job.attempt, from: record.fromNumber, to: record.to, document, pages: record.pages },
          controller.signal,
        );
      } catch (error) {
        // Stopped by close(): the job stays `sending` and this attempt is repeated at the next start.
        if (closed && controller.signal.aborted) return;
        log('warn', 'fax delivery failed', { jobId: record.id, error: String(error) });
        outcome = {
          ok: false,
          reason: 'error',
          permanent: false,
          message: controller.signal.aborted ? 'The fax line did not finish in time.' : 'The fax line reported an error.',
        };
      }
      finish(record, job, outcome);
    } finally {
      clearTimeout(timeout);
      aborts.delete(controller);
    }
  }

  /** Starts an attempt; `resumed` for a job found in `sending` (its attempt is repeated, not counted again). */
  function run(record: FaxJobRecord, resumed: boolean): void {
    let job = toFaxJob(record);
    if (!resumed) {
      const next = transitionFaxJob(job, 'sending', { at: new Date(now()) });
      // Claimed synchronously, so the next look at the queue cannot pick the same job.
      if (!store.changeFaxJob(record.id, job.revision, changeOf(next))) return;
      job = next;
      emitJob(record, job);
    }
    const done = attempt(record, job)
      .catch((error: unknown) => {
        // A closed store during shutdown lands here too; the job is then repeated at the next start.
        if (!closed) log('error', 'fax attempt failed unexpectedly', { jobId: record.id, error: String(error) });
      })
      .finally(() => {
        running.delete(record.id);
        look();
      });
    running.set(record.id, done);
  }

  /** Starts the due jobs there is room for, and sets the timer for the next look. */
  function look(): void {
    if (!started || closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    let wait = IDLE_LOOK_MS;
    try {
      const free = concurrency - running.size;
      if (free > 0) for (const record of store.dueFaxJobs(now(), free, [...running.keys()])) run(record, false);
      if (running.size < concurrency) {
        const next = store.nextFaxJobDue();
        // A few ms at least, so a job that cannot be claimed does not spin the loop.
        if (next !== undefined) wait = Math.min(IDLE_LOOK_MS, Math.max(5, next - now()));
      }
    } catch (error) {
      log('error', 'fax queue could not be read', { error: String(error) });
    }
    timer = setTimeout(look, wait);
    timer.unref();
  }

  return {
    maxAttempts,
    maxDocumentBytes: limits.maxBytes,

    checkDocument(document: Uint8Array): Promise<FaxDocumentInfo> {
      return checkFaxDocument(document, { sandbox, limits });
    },

    wake() {
      if (wakePending || !started || closed) return;
      wakePending = true;
      setImmediate(() => {
        wakePending = false;
        look();
      });
    },

    start() {
      if (started || closed) return;
      started = true;
      for (const record of store.sendingFaxJobs()) {
        log('info', 'fax attempt resumed after a restart', { jobId: record.id, attempt: record.attempts });
        run(record, true);
      }
      look();
    },

    close() {
      closing ??= (async () => {
        closed = true;
        if (timer !== undefined) clearTimeout(timer);
        await Promise.race([Promise.allSettled(running.values()), sleep(CLOSE_GRACE_MS)]);
        for (const controller of aborts) controller.abort(new Error('The PBX is stopping.'));
        await Promise.race([Promise.allSettled(running.values()), sleep(CLOSE_GRACE_MS)]);
        if (ownSandbox) sandbox.dispose();
      })();
      return closing;
    },
  };
}
