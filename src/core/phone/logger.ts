/**
 * Logging for the phone. The core never writes to the console: an application passes a {@link Logger} (the
 * browser console satisfies the interface) and decides where messages go.
 *
 * @packageDocumentation
 */

/** Where the phone writes diagnostics. `console` fits; so does any structured logger with these four methods. */
export interface Logger {
  /** Protocol detail: SIP messages, state transitions. Noisy. */
  debug(message: string, ...data: unknown[]): void;
  /** Milestones: registered, call established, reconnected. */
  info(message: string, ...data: unknown[]): void;
  /** Something went wrong and was handled (a retry, a rolled-back re-INVITE). */
  warn(message: string, ...data: unknown[]): void;
  /** Something went wrong and could not be handled. */
  error(message: string, ...data: unknown[]): void;
}

/** A logger that drops everything; the default. */
export const silentLogger: Logger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
