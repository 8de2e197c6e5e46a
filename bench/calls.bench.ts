// Call setup benchmark: click-to-media through each SIP server the browser tests use (Kamailio and the reference
// PBX), with a warm connection. Two Chromium users are registered; the callee answers every call at once; for each
// call the caller measures from dial() to the first audio packet from the callee (its remote track unmutes on the
// first RTP packet) and to "established". Prints figures only.
//
// WebRTC must stay on loopback, so run it in the test network namespace:
//   node scripts/run-e2e-tests.mjs --run bench/calls.bench.ts      (npm run bench:calls)
import { cpus } from 'node:os';
import { TestPage, User } from '../test/e2e/support/browser.js';
import { kamailio, PEOPLE, referencePbx, type ServerKind } from '../test/e2e/support/servers.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const WARM_UP = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** Times CALLS calls (after WARM_UP unmeasured ones) from Anna to Ben through one server and prints the figures. */
async function measure(kind: ServerKind, prepared: boolean): Promise<void> {
  const server = await kind.start();
  const page = await TestPage.start();
  const [anna, ben] = await Promise.all([User.launch('anna', PEOPLE.anna.extension, page), User.launch('ben', PEOPLE.ben.extension, page)]);
  try {
    await Promise.all([
      anna.start({ ...(await server.phoneOptions('anna')), warmMicrophone: true, prepareCalls: prepared }),
      ben.start({ ...(await server.phoneOptions('ben')), autoAccept: true, warmMicrophone: true, prepareCalls: prepared }),
    ]);
    const firstPacket: number[] = [];
    const established: number[] = [];
    const marks = new Map<string, number[]>();
    for (let i = 0; i < WARM_UP + CALLS; i++) {
      // A user clicks "call" on an idle phone, which has the next call's offer ready (a few ms after the last call).
      if (prepared) await anna.page.evaluate(() => window.harness.waitForPreparedOffer());
      const result = await anna.page.evaluate((target) => window.harness.timeCall(target), ben.extension);
      if (i < WARM_UP) continue;
      firstPacket.push(result.firstPacket);
      established.push(result.established);
      for (const [name, at] of Object.entries(result.marks)) marks.set(name, [...(marks.get(name) ?? []), at]);
    }
    console.log(`calls.bench: ${CALLS} calls through ${kind.label} (warm WebSocket and microphone, ${prepared ? 'calls prepared' : 'calls not prepared'}), ${cpus().length} cores`);
    console.log(`  click-to-media (dial → first audio packet): median ${ms(median(firstPacket))}, p90 ${ms(percentile(firstPacket, 90))}, min ${ms(Math.min(...firstPacket))}, max ${ms(Math.max(...firstPacket))}`);
    console.log(`  dial → established:                         median ${ms(median(established))}, p90 ${ms(percentile(established, 90))}`);
    // Where the time goes: the median moment of each step the caller's page saw, in the order they happen.
    const steps = [...marks].map(([name, at]) => [name, median(at)] as const).sort((a, b) => a[1] - b[1]);
    console.log(`  steps (median ms after dial): ${steps.map(([name, at]) => `${name} ${at.toFixed(1)}`).join(' · ')}`);
  } finally {
    await Promise.all([anna.close(), ben.close()]);
    await page.stop();
    await server.shutDown();
  }
}

// One server after the other: the machine has two cores, and the figures must not disturb each other.
// The phone's default first (the caller's next offer made ahead, the callee applying the offer while it rings);
// then without either, for comparison.
for (const kind of [kamailio, referencePbx]) {
  await measure(kind, true);
  if (process.env.BENCH_COMPARE !== '0') await measure(kind, false);
}
