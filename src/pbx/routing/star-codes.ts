/**
 * Forwarding star codes dialled from any device (manual 4.2): read with the core `parseStarCode`, applied with
 * `applyStarCode` in one store transaction, announced as `forwarding-changed` (source `star-code`), and confirmed to
 * the phone with a final response whose Reason header says what happened.
 *
 * | outcome | response |
 * | --- | --- |
 * | applied | `603 Star Code Applied`, `Reason: SIP;cause=200;text="…"` |
 * | malformed forwarding code (`*10`, `*11*79`) | `484 Address Incomplete`, Reason cause 484 |
 * | profile does not exist (`*107`) | `404 Profile Not Found`, Reason cause 404 |
 * | target refused (toll fraud, not a number) | `403 Forbidden`, Reason cause 403 |
 *
 * A 2xx would open a dialog that needs media and a BYE; a 6xx ends the attempt at once on every phone, and the
 * Reason carries the confirmation (cause 200) for phones and apps that show it.
 * @packageDocumentation
 */
import { CentrexError } from '../../core/errors.js';
import { applyStarCode, parseStarCode, type Condition, type Destination, type StarCode } from '../../core/forwarding/index.js';
import type { ServerTransaction } from '../sip/index.js';
import { isStoreError } from '../store/index.js';
import type { RouterContext } from './context.js';
import { reasonHeader } from './headers.js';
import type { Member } from './options.js';

/** The status of the confirmation of an applied star code. */
export const STAR_CODE_APPLIED_STATUS = 603;
/** Its reason phrase. */
export const STAR_CODE_APPLIED_PHRASE = 'Star Code Applied';

const CONDITION_TEXT: Readonly<Record<Condition, string>> = {
  always: 'Forwarding always',
  noAnswer: 'Forwarding on no answer',
  busy: 'Forwarding when busy',
  notRegistered: 'Forwarding when not registered',
};

function destinationText(destination: Destination): string {
  if (destination.type === 'voicemail') return 'voicemail';
  if (destination.type === 'busy') return 'busy signal';
  return destination.number;
}

/** What an applied star code did, in words for the phone's display. */
export function describeStarCode(code: StarCode): string {
  switch (code.type) {
    case 'activate-profile':
      return `Forwarding profile ${code.profile} active`;
    case 'set':
      return `${CONDITION_TEXT[code.condition]} to ${destinationText(code.to)} set; profile 0 active`;
    case 'clear':
      return `${CONDITION_TEXT[code.condition]} cleared`;
  }
}

/**
 * Handles `dial` as a forwarding star code for `member`. Returns false when it is not one (a number, `*80…`), so
 * that the call is routed; true when the request has been answered.
 */
export function handleStarCode(ctx: RouterContext, member: Member, dial: string, transaction: ServerTransaction): boolean {
  let code: StarCode | undefined;
  try {
    code = parseStarCode(dial, member.tenant.dialPlan);
  } catch (error) {
    if (error instanceof CentrexError) {
      transaction.reply(484, { headers: [reasonHeader(484, error.message)] });
      return true;
    }
    throw error;
  }
  if (code === undefined) return false;
  const star = code;
  try {
    const settings = ctx.store.updateForwarding(member.user.id, (current) => applyStarCode(current, star));
    ctx.events.emit({ type: 'forwarding-changed', tenantId: member.tenant.id, userId: member.user.id, settings, source: 'star-code' });
  } catch (error) {
    if (error instanceof CentrexError && error.code === 'unknown-profile') {
      transaction.reply(404, { reason: 'Profile Not Found', headers: [reasonHeader(404, error.message)] });
    } else if (isStoreError(error, 'destination-not-allowed') || isStoreError(error, 'validation-failed')) {
      transaction.reply(403, { headers: [reasonHeader(403, error.message)] });
    } else {
      ctx.log('error', 'applying a star code failed', { userId: member.user.id, error: String(error) });
      transaction.reply(500, { headers: [reasonHeader(500, 'The star code could not be applied')] });
    }
    return true;
  }
  ctx.log('info', 'star code applied', { userId: member.user.id, code: star.type });
  transaction.reply(STAR_CODE_APPLIED_STATUS, { reason: STAR_CODE_APPLIED_PHRASE, headers: [reasonHeader(200, describeStarCode(star))] });
  return true;
}
