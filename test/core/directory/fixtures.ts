// A small directory with one or more entries of every kind, shared by the directory tests.
import type { DirectoryEntry, DirectoryGroup, DirectorySearchResult } from '../../../src/core/directory/index.js';
import type { DialPlan } from '../../../src/core/numbers/index.js';

export const DE: DialPlan = { country: 'DE' };

export const ENTRIES: readonly DirectoryEntry[] = [
  {
    kind: 'contact',
    scope: 'global',
    id: 'c1',
    name: 'Jörg Müller',
    company: 'Müller & Söhne GmbH',
    numbers: [
      { label: 'mobile', number: '+49 171 3921234' },
      { label: 'office', number: '089 2343123' },
    ],
  },
  {
    kind: 'contact',
    scope: 'private',
    id: 'c1',
    name: 'Jörg Müller',
    numbers: [{ label: 'home', number: '0049 30 1234567' }],
  },
  {
    kind: 'contact',
    scope: 'global',
    id: 'c2',
    name: 'Jörg Schmidt',
    company: 'Autohaus Nord AG',
    numbers: [{ number: '0171/392 55 55' }],
  },
  { kind: 'contact', scope: 'global', id: 'c3', name: 'Hans Strauß', numbers: [{ number: '(0171) 400-1234' }] },
  { kind: 'contact', scope: 'global', id: 'c4', name: 'Anna Mueller', numbers: [{ number: '+43 1 5123456' }] },
  { kind: 'contact', scope: 'private', id: 'c5', name: 'José Ångström', company: 'Łódź Trading', numbers: [] },
  {
    kind: 'extension',
    id: 'u1',
    name: 'Maria Müller',
    company: 'Vertrieb',
    extension: '33',
    numbers: [{ label: 'mobile', number: '0171 3925678' }],
  },
  { kind: 'extension', id: 'u2', name: 'Zoe Maier', extension: '330', numbers: [] },
  { kind: 'extension', id: 'u3', name: 'Adam Apfel', extension: '331', numbers: [] },
  { kind: 'extension', id: 'u4', name: 'Ali Yılmaz', extension: '4330', numbers: [] },
  { kind: 'room', id: 'r1', name: 'Raum Müllheim', extension: '3301', numbers: [] },
  {
    kind: 'meeting',
    id: 'm1',
    name: 'Jour fixe Vertrieb',
    extension: '3399',
    numbers: [{ label: 'dial-in', number: '+49 89 2000 3399' }],
  },
  { kind: 'group', id: 'g1', name: 'Support Hotline', extension: '300', numbers: [] },
];

/** The groups of a result as `kind: names`, for compact assertions. */
export function names(result: DirectorySearchResult): Record<string, string[]> {
  return Object.fromEntries(result.groups.map((group) => [group.kind, group.hits.map((hit) => hit.entry.name)]));
}

/** The hits of one group as `id/scope`, which tells global and private contacts apart. */
export function ids(group: DirectoryGroup | undefined): string[] {
  return (group?.hits ?? []).map((hit) => {
    const scope = hit.entry.kind === 'contact' ? `/${hit.entry.scope}` : '';
    return `${hit.entry.id}${scope}`;
  });
}

/** Freezes an object and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
