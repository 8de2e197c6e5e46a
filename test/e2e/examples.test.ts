// The examples as people use them: `npm start`'s server (reference PBX, demo tenant, examples/ under its strict CSP)
// and Chromium users who sign in through the pages' own forms, then do the manual's flows by clicking, typing and
// dragging — call from the dialer, incoming popup, green and yellow banner, hold, transfer by button and by dragging a
// favorite, busy lamps, a forwarding profile that takes effect, click-to-call and the screen-pop of the CRM.
// Everything is waited for as a state (an element, an attribute, a colour, RTP counters), never with fixed sleeps.
// Runs inside the loopback-only network namespace of scripts/run-e2e-tests.mjs; needs the built dist/ (npm run build).
import { after, before } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { CentrexProvider } from '../../src/components/provider/provider.js';
import { describe, it, expect } from '../support/harness.js';
import { CHROMIUM_ARGS } from './support/browser.js';

const PASSWORD = 'examples-e2e-password';

/** Someone at a browser: their own context (storage, microphone, SIP registration) with one page open. */
interface Person {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors and CSP violations seen on the page. */
  readonly problems: string[];
}

/** Polls `read` until `ok` holds (the states a person waits for on screen); fails with the last value seen. */
async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeout} ms`);
    await delay(100);
  }
}

/** Hue (0–360) and saturation (0–1) of a computed `rgb(…)` colour. */
function hueOf(colour: string): { hue: number; saturation: number } {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => Number(part) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  if (delta === 0) return { hue: 0, saturation: 0 };
  const lightness = (max + min) / 2;
  const saturation = delta / (1 - Math.abs(2 * lightness - 1));
  const sector = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  return { hue: (sector * 60 + 360) % 360, saturation };
}
const isGreen = (colour: string) => {
  const { hue, saturation } = hueOf(colour);
  return hue >= 90 && hue <= 165 && saturation > 0.3;
};
const isYellow = (colour: string) => {
  const { hue, saturation } = hueOf(colour);
  return hue >= 38 && hue <= 65 && saturation > 0.5;
};

/** What the call bar's banner shows: background colour, the texts of its parts, and the bar's state. */
async function banner(person: Person): Promise<{ background: string; status: string; name: string; duration: string } | undefined> {
  const bar = person.page.locator('centrex-call-bar [part~="banner"]');
  if ((await bar.count()) === 0) return undefined;
  // No named helpers inside evaluated functions: tsx (esbuild keepNames) would wrap them in a __name() the page lacks.
  return bar.evaluate((element) => {
    const [status, name, duration] = ['status', 'name', 'duration'].map((part) => element.querySelector(`[part~="${part}"]`)?.textContent?.trim() ?? '');
    return {
      background: getComputedStyle(element).backgroundColor,
      status: status ?? '',
      name: name ?? '',
      duration: /\d+:\d\d(?::\d\d)?/.exec(duration ?? '')?.[0] ?? '',
    };
  });
}

/** Seconds of a shown talk time (`0:07`, `1:02:03`). */
const seconds = (duration: string) => duration.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);

/** Waits until the banner is green (in a call) with `name` and a talk time that keeps running. */
async function waitForGreenBanner(person: Person, name: string): Promise<void> {
  const first = await until(
    `${person.name}'s banner green with ${name}`,
    () => banner(person),
    (shown) => shown !== undefined && isGreen(shown.background) && shown.name === name && shown.duration !== '',
  );
  await until(
    `${person.name}'s talk time running`,
    () => banner(person),
    (shown) => shown !== undefined && seconds(shown.duration) > seconds(first!.duration),
    4000,
  );
}

/** The state of the busy lamp on `person`'s favorite key for `name` (`idle`, `ringing`, `calling`, `busy`, …). */
function lamp(person: Person, name: string): Promise<string | null> {
  return person.page.locator('centrex-favorites [part~="key"]', { hasText: name }).locator('[part~="lamp"]').getAttribute('data-line');
}

