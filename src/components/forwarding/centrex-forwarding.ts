/**
 * Registers `<centrex-forwarding>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexForwarding } from './forwarding.js';

defineElement('centrex-forwarding', CentrexForwarding);

export { CentrexForwarding };
export type { ForwardingSavedDetail, PreviewCaller } from './forwarding.js';
