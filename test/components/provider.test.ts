import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/provider/centrex-provider.js';
import type { CentrexProvider } from '../../src/components/provider/provider.js';
import { CentrexElement } from '../../src/components/shared/centrex-element.js';
import { currentLanguage, setLanguage } from '../../src/components/shared/localize.js';
import { signOutAll, testPbx, until } from './support/pbx.js';

/** A minimal element on the shared base, showing the signed-in user's name. */
class ProbeElement extends CentrexElement {
  static override clientAreas = ['me' as const];
  protected override render() {
    return this.activeClient?.me?.name ?? 'nobody';
  }
}
customElements.define('provider-test-probe', ProbeElement);

describe('<centrex-provider>', () => {
  afterEach(async () => {
    await signOutAll();
    await setLanguage('en');
  });

  it('signs in once and every element inside shows the user', async () => {
    const { url, password } = await testPbx();
    const provider = await fixture<CentrexProvider>(html`
      <centrex-provider server=${url} no-phone>
        <section><provider-test-probe></provider-test-probe></section>
      </centrex-provider>
    `);
    const probe = provider.querySelector<ProbeElement>('provider-test-probe')!;
    await probe.updateComplete;
    expect(probe.shadowRoot!.textContent).to.equal('nobody');

    const ready = new Promise((resolve) => provider.addEventListener('centrex-ready', resolve, { once: true }));
    await provider.signIn('ben@demo.test', password);
    await ready;
    await until(() => probe.shadowRoot!.textContent !== 'nobody', 'the probe shows the user');
    expect(probe.shadowRoot!.textContent).to.equal(provider.client.me!.name);

    const signedOut = new Promise((resolve) => provider.addEventListener('centrex-signed-out', resolve, { once: true }));
    await provider.signOut();
    await signedOut;
    await until(() => probe.shadowRoot!.textContent === 'nobody', 'the probe forgets the user');
  });

  it("speaks the page's language until a user is signed in, then the user's", async () => {
    const { url, password } = await testPbx();
    const provider = await fixture<CentrexProvider>(html`<div lang="de"><centrex-provider server=${url} no-phone></centrex-provider></div>`).then(
      (host) => host.querySelector('centrex-provider')!,
    );
    await until(() => currentLanguage() === 'de', 'the elements speak German');
    await provider.signIn('ben@demo.test', password);
    // The demo users' language setting decides from now on.
    await until(() => currentLanguage() === provider.client.language, "the elements speak the user's language");
  });

  it('renders nothing itself and adds no styles to the page', async () => {
    const provider = await fixture<CentrexProvider>(html`<centrex-provider no-phone><p>host content</p></centrex-provider>`);
    expect(getComputedStyle(provider).display).to.equal('contents');
    expect(document.adoptedStyleSheets.length).to.equal(0);
    expect(provider.shadowRoot!.querySelector('slot')).to.not.equal(null);
    expect(provider).to.be.instanceOf(LitElement);
  });
});
