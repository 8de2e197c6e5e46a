/**
 * Dispatches a typed event from an element: it bubbles and crosses shadow roots (`composed`), so a host page can
 * listen on any ancestor. Returns false when a listener called `preventDefault()` on a cancelable event.
 *
 * @param target - the element the event comes from
 * @param type - the event name, e.g. `centrex-call`
 * @param detail - what the event carries
 * @param cancelable - whether the host may veto the default action
 */
export function dispatch<T>(target: EventTarget, type: string, detail: T, cancelable = false): boolean {
  return target.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true, cancelable }));
}
