import type { Device } from '../../core/api/index.js';
import type { CentrexClient, PlacedCall } from '../../core/client/index.js';
import { dispatch } from '../shared/events.js';

/**
 * `detail` of `centrex-call`: an element is about to call someone. The event is cancelable; a host page that calls
 * `preventDefault()` takes over (its own softphone, a confirmation) and the element does not call.
 *
 * The fields are those `<centrex-click-to-call>` sends with the same event (`number`, `name`, `device`), so a host
 * page handles every element's calls with one listener; `source` says which element asked.
 */
export interface CallRequestDetail {
  /** What will be dialled, as shown or stored: an extension, a number in any format, or a star code. */
  readonly number: string;
  /** Who is called, when the element knows a name (else empty). Text only: never insert it as HTML. */
  readonly name: string;
  /** The device the call will be made with ("Anrufen mit"). */
  readonly device: Device;
  /** Which element asked: `favorites`, `contacts`, `search` or `history`. */
  readonly source: 'favorites' | 'contacts' | 'search' | 'history';
}

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
  // `centrex-call` is declared in HTMLElementEventMap by <centrex-click-to-call>; its detail is a subset of this one.
  if (!dispatch<CallRequestDetail>(host, 'centrex-call', detail, true)) return undefined;
  return client.call(number, name === undefined || name === '' ? {} : { displayName: name });
}
