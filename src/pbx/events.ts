/**
 * The PBX's internal event bus: what happened to whom, so that the API can push it to signed-in users (server-sent
 * events) whichever part of the PBX caused it (an API call, a star code dialled on a desk phone, a SIP registration).
 */
import type { FaxJob, ReceivedFax } from '../core/fax/job.js';
import type { ForwardingSettings } from '../core/forwarding/index.js';

/** Something that changed for one user (or a whole tenant when `userId` is absent). */
export type PbxEvent =
  | {
      readonly type: 'presence';
      readonly tenantId: string;
      readonly userId: string;
      readonly extension: string;
      /** As in `centrex-sdk/core` presence: available, busy, line-free, dnd, offline. */
      readonly availability: string;
    }
  | {
      readonly type: 'forwarding-changed';
      readonly tenantId: string;
      readonly userId: string;
      readonly settings: ForwardingSettings;
      /** Who changed it: the web API, or a star code dialled on a device. */
      readonly source: 'api' | 'star-code';
    }
  | { readonly type: 'settings-changed'; readonly tenantId: string; readonly userId: string }
  | { readonly type: 'history-added'; readonly tenantId: string; readonly userId: string; readonly entryId: string }
  | { readonly type: 'queue-changed'; readonly tenantId: string; readonly queueId: string; readonly userId?: string }
  | {
      readonly type: 'registration';
      readonly tenantId: string;
      readonly userId: string;
      readonly registered: boolean;
    }
  | {
      /**
       * Directory data changed through the API, so open apps reload it: with `userId` only that user's data
       * (private contacts, function keys, devices); without it the whole tenant's (global contacts, users, queues, rooms).
       */
      readonly type: 'data-changed';
      readonly tenantId: string;
      readonly userId?: string;
      readonly area: 'contacts' | 'favorites' | 'devices' | 'users' | 'queues' | 'rooms';
    }
  /** A fax job of the user was accepted or changed state; carries the job as it is after the change. */
  | { readonly type: 'fax-job'; readonly tenantId: string; readonly userId: string; readonly job: FaxJob }
  /** A fax arrived at a fax extension the user has linked. */
  | { readonly type: 'fax-received'; readonly tenantId: string; readonly userId: string; readonly fax: ReceivedFax };

/** A listener of {@link PbxEvents}. */
export type PbxEventListener = (event: PbxEvent) => void;

/** Synchronous publish/subscribe for {@link PbxEvent}s within one PBX process. */
export class PbxEvents {
  readonly #listeners = new Set<PbxEventListener>();

  /**
   * Subscribes to every event.
   * @returns a function that unsubscribes
   */
  on(listener: PbxEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivers an event to every listener; a failing listener does not keep the others from it. */
  emit(event: PbxEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A broken subscriber (e.g. a closed SSE stream) must not break the SIP or API path that emitted.
      }
    }
  }
}
