// Call setup benchmark: click-to-media through Kamailio with a warm connection. Two Chromium users are registered;
// the callee answers every call at once; for each call the caller measures from dial() to the first audio packet
// from the callee (its remote track unmutes on the first RTP packet) and to "established". Prints figures only.
//
// WebRTC must stay on loopback, so run it in the test network namespace:
//   node scripts/run-e2e-tests.mjs --run bench/calls.bench.ts      (npm run bench:calls)
import { cpus } from 'node:os';
import { Kamailio } from '../test/e2e/support/kamailio.js';
import { TestPage, User } from '../test/e2e/support/browser.js';

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

const kamailio = await Kamailio.start();
const page = await TestPage.start();
const [alice, bob] = await Promise.all([User.launch('alice', '1001', page), User.launch('bob', '1002', page)]);
try {
  const options = (user: User, extra: object) => ({ server: kamailio.wsUrl, uri: `sip:${user.extension}@127.0.0.1`, password: 'secret', ...extra });
  await Promise.all([alice.start(options(alice, { warmMicrophone: true })), bob.start(options(bob, { autoAccept: true, warmMicrophone: true }))]);
  const firstPacket: number[] = [];
  const established: number[] = [];
  for (let i = 0; i < WARM_UP + CALLS; i++) {
    const result = await alice.page.evaluate(() => window.harness.timeCall('1002'));
    if (i < WARM_UP) continue;
    firstPacket.push(result.firstPacket);
    established.push(result.established);
  }
  console.log(`calls.bench: ${CALLS} calls through Kamailio ${kamailio.wsUrl} (warm WebSocket and microphone), ${cpus().length} cores`);
  console.log(`  click-to-media (dial → first audio packet): median ${ms(median(firstPacket))}, p90 ${ms(percentile(firstPacket, 90))}, min ${ms(Math.min(...firstPacket))}, max ${ms(Math.max(...firstPacket))}`);
  console.log(`  dial → established:                         median ${ms(median(established))}, p90 ${ms(percentile(established, 90))}`);
} finally {
  await Promise.all([alice.close(), bob.close()]);
  await page.stop();
  await kamailio.stop();
  kamailio.cleanup();
}
