// The PBX under SIPp load on loopback: registrations per second (REGISTER with digest, 401 and 200 each), call
// setups per second (a SIPp UAC calls a registered SIPp UAS through the PBX: INVITE, 407, ACK, INVITE, 180, 200,
// ACK, BYE, 200 — routing, LineStates and call lists included, the store at its default synchronous=FULL), failed
// calls, the PBX's CPU time per registration and per call, and the SIP message parse cost. Figures only, no
// assertions. Run with `npm run bench:pbx` (`node --import tsx bench/pbx.bench.ts`); needs `sipp` (sip-tester).
import { cpus } from 'node:os';
import { DEFAULT_ROUTER_TIMERS } from '../src/pbx/routing/index.js';
import { systemClock, parseMessage } from '../src/pbx/sip/index.js';
import { COMPANY, passwordOf, startPbx, type TestPbx } from '../test/pbx/routing/support/pbx.js';
import { authField, commonArgs, freeUdpPort, injectionFile, scenario, sippAvailable, sippCounts, startSipp } from '../test/pbx/routing/support/sipp.js';

const REGISTRATIONS = 2000;
const CALLS = 2000;
// Load comes from many users, as on a real PBX: 25 callees (one SIPp UAS registered for all of them), 25 callers,
// and 50 users for the registration runs (their bindings point at SIPp ports that are gone afterwards, so they are
// kept apart from the callees).
const CALLEES = range(1000, 25);
const CALLERS = range(1025, 25);
const REGISTRANTS = range(1050, 50);

// PBX_BENCH_TRACE=DIR makes SIPp write its error logs there (what failed calls received).
const trace = (name: string): string[] => {
  const dir = process.env['PBX_BENCH_TRACE'];
  return dir === undefined ? [] : ['-trace_err', '-error_file', `${dir}/${name}-errors.log`];
};

function range(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => String(from + index));
}
// The offered rates can be narrowed for profiling: PBX_BENCH_REG_RATES=500 PBX_BENCH_CALL_RATES=200,400.
const rates = (name: string, fallback: number[]): number[] => {
  const value = process.env[name];
  return value === undefined ? fallback : value.split(',').filter((part) => part !== '').map(Number);
};
const REGISTRATION_RATES = rates('PBX_BENCH_REG_RATES', [250, 500, 1000, 2000]);
const CALL_RATES = rates('PBX_BENCH_CALL_RATES', [100, 200, 300, 400]);

