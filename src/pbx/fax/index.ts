/**
 * The PBX's fax service: the server-side document check, the queue worker with retries, and the pluggable delivery
 * to external numbers (with the reference PBX's sink).
 * @packageDocumentation
 */
export { createFaxService, type FaxService, type FaxServiceOptions, type FaxLog } from './service.js';
export {
  createFaxSink,
  sinkOutcome,
  type FaxDelivery,
  type FaxDeliveryRequest,
  type FaxDeliveryOutcome,
  type FaxSinkOptions,
} from './delivery.js';
export { toFaxJob, toReceivedFax, toFaxExtension, faxNumberOf, failureReasonOf } from './records.js';
