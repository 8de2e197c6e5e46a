import { describe, it, expect } from '../../support/harness.js';
import { createDirectoryIndex, DIRECTORY_KINDS, type DirectoryEntry } from '../../../src/core/directory/index.js';
import { DE, ENTRIES, ids, names } from './fixtures.js';

const index = createDirectoryIndex(ENTRIES, { dialPlan: DE });
const group = (query: string, kind: string) => index.search(query).groups.find((g) => g.kind === kind);

describe('directory search: names', () => {
  it('finds "Müller" for "mull" and highlights the typed part', () => {
    const contacts = group('mull', 'contact');
    expect(ids(contacts)).to.deep.equal(['c1/private', 'c1/global']);
    expect(contacts?.hits[0]?.matches).to.deep.equal([{ field: 'name', start: 5, end: 9 }]);
  });

  it('ignores case and accents, and knows the German spellings of umlauts and ß', () => {
    for (const query of ['MÜLLER', 'muller', 'Müller', 'mueller', 'MUEL']) {
      expect(ids(group(query, 'contact')), query).to.include.members(['c1/private', 'c1/global']);
    }
    // "ü" typed finds names written with "ue" as well; "ue" typed finds both spellings too.
    expect(ids(group('müller', 'contact'))).to.include('c4/global');
    expect(ids(group('mueller', 'contact'))).to.include('c4/global');
    expect(ids(group('strauss', 'contact'))).to.deep.equal(['c3/global']);
    expect(ids(group('STRAUSS', 'contact'))).to.deep.equal(['c3/global']);
    expect(ids(group('jose angst', 'contact'))).to.deep.equal(['c5/private']);
    expect(ids(group('lodz', 'contact'))).to.deep.equal(['c5/private']);
    expect(ids(group('yilm', 'extension'))).to.deep.equal(['u4']);
  });

  it('matches decomposed (NFD) text like precomposed text, and highlights whole characters', () => {
    const decomposed = createDirectoryIndex(
      [{ kind: 'contact', scope: 'global', id: 'x', name: 'Ju\u0308rgen Mu\u0308ller', numbers: [] }],
      { dialPlan: DE },
    );
    const [hit] = decomposed.search('mü').groups[0]?.hits ?? [];
    expect(hit?.matches).to.deep.equal([{ field: 'name', start: 8, end: 11 }]);
    expect(decomposed.search('juergen').groups).to.have.length(1);
    expect(decomposed.search('jürg'.normalize('NFD')).groups).to.have.length(1);
    expect(createDirectoryIndex(ENTRIES, { dialPlan: DE }).search('mül'.normalize('NFD')).groups).to.have.length(3);
  });

  it('needs every query word to start a different word of the name or company, in any order', () => {
    expect(ids(group('jo mü', 'contact'))).to.deep.equal(['c1/private', 'c1/global']);
    expect(ids(group('mü jo', 'contact'))).to.deep.equal(['c1/private', 'c1/global']);
    expect(ids(group('jörg auto', 'contact'))).to.deep.equal(['c2/global']);
    expect(group('jo xy', 'contact')).to.equal(undefined);
    // "Müller" in the name and in the company are two words; the private contact has no company.
    expect(ids(group('mü mü', 'contact'))).to.deep.equal(['c1/global']);
    expect(group('jo jo', 'contact')).to.equal(undefined);
    expect(index.search('jo mü').groups[0]?.hits[0]?.matches).to.deep.equal([
      { field: 'name', start: 0, end: 2 },
      { field: 'name', start: 5, end: 7 },
    ]);
  });

  it('searches company words and says so', () => {
    const contacts = group('söhne', 'contact');
    expect(ids(contacts)).to.deep.equal(['c1/global']);
    expect(contacts?.hits[0]?.matches).to.deep.equal([{ field: 'company', start: 9, end: 14 }]);
    expect(names(index.search('vertr'))).to.deep.equal({
      extension: ['Maria Müller'],
      meeting: ['Jour fixe Vertrieb'],
    });
  });

  it('treats punctuation as word breaks, in names and queries', () => {
    const hyphen = createDirectoryIndex(
      [{ kind: 'contact', scope: 'global', id: 'x', name: 'Hans-Peter Müller-Lüdenscheidt', numbers: [] }],
      { dialPlan: DE },
    );
    for (const query of ['peter', 'lüden', 'hans-peter', 'müller-lü', 'hans, müller']) {
      expect(hyphen.search(query).groups, query).to.have.length(1);
    }
  });
});

