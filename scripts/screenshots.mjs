// `npm run screenshots`: pictures of the intranet and CRM examples for the README, in docs/screenshots/:
//   intranet-light.png  Ben in a call with Clara (green banner, Clara's busy lamp), light theme
//   intranet-dark.png   Clara's side of the same call, opened with ?theme=dark
//   crm-light.png       the CRM while a customer calls: popup with the CRM's lookup, the row marked, the caller panel
//   crm-dark.png        the same after the page's dark-theme button
//
// Starts `npm start`'s server (built dist/ needed: npm run build) on free ports with a fresh demo database, signs
// demo users in through the pages' own forms and places real calls with Chromium's fake media devices. WebRTC must
// stay on loopback, so it runs inside a loopback-only network namespace:
//   node scripts/loopback-netns.mjs node scripts/screenshots.mjs
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'docs', 'screenshots');
const PASSWORD = 'screenshots-demo-password';
const VIEWPORT = { width: 1400, height: 900 };
const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';

const interfaces = readFileSync('/proc/net/dev', 'utf8')
  .split('\n')
  .slice(2)
  .map((line) => line.split(':')[0].trim())
  .filter(Boolean);
if (interfaces.some((name) => name !== 'lo')) {
  console.error('screenshots: run inside a loopback-only network namespace: node scripts/loopback-netns.mjs node scripts/screenshots.mjs');
  process.exit(1);
}
if (!existsSync(chrome)) {
  console.error(`screenshots: no Chromium at ${chrome} (Debian: apt-get install chromium, or set CHROME_PATH)`);
  process.exit(1);
}
if (!existsSync(join(root, 'dist', 'cdn', 'centrex-sdk.js')) || !existsSync(join(root, 'dist', 'pbx', 'cli.js'))) {
  console.error('screenshots: dist/ is missing; run npm run build first');
  process.exit(1);
}

/** Polls `read` until `ok` holds; fails with the last value seen. */
async function until(what, read, ok, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeout} ms`);
    await delay(100);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'centrex-screenshots-'));
const server = spawn(process.execPath, ['scripts/start.mjs'], {
  cwd: root,
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
let log = '';
server.stdout.setEncoding('utf8');
server.stderr.setEncoding('utf8');
server.stdout.on('data', (chunk) => (log += chunk));
server.stderr.on('data', (chunk) => (log += chunk));

let browser;
let failed = false;
try {
  const deadline = Date.now() + 20_000;
  while (!/ready: http:\/\/[\d.]+:\d+/.test(log)) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${log}`);
    await delay(50);
  }
  const base = /ready: (http:\/\/[\d.]+:\d+)/.exec(log)[1];
  browser = await chromium.launch({
    executablePath: chrome,
    args: [
      '--no-sandbox',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      '--autoplay-policy=no-user-gesture-required',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
    ],
  });

  /** A person's own browser context with one page open at `path`. */
  async function open(path) {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'de-DE' });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`screenshots: page error on ${path}: ${error.message}`));
    await page.goto(`${base}${path}`);
    return page;
  }

  const registered = (page) =>
    page.waitForFunction(() => document.querySelector('centrex-provider')?.client.phone?.registered === true, null, { timeout: 10_000 });

  /** Opens the intranet and signs in with the phone's form. */
  async function intranet(email, query = '') {
    const page = await open(`/intranet/${query}`);
    const form = page.locator('centrex-phone form.sign-in');
    await form.getByLabel(/E-Mail/i).fill(email);
    await form.getByLabel(/Passwort|Password/).fill(PASSWORD);
    await form.getByRole('button', { name: /Anmelden|Sign in/ }).click();
    await page.locator('centrex-phone [part~="call-area"]').waitFor();
    await registered(page);
    return page;
  }

  /** The call bar's banner: background colour and talk time. */
  const banner = (page) =>
    page.locator('centrex-call-bar [part~="banner"]').evaluate((element) => ({
      background: getComputedStyle(element).backgroundColor,
      duration: element.querySelector('[part~="duration"]')?.textContent?.trim() ?? '',
    }));

  /** Waits until every lamp of the page's favorites shows a known state, and fonts and layout have settled. */
  async function settled(page) {
    await until(
      'favorites lamps',
      () => page.locator('centrex-favorites [part~="lamp"]').evaluateAll((lamps) => lamps.map((lamp) => lamp.dataset.line)),
      (lines) => lines.length > 0 && !lines.includes('unknown'),
    );
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
  }

  const shot = async (page, name) => {
    await page.mouse.move(0, VIEWPORT.height - 1);
    await page.screenshot({ path: join(out, name) });
    console.log(`screenshots: wrote docs/screenshots/${name}`);
  };

  mkdirSync(out, { recursive: true });
  const [ben, clara] = await Promise.all([intranet('ben@demo.test'), intranet('clara@demo.test', '?theme=dark')]);

  // Ben calls Clara from the dialer; Clara answers; both talk (green banners, running talk time).
  const number = ben.locator('centrex-dialer').getByLabel('Rufnummer');
  await number.fill('12');
  await number.press('Enter');
  const popup = clara.getByRole('alertdialog');
  await popup.getByRole('button', { name: 'Annehmen', exact: true }).click();
  for (const page of [ben, clara]) {
    await until('a call with talk time of a few seconds', () => banner(page), (shown) => /\d+:0[3-9]/.test(shown.duration));
    await until('Clara / Ben busy', () => page.locator('centrex-favorites [part~="lamp"][data-line="busy"]').count(), (count) => count > 0);
    await settled(page);
  }
  await shot(ben, 'intranet-light.png');
  await shot(clara, 'intranet-dark.png');

  // The CRM: Anna signs in with the CRM's form; a customer (the outside world's 100) calls her direct number.
  const [outside, crm] = await Promise.all([intranet('extern100@outside.test'), open('/crm/')]);
  await crm.getByPlaceholder('E-mail').fill('anna@demo.test');
  await crm.getByPlaceholder('Password').fill(PASSWORD);
  await crm.getByRole('button', { name: 'Connect phone' }).click();
  await crm.locator('#user', { hasText: 'Anna Admin' }).waitFor();
  await registered(crm);
  await until(
    'click-to-call buttons ready',
    () => crm.locator('centrex-click-to-call [part~="button"][aria-disabled="true"]').count(),
    (count) => count === 0,
  );
  const dial = outside.locator('centrex-dialer').getByLabel('Rufnummer');
  await dial.fill('+49 89 123456710');
  await dial.press('Enter');
  await crm.getByRole('alertdialog').locator('[part~="detail"]').waitFor();
  await crm.locator('tr.calling').waitFor();
  await crm.locator('#screen-pop').waitFor();
  await crm.evaluate(() => document.fonts.ready.then(() => undefined));
  await shot(crm, 'crm-light.png');
  await crm.locator('#theme').click();
  await until('the CRM dark', () => crm.evaluate(() => document.documentElement.classList.contains('dark')), Boolean);
  await shot(crm, 'crm-dark.png');
} catch (error) {
  failed = true;
  console.error(`screenshots: ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  await browser?.close().catch(() => undefined);
  if (server.pid !== undefined && server.exitCode === null && server.signalCode === null) {
    const exited = once(server, 'exit');
    process.kill(server.pid, 'SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
