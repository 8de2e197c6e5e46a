// An in-memory fax service for client tests: it records requests, answers like the PBX would, and lets the test push
// status events.
import { CentrexError } from '../../../src/core/errors.js';
import type { FaxHistoryEntry, FaxJob } from '../../../src/core/fax/job.js';
import { createFaxJob } from '../../../src/core/fax/job.js';
import type { FaxExtension, FaxSendRequest, FaxStatusEvent, FaxTransport } from '../../../src/core/fax/transport.js';

/** A provisioned extension: what the administrator set up. */
interface Provisioned extends FaxExtension {
  readonly pin: string;
}

export class FakeFaxTransport implements FaxTransport {
  readonly sent: FaxSendRequest[] = [];
  readonly linked: FaxExtension[] = [];
  history: FaxHistoryEntry[] = [];
  readonly documents = new Map<string, Uint8Array>();
  readonly #listeners = new Set<(event: FaxStatusEvent) => void>();
  #nextJob = 1;
  /** Thrown by the next call, once. */
  failNext: unknown;

  constructor(readonly provisioned: readonly Provisioned[] = []) {}

  get listenerCount(): number {
    return this.#listeners.size;
  }

  async listExtensions(): Promise<readonly FaxExtension[]> {
    this.#maybeFail();
    return [...this.linked];
  }

  async linkExtension(login: string, pin: string): Promise<FaxExtension> {
    this.#maybeFail();
    const found = this.provisioned.find((extension) => extension.login === login);
    if (!found || found.pin !== pin) {
      throw new CentrexError('fax-login-failed', 'The fax login or PIN is wrong.', { details: { login } });
    }
    const { pin: _pin, ...extension } = found;
    if (!this.linked.some((known) => known.id === extension.id)) this.linked.push(extension);
    return extension;
  }

  async send(request: FaxSendRequest): Promise<FaxJob> {
    this.#maybeFail();
    this.sent.push(request);
    const job = createFaxJob({
      id: `job-${this.#nextJob++}`,
      extensionId: request.extensionId,
      to: request.to,
      pages: request.pages,
      coverSheet: request.coverSheet,
      at: new Date(Date.UTC(2025, 2, 1, 9, this.#nextJob)),
    });
    this.documents.set(job.id, request.document);
    this.history.push(job);
    return job;
  }

  async jobs(): Promise<readonly FaxHistoryEntry[]> {
    this.#maybeFail();
    return [...this.history];
  }

  onStatus(listener: (event: FaxStatusEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async download(entryId: string): Promise<Uint8Array> {
    const document = this.documents.get(entryId);
    if (!document) throw new CentrexError('fax-request-failed', 'No such fax.', { details: { entryId } });
    return document;
  }

  /** Pushes a status event to the client. */
  push(event: FaxStatusEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #maybeFail(): void {
    if (this.failNext === undefined) return;
    const error = this.failNext;
    this.failNext = undefined;
    throw error;
  }
}
