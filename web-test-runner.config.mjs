// Runs core and element tests in a real Chromium from the system (never a downloaded one).
// Core tests are the same files that run in Node: their harness import is swapped for the mocha/@open-wc one here.
import { existsSync } from 'node:fs';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { pbxPlugin } from './test/support/pbx-plugin.mjs';

/** Finds Chromium: CHROME_PATH first, then the usual install locations. */
function findChrome() {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'No Chromium or Chrome found. Install one (Debian: apt-get install chromium) or set CHROME_PATH to its binary.',
    );
  }
  return found;
}

/** Serves test/support/harness.browser.ts wherever a test imports test/support/harness.js. */
const browserHarness = {
  name: 'centrex-browser-harness',
  resolveImport({ source }) {
    if (source.endsWith('/support/harness.js')) return source.replace(/harness\.js$/, 'harness.browser.ts');
    return undefined;
  },
};

export default {
  files: ['test/core/**/*.test.ts', 'test/components/**/*.test.ts', '!test/**/*.node.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [browserHarness, pbxPlugin(), esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: findChrome(),
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          // Element tests run inside a loopback-only network namespace (scripts/loopback-netns.mjs); calls between
          // two web phones in one page then connect over 127.0.0.1.
          '--allow-loopback-in-peer-connection',
          '--disable-features=WebRtcHideLocalIpsWithMdns',
        ],
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
};
