// A softphone without any UI library: the phone core alone, driven by a script. It registers, calls someone, puts
// the call on hold and back, transfers it to a third person and goes offline, logging every step and event.
//
// Open /headless/?server=wss://pbx.example.com/ws&uri=sip:1001@pbx.example.com&password=…&call=1002&transfer=1003
// (npm start serves it; the PBX's WebSocket must be allowed by the page's Content-Security-Policy connect-src).
// Every text goes in through textContent, so nothing from the network is interpreted as HTML.
import { Phone, isCentrexError } from '/dist/cdn/centrex-core.js';

/**
 * Runs the scenario and resolves with the log lines.
 * @param {{ server: string, uri: string, password: string, call: string, transfer: string }} settings
 * @param {(line: string) => void} log
 */
export async function runScenario(settings, log) {
  const phone = new Phone({
    server: settings.server,
    uri: settings.uri,
    password: settings.password,
    // Without STUN/TURN servers, as on a LAN; add { servers: [...] } for callers behind NAT.
    ice: { servers: [] },
  });
  phone.on('statechange', ({ from, to }) => log(`phone: ${from} → ${to}`));
  phone.on('reconnecting', ({ attempt, delay, error }) => log(`phone: connection lost (${error.message}); attempt ${attempt} in ${delay} ms`));
  phone.on('reconnected', ({ downtime }) => log(`phone: back after ${downtime} ms`));
  phone.calls.on('incoming', ({ call }) => {
    // This script makes calls only: anyone calling in while it runs is told it is busy.
    log(`incoming call from ${call.remote.displayName ?? call.remote.user}; rejecting`);
    void call.reject();
  });

  await phone.start();
  const call = await phone.calls.dial(settings.call);
  call.on('statechange', ({ from, to }) => log(`call: ${from} → ${to}`));
  call.on('transfer', ({ status, statusCode }) => log(`call: transfer ${status}${statusCode ? ` (${statusCode})` : ''}`));
  await call.next('statechange', { predicate: ({ to }) => to === 'established' || to === 'ended', timeout: 60_000 });
  if (call.state !== 'established') throw new Error(`the call was not answered (${call.endReason})`);

  await call.hold();
  log(`call: on hold after ${Math.round(call.duration / 100) / 10} s`);
  await call.resume();
  log('call: resumed');

  await call.transfer(settings.transfer);
  const { reason } = call.state === 'ended' ? { reason: call.endReason } : await call.next('ended', { timeout: 30_000 });
  log(`call: ended (${reason})`);

  await phone.stop();
  return reason;
}

/** Reads the settings from the page address and runs the scenario, showing the log in the page. */
async function main() {
  const params = new URLSearchParams(location.search);
  const settings = Object.fromEntries(['server', 'uri', 'password', 'call', 'transfer'].map((name) => [name, params.get(name) ?? '']));
  const output = document.getElementById('log');
  const lines = [];
  const log = (line) => {
    lines.push(line);
    if (output) output.textContent = lines.join('\n');
  };
  if (!settings.server || !settings.uri || !settings.password || !settings.call || !settings.transfer) {
    log('Add ?server=…&uri=…&password=…&call=…&transfer=… to the address to run the scenario.');
    return;
  }
  window.headlessRun = runScenario(settings, log).catch((error) => {
    log(`failed: ${isCentrexError(error) ? `${error.code}: ${error.message}` : String(error)}`);
    throw error;
  });
}

void main();
