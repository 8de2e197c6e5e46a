// Directory search benchmark: builds an index over 100,000 generated contacts (plus users, rooms, meetings and
// groups) and times every keystroke of a few hundred typed queries. It only prints figures; nothing here passes or
// fails. Run with `node --import tsx bench/directory.bench.ts` (npm run bench).
import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createDirectoryIndex, type DirectoryEntry, type DirectoryNumber } from '../src/core/directory/index.js';
import type { DialPlan } from '../src/core/numbers/index.js';

const CONTACTS = 100_000;
const USERS = 2_000;
const ROOMS = 60;
const MEETINGS = 120;
const GROUPS = 40;
const MEASURED_QUERIES = 260;
const WARM_UP_QUERIES = 40;
const DIAL_PLAN: DialPlan = { country: 'DE' };

/** mulberry32: a small seeded PRNG, so every run generates the same directory and queries. */
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

const FIRST_NAMES = (
  'Jörg Jürgen Jürg Björn Günther Käthe Sören Özlem Zoë José François Renée Søren Łukasz Çağla Małgorzata Ana ' +
  'Anna Andreas Alexander Angelika Bärbel Bernd Birgit Christian Christina Claudia Daniel Dieter Dörte Elke Emma ' +
  'Erik Fabian Felix Frank Franziska Gabriele Georg Gerhard Hannah Hans Hans-Peter Heike Helga Helmut Ingrid Jan ' +
  'Jana Jens Johanna Jonas Julia Jutta Karin Karl Katharina Klaus Lea Lena Leon Lukas Luca Manfred Maria Marie ' +
  'Mario Markus Martin Martina Matthias Max Michael Monika Nadine Nicole Niklas Nils Ole Paul Petra Philipp Ralf ' +
  'Renate Sabine Sandra Sarah Sebastian Simon Sophie Stefan Stephanie Susanne Thomas Tim Tobias Ulrike Ursula ' +
  'Uwe Werner Wolfgang Yvonne Mehmet Ayşe Fatma Mustafa Ahmet Elif Emre Giulia Marco Luigi Chiara Pierre Amélie ' +
  'Hélène Noël Zoé Ángel Sofía Íñigo Mateusz Agnieszka Paweł Nguyễn Ólafur Åsa Ærø Gösta Jöns'
).split(' ');
const LAST_NAMES = (
  'Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein ' +
  'Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Schmitz Krause ' +
  'Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz ' +
  'Möller Weiß Jung Hahn Schubert Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann ' +
  'Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer ' +
  'Groß Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch ' +
  'Bergmann Thomas Voigt Sauer Arnold Wolff Pfeiffer Mueller Strauß Strauss Müller-Lüdenscheidt Schulze-Delitzsch ' +
  'Yılmaz Kaya Demir Şahin Çelik Nowak Kowalski Wiśniewski García Fernández López Rossi Russo Esposito Dubois ' +
  'Lefèvre Moreau Smith Jones Taylor Nguyen Papadopoulos Ivanović Jovanović Øster Ångström Dvořák Novák Horváth'
).split(' ');
const NAME_PARTICLES = ['von', 'van der', 'de', 'zu'];
const COMPANY_WORDS = (
  'Autohaus Bäckerei Metallbau Elektro Sanitär Software Consulting Logistik Spedition Steuerberatung Kanzlei ' +
  'Immobilien Versicherung Druckerei Gärtnerei Zahnarztpraxis Apotheke Architekturbüro Ingenieurbüro Maschinenbau ' +
  'Möbelhaus Brauerei Weinhandel Reisebüro Fahrschule Optik Hörakustik Tischlerei Dachdeckerei Malerbetrieb'
).split(' ');
const PLACES = (
  'Nord Süd Ost West Rhein Main Ruhr Bayern Köln München ' + 'Hamburg Berlin Düsseldorf Würzburg Lübeck Gießen'
).split(' ');
const LEGAL_FORMS = ['GmbH', 'AG', 'KG', 'GmbH & Co. KG', 'e.K.', 'SE', 'OHG', 'UG', 'Ltd.', 'S.A.'];
const LABELS = ['mobile', 'office', 'home', 'Zentrale', 'fax', undefined];
const MOBILE_PREFIXES = '151 152 157 160 162 163 170 171 172 173 175 176 177 178 179'.split(' ');
const AREA_CODES = '30 40 89 69 221 211 711 341 351 511 911 421 231 201 6221'.split(' ');
const FOREIGN = [
  ['43', '1', 7],
  ['41', '44', 7],
  ['33', '1', 8],
  ['44', '20', 8],
  ['1', '212', 7],
  ['31', '20', 7],
] as const;

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const digits = (next: () => number, count: number): string => {
  let text = String(1 + Math.floor(next() * 9));
  while (text.length < count) text += String(Math.floor(next() * 10));
  return text;
};

