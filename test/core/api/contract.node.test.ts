// The client covers the documented API: every operationId of docs/openapi.yaml is a method of HttpApi (admin ones,
// `adminListUsers` …, of HttpApi.admin without the prefix), and every API error code of the document is mapped.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from '../../support/harness.js';
import { AdminApi, API_ERROR_CODES, API_ERROR_MAPPING, API_EVENT_NAMES, HttpApi } from '../../../src/core/api/index.js';
import { API_ERROR_CODES as PBX_ERROR_CODES } from '../../../src/pbx/api/errors.js';

const document = readFileSync(new URL('../../../docs/openapi.yaml', import.meta.url), 'utf8');

function methodsOf(prototype: object): Set<string> {
  return new Set(Object.getOwnPropertyNames(prototype).filter((name) => name !== 'constructor'));
}

describe('HttpApi and docs/openapi.yaml', () => {
  it('has a method for every operation', () => {
    const operations = [...document.matchAll(/operationId:\s*([A-Za-z]+)/g)].map((match) => match[1] ?? '');
    expect(operations.length).to.be.greaterThan(40);
    const user = methodsOf(HttpApi.prototype);
    const admin = methodsOf(AdminApi.prototype);
    const missing = operations.filter((operation) => {
      if (operation.startsWith('admin')) {
        const name = operation.slice('admin'.length);
        return !admin.has(name.charAt(0).toLowerCase() + name.slice(1));
      }
      return !user.has(operation);
    });
    expect(missing).to.deep.equal([]);
  });

  it('knows every error code the document and the PBX use', () => {
    const block = /code:\s*\n\s*type: string\s*\n\s*enum:\s*\n((?:\s*- [a-z-]+\n)+)/.exec(document)?.[1] ?? '';
    const documented = [...block.matchAll(/- ([a-z-]+)/g)].map((match) => match[1]);
    expect(documented).to.have.length(API_ERROR_CODES.length);
    expect([...API_ERROR_CODES].sort()).to.deep.equal([...documented].sort());
    expect([...API_ERROR_CODES].sort()).to.deep.equal([...PBX_ERROR_CODES].sort());
    expect(Object.keys(API_ERROR_MAPPING).sort()).to.deep.equal([...API_ERROR_CODES].sort());
  });

  it('knows every event the document lists', () => {
    const table = [...document.matchAll(/^\s*\| `([a-z-]+)` \|/gm)].map((match) => match[1]);
    expect([...table].sort()).to.deep.equal([...API_EVENT_NAMES].sort());
  });
});
