import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from '../../support/harness.js';
import { API_ERROR_CODES, API_ROUTES } from '../../../src/pbx/api/index.js';

// A small reader for the layout of docs/openapi.yaml (two-space indents), so the check needs no YAML library.
const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../docs/openapi.yaml'), 'utf8');
const lines = text.split('\n');

interface Operation {
  readonly key: string;
  readonly public: boolean;
}

function documentedOperations(): Operation[] {
  const operations: Operation[] = [];
  const start = lines.indexOf('paths:');
  const end = lines.indexOf('components:');
  let path = '';
  let current: { key: string; public: boolean } | undefined;
  for (const line of lines.slice(start + 1, end)) {
    const pathMatch = /^ {2}(\/\S*):$/.exec(line);
    const methodMatch = /^ {4}(get|post|put|patch|delete):$/.exec(line);
    if (pathMatch || methodMatch) {
      if (current) operations.push(current);
      current = undefined;
    }
    if (pathMatch) path = pathMatch[1] ?? '';
    if (methodMatch) current = { key: `${(methodMatch[1] ?? '').toUpperCase()} ${path}`, public: false };
    if (current && /^ {6}security: \[\]$/.test(line)) current.public = true;
  }
  if (current) operations.push(current);
  return operations;
}

describe('docs/openapi.yaml', () => {
  it('documents exactly the endpoints the handler serves, with the right authentication', () => {
    const documented = documentedOperations();
    const served = API_ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(documented.map((op) => op.key).sort()).to.deep.equal([...served].sort());
    for (const route of API_ROUTES) {
      const op = documented.find((candidate) => candidate.key === `${route.method} ${route.path}`);
      expect(op?.public, `${route.method} ${route.path}`).to.equal(route.access === 'public');
    }
  });

  it('is OpenAPI 3.1 and lists every error code', () => {
    expect(lines[0]).to.equal('openapi: 3.1.0');
    const enumStart = lines.findIndex((line, index) => line.trim() === 'enum:' && lines[index - 2]?.trim() === 'code:');
    const listed = new Set<string>();
    for (const line of lines.slice(enumStart + 1)) {
      const match = /^ {12}- (\S+)$/.exec(line);
      if (!match) break;
      listed.add(match[1] ?? '');
    }
    expect([...listed].sort()).to.deep.equal([...API_ERROR_CODES].sort());
  });

  it('resolves every $ref', () => {
    const refs = new Set([...text.matchAll(/\$ref: '#\/components\/(\w+)\/(\w+)'/g)].map((m) => `${m[1]}/${m[2]}`));
    for (const ref of refs) {
      const [section, name] = ref.split('/');
      const sectionLine = lines.indexOf(`  ${section}:`);
      expect(sectionLine, ref).to.be.greaterThan(0);
      expect(lines.slice(sectionLine).some((line) => line === `    ${name}:`), ref).to.equal(true);
    }
  });
});
