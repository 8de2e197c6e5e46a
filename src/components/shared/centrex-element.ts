import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { updateWhenLocaleChanges } from '@lit/localize';
import type { CentrexClient, ClientArea } from '../../core/client/index.js';
import { ClientController } from './client-controller.js';

/**
 * The base of every element that works with a {@link CentrexClient}: finds the client (its own `.client`, else the
 * nearest `<centrex-provider>`'s), re-renders when the areas named in `clientAreas` change, and re-renders when the
 * language changes.
 */
export abstract class CentrexElement extends LitElement {
  /**
   * The parts of the client's state this element shows; it re-renders when one of them changes. Subclasses
   * override it. Default: all.
   */
  static clientAreas: readonly ClientArea[] | 'all' = 'all';

  /** A client for this element alone; without it the element uses the nearest `<centrex-provider>`'s. */
  @property({ attribute: false }) client: CentrexClient | undefined;

  /** Finds the client and follows its changes. */
  protected readonly clientController: ClientController;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    const areas = (this.constructor as typeof CentrexElement).clientAreas;
    this.clientController = new ClientController(this, areas, (area) => this.clientChanged(area));
  }

  /** The client in use: `.client`, else the provider's; `undefined` until one is there. */
  protected get activeClient(): CentrexClient | undefined {
    return this.clientController.client;
  }

  /**
   * Called when one of the element's areas changed (and with `'status'` when the client itself was found or
   * replaced), before the re-render. Subclasses subscribe to calls or reload derived data here.
   */
  protected clientChanged(_area: ClientArea): void {
    // Most elements only re-render, which the controller asks for anyway.
  }
}