interface Step {
  readonly rate: number;
  readonly elapsedS: number;
  readonly successful: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly cpuMsEach: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function registrations(pbx: TestPbx, rate: number): Promise<Step> {
  const cpu = process.cpuUsage();
  const run = await startSipp([
    '-sf', scenario('register'), '-inf', injectionFile(REGISTRANTS.map((user) => [user, authField(user, passwordOf(user)), COMPANY])),
    '-m', String(REGISTRATIONS), '-r', String(rate), ...commonArgs(await freeUdpPort(), 120), `127.0.0.1:${pbx.udp.port}`,
  ]).done;
  const { successful, failed } = sippCounts(run.output);
  return { rate, elapsedS: run.elapsedMs / 1000, successful, failed, perSecond: successful / (run.elapsedMs / 1000), cpuMsEach: cpuMs(cpu) / Math.max(1, successful) };
}

async function calls(pbx: TestPbx, rate: number): Promise<Step> {
  const cpu = process.cpuUsage();
  const run = await startSipp([
    '-sf', scenario('uac-call'), ...trace(`uac-${rate}`),
    '-inf', injectionFile(CALLERS.map((caller, index) => [caller, authField(caller, passwordOf(caller)), CALLEES[index] ?? '1000', COMPANY])),
    // A call whose answer never comes fails after 10 s instead of keeping SIPp (and the figures) waiting.
    '-m', String(CALLS), '-r', String(rate), '-l', '2000', '-recv_timeout', '10000',
    ...commonArgs(await freeUdpPort(), 180), `127.0.0.1:${pbx.udp.port}`,
  ]).done;
  const { successful, failed } = sippCounts(run.output);
  // SIPp starts calls open-loop at the offered rate, so successful calls per second while the load ran is the offered
  // rate times the share that succeeded (elapsed time would include the 10 s a failed call waits at the end).
  const perSecond = rate * (successful / Math.max(1, successful + failed));
  return { rate, elapsedS: run.elapsedMs / 1000, successful, failed, perSecond, cpuMsEach: cpuMs(cpu) / Math.max(1, successful) };
}

function parseCost(): { invite: number; register: number } {
  const invite = Buffer.from(
    [
      'INVITE sip:11@acme.test SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4711-1-5;rport=5061;received=127.0.0.1',
      'From: <sip:10@acme.test>;tag=4711SIPpTag001',
      'To: <sip:11@acme.test>',
      'Call-ID: 1-4711@127.0.0.1',
      'CSeq: 2 INVITE',
      'Contact: <sip:10@127.0.0.1:5061;transport=UDP>',
      'Proxy-Authorization: Digest username="10",realm="acme.test",uri="sip:11@acme.test",nonce="AAABjG3xQk4Yw9n2c1s0dF8hKq3t7uVbO5RzX2m1pLc",response="6629fae49393a05397450978507c4ef1",algorithm=MD5,cnonce="6b8b4567",qop=auth,nc=00000001',
      'Max-Forwards: 70',
      'Subject: SIPp interop',
      'Content-Type: application/sdp',
      'Content-Length: 129',
      '',
      'v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
    ].join('\r\n'),
  );
  const register = Buffer.from(
    [
      'REGISTER sip:acme.test SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-4712-1-2;rport',
      'Max-Forwards: 70',
      'From: <sip:12@acme.test>;tag=4712SIPpTag1',
      'To: <sip:12@acme.test>',
      'Call-ID: 1-4712@127.0.0.1',
      'CSeq: 2 REGISTER',
      'Contact: <sip:12@127.0.0.1:5062;transport=UDP>',
      'Authorization: Digest username="12",realm="acme.test",uri="sip:acme.test",nonce="AAABjG3xQk4Yw9n2c1s0dF8hKq3t7uVbO5RzX2m1pLc",response="6629fae49393a05397450978507c4ef1",algorithm=MD5,cnonce="6b8b4567",qop=auth,nc=00000001',
      'Expires: 3600',
      'User-Agent: SIPp',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
  const measure = (bytes: Buffer): number => {
    for (let i = 0; i < 500; i++) parseMessage(bytes);
    const samples: number[] = [];
    for (let round = 0; round < 7; round++) {
      const start = performance.now();
      for (let i = 0; i < 1000; i++) {
        const parsed = parseMessage(bytes);
        // Touch what the router reads, so that the lazily parsed views are part of the cost.
        if (parsed.ok) void [parsed.message.from, parsed.message.to, parsed.message.vias, parsed.message.contacts];
      }
      samples.push((performance.now() - start) / 1000);
    }
    samples.sort((a, b) => a - b);
    return samples[3] ?? 0;
  };
  return { invite: measure(invite), register: measure(register) };
}

function table(title: string, unit: string, steps: readonly Step[], note: string): void {
  console.log(`\n${title}`);
  console.log(`  offered/s  achieved ${unit}/s  successful  failed  elapsed s  PBX CPU ms each`);
  for (const step of steps) {
    console.log(
      `  ${String(step.rate).padStart(9)}  ${step.perSecond.toFixed(0).padStart(10)}${' '.repeat(unit.length + 4)}${String(step.successful).padStart(10)}  ${String(step.failed).padStart(6)}  ${step.elapsedS.toFixed(1).padStart(9)}  ${step.cpuMsEach.toFixed(2).padStart(15)}`,
    );
  }
  console.log(`  (${note})`);
}

async function main(): Promise<void> {
  console.log(`PBX benchmark — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
  const parse = parseCost();
  console.log(`SIP parse cost (median, parse + From/To/Via/Contact views): INVITE ${parse.invite.toFixed(3)} ms, REGISTER ${parse.register.toFixed(3)} ms per message`);
  if (!sippAvailable) {
    console.log('sipp is not installed (Debian package sip-tester): no load figures.');
    return;
  }
  const pbx = await startPbx({
    routerClock: systemClock,
    // The router as it runs in the PBX: batched call-list writes, load shedding.
    timers: DEFAULT_ROUTER_TIMERS,
    synchronous: 'full',
    extraUsers: 100,
    // SIPp 3.6 answers only the first challenge, only with MD5; the load generator must not be locked out as a flood.
    security: { digestAlgorithms: ['MD5', 'SHA-256'], trusted: ['127.0.0.1'] },
  });
  // Overlapping calls of one user are the norm under load: the tenant allows many, callees have call waiting.
  pbx.store.updateTenant(pbx.company.id, { maxConcurrentCalls: 100 });
  for (const callee of CALLEES) pbx.store.updateUserSettings(pbx.users[callee]!.id, { callWaiting: true });
  try {
    const regSteps: Step[] = [];
    for (const rate of REGISTRATION_RATES) regSteps.push(await registrations(pbx, rate));
    table(`Registrations (${REGISTRATIONS} per step, REGISTER → 401 → REGISTER → 200)`, 'reg', regSteps, 'achieved = successful / elapsed');

    const uasPort = await freeUdpPort();
    const target = `127.0.0.1:${pbx.udp.port}`;
    const registered = await startSipp([
      '-sf', scenario('register'), '-inf', injectionFile(CALLEES.map((user) => [user, authField(user, passwordOf(user)), COMPANY])),
      '-m', String(CALLEES.length), ...commonArgs(uasPort, 20), target,
    ]).done;
    if (registered.code !== 0) throw new Error(`the SIPp UAS could not register:\n${registered.output.slice(-1000)}`);
    const uas = startSipp(['-sf', scenario('uas-answer'), ...trace('uas'), ...commonArgs(uasPort, 3600)]);
    const callSteps: Step[] = [];
    try {
      for (const rate of CALL_RATES) callSteps.push(await calls(pbx, rate));
    } finally {
      uas.child.kill('SIGTERM');
      await uas.done;
    }
    table(
      `Call setups (${CALLS} per step, SIPp UAC → PBX → SIPp UAS, with 407, ACK and BYE)`,
      'calls',
      callSteps,
      'achieved = offered × successful / started: SIPp starts calls at the offered rate whatever happens to them',
    );
    const written = CALLERS.reduce((sum, caller) => sum + pbx.store.listHistory(pbx.users[caller]!.id, { limit: 1000 }).length, 0);
    console.log(`\nCall-list entries of the callers: ${written}; calls still active at the end: ${pbx.router.activeCalls}`);
  } finally {
    await pbx.close();
  }
}

await main();
