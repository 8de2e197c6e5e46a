// Shared assertion for the presence tests: the call must throw a CentrexError with the given code (and reason).
import { expect } from '../../support/harness.js';
import { isCentrexError, type CentrexError, type CentrexErrorCode } from '../../../src/core/errors.js';

/** Runs `action`, expects a CentrexError with `code` (and `details.reason` when given) and returns it. */
export function expectCentrexError(action: () => unknown, code: CentrexErrorCode, reason?: string): CentrexError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a CentrexError to be thrown').to.not.equal(undefined);
  expect(isCentrexError(caught, code), `expected code ${code}, got ${String(caught)}`).to.equal(true);
  const error = caught as CentrexError;
  if (reason !== undefined) expect(error.details?.['reason'], error.message).to.equal(reason);
  return error;
}
