/**
 * Registers `<centrex-history>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexHistory } from './history.js';

defineElement('centrex-history', CentrexHistory);

export { CentrexHistory };
export type { HistoryFilter } from './history.js';
export type { CallRequestDetail } from '../shared/call-request.js';
