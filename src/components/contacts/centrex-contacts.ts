/**
 * Registers `<centrex-contacts>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexContacts } from './contacts.js';

defineElement('centrex-contacts', CentrexContacts);

export { CentrexContacts };
export type { ContactScopeFilter, ContactSelectedDetail } from './contacts.js';
export type { CallRequestDetail } from '../shared/call-request.js';
