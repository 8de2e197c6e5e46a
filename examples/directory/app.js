// Directory search and number reading on the self-contained core bundle. Names and numbers are put into the page
// with textContent only; the matched part of a name is wrapped in <mark> built with DOM calls.
import { createDirectoryIndex, formatNumber, normalizeNumber } from '/dist/cdn/centrex-core.js';

const dialPlan = { country: 'DE' };
const $ = (id) => document.getElementById(id);

// A small deterministic directory, so the page works without a server.
const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Jörg', 'Jonas', 'Lena', 'Sören', 'Zoë', 'Ümit', 'Marie', 'Paul'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weiß', 'Strauß', 'Becker', 'Hoffmann', 'Schäfer', 'Koch'];
const COMPANIES = ['Demo GmbH', 'Kunde AG München', 'Bäckerei Krüger', 'Stadtwerke'];
function* generate() {
  let seed = 7;
  const next = (n) => ((seed = (seed * 48271) % 2147483647), seed % n);
  for (let i = 0; i < 40; i += 1) {
    yield { kind: 'extension', id: `u${i}`, name: `${FIRST[next(FIRST.length)]} ${LAST[next(LAST.length)]}`, extension: String(10 + i), numbers: [] };
  }
  for (let i = 0; i < 2000; i += 1) {
    const mobile = `0171 ${String(3000000 + next(6999999))}`;
    const office = `+49 89 ${String(100000 + next(899999))}`;
    yield {
      kind: 'contact',
      id: `c${i}`,
      scope: i % 5 === 0 ? 'private' : 'global',
      name: `${FIRST[next(FIRST.length)]} ${LAST[next(LAST.length)]}`,
      company: COMPANIES[next(COMPANIES.length)],
      numbers: [{ label: 'mobile', number: mobile }, { label: 'office', number: office }],
    };
  }
  yield { kind: 'room', id: 'r1', name: 'Konferenzraum Isar', extension: '70', numbers: [] };
  yield { kind: 'group', id: 'g1', name: 'Support', extension: '50', numbers: [] };
}

const index = createDirectoryIndex([...generate()], { dialPlan });
$('size').textContent = String(index.size);
const TITLES = { extension: 'Colleagues', contact: 'Contacts', room: 'Conference rooms', meeting: 'Meetings', group: 'Groups' };

/** The name with the matched ranges marked, built from text nodes. */
function highlighted(text, ranges) {
  const span = document.createElement('span');
  let at = 0;
  for (const { start, end } of [...ranges].sort((a, b) => a.start - b.start)) {
    if (start < at) continue;
    span.append(text.slice(at, start));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(start, end);
    span.append(mark);
    at = end;
  }
  span.append(text.slice(at));
  return span;
}

function search() {
  const started = performance.now();
  const result = index.search($('query').value, { limit: 5 });
  $('timing').textContent = `${(performance.now() - started).toFixed(2)} ms`;
  const box = $('results');
  box.replaceChildren();
  for (const group of result.groups) {
    const title = document.createElement('h2');
    title.textContent = TITLES[group.kind] + (group.more ? ' (more…)' : '');
    const list = document.createElement('ul');
    for (const hit of group.hits) {
      const item = document.createElement('li');
      const nameRanges = hit.matches.filter((m) => m.field === 'name');
      item.append(highlighted(hit.entry.name, nameRanges));
      const extra = [];
      if (hit.entry.extension) extra.push(`ext. ${hit.entry.extension}`);
      if (hit.entry.scope) extra.push(hit.entry.scope);
      if (hit.entry.company) extra.push(hit.entry.company);
      for (const m of hit.matches) if (m.field === 'number') extra.push(formatNumber(hit.entry.numbers[m.index].number, dialPlan));
      if (extra.length) item.append(` — ${extra.join(' · ')}`);
      list.append(item);
    }
    box.append(title, list);
  }
  if (result.groups.length === 0) box.textContent = 'Nothing found.';
}

function readNumber() {
  const value = $('number').value;
  const reading = normalizeNumber(value, dialPlan);
  $('number-reading').textContent =
    reading.kind === 'external'
      ? `External: ${reading.e164} — national ${formatNumber(value, dialPlan, 'national')}, international ${formatNumber(value, dialPlan, 'international')}`
      : reading.kind === 'extension'
        ? `Extension ${reading.extension}`
        : `Not a number (${reading.reason})`;
}

$('query').addEventListener('input', search);
$('number').addEventListener('input', readNumber);
search();
readNumber();
