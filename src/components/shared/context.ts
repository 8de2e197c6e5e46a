import { createContext } from '@lit/context';
import type { CentrexClient } from '../../core/client/index.js';

/**
 * The context `<centrex-provider>` provides its {@link CentrexClient} under. Keyed by a registered symbol so that
 * elements from two copies of the SDK on one page still find the same provider.
 */
export const clientContext = createContext<CentrexClient | undefined>(Symbol.for('centrex-sdk/client'));
