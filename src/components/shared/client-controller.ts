import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CentrexClient, ClientArea } from '../../core/client/index.js';
import { clientContext } from './context.js';

/** An element that can be given a client directly (`.client`) as well as through `<centrex-provider>`. */
export interface ClientHost extends ReactiveControllerHost, HTMLElement {
  /** A client set on the element itself; wins over the provider's. */
  client?: CentrexClient | undefined;
}

/**
 * Finds the element's {@link CentrexClient} (its own `.client`, else the nearest `<centrex-provider>`'s) and
 * re-renders the element when one of the areas it shows changes.
 */
export class ClientController implements ReactiveController {
  readonly #host: ClientHost;
  readonly #areas: ReadonlySet<ClientArea> | 'all';
  readonly #onChange: ((area: ClientArea) => void) | undefined;
  #provided: CentrexClient | undefined;
  #subscribed: CentrexClient | undefined;
  #unsubscribe: (() => void) | undefined;

  /**
   * @param host - the element
   * @param areas - the parts of the client's state the element shows (`'all'` for everything)
   * @param onChange - called before the re-render for every change of one of those areas
   */
  constructor(host: ClientHost, areas: readonly ClientArea[] | 'all', onChange?: (area: ClientArea) => void) {
    this.#host = host;
    this.#areas = areas === 'all' ? 'all' : new Set(areas);
    this.#onChange = onChange;
    new ContextConsumer(host, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.#provided = client;
        host.requestUpdate();
      },
    });
    host.addController(this);
  }

  /** The client in use, if any. */
  get client(): CentrexClient | undefined {
    return this.#host.client ?? this.#provided;
  }

  /** Subscribes to the client in use; called by Lit before each update. */
  hostUpdate(): void {
    this.#follow(this.client);
  }

  /** Subscribes again when the element comes back into a page. */
  hostConnected(): void {
    this.#follow(this.client);
  }

  /** Stops listening while the element is out of the page, so a removed element is not kept alive by the client. */
  hostDisconnected(): void {
    this.#follow(undefined);
  }

  #follow(client: CentrexClient | undefined): void {
    if (client === this.#subscribed) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#subscribed = client;
    if (client === undefined) return;
    this.#unsubscribe = client.on('change', ({ area }) => {
      if (this.#areas !== 'all' && !this.#areas.has(area)) return;
      this.#onChange?.(area);
      this.#host.requestUpdate();
    });
    // The element may have been rendered for another client (or none): show this one's state.
    this.#onChange?.('status');
    this.#host.requestUpdate();
  }
}
