/**
 * The fax records of the store as the core's plain types (`FaxJob`, `ReceivedFax`, `FaxExtension`): what the API
 * answers and what status events carry, so the SDK's `FaxClient` takes them as they come.
 * @packageDocumentation
 */
import type { FaxFailureReason, FaxJob, ReceivedFax } from '../../core/fax/job.js';
import type { FaxExtension } from '../../core/fax/transport.js';
import type { FaxExtensionRecord, FaxJobRecord, ReceivedFaxRecord, Tenant } from '../store/index.js';

const REASONS: readonly FaxFailureReason[] = ['busy', 'no-answer', 'rejected', 'invalid-number', 'document', 'cancelled', 'error'];

/** A stored failure reason as the core's type; anything unknown (a newer PBX wrote it) reads as `error`. */
export function failureReasonOf(reason: string): FaxFailureReason {
  return (REASONS as readonly string[]).includes(reason) ? (reason as FaxFailureReason) : 'error';
}

/** The fax number of a fax extension: the tenant's main number followed by the extension, or the bare extension. */
export function faxNumberOf(tenant: Tenant, extension: Pick<FaxExtensionRecord, 'extension'>): string {
  return tenant.dialPlan.mainNumber === null ? extension.extension : tenant.dialPlan.mainNumber + extension.extension;
}

/** A fax extension as its user sees it (the core's `FaxExtension`). */
export function toFaxExtension(record: FaxExtensionRecord, tenant: Tenant): FaxExtension {
  return { id: record.id, name: record.name, number: faxNumberOf(tenant, record), login: record.login };
}

/** A stored job as the core's `FaxJob`. */
export function toFaxJob(record: FaxJobRecord): FaxJob {
  const job: FaxJob = {
    id: record.id,
    direction: 'outgoing',
    extensionId: record.faxExtensionId,
    to: record.to,
    state: record.state,
    attempt: record.attempts,
    maxAttempts: record.maxAttempts,
    pages: record.pages,
    coverSheet: record.cover.mode !== 'none',
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    revision: record.revision,
  };
  if (record.failure === null) return job;
  const reason = failureReasonOf(record.failure.reason);
  return { ...job, failure: record.failure.message === null ? { reason } : { reason, message: record.failure.message } };
}

/** A received fax as the core's `ReceivedFax`. */
export function toReceivedFax(record: ReceivedFaxRecord): ReceivedFax {
  return {
    id: record.id,
    direction: 'incoming',
    extensionId: record.faxExtensionId,
    from: record.from,
    pages: record.pages,
    receivedAt: new Date(record.receivedAt).toISOString(),
  };
}
