/**
 * The worker side of the sandbox protocol, shared by the browser and the Node worker entry points.
 *
 * @packageDocumentation
 */
import { inspectFaxDocument } from './inspect.js';
import { loadPdfJs, loadPdfLib } from './libraries.js';
import type { FaxDocumentReport } from './limits.js';
import { isFaxSandboxMessage, type FaxSandboxResponse } from './sandbox.js';

/**
 * Handles requests inside a worker: loads the libraries, says `started`, runs the check, sends the report.
 * Both worker entry points (browser and Node) are this function plus a few lines of wiring.
 *
 * @param post - sends a response to the sandbox
 * @returns the function to call with every incoming message
 * @internal
 */
export function serveFaxSandboxRequests(post: (response: FaxSandboxResponse) => void): (data: unknown) => void {
  return (data) => {
    if (!isFaxSandboxMessage(data) || data.type !== 'inspect') return;
    void (async () => {
      // Loading counts as starting, not as checking: it takes seconds on a busy machine and has nothing to do with
      // the document, so the document's time limit starts after it.
      await Promise.all([loadPdfJs(), loadPdfLib()]);
      post({ centrexFax: 1, type: 'started', id: data.id });
      let report: FaxDocumentReport;
      try {
        report = await inspectFaxDocument(data.bytes, data.limits);
      } catch (error) {
        report = { ok: false, problem: { kind: 'damaged', detail: messageOf(error) } };
      }
      post({ centrexFax: 1, type: 'report', id: data.id, report });
    })().catch((error: unknown) => {
      // The libraries failed to load: let the worker die so the sandbox reports that it could not start.
      setTimeout(() => {
        throw error;
      });
    });
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
