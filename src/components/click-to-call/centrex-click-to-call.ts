/**
 * Registers `<centrex-click-to-call>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexClickToCall } from './click-to-call.js';

defineElement('centrex-click-to-call', CentrexClickToCall);

export { CentrexClickToCall };
export type {
  ClickToCallAppearance,
  ClickToCallFailedDetail,
  ClickToCallPlacedDetail,
  ClickToCallRequestDetail,
} from './click-to-call.js';
