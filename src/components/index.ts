/**
 * `centrex-sdk/components`: the Lit custom elements. Importing this module registers every element.
 * @packageDocumentation
 */
export { defineElement } from './define-element.js';
export { CentrexPresence } from './presence/centrex-presence.js';
