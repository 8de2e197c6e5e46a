/**
 * Registers `<centrex-presence>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexPresence } from './presence.js';

defineElement('centrex-presence', CentrexPresence);

export { CentrexPresence };
