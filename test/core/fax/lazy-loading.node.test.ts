// pdf-lib and pdf.js must stay out of the first-load bundle: nothing reachable through static imports from the core
// entry points may import them (only dynamic import() inside functions), and the Node-only sandbox must not be
// reachable at all.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from '../../support/harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// `import type` / `export type` statements are erased; everything else (also `import { type X }` under
// verbatimModuleSyntax, and bare `import 'x'`) stays in the output and loads its module.
const STATIC = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;

/** Every module reachable from `entry` through static value imports, and the bare specifiers they import. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(STATIC)) {
      if (match[1]) continue;
      const specifier = match[2]!;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(join(root, entry));
  return { files, packages };
}

describe('lazy loading of the PDF libraries', () => {
  for (const entry of ['src/core/index.ts', 'src/core/fax/index.ts']) {
    it(`${entry} reaches neither pdf-lib nor pdf.js nor Node built-ins through static imports`, () => {
      const { files, packages } = staticGraph(entry);
      const pdfPackages = [...packages].filter((name) => name.startsWith('pdf-lib') || name.startsWith('pdfjs-dist'));
      expect(pdfPackages, 'static imports of PDF libraries').to.deep.equal([]);
      expect([...packages].filter((name) => name.startsWith('node:'))).to.deep.equal([]);
      const nodeOnly = [...files]
        .map((file) => relative(root, file))
        .filter((file) => file.startsWith('src/core/fax/node/'));
      expect(nodeOnly).to.deep.equal([]);
    });
  }

  it('the fax entry point does reach the fax modules (the graph walk works)', () => {
    const { files } = staticGraph('src/core/fax/index.ts');
    const reached = [...files].map((file) => relative(root, file));
    expect(reached).to.include.members([
      'src/core/fax/client.ts',
      'src/core/fax/cover-render.ts',
      'src/core/errors.ts',
    ]);
  });

  it('loads the libraries with dynamic import() in one place', () => {
    const source = readFileSync(join(root, 'src/core/fax/libraries.ts'), 'utf8');
    expect(source).to.contain("import('pdf-lib/dist/pdf-lib.esm.js')");
    expect(source).to.contain("import('pdfjs-dist/legacy/build/pdf.mjs')");
  });
});
