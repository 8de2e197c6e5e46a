import { CentrexError } from '../errors.js';
import { checkDialPlan } from '../numbers/index.js';
import { findMatchingRule, identifyCaller } from './caller.js';
import { DEFAULT_PROFILE_NUMBER } from './defaults.js';
import type {
  CalleeState,
  CallPlan,
  ConditionalForwarding,
  ForwardingProfile,
  ForwardingSettings,
  IncomingCall,
  PlanContext,
} from './types.js';

/**
 * Decides what happens to an incoming call: ring the user, forward it, or reject it.
 *
 * The forwarding in force is the active profile's, unless one of that profile's selective rules matches the caller:
 * then the most specific rule's forwarding replaces it entirely (see {@link findMatchingRule}). It is then applied
 * in this order:
 *
 * 1. global do-not-disturb: forward to the `always` destination, else the `busy` one, else a busy signal;
 * 2. `always`: forward;
 * 3. not registered: forward to `notRegistered`, else reject with 480;
 * 4. busy with call waiting off: forward to `busy`, else reject with 486;
 * 5. otherwise ring, with the `noAnswer` and `busy` destinations for later.
 *
 * Settings are meant to be valid ({@link validateForwarding}); to keep calls flowing, a missing active profile
 * falls back to the default profile, and a missing default profile to plain ringing.
 *
 * @throws CentrexError `invalid-argument` when an argument is not an object; `invalid-dial-plan` for a bad dial plan
 */
export function planIncomingCall(
  settings: ForwardingSettings,
  call: IncomingCall,
  callee: CalleeState,
  context: PlanContext,
): CallPlan {
  requireObject(settings, 'settings');
  requireObject(call, 'call');
  requireObject(call.from, 'call.from');
  requireObject(callee, 'callee');
  requireObject(context, 'context');
  checkDialPlan(context.dialPlan);
  if (!Array.isArray(settings.profiles)) {
    throw new CentrexError('invalid-argument', 'settings.profiles must be an array of forwarding profiles.');
  }

  const profile = activeProfileOf(settings);
  const match = profile && findMatchingRule(profile, identifyCaller(call, context.dialPlan), context);
  const forwarding: ConditionalForwarding = match ? match.rule.forwarding : (profile?.forwarding ?? {});
  const rule = match ? { rule: match.rule.id } : {};

  if (callee.dnd === true) {
    return { action: 'forward', to: forwarding.always ?? forwarding.busy ?? { type: 'busy' }, reason: 'dnd', ...rule };
  }
  if (forwarding.always) return { action: 'forward', to: forwarding.always, reason: 'always', ...rule };
  if (!callee.registered) {
    return forwarding.notRegistered
      ? { action: 'forward', to: forwarding.notRegistered, reason: 'not-registered', ...rule }
      : { action: 'reject', status: 480, reason: 'not-registered' };
  }
  if (callee.busy && callee.callWaiting !== true) {
    return forwarding.busy
      ? { action: 'forward', to: forwarding.busy, reason: 'busy', ...rule }
      : { action: 'reject', status: 486, reason: 'busy' };
  }
  return {
    action: 'ring',
    ...(forwarding.noAnswer ? { onNoAnswer: { after: forwarding.noAnswer.after, to: forwarding.noAnswer.to } } : {}),
    ...(forwarding.busy ? { onBusy: forwarding.busy } : {}),
    ...rule,
  };
}

/** The profile in force: the active one, else the default one (see {@link planIncomingCall}). */
export function activeProfileOf(settings: ForwardingSettings): ForwardingProfile | undefined {
  return (
    settings.profiles.find((profile) => profile.number === settings.activeProfile) ??
    settings.profiles.find((profile) => profile.number === DEFAULT_PROFILE_NUMBER)
  );
}

function requireObject(value: unknown, name: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new CentrexError('invalid-argument', `${name} must be an object.`, { details: { field: name } });
  }
}
