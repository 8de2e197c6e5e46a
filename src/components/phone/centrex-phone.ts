/**
 * Registers `<centrex-phone>` and every element it is made of. Import this module (it has that side effect) or call
 * {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexPhone } from './phone.js';
import '../search/centrex-search.js';
import '../favorites/centrex-favorites.js';
import '../dialer/centrex-dialer.js';
import '../call-bar/centrex-call-bar.js';
import '../incoming-call/centrex-incoming-call.js';
import '../contacts/centrex-contacts.js';
import '../history/centrex-history.js';
import '../forwarding/centrex-forwarding.js';
import '../settings/centrex-settings.js';

defineElement('centrex-phone', CentrexPhone);

export { CentrexPhone };
export type { PhoneSection, SectionChangeDetail } from './phone.js';
