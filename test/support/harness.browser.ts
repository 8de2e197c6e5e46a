// The test harness seen by core tests in Chromium: mocha's globals (from web-test-runner) + chai from @open-wc/testing.
import { expect } from '@open-wc/testing';
import type { TestBody } from './harness.js';

interface MochaGlobals {
  describe(name: string, body: () => void): void;
  it(name: string, body: TestBody): void;
  beforeEach(body: TestBody): void;
  afterEach(body: TestBody): void;
}
const mocha = globalThis as unknown as MochaGlobals;

/** Groups tests. */
export const describe = (name: string, body: () => void): void => mocha.describe(name, body);
/** Declares one test. */
export const it = (name: string, body: TestBody): void => mocha.it(name, body);
/** Runs before each test of the enclosing group. */
export const beforeEach = (body: TestBody): void => mocha.beforeEach(body);
/** Runs after each test of the enclosing group. */
export const afterEach = (body: TestBody): void => mocha.afterEach(body);
/** Where the tests run. */
export const environment: 'node' | 'browser' = 'browser';
export { expect };
