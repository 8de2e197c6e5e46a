/**
 * Registers `<centrex-fax>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexFax } from './fax.js';

defineElement('centrex-fax', CentrexFax);

export { CentrexFax };
export type { FaxWorkers, FaxLinkedDetail, FaxQueuedDetail, FaxJobDetail, FaxReceivedDetail, FaxDownloadDetail } from './fax.js';
