/**
 * Registers a custom element unless the tag is already taken, for example by a second copy of the SDK on the same
 * page. A taken tag is reported with a console warning instead of an exception, so one widget cannot break a host page.
 *
 * @param tag - the element name, e.g. `centrex-presence`
 * @param constructor - the element class
 */
export function defineElement(tag: string, constructor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (existing === undefined) {
    customElements.define(tag, constructor);
  } else if (existing !== constructor) {
    console.warn(`centrex-sdk: <${tag}> is already defined by another script; keeping that definition.`);
  }
}
