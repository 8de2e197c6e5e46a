/**
 * `CentrexClient`: one signed-in user in a page — API session, live data and web phone together.
 *
 * @packageDocumentation
 */
export {
  CentrexClient,
  WEB_DEVICE_ID,
  type CentrexClientOptions,
  type CentrexClientEventMap,
  type ClientArea,
  type ClientStatus,
  type PlacedCall,
} from './centrex-client.js';
