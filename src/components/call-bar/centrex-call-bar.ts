/**
 * Registers `<centrex-call-bar>` (and `<centrex-dialer>`, which it uses for tones). Import this module (it has that
 * side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexCallBar } from './call-bar.js';

defineElement('centrex-call-bar', CentrexCallBar);

export { CentrexCallBar };
export { TARGET_DRAG_TYPE, CALL_DRAG_TYPE, type CallBarState, type CallBarTransferDetail } from './call-bar.js';
