// Compares the index with a slow, obvious implementation of the same rules on a few thousand generated entries:
// every query must give the same hits, in the same order, with the same "more" flags.
import { describe, it, expect } from '../../support/harness.js';
import {
  createDirectoryIndex,
  DIRECTORY_KINDS,
  type DirectoryEntry,
  type DirectoryKind,
} from '../../../src/core/directory/index.js';
import { splitWords, type FoldedWord } from '../../../src/core/directory/fold.js';
import { normalizeNumber, stripSeparators, toE164Prefix } from '../../../src/core/numbers/index.js';
import { DE } from './fixtures.js';

/** mulberry32, so the generated directory and queries are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Jörg', 'Jürgen', 'Anna', 'Andreas', 'Maria', 'Marie', 'Mark', 'Sören', 'José', 'Zoë', 'Hans', 'Hanna'];
const LAST = [
  'Müller',
  'Mueller',
  'Muller',
  'Maier',
  'Meyer',
  'Schmidt',
  'Schmitz',
  'Strauß',
  'Strauss',
  'Öztürk',
  'Marx',
];
const COMPANY = ['Müller GmbH', 'Autohaus Nord', 'Maier & Söhne', 'Stadtwerke', 'Marketing AG'];

function generate(count: number): DirectoryEntry[] {
  const next = random(4711);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const digits = (length: number) =>
    Array.from({ length }, (_, i) => String(i === 0 ? 1 + Math.floor(next() * 9) : Math.floor(next() * 10))).join('');
  const number = (): string => {
    const area = pick(['171', '172', '89', '30', '221']);
    const subscriber = digits(area.length === 3 ? 7 : 8 - area.length + 1);
    return pick([
      `+49 ${area} ${subscriber}`,
      `0${area} ${subscriber}`,
      `0049${area}${subscriber}`,
      `(0${area}) ${subscriber}`,
      '+43 1 5123456',
      '4711',
      'n/a',
    ]);
  };
  return Array.from({ length: count }, (_, i): DirectoryEntry => {
    const roll = next();
    const kind: DirectoryKind = roll < 0.7 ? 'contact' : roll < 0.85 ? 'extension' : pick(['room', 'meeting', 'group']);
    const name =
      kind === 'contact' || kind === 'extension'
        ? `${pick(FIRST)} ${pick(LAST)}`
        : `${pick(['Raum', 'Team', 'Jour fixe'])} ${pick(LAST)} ${i}`;
    const numbers = Array.from({ length: Math.floor(next() * 3) }, () => ({ number: number() }));
    const base = { id: `e${i}`, name, numbers, ...(next() < 0.5 ? { company: pick(COMPANY) } : {}) };
    if (kind === 'contact') return { ...base, kind, scope: next() < 0.3 ? 'private' : 'global' };
    if (kind === 'extension') return { ...base, kind, extension: digits(2 + Math.floor(next() * 3)) };
    return { ...base, kind, ...(next() < 0.8 ? { extension: digits(3) } : {}) };
  });
}

/** What the reference needs to know about an entry, worked out once. */
interface Known {
  readonly entry: DirectoryEntry;
  readonly words: readonly FoldedWord[];
  readonly e164: readonly string[];
  readonly extensions: readonly string[];
}

function know(entry: DirectoryEntry): Known {
  const e164: string[] = [];
  const extensions: string[] = [];
  for (const { number } of entry.numbers) {
    const normalized = normalizeNumber(number, DE);
    if (normalized.kind === 'external') e164.push(normalized.e164);
    if (normalized.kind === 'extension') extensions.push(normalized.extension);
  }
  const extension = stripSeparators(entry.extension ?? '');
  if (/^\d+$/.test(extension)) extensions.push(extension);
  return { entry, words: [...splitWords(entry.name), ...splitWords(entry.company ?? '')], e164, extensions };
}

/** Tries every way of giving each query word its own entry word. */
function assignable(
  queryWords: readonly FoldedWord[],
  words: readonly FoldedWord[],
  used: Set<number> = new Set(),
): boolean {
  const [first, ...rest] = queryWords;
  if (first === undefined) return true;
  const forms = first.alias === undefined ? [first.folded] : [first.folded, first.alias];
  return words.some((word, position) => {
    if (
      used.has(position) ||
      !forms.some((form) => word.folded.startsWith(form) || (word.alias ?? '').startsWith(form))
    ) {
      return false;
    }
    const next = new Set(used).add(position);
    return assignable(rest, words, next);
  });
}

