import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { CentrexClient, type CentrexClientOptions } from '../../core/client/index.js';
import type { Me } from '../../core/api/index.js';
import { clientContext } from '../shared/context.js';
import { dispatch } from '../shared/events.js';
import { elementLanguage, setLanguage } from '../shared/localize.js';

/** `detail` of `centrex-ready`: the client is signed in and connected. */
export interface ProviderReadyDetail {
  readonly client: CentrexClient;
}

/**
 * Holds one {@link CentrexClient} and gives it to every Centrex element inside (through `@lit/context`), so a page
 * signs in once. It renders nothing of its own.
 *
 * Give it a server (`server="https://pbx.example.com"`) and sign in with {@link CentrexProvider.signIn} or a token
 * from the page's back end ({@link CentrexProvider.useToken}); `<centrex-phone>` shows a sign-in form when needed.
 * Or hand it a client made elsewhere with `.client`.
 *
 * The elements speak the signed-in user's language setting, else the language of the page (`lang`).
 *
 * @summary Shares one signed-in Centrex session with the elements inside it.
 * @slot - the Centrex elements and anything else
 * @fires centrex-ready - signed in and connected ({@link ProviderReadyDetail})
 * @fires centrex-signed-out - the session ended (signed out, expired, or revoked)
 */
export class CentrexProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** The Centrex server (origin or API root); empty for the page's own origin. Used when no `.client` is given. */
  @property() server = '';

  /** Whether to run a web phone in this page; with `no-phone` calls go through the user's other devices only. */
  @property({ type: Boolean, attribute: 'no-phone' }) noPhone = false;

  /** Options for the client the provider makes (ICE servers, a logger, …); read when it is made. */
  @property({ attribute: false }) options: Partial<CentrexClientOptions> = {};

  readonly #provider = new ContextProvider(this, { context: clientContext });
  #client: CentrexClient | undefined;
  #unsubscribe: (() => void)[] = [];

  /** The client the elements use; made from `server` on first use unless one was given. */
  get client(): CentrexClient {
    this.#client ??= this.#adopt(
      new CentrexClient({ ...this.options, server: this.server, ...(this.noPhone ? { phone: false } : {}) }),
    );
    return this.#client;
  }

  set client(client: CentrexClient) {
    if (client === this.#client) return;
    this.#client = this.#adopt(client);
  }

  /** Signs in and connects; the elements inside update. */
  async signIn(email: string, password: string): Promise<Me> {
    return this.client.signIn(email, password);
  }

  /** Uses a session token from the page's back end and connects. */
  async useToken(token: string, expiresAt?: string | number): Promise<void> {
    await this.client.useToken(token, expiresAt);
  }

  /** Signs out; the elements inside go back to their signed-out state. */
  async signOut(): Promise<void> {
    await this.#client?.signOut();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Made here rather than lazily on first render: the provider renders nothing, yet its children need the client.
    void this.client;
    void this.#applyLanguage();
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  #adopt(client: CentrexClient): CentrexClient {
    for (const stop of this.#unsubscribe) stop();
    this.#unsubscribe = [
      client.on('change', ({ area }) => {
        if (area === 'me') void this.#applyLanguage();
      }),
      client.on('status', ({ status }) => {
        if (status === 'ready') dispatch<ProviderReadyDetail>(this, 'centrex-ready', { client });
      }),
      client.on('signedout', () => dispatch(this, 'centrex-signed-out', {})),
    ];
    this.#provider.setValue(client);
    return client;
  }

  async #applyLanguage(): Promise<void> {
    const pageLang = this.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    await setLanguage(elementLanguage(this.#client?.language ?? pageLang));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-provider': CentrexProvider;
  }
  interface HTMLElementEventMap {
    'centrex-ready': CustomEvent<ProviderReadyDetail>;
    'centrex-signed-out': CustomEvent<Record<string, never>>;
  }
}