describe('directory search: clusters', () => {
  it('clusters results by category in a fixed order', () => {
    expect(DIRECTORY_KINDS).to.deep.equal(['extension', 'contact', 'room', 'meeting', 'group']);
    const result = index.search('mü');
    expect(result.groups.map((g) => g.kind)).to.deep.equal(['extension', 'contact', 'room']);
    expect(names(result)).to.deep.equal({
      extension: ['Maria Müller'],
      contact: ['Jörg Müller', 'Anna Mueller', 'Jörg Müller'],
      room: ['Raum Müllheim'],
    });
  });

  it('keeps private and global contacts apart, private first, each with its scope', () => {
    const contacts = group('jörg mü', 'contact');
    expect(contacts?.hits.map((hit) => hit.entry.kind === 'contact' && hit.entry.scope)).to.deep.equal([
      'private',
      'global',
    ]);
    expect(contacts?.hits[0]?.entry).to.equal(ENTRIES[1]);
    expect(contacts?.hits[1]?.entry).to.equal(ENTRIES[0]);
  });

  it('orders each category by name, with umlauts sorted with their vowels', () => {
    const sorted = createDirectoryIndex(
      ['Zander', 'Özdemir', 'Otto', 'Ärger', 'Anton', 'Ost'].map(
        (name, i): DirectoryEntry => ({ kind: 'contact', scope: 'global', id: String(i), name, numbers: [] }),
      ),
      { dialPlan: DE },
    );
    expect(sorted.entries.map((entry) => entry.name)).to.deep.equal([
      'Anton',
      'Ärger',
      'Ost',
      'Otto',
      'Özdemir',
      'Zander',
    ]);
    expect(index.entries.map((entry) => entry.kind)).to.deep.equal([
      ...Array<string>(4).fill('extension'),
      ...Array<string>(6).fill('contact'),
      'room',
      'meeting',
      'group',
    ]);
    expect(index.size).to.equal(ENTRIES.length);
  });

  it('limits hits per category and says when there are more', () => {
    const all = group('jo', 'contact');
    expect(ids(all)).to.deep.equal(['c1/private', 'c5/private', 'c1/global', 'c2/global']);
    expect(all?.more).to.equal(false);
    const limited = index.search('jo', { limit: 2 });
    expect(ids(limited.groups.find((g) => g.kind === 'contact'))).to.deep.equal(['c1/private', 'c5/private']);
    expect(limited.groups.find((g) => g.kind === 'contact')?.more).to.equal(true);
    expect(limited.groups.find((g) => g.kind === 'meeting')?.more).to.equal(false);
  });

  it('returns at most 10 hits per category by default', () => {
    const many = createDirectoryIndex(
      Array.from(
        { length: 25 },
        (_, i): DirectoryEntry => ({
          kind: 'contact',
          scope: 'global',
          id: `c${i}`,
          name: `Test Person ${i}`,
          numbers: [],
        }),
      ),
      { dialPlan: DE },
    );
    const [contacts] = many.search('test').groups;
    expect(contacts?.hits).to.have.length(10);
    expect(contacts?.more).to.equal(true);
    expect(many.search('test', { limit: 100 }).groups[0]?.hits).to.have.length(25);
  });

  it('searches only the requested kinds, still in the fixed order', () => {
    const result = index.search('mü', { kinds: ['room', 'contact'] });
    expect(result.groups.map((g) => g.kind)).to.deep.equal(['contact', 'room']);
    expect(index.search('mü', { kinds: [] }).groups).to.deep.equal([]);
  });

  it('finds nothing for an empty or blank query, or one without words or digits', () => {
    for (const query of ['', ' ', '\t\n', '   ', '+', '-', '()', '…']) {
      expect(index.search(query).groups, JSON.stringify(query)).to.deep.equal([]);
    }
    expect(index.search('zzz').groups).to.deep.equal([]);
  });
});