async function waitForLamp(person: Person, name: string, states: readonly string[]): Promise<string | null> {
  return until(`${person.name}'s lamp for ${name} in ${states.join('/')}`, () => lamp(person, name), (line) => line !== null && states.includes(line));
}

/** The state of the web phone's active call, read through the page's provider element (`none` without one). */
function activeCallState(person: Person): Promise<string> {
  return person.page.evaluate(() => {
    const provider = document.querySelector('centrex-provider') as CentrexProvider | null;
    return provider?.client.phone?.calls.active?.state ?? 'none';
  });
}

/** How many calls the web phone has (ringing ones included). */
function callCount(person: Person): Promise<number> {
  return person.page.evaluate(() => (document.querySelector('centrex-provider') as CentrexProvider | null)?.client.phone?.calls.calls.length ?? 0);
}

/** Waits until RTP audio of the active call flows both ways: packets sent and received rising (RTCPeerConnection stats). */
async function waitForAudio(person: Person, packets = 25): Promise<void> {
  await person.page.evaluate(async (wanted) => {
    const call = (document.querySelector('centrex-provider') as CentrexProvider | null)?.client.phone?.calls.active;
    if (call === undefined) throw new Error('no active call');
    let start: { received: number; sent: number } | undefined;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const now = { received: 0, sent: 0 };
      (await call.getStats())?.forEach((report: { type: string; kind?: string; packetsReceived?: number; packetsSent?: number }) => {
        if (report.kind !== 'audio') return;
        if (report.type === 'inbound-rtp') now.received += report.packetsReceived ?? 0;
        if (report.type === 'outbound-rtp') now.sent += report.packetsSent ?? 0;
      });
      start ??= now;
      if (now.received - start.received >= wanted && now.sent - start.sent >= wanted) return;
      if (Date.now() > deadline) throw new Error(`audio does not flow both ways: ${JSON.stringify({ start, now })}`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }, packets);
}

/** The incoming-call popup on a person's page. */
const popupOf = (person: Person): Locator => person.page.getByRole('alertdialog');

describe('the intranet and CRM examples in Chromium (npm start, demo tenant)', () => {
  let server: ChildProcess | undefined;
  let base = '';
  let browser: Browser | undefined;
  let output = '';
  const people: Person[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'centrex-examples-e2e-'));
  let ben: Person;
  let clara: Person;
  let david: Person;

  async function open(name: string, path: string): Promise<Person> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    // Everything here happens within seconds: fail fast instead of Playwright's 30 s default.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().startsWith('CSP violation')) problems.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    await page.goto(`${base}${path}`);
    const person = { name, context, page, problems };
    people.push(person);
    return person;
  }

  /** Waits until the page's web phone is registered: calls can be made and received. */
  async function waitForRegistered(person: Person): Promise<void> {
    await person.page.waitForFunction(() => (document.querySelector('centrex-provider') as CentrexProvider | null)?.client.phone?.registered === true, null, {
      timeout: 10_000,
    });
  }

  /** Opens /intranet/ and signs in with the phone's own form. */
  async function signInToIntranet(name: string, email: string): Promise<Person> {
    const person = await open(name, '/intranet/');
    const form = person.page.locator('centrex-phone form.sign-in');
    await form.getByLabel(/E-Mail/i).fill(email);
    await form.getByLabel(/Passwort|Password/).fill(PASSWORD);
    await form.getByRole('button', { name: /Anmelden|Sign in/ }).click();
    // Signed in: the app's areas replace the form.
    await person.page.locator('centrex-phone [part~="call-area"]').waitFor({ timeout: 10_000 });
    await waitForRegistered(person);
    return person;
  }

  before(async () => {
    server = spawn(process.execPath, ['scripts/start.mjs'], {
      env: {
        ...process.env,
        CENTREX_SKIP_BUILD: '1',
        PORT: '0',
        HOST: '127.0.0.1',
        CENTREX_SIP_PORT: '0',
        CENTREX_DB: join(dataDir, 'centrex.db'),
        CENTREX_DEMO_PASSWORD: PASSWORD,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.setEncoding('utf8');
    server.stderr!.setEncoding('utf8');
    server.stdout!.on('data', (chunk: string) => (output += chunk));
    server.stderr!.on('data', (chunk: string) => (output += chunk));
    const deadline = Date.now() + 20_000;
    while (!/ready: http:\/\/[\d.]+:\d+/.test(output)) {
      if (server.exitCode !== null) throw new Error(`npm start's server exited (${server.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start's server did not get ready:\n${output}`);
      await delay(50);
    }
    base = /ready: (http:\/\/[\d.]+:\d+)/.exec(output)![1]!;
    const bundle = await fetch(`${base}/dist/cdn/centrex-sdk.js`);
    if (!bundle.ok) throw new Error(`${base}/dist/cdn/centrex-sdk.js answers ${bundle.status}: build first (npm run build).`);
    browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    [ben, clara, david] = await Promise.all([
      signInToIntranet('Ben', 'ben@demo.test'),
      signInToIntranet('Clara', 'clara@demo.test'),
      signInToIntranet('David', 'david@demo.test'),
    ]);
  });

  after(async () => {
    await browser?.close();
    if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit');
      process.kill(server.pid, 'SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('Ben types 12 and Enter; Clara sees Ben in the popup, accepts; both banners green with running talk time; audio both ways; David’s lamps follow', async () => {
    await waitForLamp(david, 'Clara Schmidt', ['idle']);
    await waitForLamp(david, 'Ben Berger', ['idle']);
    const number = ben.page.locator('centrex-dialer').getByLabel('Rufnummer');
    await number.fill('12');
    await number.press('Enter');

    const popup = popupOf(clara);
    await popup.waitFor({ timeout: 10_000 });
    expect(await popup.locator('[part~="name"]').textContent()).to.contain('Ben Berger');
    expect(await popup.locator('[part~="number"]').textContent()).to.contain('11');
    // While it rings: Clara's lamp blinks at David's, Ben's shows him calling; Ben's banner says it rings.
    await waitForLamp(david, 'Clara Schmidt', ['ringing']);
    expect(await waitForLamp(david, 'Ben Berger', ['calling', 'busy'])).to.equal('calling');
    const ringing = await banner(ben);
    expect(ringing?.name).to.equal('Clara Schmidt');
    expect(isGreen(ringing?.background ?? '')).to.equal(false);

    await popup.getByRole('button', { name: 'Annehmen', exact: true }).click();
    await popup.waitFor({ state: 'detached' });
    await Promise.all([waitForGreenBanner(ben, 'Clara Schmidt'), waitForGreenBanner(clara, 'Ben Berger')]);
    expect((await banner(ben))?.status).to.equal('Im Gespräch');
    await Promise.all([waitForAudio(ben), waitForAudio(clara)]);
    await Promise.all([waitForLamp(david, 'Clara Schmidt', ['busy']), waitForLamp(david, 'Ben Berger', ['busy'])]);
  });

  it('hold turns Ben’s banner yellow and Clara is told; resume turns it green and the audio flows again', async () => {
    const hold = ben.page.locator('centrex-call-bar').getByRole('button', { name: 'Halten', exact: true });
    await hold.click();
    const held = await until('Ben’s banner on hold', () => banner(ben), (shown) => shown !== undefined && isYellow(shown.background));
    expect(held?.status).to.equal('Gehalten');
    expect(await hold.getAttribute('aria-pressed')).to.equal('true');
    await clara.page.locator('centrex-call-bar .note', { hasText: 'Ben Berger hat das Gespräch auf Halten gesetzt.' }).waitFor();
    // The held party stays in the call (green), only told so.
    expect(isGreen((await banner(clara))?.background ?? '')).to.equal(true);

    await hold.click();
    await waitForGreenBanner(ben, 'Clara Schmidt');
    expect(await hold.getAttribute('aria-pressed')).to.equal('false');
    await clara.page.locator('centrex-call-bar .note').waitFor({ state: 'detached' });
    await Promise.all([waitForAudio(ben), waitForAudio(clara)]);
  });

  it('Clara transfers Ben to David with the Transfer button (blind); David’s popup says so, and David talks to Ben', async () => {
    const bar = clara.page.locator('centrex-call-bar');
    await bar.getByRole('button', { name: 'Weiterleiten', exact: true }).click();
    await bar.getByLabel('Weiterleiten an').fill('13');
    await bar.getByRole('button', { name: 'Jetzt weiterleiten' }).click();

    const popup = popupOf(david);
    await popup.waitFor({ timeout: 10_000 });
    expect(await popup.locator('[part~="name"]').textContent()).to.contain('Ben Berger');
    expect(await popup.locator('[part~="via"]').textContent()).to.contain('Transferred by Clara Schmidt');
    await until('Clara’s call handed over', () => activeCallState(clara), (state) => state === 'none');

    await popup.getByRole('button', { name: 'Accept', exact: true }).click();
    await Promise.all([waitForGreenBanner(david, 'Ben Berger'), waitForGreenBanner(ben, 'David Müller')]);
    await Promise.all([waitForAudio(ben), waitForAudio(david)]);
    expect(await callCount(clara)).to.equal(0);
  });

  it('Ben drags the favorite “Clara Schmidt” onto his call bar: David’s call goes to Clara; the lamps go back to free after hang-up', async () => {
    const key = ben.page.locator('centrex-favorites [part~="key"]', { hasText: 'Clara Schmidt' });
    await key.dragTo(ben.page.locator('centrex-call-bar [part~="banner"]'));

    const popup = popupOf(clara);
    await popup.waitFor({ timeout: 10_000 });
    expect(await popup.locator('[part~="name"]').textContent()).to.contain('David Müller');
    expect(await popup.locator('[part~="via"]').textContent()).to.contain('Weitergeleitet von Ben Berger');
    await until('Ben’s call handed over', () => activeCallState(ben), (state) => state === 'none');
    await waitForLamp(ben, 'Clara Schmidt', ['ringing']);

    await popup.getByRole('button', { name: 'Annehmen', exact: true }).click();
    await Promise.all([waitForGreenBanner(clara, 'David Müller'), waitForGreenBanner(david, 'Clara Schmidt')]);
    await Promise.all([waitForAudio(clara), waitForAudio(david)]);
    await Promise.all([waitForLamp(ben, 'Clara Schmidt', ['busy']), waitForLamp(ben, 'David Müller', ['busy'])]);

    await clara.page.locator('centrex-call-bar').getByRole('button', { name: 'Auflegen', exact: true }).click();
    await until('David’s call ended', () => activeCallState(david), (state) => state === 'none');
    await until('David’s banner gone', () => banner(david), (shown) => shown === undefined);
    await Promise.all([waitForLamp(ben, 'Clara Schmidt', ['idle']), waitForLamp(ben, 'David Müller', ['idle'])]);
  });

  it('Clara chooses her profile “Urlaub” (always to 11): David’s call to her rings at Ben; back on “Standard” it rings at Clara', async () => {
    const profile = clara.page.getByLabel('Rufumleitungsprofil');
    await profile.selectOption({ label: 'Urlaub' });
    await clara.page.locator('centrex-phone .status-line', { hasText: 'Rufumleitungsprofil aktiv: Urlaub' }).waitFor();

    const number = david.page.locator('centrex-dialer').getByLabel('Number');
    await number.fill('12');
    await number.press('Enter');
    const atBen = popupOf(ben);
    await atBen.waitFor({ timeout: 10_000 });
    expect(await atBen.locator('[part~="name"]').textContent()).to.contain('David Müller');
    expect(await atBen.locator('[part~="via"]').textContent()).to.contain('Umgeleitet von Clara Schmidt');
    expect(await popupOf(clara).count()).to.equal(0);
    expect(await callCount(clara)).to.equal(0);
    await atBen.getByRole('button', { name: 'Ablehnen', exact: true }).click();
    await until('David’s call ended', () => callCount(david), (count) => count === 0);

    await profile.selectOption({ label: 'Standard' });
    await clara.page.locator('centrex-phone .status-line', { hasText: 'Rufumleitungsprofil aktiv: Standard' }).waitFor();
    await number.fill('12');
    await number.press('Enter');
    const atClara = popupOf(clara);
    await atClara.waitFor({ timeout: 10_000 });
    expect(await atClara.locator('[part~="name"]').textContent()).to.contain('David Müller');
    expect(await popupOf(ben).count()).to.equal(0);
    await david.page.locator('centrex-call-bar').getByRole('button', { name: 'Hang up', exact: true }).click();
    await atClara.waitFor({ state: 'detached' });
  });

  it('CRM: Anna signs in with the CRM’s form; click-to-call on a customer rings the outside number; the outside caller pops the customer', async () => {
    const outside = await signInToIntranet('Außenwelt 100', 'extern100@outside.test');
    const anna = await open('Anna (CRM)', '/crm/');
    const crm = anna.page;
    await crm.getByPlaceholder('E-mail').fill('anna@demo.test');
    await crm.getByPlaceholder('Password').fill(PASSWORD);
    await crm.getByRole('button', { name: 'Connect phone' }).click();
    await crm.locator('#user', { hasText: 'Anna Admin (10)' }).waitFor();
    await crm.locator('#sign-in').waitFor({ state: 'hidden' });
    await waitForRegistered(anna);

    // Click-to-call on Müller Maschinenbau (+49 30 5550100, the outside world's 100).
    const clickToCall = crm.locator('tr[data-customer="c1"] centrex-click-to-call');
    const button = clickToCall.locator('[part~="button"]');
    await until('the click-to-call button ready', () => button.getAttribute('aria-disabled'), (disabled) => disabled === null);
    await button.click();
    const popup = popupOf(outside);
    await popup.waitFor({ timeout: 10_000 });
    expect(await popup.locator('[part~="name"]').textContent()).to.contain('089 123456710');
    await popup.getByRole('button', { name: 'Annehmen', exact: true }).click();
    await Promise.all([waitForGreenBanner(anna, 'Müller Maschinenbau GmbH'), waitForGreenBanner(outside, '089 123456710')]);
    await clickToCall.locator('[part~="state"]', { hasText: 'Verbunden' }).waitFor();
    await Promise.all([waitForAudio(anna), waitForAudio(outside)]);
    await clickToCall.locator('[part~="hangup"]').click();
    await until('the outside call ended', () => callCount(outside), (count) => count === 0);

    // The outside world calls Anna's direct number: the popup shows the customer, the page marks the row.
    const number = outside.page.locator('centrex-dialer').getByLabel('Rufnummer');
    await number.fill('+49 89 123456710');
    await number.press('Enter');
    const screenPop = popupOf(anna);
    await screenPop.waitFor({ timeout: 10_000 });
    await screenPop.locator('[part~="detail"]', { hasText: 'Petra Müller · Berlin' }).waitFor();
    expect(await screenPop.locator('[part~="name"]').textContent()).to.contain('Müller Maschinenbau GmbH');
    await crm.locator('tr.calling[data-customer="c1"]').waitFor();
    expect(await crm.locator('tr.calling').count()).to.equal(1);
    expect(await crm.locator('#screen-pop-name').textContent()).to.equal('Müller Maschinenbau GmbH');
    await screenPop.getByRole('button', { name: 'Annehmen', exact: true }).click();
    // What the CRM's lookup found stays with the call: the banner names the customer too.
    await waitForGreenBanner(anna, 'Müller Maschinenbau GmbH');
    expect(await crm.locator('#screen-pop').isVisible()).to.equal(true);
    await crm.locator('centrex-call-bar').getByRole('button', { name: 'Auflegen', exact: true }).click();
    await until('the outside call ended', () => callCount(outside), (count) => count === 0);
  });

  it('no page had an uncaught error or a CSP violation', () => {
    expect(people.flatMap((person) => person.problems.map((problem) => `${person.name}: ${problem}`))).to.deep.equal([]);
  });
});
