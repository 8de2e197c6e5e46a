/**
 * `centrex-sdk/core/fax/node`: the Node-only part of the fax feature, the worker-thread sandbox for the PDF check.
 *
 * @packageDocumentation
 */
export { createNodeFaxSandbox, type NodeFaxSandboxOptions, DEFAULT_FAX_SANDBOX_HEAP_MB } from './node-sandbox.js';
