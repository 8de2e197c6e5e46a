/**
 * Registers `<centrex-dialer>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexDialer } from './dialer.js';

defineElement('centrex-dialer', CentrexDialer);

export { CentrexDialer };
export type { DialerCallDetail, DialerCallPlacedDetail, DialerMode } from './dialer.js';
