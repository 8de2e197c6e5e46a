/**
 * The shared rule of every state machine in the phone: a table lists the allowed transitions, and one check
 * rejects everything else with a {@link CentrexError} that names the object and both states.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';

/** For each state, the states it may move to. */
export type TransitionTable<S extends string> = { readonly [From in S]: readonly S[] };

/** Whether `table` allows moving from `from` to `to`. */
export function canTransition<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/**
 * Throws unless `table` allows moving from `from` to `to`.
 *
 * @param subject - names the object in the message, e.g. `call 3 (to 1002)`
 * @throws CentrexError `invalid-transition`
 */
export function assertTransition<S extends string>(table: TransitionTable<S>, from: S, to: S, subject: string): void {
  if (canTransition(table, from, to)) return;
  throw new CentrexError(
    'invalid-transition',
    `${subject} cannot go from "${from}" to "${to}"; allowed from "${from}": ${table[from].join(', ') || 'nothing (final state)'}. ` +
      'This is a bug in the code that drove it: check the state before calling.',
    { details: { subject, from, to } },
  );
}
