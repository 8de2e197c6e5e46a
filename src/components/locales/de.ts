/**
 * The elements' German texts, by message id. Each element keeps its texts in `locales/de/<element>.ts`; this module
 * joins them for `@lit/localize`, which loads it only when German is chosen.
 */
import { shared } from './de/shared.js';
import { provider } from './de/provider.js';
import { phone } from './de/phone.js';
import { dialer } from './de/dialer.js';
import { callBar } from './de/call-bar.js';
import { incomingCall } from './de/incoming-call.js';
import { favorites } from './de/favorites.js';
import { contacts } from './de/contacts.js';
import { search } from './de/search.js';
import { history } from './de/history.js';
import { forwarding } from './de/forwarding.js';
import { settings } from './de/settings.js';
import { clickToCall } from './de/click-to-call.js';
import { fax } from './de/fax.js';

/** Every German text, keyed by the `id` given to `msg()`. */
export const templates = {
  ...shared,
  ...provider,
  ...phone,
  ...dialer,
  ...callBar,
  ...incomingCall,
  ...favorites,
  ...contacts,
  ...search,
  ...history,
  ...forwarding,
  ...settings,
  ...clickToCall,
  ...fax,
};
