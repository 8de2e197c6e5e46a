/**
 * `centrex-sdk/components`: the Lit custom elements. Importing this module registers every element; import
 * `centrex-sdk/components/centrex-<name>.js` instead to register only the ones a page uses.
 * @packageDocumentation
 */
export { defineElement } from './define-element.js';
export { CentrexElement } from './shared/centrex-element.js';
export { clientContext } from './shared/context.js';
export { setLanguage, currentLanguage, type ElementLanguage } from './shared/localize.js';
export { CentrexProvider, type ProviderReadyDetail } from './provider/centrex-provider.js';
export { CentrexPhone, type PhoneSection, type SectionChangeDetail } from './phone/centrex-phone.js';
export { CentrexDialer, type DialerCallDetail, type DialerCallPlacedDetail, type DialerMode } from './dialer/centrex-dialer.js';
export {
  CentrexCallBar,
  TARGET_DRAG_TYPE,
  CALL_DRAG_TYPE,
  type CallBarState,
  type CallBarTransferDetail,
} from './call-bar/centrex-call-bar.js';
export { CentrexIncomingCall, type CallerInfo, type CallerLookup, type IncomingCallDetail } from './incoming-call/centrex-incoming-call.js';
export { CentrexFavorites, FAVORITE_DRAG_TYPE, type FavoriteDragData } from './favorites/centrex-favorites.js';
export { CentrexContacts, type ContactScopeFilter, type ContactSelectedDetail } from './contacts/centrex-contacts.js';
export { CentrexSearch } from './search/centrex-search.js';
export { requestCall, type CallRequestDetail, type CallRequestSource } from './shared/call-request.js';
export { CentrexHistory, type HistoryFilter } from './history/centrex-history.js';
export { CentrexForwarding, type ForwardingSavedDetail, type PreviewCaller } from './forwarding/centrex-forwarding.js';
export { CentrexSettings, VOICEMAIL_PIN_PATTERN, type SettingsField, type SettingsSavedDetail } from './settings/centrex-settings.js';
export {
  CentrexClickToCall,
  type ClickToCallAppearance,
  type ClickToCallRequestDetail,
  type ClickToCallPlacedDetail,
  type ClickToCallFailedDetail,
} from './click-to-call/centrex-click-to-call.js';
export {
  CentrexFax,
  type FaxWorkers,
  type FaxLinkedDetail,
  type FaxQueuedDetail,
  type FaxJobDetail,
  type FaxReceivedDetail,
  type FaxDownloadDetail,
} from './fax/centrex-fax.js';
export { CentrexPresence } from './presence/centrex-presence.js';
