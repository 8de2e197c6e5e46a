// The example pages as a visitor meets them: served by `npm start`'s server under its strict Content-Security-Policy,
// opened in Chromium. Needs the built bundles (npm test builds before running Node tests).
import { after, before } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, it, expect } from '../support/harness.js';

const chromePath = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/google-chrome'].find((p) => p && existsSync(p));

describe('examples under a strict CSP', () => {
  let server: ChildProcess;
  let base = '';
  let browser: Browser;
  const dataDir = mkdtempSync(join(tmpdir(), 'centrex-examples-'));

  before(async () => {
    if (!chromePath) throw new Error('No Chromium found: install chromium or set CHROME_PATH.');
    server = spawn(process.execPath, ['scripts/start.mjs'], {
      env: {
        ...process.env,
        CENTREX_SKIP_BUILD: '1',
        PORT: '0',
        HOST: '127.0.0.1',
        CENTREX_SIP_PORT: '0',
        CENTREX_DB: join(dataDir, 'centrex.db'),
        CENTREX_DEMO_PASSWORD: 'examples-test-password',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    server.stdout!.setEncoding('utf8');
    while (!/ready: http:\/\/[\d.]+:\d+/.test(output)) {
      const [chunk] = (await once(server.stdout!, 'data')) as [string];
      output += chunk;
    }
    base = /http:\/\/[\d.]+:\d+/.exec(output)![0];
    browser = await chromium.launch({
      executablePath: chromePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens a page and collects CSP violations and script errors. */
  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const response = await page.goto(base + path);
    expect(response?.headers()['content-security-policy']).to.contain("script-src 'self'");
    return { page, problems };
  }

  it('the forwarding tester answers "who reaches me?" and applies a star code', async () => {
    const { page, problems } = await open('/forwarding/');
    await page.waitForFunction(() => document.getElementById('result')?.textContent?.includes('contact-person'));
    await page.fill('#caller', '+49 89 999998 102');
    await page.waitForFunction(() => document.getElementById('result')?.textContent?.includes('extension 44'));
    await page.fill('#star', '*100');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.getElementById('result')?.textContent === 'Your phone rings.');
    await page.fill('#star', '*10x');
    await page.click('button[type=submit]');
    expect(await page.textContent('#star-result')).to.match(/^invalid-star-code:/);
    expect(problems).to.deep.equal([]);
    await page.close();
  });

  it('the directory page finds "Müller" by "mull" and reads numbers', async () => {
    const { page, problems } = await open('/directory/');
    await page.fill('#query', 'mull');
    await page.waitForFunction(() => (document.querySelector('#results mark')?.textContent ?? '').toLowerCase() === 'müll');
    await page.fill('#number', '0049 171 392 1234');
    await page.waitForFunction(() => document.getElementById('number-reading')?.textContent?.includes('+491713921234'));
    expect(problems).to.deep.equal([]);
    await page.close();
  });

  it('a hostile caller number is shown as text', async () => {
    const { page, problems } = await open('/forwarding/');
    await page.fill('#caller', '<img src=x onerror=alert(1)>');
    await page.waitForFunction(() => document.getElementById('caller-reading')?.textContent?.includes('not-a-number'));
    expect(await page.locator('img').count()).to.equal(0);
    expect(problems).to.deep.equal([]);
    await page.close();
  });
});
