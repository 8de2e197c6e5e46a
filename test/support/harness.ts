// The test harness seen by core tests when they run in Node (node:test + chai).
// web-test-runner swaps this module for harness.browser.ts, so the same test files run in Chromium under mocha.
import { describe as nodeDescribe, it as nodeIt, beforeEach as nodeBeforeEach, afterEach as nodeAfterEach } from 'node:test';
import { expect } from '@esm-bundle/chai/esm/chai.js';

/** A test body; may be async. */
export type TestBody = () => void | Promise<void>;

/** Groups tests. */
export const describe: (name: string, body: () => void) => void = (name, body) => {
  void nodeDescribe(name, body);
};
/** Declares one test. */
export const it: (name: string, body: TestBody) => void = (name, body) => {
  void nodeIt(name, body);
};
/** Runs before each test of the enclosing group. */
export const beforeEach = (body: TestBody): void => {
  nodeBeforeEach(body);
};
/** Runs after each test of the enclosing group. */
export const afterEach = (body: TestBody): void => {
  nodeAfterEach(body);
};
/** Where the tests run. */
export const environment: 'node' | 'browser' = 'node';
export { expect };
