/**
 * `checkFaxDocument()`: the check a PDF goes through before it is sent as a fax.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import { pdfHeaderVersion } from './header.js';
import {
  faxDocumentError,
  type FaxDocumentInfo,
  type FaxDocumentLimits,
  type FaxDocumentReport,
  resolveFaxDocumentLimits,
} from './limits.js';
import type { FaxDocumentSandbox } from './sandbox.js';
import { createWorkerFaxSandbox, hasWebWorkers } from './worker-sandbox.js';

/** Options of {@link checkFaxDocument}. */
export interface CheckFaxDocumentOptions {
  /** Limits that differ from {@link FAX_DOCUMENT_LIMITS}. */
  readonly limits?: Partial<FaxDocumentLimits>;
  /**
   * Where the check runs. Default: a Web Worker started for this one check (browsers). Node has no Web Workers: pass
   * `createNodeFaxSandbox()` from `centrex-sdk/core/fax/node`. Reusing one sandbox keeps its worker warm.
   */
  readonly sandbox?: FaxDocumentSandbox;
  /** Aborting stops the check; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Checks that a PDF can be sent as a fax, before anything is sent. The check runs in a sandbox (a worker that is
 * stopped after a time limit), so a hostile file cannot freeze the page or the server.
 *
 * Refused, each with a message that says what to do (following the manual's advice):
 * - `pdf-invalid`: not a PDF, or damaged;
 * - `pdf-encrypted`: needs a password to open, or is encrypted with security settings (the manual: encrypted files
 *   cannot be sent);
 * - `pdf-extraction-forbidden`: its permissions forbid page extraction;
 * - `pdf-has-form-fields`: it has form fields that can still be edited ("print it to a new PDF");
 * - `pdf-too-large`: more bytes or pages than the limits, unpacks to too much data (decompression bomb), an image
 *   with too many pixels, or the check ran out of time or memory.
 *
 * @param input - the file (a `File` from a drop or file input is a `Blob`)
 * @returns facts about the document, such as its page count
 * @throws CentrexError with the codes above; `invalid-argument` for input that is not bytes or bad limits;
 *   `not-supported` when no sandbox can be started
 *
 * @example
 * ```ts
 * try {
 *   const { pages } = await checkFaxDocument(file);
 * } catch (error) {
 *   if (isCentrexError(error)) showError(error.message); // e.g. "This PDF is protected with a password, …"
 * }
 * ```
 */
export async function checkFaxDocument(
  input: Uint8Array | ArrayBuffer | Blob,
  options: CheckFaxDocumentOptions = {},
): Promise<FaxDocumentInfo> {
  const limits = resolveFaxDocumentLimits(options.limits);
  const bytes = await readFaxDocument(input, limits);
  options.signal?.throwIfAborted();
  // The two cheap checks run here, so a wrong file type never starts a worker.
  if (bytes.length > limits.maxBytes) {
    throw faxDocumentError({ kind: 'too-many-bytes', bytes: bytes.length, limit: limits.maxBytes });
  }
  if (pdfHeaderVersion(bytes) === undefined) throw faxDocumentError({ kind: 'not-pdf' });
  let sandbox = options.sandbox;
  let own: FaxDocumentSandbox | undefined;
  if (!sandbox) {
    if (!hasWebWorkers()) {
      throw new CentrexError(
        'not-supported',
        'Fax documents are checked in a worker, and this environment has no Web Workers. In Node, pass ' +
          '{ sandbox: createNodeFaxSandbox() } from "centrex-sdk/core/fax/node".',
      );
    }
    sandbox = own = createWorkerFaxSandbox();
  }
  let report: FaxDocumentReport;
  try {
    report = await sandbox.inspect(bytes, limits, options.signal);
  } finally {
    own?.dispose();
  }
  if (!report.ok) throw faxDocumentError(report.problem);
  return report.info;
}

/**
 * Reads a document into bytes, refusing a Blob over `maxBytes` before reading it.
 * @internal
 */
export async function readFaxDocument(
  input: Uint8Array | ArrayBuffer | Blob,
  limits: FaxDocumentLimits,
): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (typeof Blob === 'function' && input instanceof Blob) {
    // Refuse a huge file before reading it into memory.
    if (input.size > limits.maxBytes) {
      throw faxDocumentError({ kind: 'too-many-bytes', bytes: input.size, limit: limits.maxBytes });
    }
    return new Uint8Array(await input.arrayBuffer());
  }
  throw new CentrexError(
    'invalid-argument',
    'A fax document must be a PDF file as a Uint8Array, ArrayBuffer or Blob.',
    {
      details: { field: 'document' },
    },
  );
}
