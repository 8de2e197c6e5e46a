/**
 * Skipping from inside a test body. The shared harness passes node:test's test context through as the body's first
 * argument; these SIP tests only run in Node, so a body can mark itself skipped with a reason that shows in the
 * report.
 */
interface SkipContext {
  skip(message?: string): void;
}

/** Marks the running test as skipped with `reason` (also printed, so that it is seen in plain logs). */
export function skipTest(context: unknown, reason: string): void {
  console.warn(`SKIP: ${reason}`);
  const candidate = context as Partial<SkipContext> | undefined;
  if (typeof candidate?.skip === 'function') candidate.skip(reason);
}
