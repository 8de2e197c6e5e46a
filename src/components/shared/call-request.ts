import type { Device } from '../../core/api/index.js';
import type { CentrexClient, PlacedCall } from '../../core/client/index.js';
import { dispatch } from '../shared/events.js';

/**
 * `detail` of `centrex-call`: an element is about to call someone. The event is cancelable; a host page that calls
 * `preventDefault()` takes over (its own softphone, a confirmation) and the element does not call.
 *
 * Every element that calls sends this one event with this one detail, so a host page handles all their calls with one
 * listener; `source` says which element asked.
 */
export interface CallRequestDetail {
  /** What will be dialled, as shown or stored: an extension, a number in any format, or a star code. */
  readonly number: string;
  /** Who is called, when the element knows a name (else empty). Text only: never insert it as HTML. */
  readonly name: string;
  /** The device the call will be made with ("Anrufen mit"). */
  readonly device: Device;
  /** Which element asked. */
  readonly source: CallRequestSource;
}

/** The elements that announce calls with `centrex-call`. */
export type CallRequestSource = 'dialer' | 'favorites' | 'contacts' | 'search' | 'history' | 'click-to-call';

/**
 * Announces a call with a cancelable `centrex-call` event on `host`, then places it with `client.call` unless a
 * listener vetoed it.
 *
 * @param host - the element the event comes from
 * @param client - the client that calls
 * @param number - what to dial
 * @param name - who is called, if known
 * @param source - which element asks
 * @returns the placed call, or `undefined` when the host page prevented it
 * @throws the errors of {@link CentrexClient.call}
 */
export async function requestCall(
  host: EventTarget,
  client: CentrexClient,
  number: string,
  name: string | undefined,
  source: CallRequestDetail['source'],
): Promise<PlacedCall | undefined> {
  const detail: CallRequestDetail = { number, name: name ?? '', device: client.callingDevice, source };
  if (!dispatch<CallRequestDetail>(host, 'centrex-call', detail, true)) return undefined;
  return client.call(number, name === undefined || name === '' ? {} : { displayName: name });
}

declare global {
  interface HTMLElementEventMap {
    'centrex-call': CustomEvent<CallRequestDetail>;
  }
}
