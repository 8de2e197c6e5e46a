/**
 * A small typed event emitter that works the same in browsers and in Node, so a softphone can be written
 * headless. Events are plain objects; the map type says which event carries what.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';

/** A function called with one event. */
export type Listener<E> = (event: E) => void;

/** Removes the listener it was returned for. Calling it twice is harmless. */
export type Unsubscribe = () => void;

/**
 * Emits typed events. `M` maps each event name to its payload type.
 *
 * Listeners run synchronously in the order they were added. A listener that throws does not stop the others and
 * never reaches the SIP stack: the error goes to the `onListenerError` hook (the phone logs it).
 *
 * @example
 * ```ts
 * const off = phone.on('registered', () => showOnline());
 * off(); // stop listening
 * ```
 */
export class Emitter<M extends object> {
  readonly #listeners = new Map<keyof M, Set<Listener<never>>>();
  readonly #onListenerError: (error: unknown, type: keyof M) => void;

  /**
   * @param onListenerError - called when a listener throws; by default the error is rethrown asynchronously so it
   *   shows up as an uncaught error without breaking the emitter
   */
  constructor(onListenerError?: (error: unknown, type: keyof M) => void) {
    this.#onListenerError =
      onListenerError ??
      ((error) => {
        queueMicrotask(() => {
          throw error;
        });
      });
  }

  /** Calls `listener` for every `type` event until the returned function is called. */
  on<K extends keyof M>(type: K, listener: Listener<M[K]>): Unsubscribe {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(type, listener);
  }

  /** Calls `listener` for the next `type` event only. */
  once<K extends keyof M>(type: K, listener: Listener<M[K]>): Unsubscribe {
    const off = this.on(type, (event) => {
      off();
      listener(event);
    });
    return off;
  }

  /** Removes a listener added with {@link Emitter.on}. */
  off<K extends keyof M>(type: K, listener: Listener<M[K]>): void {
    this.#listeners.get(type)?.delete(listener as Listener<never>);
  }

  /**
   * Resolves with the next `type` event that satisfies `predicate`.
   *
   * @param options.predicate - events it returns false for are skipped
   * @param options.timeout - milliseconds after which the promise rejects with a CentrexError `timeout`
   * @param options.signal - rejects with the signal's reason when aborted
   */
  next<K extends keyof M>(
    type: K,
    options: { predicate?: (event: M[K]) => boolean; timeout?: number; signal?: AbortSignal } = {},
  ): Promise<M[K]> {
    return new Promise<M[K]>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cleanup = (): void => {
        off();
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const off = this.on(type, (event) => {
        if (options.predicate && !options.predicate(event)) return;
        cleanup();
        resolve(event);
      });
      const onAbort = (): void => {
        cleanup();
        reject(options.signal?.reason ?? new Error('aborted'));
      };
      options.signal?.addEventListener('abort', onAbort);
      if (options.timeout !== undefined) {
        timer = setTimeout(() => {
          cleanup();
          reject(
            new CentrexError('timeout', `No "${String(type)}" event within ${options.timeout} ms.`, {
              details: { event: String(type), timeout: options.timeout },
            }),
          );
        }, options.timeout);
      }
    });
  }

  /**
   * Delivers an event to the current listeners.
   * @internal
   */
  emit<K extends keyof M>(type: K, event: M[K]): void {
    const set = this.#listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<M[K]>)(event);
      } catch (error) {
        this.#onListenerError(error, type);
      }
    }
  }

  /**
   * Removes every listener (used when an object is disposed).
   * @internal
   */
  removeAllListeners(): void {
    this.#listeners.clear();
  }
}