describe('directory search: numbers', () => {
  it('finds "+49 171 392…" for "0171 392", "+49171392", "0049 171 392" and other ways of typing it', () => {
    for (const query of [
      '0171 392',
      '0171392',
      '+49171392',
      '+49 171 392',
      '0049 171 392',
      '0049171392',
      '(0171) 392',
      '0171/392',
      '+49 (0)171 392',
    ]) {
      expect(ids(group(query, 'contact')), query).to.deep.equal(['c1/global', 'c2/global']);
      expect(ids(group(query, 'extension')), query).to.deep.equal(['u1']);
    }
  });

  it('matches shorter prefixes such as "+49 171" and says which number matched', () => {
    // In name order: Hans Strauß, Jörg Müller, Jörg Schmidt.
    expect(ids(group('+49 171', 'contact'))).to.deep.equal(['c3/global', 'c1/global', 'c2/global']);
    expect(ids(group('0171', 'contact'))).to.deep.equal(['c3/global', 'c1/global', 'c2/global']);
    const office = group('089 234', 'contact');
    expect(ids(office)).to.deep.equal(['c1/global']);
    expect(office?.hits[0]?.matches).to.deep.equal([{ field: 'number', index: 1 }]);
    expect(names(index.search('+49 89'))).to.deep.equal({ contact: ['Jörg Müller'], meeting: ['Jour fixe Vertrieb'] });
    expect(ids(group('0049 30', 'contact'))).to.deep.equal(['c1/private']);
  });

  it('finds foreign numbers by their international form', () => {
    expect(ids(group('+43 1 512', 'contact'))).to.deep.equal(['c4/global']);
    expect(ids(group('0043 1', 'contact'))).to.deep.equal(['c4/global']);
  });

  it('matches whole numbers exactly, but not digits in the middle', () => {
    expect(ids(group('+491713921234', 'contact'))).to.deep.equal(['c1/global']);
    expect(group('392 1234', 'contact')).to.equal(undefined);
    expect(group('+491713921234567', 'contact')).to.equal(undefined);
  });

  it('finds extensions by digit prefix, exact ones first', () => {
    const result = index.search('33');
    expect(names(result)).to.deep.equal({
      extension: ['Maria Müller', 'Adam Apfel', 'Zoe Maier'],
      room: ['Raum Müllheim'],
      meeting: ['Jour fixe Vertrieb'],
    });
    expect(result.groups[0]?.hits[0]?.matches).to.deep.equal([{ field: 'extension' }]);
    expect(ids(group('330', 'extension'))).to.deep.equal(['u2']);
    expect(ids(group('3', 'extension'))).to.deep.equal(['u3', 'u1', 'u2']);
    expect(ids(group('3', 'group'))).to.deep.equal(['g1']);
    expect(group('4', 'extension')?.hits.map((hit) => hit.entry.id)).to.deep.equal(['u4']);
  });

  it('finds internal numbers listed among the numbers', () => {
    const internal = createDirectoryIndex(
      [{ kind: 'contact', scope: 'private', id: 'x', name: 'Empfang', numbers: [{ label: 'intern', number: '4711' }] }],
      { dialPlan: DE },
    );
    expect(internal.search('47').groups[0]?.hits[0]?.matches).to.deep.equal([{ field: 'number', index: 0 }]);
  });

  it('keeps numbers it cannot read for display but cannot find them by digits', () => {
    const odd = createDirectoryIndex(
      [
        {
          kind: 'contact',
          scope: 'global',
          id: 'x',
          name: 'Blumen',
          numbers: [{ number: '0800-FLOWERS' }, { number: '*8033' }],
        },
      ],
      { dialPlan: DE },
    );
    expect(odd.search('0800').groups).to.deep.equal([]);
    expect(odd.search('blu').groups[0]?.hits[0]?.entry.numbers).to.have.length(2);
  });

  it('matches a name word that is a number, too', () => {
    const rooms = createDirectoryIndex([{ kind: 'room', id: 'r', name: 'Raum 101', extension: '5101', numbers: [] }], {
      dialPlan: DE,
    });
    expect(rooms.search('101').groups[0]?.hits[0]?.matches).to.deep.equal([{ field: 'name', start: 5, end: 8 }]);
    expect(rooms.search('51').groups[0]?.hits[0]?.matches).to.deep.equal([{ field: 'extension' }]);
  });
});