/** The search rules, applied to every entry in result order. */
function reference(
  known: readonly Known[],
  query: string,
  limit: number,
): Record<string, { ids: string[]; more: boolean }> {
  if (query.trim() === '') return {};
  const queryWords = splitWords(query);
  const digits = stripSeparators(query.trim());
  const isDigits = /^\+?\d+$/.test(digits);
  const extension = isDigits && !digits.startsWith('+') ? digits : undefined;
  const e164 = isDigits && /^[+0]/.test(digits) ? toE164Prefix(digits, DE) : undefined;
  const result: Record<string, { ids: string[]; more: boolean }> = {};
  for (const kind of DIRECTORY_KINDS) {
    const exact: string[] = [];
    const others: string[] = [];
    for (const { entry, words, e164: numbers, extensions } of known) {
      if (entry.kind !== kind) continue;
      const id = entry.kind === 'contact' ? `${entry.id}/${entry.scope}` : entry.id;
      const isExact =
        (e164 !== undefined && numbers.includes(e164)) || (extension !== undefined && extensions.includes(extension));
      const matches =
        isExact ||
        (queryWords.length > 0 && assignable(queryWords, words)) ||
        (e164 !== undefined && numbers.some((number) => number.startsWith(e164))) ||
        (extension !== undefined && extensions.some((number) => number.startsWith(extension)));
      if (isExact) exact.push(id);
      else if (matches) others.push(id);
    }
    const all = [...exact, ...others];
    if (all.length > 0) result[kind] = { ids: all.slice(0, limit), more: all.length > limit };
  }
  return result;
}

function queries(entries: readonly DirectoryEntry[], count: number): string[] {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const prefix = (text: string) => text.slice(0, 1 + Math.floor(next() * text.length));
  const fixed = [
    'm',
    'mü',
    'mue',
    'mu mu',
    'mar mar',
    'ma mü',
    'jo',
    'j m',
    'str',
    'strauss',
    'ö',
    'o',
    '+49',
    '0',
    '01',
    '0171',
    '+4989',
    '0049 30',
    '+43',
    '4',
    '47',
    '4711',
    'gmbh',
    'a a a',
  ];
  const generated = Array.from({ length: count }, () => {
    const entry = pick(entries);
    const [first = '', last = ''] = entry.name.split(' ');
    const roll = next();
    if (roll < 0.3) return prefix(last.toLowerCase());
    if (roll < 0.55) return `${prefix(first)} ${prefix(last)}`;
    if (roll < 0.7 && entry.company !== undefined) return prefix(entry.company);
    if (roll < 0.9 && entry.numbers.length > 0) return prefix(pick(entry.numbers).number);
    return prefix(entry.extension ?? first);
  });
  return [...fixed, ...generated];
}

describe('directory search: against a reference implementation', () => {
  const entries = generate(3000);
  const index = createDirectoryIndex(entries, { dialPlan: DE });
  const known = index.entries.map(know);

  it('gives the same hits, order and "more" flags as checking every entry', () => {
    for (const query of queries(entries, 250)) {
      for (const limit of [3, 5000]) {
        const actual: Record<string, { ids: string[]; more: boolean }> = {};
        for (const group of index.search(query, { limit }).groups) {
          actual[group.kind] = {
            ids: group.hits.map((hit) =>
              hit.entry.kind === 'contact' ? `${hit.entry.id}/${hit.entry.scope}` : hit.entry.id,
            ),
            more: group.more,
          };
        }
        expect(actual, `${JSON.stringify(query)}, limit ${limit}`).to.deep.equal(reference(known, query, limit));
      }
    }
  });

  it('explains every hit with at least one match', () => {
    for (const query of queries(entries, 100)) {
      for (const group of index.search(query, { limit: 50 }).groups) {
        for (const hit of group.hits) expect(hit.matches.length, query).to.be.greaterThan(0);
      }
    }
  });
});
