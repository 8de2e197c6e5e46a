import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import { backoffDelay, checkBackoffPolicy, DEFAULT_BACKOFF } from '../../../src/core/phone/backoff.js';

describe('reconnect backoff', () => {
  it('doubles the bound per attempt and caps it', () => {
    const policy = { baseDelay: 500, maxDelay: 4000, factor: 2, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, 0.3))).to.deep.equal([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('spreads delays between half and all of the bound with the default jitter', () => {
    expect(backoffDelay(1, DEFAULT_BACKOFF, 0)).to.equal(250);
    expect(backoffDelay(1, DEFAULT_BACKOFF, 0.999999)).to.equal(500);
    expect(backoffDelay(3, DEFAULT_BACKOFF, 0.5)).to.equal(1500);
    expect(backoffDelay(30, DEFAULT_BACKOFF, 1)).to.equal(30_000);
  });

  it('gives clients with different random draws different delays (no thundering herd)', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelay(4, DEFAULT_BACKOFF, r)));
    expect(delays.size).to.equal(5);
  });

  it('rejects nonsense with invalid-argument', () => {
    for (const bad of [{ ...DEFAULT_BACKOFF, baseDelay: 0 }, { ...DEFAULT_BACKOFF, maxDelay: 1 }, { ...DEFAULT_BACKOFF, factor: 0.5 }, { ...DEFAULT_BACKOFF, jitter: 2 }]) {
      let caught: unknown;
      try {
        checkBackoffPolicy(bad);
      } catch (error) {
        caught = error;
      }
      expect(isCentrexError(caught, 'invalid-argument'), JSON.stringify(bad)).to.equal(true);
    }
    expect(() => backoffDelay(0, DEFAULT_BACKOFF, 0.5)).to.throw(/counted from 1/);
  });
});
