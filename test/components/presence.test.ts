import { expect, fixture, html } from '@open-wc/testing';
import { describe, it } from '../support/harness.js';
import '../../src/components/presence/centrex-presence.js';
import type { CentrexPresence } from '../../src/components/presence/presence.js';

const labelOf = (el: CentrexPresence): string =>
  el.shadowRoot!.querySelector('[part="label"]')!.textContent ?? '';

describe('<centrex-presence>', () => {
  it('shows the state in words and is accessible', async () => {
    const el = await fixture<CentrexPresence>(html`<centrex-presence availability="busy" name="Clara"></centrex-presence>`);
    expect(labelOf(el)).to.equal('Clara: Busy');
    await expect(el).to.be.accessible();
  });

  it('speaks German inside a German page section', async () => {
    const host = await fixture<HTMLElement>(html`<div lang="de"><centrex-presence availability="dnd"></centrex-presence></div>`);
    const el = host.querySelector('centrex-presence')!;
    await el.updateComplete;
    expect(labelOf(el)).to.equal('Nicht stören');
    el.availability = 'line-free';
    await el.updateComplete;
    expect(labelOf(el)).to.equal('Leitung frei');
  });

  it('colours the dot per state through themable custom properties', async () => {
    const el = await fixture<CentrexPresence>(
      html`<centrex-presence availability="available" style="--centrex-presence-available: rgb(1, 2, 3)"></centrex-presence>`,
    );
    const dot = el.shadowRoot!.querySelector('[part="dot"]')!;
    expect(getComputedStyle(dot).backgroundColor).to.equal('rgb(1, 2, 3)');
    el.availability = 'offline';
    await el.updateComplete;
    expect(getComputedStyle(dot).backgroundColor).to.equal('rgb(158, 158, 158)');
  });

  it('treats an unknown state as offline', async () => {
    const el = await fixture<CentrexPresence>(html`<centrex-presence availability="sleeping"></centrex-presence>`);
    expect(labelOf(el)).to.equal('Offline');
  });

  it('renders a hostile name as text, never as HTML', async () => {
    const hostile = '<img src=x onerror="window.__pwned = true">';
    const el = await fixture<CentrexPresence>(html`<centrex-presence .name=${hostile} availability="available"></centrex-presence>`);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(labelOf(el)).to.equal(`${hostile}: Available`);
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
  });

  it('keeps the words for screen readers when compact', async () => {
    const el = await fixture<CentrexPresence>(html`<centrex-presence compact availability="busy"></centrex-presence>`);
    const label = el.shadowRoot!.querySelector('[part="label"]')! as HTMLElement;
    expect(label.getBoundingClientRect().width).to.be.at.most(1);
    expect(labelOf(el)).to.equal('Busy');
    await expect(el).to.be.accessible();
  });
});