/** A German or foreign number written the way address books contain them, in one of several formats. */
function phoneNumber(next: () => number): string {
  const style = next();
  if (style < 0.08) {
    const [country, area, length] = pick(next, FOREIGN);
    return `+${country} ${area} ${digits(next, length)}`;
  }
  const mobile = next() < 0.45;
  const area = mobile ? pick(next, MOBILE_PREFIXES) : pick(next, AREA_CODES);
  const subscriber = digits(next, mobile ? 7 : 11 - area.length);
  const format = Math.floor(next() * 7);
  switch (format) {
    case 0:
      return `+49 ${area} ${subscriber}`;
    case 1:
      return `0${area} ${subscriber}`;
    case 2:
      return `0${area}/${subscriber.slice(0, 3)} ${subscriber.slice(3)}`;
    case 3:
      return `(0${area}) ${subscriber.slice(0, 3)}-${subscriber.slice(3)}`;
    case 4:
      return `0049 ${area} ${subscriber}`;
    case 5:
      return `+49 (0)${area} ${subscriber}`;
    default:
      return `+49${area}${subscriber}`;
  }
}

function personName(next: () => number): string {
  const first = pick(next, FIRST_NAMES);
  const particle = next() < 0.03 ? `${pick(next, NAME_PARTICLES)} ` : '';
  return `${first} ${particle}${pick(next, LAST_NAMES)}`;
}

function numbers(next: () => number, count: number): DirectoryNumber[] {
  return Array.from({ length: count }, () => {
    const label = pick(next, LABELS);
    return label === undefined ? { number: phoneNumber(next) } : { number: phoneNumber(next), label };
  });
}

/** The generated directory: 100,000 contacts, and a company's worth of users, rooms, meetings and groups. */
function generateDirectory(seed: number): DirectoryEntry[] {
  const next = random(seed);
  const companies = Array.from({ length: 5_000 }, () => {
    const base = next() < 0.5 ? pick(next, LAST_NAMES) : pick(next, PLACES);
    return `${base} ${pick(next, COMPANY_WORDS)} ${pick(next, LEGAL_FORMS)}`;
  });
  const entries: DirectoryEntry[] = [];
  for (let i = 0; i < CONTACTS; i++) {
    const company = next() < 0.7 ? pick(next, companies) : undefined;
    const count = 1 + Math.floor(next() * 3);
    entries.push({
      kind: 'contact',
      id: `c${i}`,
      scope: next() < 0.15 ? 'private' : 'global',
      name: personName(next),
      ...(company === undefined ? {} : { company }),
      numbers: numbers(next, count),
    });
  }
  const extensions = new Set<string>();
  while (extensions.size < USERS + ROOMS + MEETINGS + GROUPS) extensions.add(digits(next, 2 + Math.floor(next() * 3)));
  const free = [...extensions];
  for (let i = 0; i < USERS; i++) {
    entries.push({
      kind: 'extension',
      id: `u${i}`,
      name: personName(next),
      company: pick(next, ['Vertrieb', 'Einkauf', 'Buchhaltung', 'IT', 'Personal', 'Geschäftsführung', 'Support']),
      extension: free.pop() as string,
      numbers: next() < 0.5 ? numbers(next, 1) : [],
    });
  }
  const other = [
    ['room', ROOMS, 'Raum'],
    ['meeting', MEETINGS, 'Meeting'],
    ['group', GROUPS, 'Gruppe'],
  ] as const;
  for (const [kind, count, word] of other) {
    for (let i = 0; i < count; i++) {
      entries.push({
        kind,
        id: `${kind}${i}`,
        name: `${word} ${pick(next, PLACES)} ${pick(next, COMPANY_WORDS)} ${i}`,
        extension: free.pop() as string,
        numbers: kind === 'meeting' ? numbers(next, 1) : [],
      });
    }
  }
  return entries;
}

/** How people type into the search box: the prefix they stop at, with or without umlauts. */
function typedName(next: () => number, word: string): string {
  const lower = word.toLowerCase();
  const spelled =
    next() < 0.3
      ? lower.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
      : next() < 0.5
      ? lower.normalize('NFD').replace(/\p{M}/gu, '')
      : lower;
  return spelled.slice(0, Math.max(2, Math.ceil(spelled.length * (0.4 + next() * 0.6))));
}

/** Digits of a number as someone would type them (national, +49 or 0049 for German numbers), stopping part-way. */
function typedNumber(next: () => number, number: string): string {
  const compact = number.replace('(0)', '').replace(/[^\d+]/g, '');
  let text: string;
  if (compact.startsWith('+') && !compact.startsWith('+49')) {
    text = compact;
  } else {
    const national = compact.replace(/^(\+49|0049)/, '0');
    const style = next();
    text =
      style < 0.5
        ? national.replace(/^(0\d{3})(\d{3})/, '$1 $2')
        : style < 0.8
        ? `+49${national.slice(1)}`
        : `0049 ${national.slice(1)}`;
  }
  return text.slice(0, Math.max(3, Math.ceil(text.length * (0.5 + next() * 0.5))));
}

