import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/call-bar/centrex-call-bar.js';
import '../../src/components/incoming-call/centrex-incoming-call.js';
import { TARGET_DRAG_TYPE, type CallBarTransferDetail, type CentrexCallBar } from '../../src/components/call-bar/call-bar.js';
import type { CentrexDialer } from '../../src/components/dialer/dialer.js';
import type { CentrexIncomingCall } from '../../src/components/incoming-call/incoming-call.js';
import { setLanguage } from '../../src/components/shared/localize.js';
import type { CentrexClient } from '../../src/core/client/index.js';
import type { Call } from '../../src/core/phone/index.js';
import { signOutAll, signedInClient, textOf, until, type DemoUser } from './support/pbx.js';

/** A test that places several real calls may take longer than mocha's default. */
type Slow = { timeout(ms: number): void };

const GREEN = 'rgb(30, 123, 52)';
const YELLOW = 'rgb(242, 194, 0)';

const phones = (...users: DemoUser[]): Promise<CentrexClient[]> => Promise.all(users.map((user) => signedInClient(user, { phone: true })));
const shadow = (el: Element): ShadowRoot => el.shadowRoot!;
const banner = (bar: CentrexCallBar): HTMLElement | null => shadow(bar).querySelector<HTMLElement>('[part="banner"]');
const button = (bar: CentrexCallBar, name: string): HTMLButtonElement => shadow(bar).querySelector<HTMLButtonElement>(`button.${name}`)!;
const colour = (bar: CentrexCallBar): string => getComputedStyle(banner(bar)!).backgroundColor;
const announced = (el: Element): string => textOf(shadow(el).querySelector('[role="status"]'));

/**
 * Waits until both ends of a call talk. Holding right after this is a regression check: the callee's phone must wait
 * for the caller's ACK before it renegotiates (a re-INVITE before the ACK made sip.js end the call).
 */
async function talking(outgoing: Call, incoming: Call): Promise<void> {
  const up = (call: Call): boolean => call.state === 'established' && call.peerConnection?.connectionState === 'connected';
  await until(() => up(outgoing) && up(incoming), 'both ends of the call talk');
}

/** `caller` calls `extension` and the callee answers on the phone itself. */
async function connect(caller: CentrexClient, callee: CentrexClient, extension: string): Promise<{ outgoing: Call; incoming: Call }> {
  const ringing = callee.phone!.calls.next('incoming', { timeout: 5000 });
  const placed = await caller.call(extension);
  if (placed.via !== 'web') throw new Error('expected a web-phone call');
  const { call } = await ringing;
  await call.accept();
  await talking(placed.call, call);
  return { outgoing: placed.call, incoming: call };
}

