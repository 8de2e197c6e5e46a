// Every browser scenario, for one server: what a person does with the phone, end to end.
import { describe } from 'node:test';
import type { ServerKind } from '../support/servers.js';
import { describeCallBasics } from './calls.js';
import { describeCallFeatures } from './call-features.js';
import { describeLineLamps } from './line-lamps.js';
import { describeRecovery } from './recovery.js';
import { useCallWorld } from './world.js';

/** Declares the whole scenario suite against `kind`: one server, three browser users, for all tests. */
export function describeScenarios(kind: ServerKind): void {
  describe(`phones in Chromium against ${kind.label}`, () => {
    const world = useCallWorld(kind);
    describeCallBasics(world);
    describeCallFeatures(world);
    describeLineLamps(world);
    describeRecovery(world);
  });
}
