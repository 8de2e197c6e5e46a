/**
 * Fax: the document check, cover sheets, the job state machine and the fax client (manual B.3 "Fax").
 *
 * Nothing here loads pdf-lib or pdf.js up front: they are imported when a document is checked or a cover sheet
 * rendered. The Node sandbox lives in the separate entry point `centrex-sdk/core/fax/node`.
 *
 * @packageDocumentation
 */
export { checkFaxDocument, type CheckFaxDocumentOptions } from './check.js';
export {
  type FaxDocumentLimits,
  FAX_DOCUMENT_LIMITS,
  resolveFaxDocumentLimits,
  type FaxDocumentProblem,
  type FaxDocumentInfo,
  type FaxDocumentReport,
  faxDocumentError,
} from './limits.js';
export {
  type FaxDocumentSandbox,
  type FaxSandboxOptions,
  type FaxSandboxRequest,
  type FaxSandboxResponse,
  type FaxSandboxWorker,
  type FaxSandboxWorkerEvents,
  type FaxSandboxWorkerFailure,
  type StartFaxSandboxWorker,
  createFaxSandbox,
  DEFAULT_FAX_SANDBOX_START_TIMEOUT_MS,
  DEFAULT_FAX_SANDBOX_IDLE_TIMEOUT_MS,
} from './sandbox.js';
export { createWorkerFaxSandbox, type WorkerFaxSandboxOptions } from './worker-sandbox.js';
export {
  type CoverSheet,
  type CoverSheetDraft,
  type CoverSheetIssue,
  COVER_SHEET_LIMITS,
  normalizeCoverSheet,
  validateCoverSheet,
  addCoverSheet,
  updateCoverSheet,
  deleteCoverSheet,
  listCoverSheets,
} from './cover-sheet.js';
export { unsupportedCoverCharacters } from './winansi.js';
export {
  type CoverSheetSender,
  type CoverSheetRenderOptions,
  type CoverSheetContent,
  A4_PAGE_SIZE,
  renderCoverSheet,
  prependCoverSheet,
} from './cover-render.js';
export {
  FaxJobStates,
  type FaxJobState,
  FAX_JOB_TRANSITIONS,
  type FaxFailureReason,
  type FaxFailure,
  type FaxJob,
  type ReceivedFax,
  type FaxHistoryEntry,
  type NewFaxJob,
  DEFAULT_FAX_ATTEMPTS,
  createFaxJob,
  isFaxJobTransition,
  canTransitionFaxJob,
  type FaxJobTransition,
  transitionFaxJob,
} from './job.js';
export { type FaxExtension, type FaxSendRequest, type FaxStatusEvent, type FaxTransport } from './transport.js';
export { FaxClient, type FaxClientOptions, type FaxSendOptions, type FaxClientEventMap } from './client.js';
export { HttpFaxTransport, type HttpFaxTransportOptions } from './http-transport.js';
