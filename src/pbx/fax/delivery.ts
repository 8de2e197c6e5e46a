/**
 * How faxes to external numbers leave the PBX: the pluggable {@link FaxDelivery}, and the sink the reference PBX
 * uses because it has no fax line. The sink keeps every delivered document as a file and decides by the number
 * whether a delivery works, so failures and retries can be tried out (see {@link createFaxSink}).
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FaxFailureReason } from '../../core/fax/job.js';

/** One attempt to deliver a fax to an external number. */
export interface FaxDeliveryRequest {
  readonly jobId: string;
  readonly tenantId: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** The sender's fax number (E.164, or an extension when the tenant has no main number). */
  readonly from: string;
  /** The destination in E.164. */
  readonly to: string;
  /** The final document, cover page included. */
  readonly document: Uint8Array;
  readonly pages: number;
}

/** What an attempt came to. */
export type FaxDeliveryOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: FaxFailureReason;
      /** True when trying again cannot help (a number that does not exist, a refusal); false for busy and the like. */
      readonly permanent: boolean;
      /** What the line or provider said, for people. */
      readonly message?: string;
    };

/**
 * Sends faxes to external numbers: a fax line, a provider's API, or the reference PBX's sink. The fax service calls
 * it once per attempt, with a signal that aborts when the attempt takes too long or the PBX stops. A rejection
 * counts as a failed attempt that may be retried (reason `error`).
 */
export interface FaxDelivery {
  /**
   * Makes one attempt. Resolve with the outcome; reject (or resolve late after `signal` aborted) only when the
   * attempt itself broke down.
   */
  deliver(request: FaxDeliveryRequest, signal: AbortSignal): Promise<FaxDeliveryOutcome>;
}

/** Options of {@link createFaxSink}. */
export interface FaxSinkOptions {
  /** Where delivered documents are written (created when missing). */
  readonly dir: string;
  /** How long an attempt pretends to take, in ms (default 0). */
  readonly delayMs?: number;
}

/**
 * What the sink does with a number (its last digits decide, so it can be tried from any fax form):
 * - ending in `13`: refused for good (`rejected`), no retry;
 * - ending in `66`: always busy, retried until the attempts are used up, then `failed` with `busy`;
 * - ending in `7`: busy on the first attempt, delivered on the retry;
 * - anything else: delivered at once.
 */
export function sinkOutcome(to: string, attempt: number): FaxDeliveryOutcome {
  const digits = to.replace(/\D/g, '');
  if (digits.endsWith('13')) {
    return { ok: false, reason: 'rejected', permanent: true, message: 'The remote fax machine refused the transmission.' };
  }
  if (digits.endsWith('66')) return { ok: false, reason: 'busy', permanent: false, message: 'The line is busy.' };
  if (digits.endsWith('7') && attempt === 1) return { ok: false, reason: 'busy', permanent: false, message: 'The line is busy.' };
  return { ok: true };
}

/**
 * The reference PBX's stand-in for a fax line: decides each attempt with {@link sinkOutcome} and writes each
 * delivered document to `dir` as `<jobId>.pdf`.
 */
export function createFaxSink(options: FaxSinkOptions): FaxDelivery {
  return {
    async deliver(request, signal) {
      if (options.delayMs !== undefined && options.delayMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, options.delayMs);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason instanceof Error ? signal.reason : new Error('The delivery was aborted.'));
          }, { once: true });
        });
      }
      signal.throwIfAborted();
      const outcome = sinkOutcome(request.to, request.attempt);
      if (!outcome.ok) return outcome;
      await mkdir(options.dir, { recursive: true });
      // The job id is a UUID of the store: safe as a file name.
      await writeFile(join(options.dir, `${request.jobId}.pdf`), request.document, { signal });
      return outcome;
    },
  };
}
