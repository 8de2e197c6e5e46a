// Shared assertions for the fax tests: a call must fail with a CentrexError of a given code (and reason).
import { expect } from '../../support/harness.js';
import { isCentrexError, type CentrexError, type CentrexErrorCode } from '../../../src/core/errors.js';

/** Expects `action` to throw a CentrexError with `code` (and `details.reason` when given) and returns it. */
export function expectCentrexError(action: () => unknown, code: CentrexErrorCode, reason?: string): CentrexError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  return check(caught, code, reason);
}

/** Expects `promise` to reject with a CentrexError with `code` (and `details.reason` when given) and returns it. */
export async function expectRejection(
  promise: Promise<unknown>,
  code: CentrexErrorCode,
  reason?: string,
): Promise<CentrexError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  return check(caught, code, reason);
}

function check(caught: unknown, code: CentrexErrorCode, reason: string | undefined): CentrexError {
  expect(caught, 'expected a CentrexError').to.not.equal(undefined);
  expect(isCentrexError(caught, code), `expected code ${code}, got ${String(caught)}`).to.equal(true);
  const error = caught as CentrexError;
  if (reason !== undefined) expect(error.details?.['reason'], error.message).to.equal(reason);
  return error;
}
