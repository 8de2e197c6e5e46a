import { describe, it, expect } from '../../support/harness.js';
import { createDirectoryIndex, type DirectoryEntry, type DirectoryIndex } from '../../../src/core/directory/index.js';
import { isCentrexError, type CentrexErrorCode } from '../../../src/core/errors.js';
import type { DialPlan } from '../../../src/core/numbers/index.js';
import { DE, deepFreeze, ENTRIES, ids, names } from './fixtures.js';

/** Runs `act` and checks that it throws a CentrexError with `code`. */
function expectCentrexError(act: () => unknown, code: CentrexErrorCode = 'invalid-argument', label = ''): void {
  try {
    act();
  } catch (error) {
    expect(isCentrexError(error, code), `${label}: ${String(error)}`).to.equal(true);
    return;
  }
  expect.fail(`${label}: should have thrown`);
}

const build = (entries: unknown, options: unknown = { dialPlan: DE }): DirectoryIndex =>
  createDirectoryIndex(entries as DirectoryEntry[], options as { dialPlan: DialPlan });

const contact = (fields: Record<string, unknown>): Record<string, unknown> => ({
  kind: 'contact',
  scope: 'global',
  id: 'x',
  name: 'Jörg Müller',
  numbers: [],
  ...fields,
});

describe('directory search: hostile input', () => {
  const index = build(ENTRIES);

  it('rejects a query that is not a string with invalid-argument', () => {
    for (const query of [undefined, null, 42, true, {}, [], ['mü'], Symbol('q'), () => 'mü', 10n]) {
      expectCentrexError(() => index.search(query as unknown as string), 'invalid-argument', String(typeof query));
    }
  });

  it('rejects malformed search options with invalid-argument', () => {
    const bad = [
      null,
      'mü',
      42,
      { limit: 0 },
      { limit: -1 },
      { limit: 1.5 },
      { limit: Number.NaN },
      { limit: Infinity },
      { limit: '5' },
      { kinds: 'contact' },
      { kinds: ['contact', 'person'] },
      { kinds: [null] },
    ];
    for (const options of bad) {
      expectCentrexError(() => index.search('mü', options as never), 'invalid-argument', JSON.stringify(options));
    }
    expect(index.search('mü', {}).groups).to.have.length(3);
    expect(index.search('mü', { limit: undefined as unknown as number }).groups).to.have.length(3);
  });

  it('rejects malformed entries with invalid-argument, naming the entry and field', () => {
    const bad: unknown[] = [
      null,
      'Jörg',
      42,
      contact({ kind: 'person' }),
      contact({ kind: undefined }),
      contact({ id: '' }),
      contact({ id: 7 }),
      contact({ name: '' }),
      contact({ name: '   ' }),
      contact({ name: null }),
      contact({ company: 12 }),
      contact({ detail: {} }),
      contact({ scope: undefined }),
      contact({ scope: 'public' }),
      contact({ numbers: undefined }),
      contact({ numbers: '0171 3921234' }),
      contact({ numbers: [null] }),
      contact({ numbers: [{ number: 1713921234 }] }),
      contact({ numbers: [{ number: '0171', label: 3 }] }),
      contact({ extension: 33 }),
      { kind: 'extension', id: 'u', name: 'No Extension', numbers: [] },
    ];
    bad.forEach((entry, position) => {
      expectCentrexError(() => build([entry]), 'invalid-argument', `entry ${position}`);
    });
    let details: unknown;
    try {
      build([ENTRIES[0], contact({ name: 42 })]);
    } catch (error) {
      details = isCentrexError(error) ? error.details : error;
    }
    expect(details).to.deep.equal({ position: 1, field: 'name' });
  });

  it('rejects entries that are not an array, and bad options', () => {
    for (const entries of [undefined, null, 'entries', 42, {}, new Set(ENTRIES)]) {
      expectCentrexError(() => build(entries), 'invalid-argument', String(entries));
    }
    expectCentrexError(() => createDirectoryIndex(ENTRIES, undefined as never), 'invalid-argument', 'no options');
    expectCentrexError(() => build(ENTRIES, null), 'invalid-argument', 'null options');
    expectCentrexError(() => build(ENTRIES, {}), 'invalid-dial-plan', 'no dial plan');
    expectCentrexError(() => build(ENTRIES, { dialPlan: { country: 'XX' } }), 'invalid-dial-plan', 'bad country');
    expectCentrexError(() => build(ENTRIES, { dialPlan: 'DE' }), 'invalid-dial-plan', 'string dial plan');
  });

  it('rejects two entries with the same kind, scope and id', () => {
    expectCentrexError(() => build([contact({}), contact({ name: 'Other' })]), 'invalid-argument', 'duplicate');
    // The same id in both address books, or for two kinds, is fine.
    expect(build([contact({}), contact({ scope: 'private' })]).size).to.equal(2);
    expect(build([contact({}), { kind: 'room', id: 'x', name: 'Room', numbers: [] }]).size).to.equal(2);
  });

  it('turns getters and proxies that throw into invalid-argument', () => {
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    const getter = Object.defineProperty(contact({}), 'name', {
      get() {
        throw new TypeError('no name');
      },
    });
    expectCentrexError(() => build([trap]), 'invalid-argument', 'proxy entry');
    expectCentrexError(() => build([getter]), 'invalid-argument', 'throwing getter');
    expectCentrexError(
      () =>
        build(
          new Proxy([], {
            get: () => {
              throw new Error('boom');
            },
          }),
        ),
      'invalid-argument',
      'proxy array',
    );
    expectCentrexError(() => index.search('mü', trap as never), 'invalid-argument', 'proxy options');
  });

  it('reads each entry once: later changes to a (mutable) entry do not change the index', () => {
    const entry = { kind: 'contact', scope: 'global', id: 'x', name: 'Jörg Müller', numbers: [] } as {
      kind: 'contact';
      scope: 'global';
      id: string;
      name: string;
      numbers: [];
    };
    const own = build([entry]);
    entry.name = 'Somebody Else';
    expect(own.search('mü').groups[0]?.hits[0]?.matches).to.deep.equal([{ field: 'name', start: 5, end: 7 }]);
    expect(own.search('somebody').groups).to.deep.equal([]);
  });

  it('copes with very long queries and names', () => {
    const long = 'mü '.repeat(5000);
    expect(index.search(long).groups).to.deep.equal([]);
    const longName = build([contact({ name: `${'Wort '.repeat(2000)}Müller` })]);
    expect(longName.search('wort mü').groups).to.have.length(1);
  });
});

