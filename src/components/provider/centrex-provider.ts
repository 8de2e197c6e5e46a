/**
 * Registers `<centrex-provider>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexProvider } from './provider.js';

defineElement('centrex-provider', CentrexProvider);

export { CentrexProvider };
export type { ProviderReadyDetail } from './provider.js';