/** Realistic queries drawn from the directory: names, first + last name, companies, numbers, extensions. */
function generateQueries(entries: readonly DirectoryEntry[], seed: number, count: number): string[] {
  const next = random(seed);
  const withCompany = entries.filter((entry) => entry.company !== undefined);
  const withExtension = entries.filter((entry) => entry.extension !== undefined);
  const queries: string[] = [];
  while (queries.length < count) {
    const kind = next();
    const entry = pick(next, entries);
    const words = entry.name.split(/[\s-]+/);
    const first = words[0] as string;
    const last = words[words.length - 1] as string;
    if (kind < 0.28) queries.push(typedName(next, last));
    else if (kind < 0.48) queries.push(`${typedName(next, first)} ${typedName(next, last)}`);
    else if (kind < 0.56) queries.push(typedName(next, first));
    else if (kind < 0.64)
      queries.push(typedName(next, (pick(next, withCompany).company as string).split(' ')[0] as string));
    else if (kind < 0.88 && entry.numbers.length > 0) queries.push(typedNumber(next, pick(next, entry.numbers).number));
    else {
      const extension = pick(next, withExtension).extension as string;
      queries.push(extension.slice(0, 1 + Math.floor(next() * extension.length)));
    }
  }
  return queries;
}

/** One measured keystroke: what the search box held and how long the search took. */
interface Keystroke {
  readonly text: string;
  readonly ms: number;
}

/** Searches every prefix of every query, as a search box does on each keystroke, and times each search. */
function typeQueries(index: ReturnType<typeof createDirectoryIndex>, queries: readonly string[]): Keystroke[] {
  const keystrokes: Keystroke[] = [];
  let hits = 0;
  for (const query of queries) {
    for (let length = 1; length <= query.length; length++) {
      const text = query.slice(0, length);
      const started = performance.now();
      const result = index.search(text, { limit: 10 });
      keystrokes.push({ text, ms: performance.now() - started });
      for (const group of result.groups) hits += group.hits.length;
    }
  }
  // Uses the results so no engine can skip the searches.
  if (hits < 0) throw new Error('unreachable');
  return keystrokes;
}

/** A garbage collector to call before memory readings: --expose-gc's, else one enabled at run time, else none. */
function findGc(): { collect: () => void; how: string } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return { collect: exposed, how: 'global.gc (--expose-gc)' };
  try {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    if (typeof collect === 'function') return { collect, how: 'gc enabled at run time (v8.setFlagsFromString)' };
  } catch {
    // Fall through: measure without collecting.
  }
  return { collect: () => undefined, how: 'no gc available: memory figures include garbage' };
}

const heap = (): number => {
  const usage = process.memoryUsage();
  // Typed arrays keep their contents outside the JS heap, so both count.
  return usage.heapUsed + usage.arrayBuffers;
};
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
const ms = (value: number): string => value.toFixed(3);

const gc = findGc();
const entries = generateDirectory(20_240_611);
gc.collect();
const before = heap();
const buildStarted = performance.now();
const index = createDirectoryIndex(entries, { dialPlan: DIAL_PLAN });
const buildMs = performance.now() - buildStarted;
gc.collect();
const indexMb = (heap() - before) / 1024 / 1024;

typeQueries(index, generateQueries(entries, 7, WARM_UP_QUERIES));
const queries = generateQueries(entries, 42, MEASURED_QUERIES);
const keystrokes = typeQueries(index, queries).sort((a, b) => a.ms - b.ms);
const times = keystrokes.map((keystroke) => keystroke.ms);
const median = percentile(times, 50);
const p95 = percentile(times, 95);
const slowest = keystrokes[keystrokes.length - 1] as Keystroke;
const max = slowest.ms;

const print = (label: string, value: string): void => console.log(`${label.padEnd(26)} ${value}`);
print(
  'entries',
  `${index.size} (${CONTACTS} contacts, ${USERS} users, ${ROOMS} rooms, ${MEETINGS} meetings, ${GROUPS} groups)`,
);
print('numbers', String(entries.reduce((sum, entry) => sum + entry.numbers.length, 0)));
print('index build', `${(buildMs / 1000).toFixed(2)} s`);
print('index memory', `${indexMb.toFixed(1)} MB (heap + array buffers; ${gc.how})`);
print(
  'queries typed',
  `${queries.length} (after ${WARM_UP_QUERIES} warm-up queries), e.g. ${queries
    .slice(0, 6)
    .map((q) => JSON.stringify(q))
    .join(', ')}`,
);
print('keystrokes measured', String(times.length));
print('per keystroke median', `${ms(median)} ms`);
print('per keystroke p95', `${ms(p95)} ms`);
print('per keystroke max', `${ms(max)} ms (typing ${JSON.stringify(slowest.text)})`);
print('node', process.version);
print('cpu', `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores)`);
console.log(
  `directory search: ${index.size} entries, build ${(buildMs / 1000).toFixed(2)} s, index ${indexMb.toFixed(1)} MB, ` +
    `keystroke median ${ms(median)} ms, p95 ${ms(p95)} ms, max ${ms(max)} ms over ${times.length} keystrokes`,
);