describe('directory search: immutability', () => {
  it('never changes the entries it is given (deep-frozen entries work)', () => {
    const frozen = deepFreeze(structuredClone(ENTRIES) as DirectoryEntry[]);
    const before = JSON.stringify(frozen);
    const index = createDirectoryIndex(frozen, { dialPlan: DE });
    for (const query of ['mü', 'jo mü', '0171 392', '33', '+49 89', 'vertrieb']) index.search(query, { limit: 2 });
    index.update({ add: [frozen[0] as DirectoryEntry], remove: [{ kind: 'group', id: 'g1' }] });
    expect(JSON.stringify(frozen)).to.equal(before);
    expect(names(index.search('mü'))).to.deep.equal(
      names(createDirectoryIndex(ENTRIES, { dialPlan: DE }).search('mü')),
    );
  });

  it('returns frozen results and is frozen itself', () => {
    const index = createDirectoryIndex(ENTRIES, { dialPlan: DE });
    const result = index.search('mü');
    expect(Object.isFrozen(index)).to.equal(true);
    expect(Object.isFrozen(index.entries)).to.equal(true);
    expect(Object.isFrozen(result)).to.equal(true);
    expect(Object.isFrozen(result.groups)).to.equal(true);
    expect(Object.isFrozen(result.groups[0])).to.equal(true);
    expect(Object.isFrozen(result.groups[0]?.hits)).to.equal(true);
    expect(Object.isFrozen(result.groups[0]?.hits[0])).to.equal(true);
    expect(Object.isFrozen(result.groups[0]?.hits[0]?.matches)).to.equal(true);
    expect(Object.isFrozen(result.groups[0]?.hits[0]?.matches[0])).to.equal(true);
  });

  it('builds a new index with entries added, replaced and removed, leaving the old one as it was', () => {
    const index = createDirectoryIndex(ENTRIES, { dialPlan: DE });
    const next = index.update({
      add: [
        { kind: 'contact', scope: 'private', id: 'new', name: 'Jörg Neumann', numbers: [{ number: '0171 3929999' }] },
        // Replaces the global c2 (same kind, scope and id).
        { kind: 'contact', scope: 'global', id: 'c2', name: 'Jörg Schmitz', numbers: [] },
      ],
      remove: [
        { kind: 'contact', id: 'c1' },
        { kind: 'room', id: 'r1' },
        { kind: 'group', id: 'absent' },
      ],
    });
    expect(ids(next.search('jörg').groups[0])).to.deep.equal(['new/private', 'c2/global']);
    expect(ids(next.search('0171 392').groups.find((g) => g.kind === 'contact'))).to.deep.equal(['new/private']);
    expect(next.search('müllh').groups).to.deep.equal([]);
    expect(next.size).to.equal(ENTRIES.length - 3 + 1);
    // Kept entries keep their numbers, read back without parsing.
    expect(names(next.search('+43 1'))).to.deep.equal({ contact: ['Anna Mueller'] });
    expect(names(next.search('33')).extension).to.deep.equal(['Maria Müller', 'Adam Apfel', 'Zoe Maier']);

    expect(ids(index.search('jörg').groups[0])).to.deep.equal(['c1/private', 'c1/global', 'c2/global']);
    expect(index.size).to.equal(ENTRIES.length);
  });

  it('removes a contact from one address book when the ref names a scope', () => {
    const index = createDirectoryIndex(ENTRIES, { dialPlan: DE });
    const next = index.update({ remove: [{ kind: 'contact', id: 'c1', scope: 'private' }] });
    expect(ids(next.search('jörg mü').groups[0])).to.deep.equal(['c1/global']);
  });

  it('rejects malformed changes with invalid-argument', () => {
    const index = createDirectoryIndex(ENTRIES, { dialPlan: DE });
    for (const changes of [null, 'add', { add: 'x' }, { remove: [{ kind: 'contact' }] }, { add: [{ kind: 'room' }] }]) {
      expectCentrexError(() => index.update(changes as never), 'invalid-argument', JSON.stringify(changes));
    }
    expectCentrexError(
      () => index.update({ add: [ENTRIES[0] as DirectoryEntry, ENTRIES[0] as DirectoryEntry] }),
      'invalid-argument',
      'duplicate add',
    );
  });
});
