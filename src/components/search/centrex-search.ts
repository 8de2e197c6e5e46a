/**
 * Registers `<centrex-search>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexSearch } from './search.js';

defineElement('centrex-search', CentrexSearch);

export { CentrexSearch };
export { requestCall, type CallRequestDetail } from '../shared/call-request.js';
