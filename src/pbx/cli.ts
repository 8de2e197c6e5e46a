#!/usr/bin/env node
/**
 * `centrex-pbx`: runs the reference PBX.
 *
 * ```
 * centrex-pbx --db FILE --port 8080 [--sip-port 5060] [--host 127.0.0.1] [--demo] [--demo-password PW]
 *             [--public-url URL] [--outbox DIR] [--static /=DIR ...] [--log-level info]
 *             [--fax-retry-delay MS] [--fax-sink-delay MS]
 * ```
 * Every option can also come from the environment: `CENTREX_DB`, `CENTREX_PORT`, `CENTREX_SIP_PORT`, `CENTREX_HOST`,
 * `CENTREX_DEMO=1`, `CENTREX_DEMO_PASSWORD`, `CENTREX_PUBLIC_URL`, `CENTREX_OUTBOX`, `CENTREX_LOG_LEVEL`,
 * `CENTREX_FAX_RETRY_DELAY_MS`, `CENTREX_FAX_SINK_DELAY_MS`.
 * Command-line options win over the environment.
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { startPbx, type PbxLog, type PbxLogLevel } from './server.js';
import type { StaticMount } from './http/static.js';

const USAGE = `Usage: centrex-pbx --db FILE --port 8080 [--sip-port 5060] [--host 127.0.0.1] [--demo]
                   [--demo-password PW] [--public-url URL] [--outbox DIR] [--static /prefix/=DIR]
                   [--log-level debug|info|warn|error] [--fax-retry-delay MS] [--fax-sink-delay MS]`;

const LEVELS: readonly PbxLogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Reads a port number or exits with a clear message. */
function portOf(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`${name} must be a port number from 0 to 65535, not "${value}".`);
  return port;
}

/** Reads a duration in milliseconds or exits with a clear message. */
function millisecondsOf(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 86_400_000) fail(`${name} must be a number of milliseconds from 0 to 86400000, not "${value}".`);
  return ms;
}

function fail(message: string): never {
  process.stderr.write(`centrex-pbx: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        db: { type: 'string' },
        port: { type: 'string' },
        'sip-port': { type: 'string' },
        host: { type: 'string' },
        demo: { type: 'boolean' },
        'demo-password': { type: 'string' },
        'public-url': { type: 'string' },
        outbox: { type: 'string' },
        static: { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        'fax-retry-delay': { type: 'string' },
        'fax-sink-delay': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = process.env;
  const db = values.db ?? env.CENTREX_DB;
  if (!db) fail('say where the database lives with --db FILE (or CENTREX_DB).');
  const port = portOf('--port', values.port ?? env.CENTREX_PORT) ?? 8080;
  const sipPort = portOf('--sip-port', values['sip-port'] ?? env.CENTREX_SIP_PORT);
  const level = (values['log-level'] ?? env.CENTREX_LOG_LEVEL ?? 'info') as PbxLogLevel;
  if (!LEVELS.includes(level)) fail(`--log-level must be one of ${LEVELS.join(', ')}.`);
  const staticMounts: StaticMount[] = (values.static ?? []).map((mount) => {
    const at = mount.indexOf('=');
    if (at <= 0 || !mount.startsWith('/')) fail(`--static takes /prefix/=DIR, not "${mount}".`);
    return { prefix: mount.slice(0, at), dir: mount.slice(at + 1) };
  });
  const demoPassword = values['demo-password'] ?? env.CENTREX_DEMO_PASSWORD;
  const publicUrl = values['public-url'] ?? env.CENTREX_PUBLIC_URL;
  const outboxDir = values.outbox ?? env.CENTREX_OUTBOX;
  const host = values.host ?? env.CENTREX_HOST;
  const faxRetryDelayMs = millisecondsOf('--fax-retry-delay', values['fax-retry-delay'] ?? env.CENTREX_FAX_RETRY_DELAY_MS);
  const faxSinkDelayMs = millisecondsOf('--fax-sink-delay', values['fax-sink-delay'] ?? env.CENTREX_FAX_SINK_DELAY_MS);

  const log: PbxLog = (lineLevel, message, data) => {
    if (LEVELS.indexOf(lineLevel) < LEVELS.indexOf(level)) return;
    const extra = data && Object.keys(data).length > 0 ? ` ${JSON.stringify(data)}` : '';
    const line = `${new Date().toISOString()} ${lineLevel.padEnd(5)} ${message}${extra}\n`;
    (lineLevel === 'error' || lineLevel === 'warn' ? process.stderr : process.stdout).write(line);
  };

  const pbx = await startPbx({
    db,
    port,
    ...(sipPort !== undefined ? { sipPort } : {}),
    ...(host ? { host } : {}),
    demo: values.demo === true || env.CENTREX_DEMO === '1',
    ...(demoPassword ? { demoPassword } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    ...(outboxDir ? { outboxDir } : {}),
    staticMounts,
    fax: {
      ...(faxRetryDelayMs !== undefined ? { retryDelayMs: faxRetryDelayMs } : {}),
      ...(faxSinkDelayMs !== undefined ? { sinkDelayMs: faxSinkDelayMs } : {}),
    },
    log,
  });

  // One write, so that whoever reads the output sees the whole banner at once.
  const banner = [
    `Centrex PBX ready: ${pbx.url}`,
    `  API          ${pbx.url}/api/v1`,
    `  SIP over WS  ${pbx.url.replace(/^http/, 'ws')}/sip`,
    ...(pbx.sipPort !== undefined ? [`  SIP UDP/TCP  ${host ?? '127.0.0.1'}:${pbx.sipPort}`] : []),
  ];
  if (pbx.demo) {
    const password = pbx.demo.password ?? '(unchanged: the demo tenant existed already)';
    banner.push(`Demo logins (password ${password}):`);
    for (const login of pbx.demo.logins) {
      banner.push(`  ${login.email.padEnd(28)} ext ${login.extension.padEnd(5)} ${login.name} (${login.sipDomain})`);
    }
    if (pbx.demo.faxLogins.length > 0) banner.push('Demo fax logins (link them under Fax → "Fax hinzufügen"):');
    for (const fax of pbx.demo.faxLogins) {
      const pin = fax.pin ?? '(as set)';
      banner.push(`  ${fax.login.padEnd(28)} PIN ${pin.padEnd(9)} fax ext ${fax.extension} for ${fax.assignedTo}`);
    }
    banner.push('Demo fax numbers: …13 is refused, …66 stays busy, …7 is busy once then sent, any other number is sent.');
  }
  process.stdout.write(`${banner.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', `${signal}: shutting down`);
    pbx.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log('error', `shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  const message =
    code === 'EADDRINUSE' ? `a port is already in use (${(error as Error).message}); choose another with --port / --sip-port.` : String(error);
  process.stderr.write(`centrex-pbx: ${message}\n`);
  process.exit(1);
});
