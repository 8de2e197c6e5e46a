/**
 * The two number functions `<centrex-click-to-call>` needs, in a module of their own: the element imports it on
 * demand, and a bundler then leaves out the rest of the numbers engine (the as-you-type formatter).
 * @packageDocumentation
 */
export { formatNumber, normalizeNumber, type DialPlan } from '../../core/numbers/index.js';
