// Steps several scenarios share.
import type { User } from '../support/browser.js';

/** `caller` calls `callee`, who answers; resolves with both call ids once each hears the other. */
export async function connect(caller: User, callee: User, notIds: string[] = []): Promise<[string, string]> {
  const outgoing = await caller.dial(callee.extension);
  const incoming = await callee.waitForCall({ direction: 'incoming', state: 'ringing', notIds });
  await callee.act(incoming, 'accept');
  await Promise.all([caller.waitForState(outgoing, 'established'), callee.waitForState(incoming, 'established')]);
  await audioFlows([caller, outgoing], [callee, incoming]);
  return [outgoing, incoming];
}

/** Waits until audio packets arrive at both ends of a call (each end given as its user and call id). */
export async function audioFlows(...ends: Array<readonly [User, string]>): Promise<void> {
  await Promise.all(ends.map(([user, id]) => user.waitForFlow(id, 'audioIn')));
}

/** Waits until no audio arrives at either end of a call any more (hold). */
export async function audioStops(...ends: Array<readonly [User, string]>): Promise<void> {
  await Promise.all(ends.map(([user, id]) => user.waitForNoFlow(id, 'audioIn')));
}
