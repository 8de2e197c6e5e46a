/**
 * Registers `<centrex-incoming-call>`. Import this module (it has that side effect) or call {@link defineElement}
 * yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexIncomingCall } from './incoming-call.js';

defineElement('centrex-incoming-call', CentrexIncomingCall);

export { CentrexIncomingCall };
export type { CallerInfo, CallerLookup, IncomingCallDetail } from './incoming-call.js';
