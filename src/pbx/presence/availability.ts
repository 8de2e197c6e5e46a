/**
 * A user's availability as the manual defines it, derived from what the PBX knows: the DND setting (store), calls
 * (LineStates) and registered devices (the SIP location service and the device kinds in the store).
 */
import type { Availability } from '../../core/presence/index.js';
import type { DeviceKind } from '../store/index.js';
import type { SipBinding } from '../sip/index.js';
import type { PresenceLines, PresenceSip, PresenceStore } from './options.js';

/** An availability and since when it holds. */
export interface AvailabilityState {
  readonly availability: Availability;
  /** When it began (or was first seen), in clock ms. */
  readonly since: number;
}

/** What the tracker needs. */
export interface AvailabilityTrackerOptions {
  readonly sip: PresenceSip;
  readonly store: PresenceStore;
  readonly lines: PresenceLines;
  readonly now: () => number;
  /** Called when a user's availability changed (or was learned from a change that may have changed it). */
  readonly changed: (userId: string, state: AvailabilityState) => void;
}

// Most registered addresses-of-record remembered per user besides the canonical `sip:<extension>@<domain>`.
const MAX_EXTRA_AORS = 16;

/**
 * Computes and remembers availabilities. Precedence, first match wins:
 *
 * 1. `dnd` — "Nicht stören global" is on; it is shown company-wide even while the user is offline or in a call,
 *    because it is what the user chose to tell colleagues.
 * 2. `busy` — a confirmed call (LineStates).
 * 3. `available` — a binding of the user's web app device is registered.
 * 4. `line-free` — only other devices (desk phone, mobile app) are registered.
 * 5. `offline` — nothing is registered.
 */
export class AvailabilityTracker {
  readonly #options: AvailabilityTrackerOptions;
  readonly #known = new Map<string, AvailabilityState>();
  // Registrations may use an address-of-record other than `sip:<extension>@<domain>` (the digest username, a host
  // name with a port); they are learned from registration events so that lookups stay per user, not a full scan.
  readonly #extraAors = new Map<string, Set<string>>();

  constructor(options: AvailabilityTrackerOptions) {
    this.#options = options;
    for (const binding of options.sip.registrations()) this.learnBinding(binding);
  }

  /** Remembers the address-of-record of a binding, when it is not the user's canonical one. */
  learnBinding(binding: SipBinding): void {
    const userId = binding.owner.userId;
    const canonical = this.#canonicalAor(userId);
    if (canonical === binding.aor) return;
    let aors = this.#extraAors.get(userId);
    if (!aors) this.#extraAors.set(userId, (aors = new Set()));
    if (aors.size < MAX_EXTRA_AORS) aors.add(binding.aor);
  }

  /**
   * The known availability; computed and remembered (without a report) when none is known yet. Changes are learned
   * through {@link AvailabilityTracker.reevaluate}, so this never recomputes and may be called while rendering.
   */
  known(userId: string): AvailabilityState {
    const known = this.#known.get(userId);
    if (known) return known;
    const state = { availability: this.compute(userId), since: this.#options.now() };
    this.#known.set(userId, state);
    return state;
  }

  /**
   * The availability computed afresh. A first look is remembered without a report; a value that differs from the
   * known one is reported (an event was missed, and watchers must still learn it).
   */
  refresh(userId: string): AvailabilityState {
    if (!this.#known.has(userId)) return this.known(userId);
    this.reevaluate(userId);
    return this.known(userId);
  }

  /**
   * Something that affects the user's availability happened (a registration, a call, a setting): recomputes it and
   * reports it when it differs from the known one, or when none was known — a redundant report is harmless, a
   * missed one is not. The new state is remembered before `changed` runs.
   */
  reevaluate(userId: string): void {
    const availability = this.compute(userId);
    const known = this.#known.get(userId);
    if (known && known.availability === availability) return;
    const state = { availability, since: this.#options.now() };
    this.#known.set(userId, state);
    this.#options.changed(userId, state);
  }

  /** Forgets a user (deleted). */
  forget(userId: string): void {
    this.#known.delete(userId);
    this.#extraAors.delete(userId);
  }

  /** The availability from the current facts, without remembering it. */
  compute(userId: string): Availability {
    const { store, lines } = this.#options;
    const user = store.getUser(userId);
    if (!user) return 'offline';
    let dnd: boolean;
    try {
      dnd = store.getUserSettings(userId).dnd;
    } catch {
      // The user was deleted in between: nobody to be reached.
      return 'offline';
    }
    if (dnd) return 'dnd';
    if (lines.isBusy(userId)) return 'busy';
    let registered = false;
    for (const binding of this.#bindingsOf(userId)) {
      registered = true;
      if (this.#kindOf(binding) === 'web') return 'available';
    }
    return registered ? 'line-free' : 'offline';
  }

  #bindingsOf(userId: string): SipBinding[] {
    const aors = new Set<string>(this.#extraAors.get(userId) ?? []);
    const canonical = this.#canonicalAor(userId);
    if (canonical !== undefined) aors.add(canonical);
    const bindings: SipBinding[] = [];
    for (const aor of aors) {
      for (const binding of this.#options.sip.lookup(aor)) if (binding.owner.userId === userId) bindings.push(binding);
    }
    return bindings;
  }

  #canonicalAor(userId: string): string | undefined {
    const { store } = this.#options;
    const user = store.getUser(userId);
    const tenant = user ? store.getTenant(user.tenantId) : undefined;
    return user && tenant ? `sip:${user.extension}@${tenant.sipDomain.toLowerCase()}` : undefined;
  }

  /**
   * The kind of device behind a binding: from the store when the credential named a device; otherwise a guess from
   * the transport (only browsers use WebSocket).
   */
  #kindOf(binding: SipBinding): DeviceKind {
    const deviceId = binding.owner.deviceId;
    const device = deviceId === undefined ? undefined : this.#options.store.getDevice(binding.owner.userId, deviceId);
    if (device) return device.kind;
    return binding.flowId.startsWith('ws:') ? 'web' : 'desk';
  }
}