describe('<centrex-call-bar>', () => {
  afterEach(async () => {
    await signOutAll();
    await setLanguage('en');
  });

  it('is green with the other party and a running talk time, yellow on hold, green again after resuming', async function (this: Slow) {
    this.timeout(20000);
    const [ben, clara] = await phones('ben', 'clara');
    const host = await fixture<HTMLElement>(html`<div>
      <centrex-call-bar id="ben" .client=${ben}></centrex-call-bar>
      <centrex-call-bar id="clara" .client=${clara}></centrex-call-bar>
      <centrex-incoming-call .client=${clara}></centrex-incoming-call>
    </div>`);
    const benBar = host.querySelector<CentrexCallBar>('#ben')!;
    const claraBar = host.querySelector<CentrexCallBar>('#clara')!;
    const popup = host.querySelector<CentrexIncomingCall>('centrex-incoming-call')!;
    expect(benBar.getAttribute('state')).to.equal('idle');
    expect(banner(benBar)).to.equal(null);

    await ben.call('12');
    await until(() => benBar.state === 'connecting' && banner(benBar) !== null, "Ben's bar shows the call being set up");
    // The callee's name comes from Ben's directory.
    expect(textOf(shadow(benBar).querySelector('[part="name"]'))).to.equal('Clara Schmidt');

    // Clara answers in the pop-up, which shows Ben's name.
    await until(() => shadow(popup).querySelector('[part~="popup"]') !== null, 'the pop-up appears');
    expect(textOf(shadow(popup).querySelector('[part="name"]'))).to.equal('Ben Berger');
    shadow(popup).querySelector<HTMLButtonElement>('button.accept')!.click();

    await until(() => benBar.state === 'in-call' && claraBar.state === 'in-call', 'both bars show the call');
    expect(colour(benBar)).to.equal(GREEN);
    expect(colour(claraBar)).to.equal(GREEN);
    expect(textOf(shadow(claraBar).querySelector('[part="name"]'))).to.equal('Ben Berger');
    expect(textOf(shadow(claraBar).querySelector('[part="status"]'))).to.equal('In call');
    const talkTime = (bar: CentrexCallBar): string => textOf(shadow(bar).querySelector('[part="duration"]')).replace('Talk time ', '');
    expect(talkTime(benBar)).to.match(/^0:0[0-1]$/);
    await until(() => talkTime(claraBar) === '0:02', 'the talk time counts up', 5000);
    expect(announced(claraBar)).to.equal('Connected with Ben Berger.');

    // Hold: Clara's banner turns yellow, Ben learns that he is held.
    button(claraBar, 'hold').click();
    await until(() => claraBar.state === 'on-hold', "Clara's call is held");
    expect(colour(claraBar)).to.equal(YELLOW);
    expect(button(claraBar, 'hold').getAttribute('aria-pressed')).to.equal('true');
    expect(announced(claraBar)).to.equal('Call with Ben Berger on hold.');
    await until(() => textOf(shadow(benBar).querySelector('.note')) === 'Clara Schmidt has put the call on hold.', 'Ben sees the hold');

    // Resume: green again.
    button(claraBar, 'hold').click();
    await until(() => claraBar.state === 'in-call', "Clara's call is resumed");
    expect(colour(claraBar)).to.equal(GREEN);
    expect(announced(claraBar)).to.equal('Call with Ben Berger resumed.');

    // Ben hangs up: both bars go idle and say so.
    button(benBar, 'hangup').click();
    await until(() => benBar.state === 'idle' && claraBar.state === 'idle', 'both bars are idle');
    expect(textOf(shadow(claraBar).querySelector('[part="ended"]'))).to.equal('Call with Ben Berger ended.');
  });

  it('mutes, opens a tone keypad, and is accessible during a call', async () => {
    const [ben, clara] = await phones('ben', 'clara');
    const bar = await fixture<CentrexCallBar>(html`<centrex-call-bar .client=${clara}></centrex-call-bar>`);
    const { incoming } = await connect(ben, clara, '12');
    await until(() => bar.state === 'in-call', 'the bar shows the call');

    button(bar, 'mute').click();
    await until(() => incoming.muted, 'the microphone is muted');
    await bar.updateComplete;
    expect(button(bar, 'mute').getAttribute('aria-pressed')).to.equal('true');

    const keypadButton = button(bar, 'keypad');
    keypadButton.focus();
    await sendKeys({ press: 'Enter' });
    await bar.updateComplete;
    expect(keypadButton.getAttribute('aria-expanded')).to.equal('true');
    const dialer = shadow(bar).querySelector<CentrexDialer>('centrex-dialer')!;
    expect(dialer.mode).to.equal('dtmf');
    await until(() => dialer.toneCall === incoming, 'the keypad sends tones on the call');

    await expect(bar).to.be.accessible();
  });

  it('shows video: accepted with video in the pop-up, both sides see each other; Video turns it off', async function (this: Slow) {
    this.timeout(20000);
    const [ben, clara] = await phones('ben', 'clara');
    const host = await fixture<HTMLElement>(html`<div>
      <centrex-call-bar id="ben" .client=${ben}></centrex-call-bar>
      <centrex-call-bar id="clara" .client=${clara}></centrex-call-bar>
      <centrex-incoming-call .client=${clara}></centrex-incoming-call>
    </div>`);
    const benBar = host.querySelector<CentrexCallBar>('#ben')!;
    const claraBar = host.querySelector<CentrexCallBar>('#clara')!;
    const popup = host.querySelector<CentrexIncomingCall>('centrex-incoming-call')!;
    await ben.call('12', { video: true });
    await until(() => shadow(popup).querySelector('button.accept-video') !== null, 'the pop-up offers to answer with video');
    expect(textOf(shadow(popup).querySelector('[part="title"]'))).to.equal('Incoming video call');
    shadow(popup).querySelector<HTMLButtonElement>('button.accept-video')!.click();

    const video = (bar: CentrexCallBar, which: string): HTMLVideoElement | null => shadow(bar).querySelector<HTMLVideoElement>(`[part="${which}"]`);
    const showing = (element: HTMLVideoElement | null): boolean => (element?.srcObject as MediaStream | null)?.getVideoTracks().length === 1;
    await until(() => showing(video(benBar, 'remote-video')) && showing(video(benBar, 'local-video')), 'Ben sees Clara and himself');
    await until(() => showing(video(claraBar, 'remote-video')) && showing(video(claraBar, 'local-video')), 'Clara sees Ben and herself');
    expect(button(claraBar, 'video').getAttribute('aria-pressed')).to.equal('true');
    expect(video(claraBar, 'remote-video')!.getAttribute('aria-label')).to.equal('Video of Ben Berger');

    button(claraBar, 'video').click();
    await until(() => button(claraBar, 'video').getAttribute('aria-pressed') === 'false', 'Clara stops her video');
    await until(() => video(claraBar, 'local-video') === null, "Clara's own picture goes away");
  });

  it('lists a waiting call; swaps between the calls and joins them into a conference', async function (this: Slow) {
    this.timeout(30000);
    // Call waiting ("Anklopfen") is off by default: without it the PBX answers a second caller busy.
    const settings = await signedInClient('clara');
    const before = settings.settings!.callWaiting;
    await settings.updateSettings({ callWaiting: true });
    try {
      const [ben, clara, david] = await phones('ben', 'clara', 'david');
      const host = await fixture<HTMLElement>(html`<div>
        <centrex-call-bar .client=${clara}></centrex-call-bar>
        <centrex-incoming-call .client=${clara}></centrex-incoming-call>
      </div>`);
      const bar = host.querySelector<CentrexCallBar>('centrex-call-bar')!;
      const popup = host.querySelector<CentrexIncomingCall>('centrex-incoming-call')!;
      await connect(ben, clara, '12');

      const davidCalls = await david.call('12');
      await until(() => textOf(shadow(popup).querySelector('[part="name"]')) === 'David Müller', 'the waiting call pops up');
      // The bar lists the ringing call under the current one.
      await until(() => textOf(shadow(bar).querySelector('[part="calls"]')).includes('Incoming call'), 'the bar lists the waiting call');
      shadow(popup).querySelector<HTMLButtonElement>('button.accept')!.click();

      // Answering holds Ben; David is the current call.
      await until(() => clara.phone!.calls.calls.filter((call) => call.state === 'established').length === 1 && textOf(shadow(bar).querySelector('[part="name"]')) === 'David Müller', 'David is the current call');
      const rows = (): string[] => [...shadow(bar).querySelectorAll('[part="calls"] li')].map((row) => textOf(row.querySelector('.row-name')) + ': ' + textOf(row.querySelector('.row-state')));
      await until(() => rows().join('|') === 'Ben Berger: On hold|David Müller: In call', 'both calls are listed');
      if (davidCalls.via !== 'web') throw new Error('expected a web-phone call');
      await talking(davidCalls.call, clara.phone!.calls.active!);

      // Swap ("Makeln"): Ben back, David held.
      button(bar, 'swap').click();
      await until(() => rows().join('|') === 'Ben Berger: In call|David Müller: On hold', 'the calls are swapped');
      expect(textOf(shadow(bar).querySelector('[part="name"]'))).to.equal('Ben Berger');

      // Choosing the held call in the list swaps back.
      shadow(bar).querySelector<HTMLButtonElement>('button.switch')!.click();
      await until(() => rows().join('|') === 'Ben Berger: On hold|David Müller: In call', 'swapped back from the list');

      // Conference: both far ends talk with Clara and each other.
      button(bar, 'conference').click();
      await until(() => textOf(shadow(bar).querySelector('[part="status"]')) === 'Conference', 'the conference runs');
      expect(textOf(shadow(bar).querySelector('[part="name"]'))).to.equal('David Müller, Ben Berger');
      await until(() => announced(bar) === 'Conference started.', 'the conference is announced');
      expect(clara.phone!.calls.calls.every((call) => call.state === 'established')).to.equal(true);
    } finally {
      await settings.updateSettings({ callWaiting: before });
    }
  });

  it('transfers the call to a typed number with the keyboard', async function (this: Slow) {
    this.timeout(20000);
    const [ben, clara, david] = await phones('ben', 'clara', 'david');
    const host = await fixture<HTMLElement>(html`<div>
      <centrex-call-bar id="ben" .client=${ben}></centrex-call-bar>
      <centrex-call-bar id="clara" .client=${clara}></centrex-call-bar>
    </div>`);
    const benBar = host.querySelector<CentrexCallBar>('#ben')!;
    const claraBar = host.querySelector<CentrexCallBar>('#clara')!;
    await connect(ben, clara, '12');
    await until(() => claraBar.state === 'in-call', "Clara's bar shows the call");

    const toggle = button(claraBar, 'transfer');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => shadow(claraBar).activeElement?.id === 'transfer-target', 'the target field has the focus');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    const davidRings = david.phone!.calls.next('incoming', { timeout: 5000 });
    const transferred = oneEvent(claraBar, 'centrex-transferred') as Promise<CustomEvent<CallBarTransferDetail>>;
    await sendKeys({ type: '13' });
    await sendKeys({ press: 'Enter' });

    const { call } = await davidRings;
    expect(call.remote.displayName).to.equal('Ben Berger');
    expect((await transferred).detail.target).to.equal('13');
    await until(() => claraBar.state === 'idle', "Clara's part of the call is over");
    expect(announced(claraBar)).to.equal('Call transferred to David Müller.');
    // Ben now calls David.
    await call.accept();
    await until(() => benBar.state === 'in-call' && textOf(shadow(benBar).querySelector('[part="name"]')) === 'David Müller', 'Ben talks with David');
    expect(textOf(shadow(benBar).querySelector('[part="via"]'))).to.equal('Transferred by Clara Schmidt');
  });

  it('transfers the call when a favorite is dropped on it (drag and drop)', async function (this: Slow) {
    this.timeout(20000);
    const [ben, clara, david] = await phones('ben', 'clara', 'david');
    const bar = await fixture<CentrexCallBar>(html`<centrex-call-bar .client=${clara}></centrex-call-bar>`);
    await connect(ben, clara, '12');
    await until(() => bar.state === 'in-call', 'the bar shows the call');

    // What <centrex-favorites> puts on a drag.
    const data = new DataTransfer();
    data.setData(TARGET_DRAG_TYPE, JSON.stringify({ target: '13', name: 'David' }));
    data.setData('text/plain', '13');
    const over = new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true, composed: true });
    bar.dispatchEvent(over);
    expect(over.defaultPrevented, 'the bar accepts the drop').to.equal(true);
    await bar.updateComplete;
    expect(textOf(shadow(bar).querySelector('.drop-hint'))).to.equal('Drop to transfer the call.');

    const davidRings = david.phone!.calls.next('incoming', { timeout: 5000 });
    const request = oneEvent(bar, 'centrex-transfer') as Promise<CustomEvent<CallBarTransferDetail>>;
    bar.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true, composed: true }));
    const { detail } = await request;
    expect(detail.target).to.equal('13');
    expect(detail.name).to.equal('David');
    const { call } = await davidRings;
    expect(call.remote.displayName).to.equal('Ben Berger');
    await until(() => bar.state === 'idle', 'the call has been handed over');

    // transferTo() without a call says what is wrong.
    let error: unknown;
    await bar.transferTo('13').catch((caught: unknown) => (error = caught));
    expect((error as { code?: string }).code).to.equal('invalid-call-state');
  });

  it('connects a held caller with a consulted colleague (attended transfer)', async function (this: Slow) {
    this.timeout(25000);
    const [ben, clara, david] = await phones('ben', 'clara', 'david');
    const host = await fixture<HTMLElement>(html`<div>
      <centrex-call-bar id="ben" .client=${ben}></centrex-call-bar>
      <centrex-call-bar id="clara" .client=${clara}></centrex-call-bar>
    </div>`);
    const benBar = host.querySelector<CentrexCallBar>('#ben')!;
    const claraBar = host.querySelector<CentrexCallBar>('#clara')!;
    await connect(ben, clara, '12');
    await until(() => claraBar.state === 'in-call', "Clara's bar shows the call");
    button(claraBar, 'hold').click();
    await until(() => claraBar.state === 'on-hold', 'Ben is held');
    // The consultation call.
    await connect(clara, david, '13');
    await until(() => claraBar.state === 'in-call' && textOf(shadow(claraBar).querySelector('[part="name"]')) === 'David Müller', 'Clara talks with David');

    button(claraBar, 'transfer').click();
    await claraBar.updateComplete;
    const connectButton = shadow(claraBar).querySelector<HTMLButtonElement>('button.attended')!;
    expect(textOf(connectButton)).to.equal('Connect Ben Berger with David Müller');
    connectButton.click();
    await until(() => claraBar.state === 'idle', "Clara's calls are handed over", 10000);
    await until(() => benBar.state === 'in-call' && textOf(shadow(benBar).querySelector('[part="name"]')).startsWith('David'), 'Ben talks with David', 10000);
  });

  it('speaks German', async () => {
    const [ben, clara] = await phones('ben', 'clara');
    await setLanguage('de');
    const bar = await fixture<CentrexCallBar>(html`<centrex-call-bar .client=${clara}></centrex-call-bar>`);
    await connect(ben, clara, '12');
    await until(() => bar.state === 'in-call', 'the bar shows the call');
    expect(textOf(shadow(bar).querySelector('[part="status"]'))).to.equal('Im Gespräch');
    const labels = [...shadow(bar).querySelectorAll<HTMLButtonElement>('[part="actions"] button')].map((item) => textOf(item));
    expect(labels).to.deep.equal(['Halten', 'Stummschalten', 'Tastenfeld', 'Weiterleiten', 'Video', 'Bildschirm teilen', 'Auflegen']);
    button(bar, 'hold').click();
    await until(() => textOf(shadow(bar).querySelector('[part="status"]')) === 'Gehalten', 'the held call in German');
    expect(announced(bar)).to.equal('Gespräch mit Ben Berger wird gehalten.');
    await expect(bar).to.be.accessible();
  });

  it('shows a caller-controlled display name as text, never as markup', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const account = await signedInClient('ben');
    const before = account.me!.name;
    await account.api.updateMe({ name: evil });
    try {
      const [ben, clara] = await phones('ben', 'clara');
      const bar = await fixture<CentrexCallBar>(html`<centrex-call-bar .client=${clara}></centrex-call-bar>`);
      await connect(ben, clara, '12');
      await until(() => bar.state === 'in-call', 'the bar shows the call');
      expect(textOf(shadow(bar).querySelector('[part="name"]'))).to.equal(evil);
      expect(shadow(bar).querySelector('img')).to.equal(null);
      button(bar, 'hold').click();
      await until(() => announced(bar) === `Call with ${evil} on hold.`, 'the announcement carries the name as text');
      expect(shadow(bar).querySelector('img')).to.equal(null);
    } finally {
      await account.api.updateMe({ name: before });
    }
  });
});
