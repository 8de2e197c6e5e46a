// What a page downloads before anything is used: every published entry point, bundled as a browser loads it, must
// not pull pdf-lib or pdf.js (fax) in statically; they are for import() on demand only (issue 5's size budget).
// Runs on the built dist/ (npm test builds first) with esbuild, the bundler size-limit uses; prints the brotli sizes.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { describe, it, expect } from '../support/harness.js';

const root = new URL('../../', import.meta.url).pathname;
const HEAVY = /node_modules\/(pdf-lib|pdfjs-dist)\//;

/** Leaves modules loaded with import() out of the bundle (as externals), so the bundle is the first load. */
const staticImportsOnly: Plugin = {
  name: 'static-imports-only',
  setup(setup) {
    setup.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};

/** The published entry points: the package's, the core's, and each element's registering module. */
function entryPoints(): string[] {
  const components = join(root, 'dist/components');
  const elements = readdirSync(components, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((folder) =>
      readdirSync(join(components, folder.name))
        .filter((file) => file === `centrex-${folder.name}.js`)
        .map((file) => `dist/components/${folder.name}/${file}`),
    );
  return ['dist/index.js', 'dist/core/index.js', 'dist/components/index.js', ...elements.sort()];
}

interface FirstLoad {
  readonly inputs: readonly string[];
  readonly dynamicImports: readonly string[];
  readonly minified: number;
  readonly brotli: number;
}

async function firstLoad(entry: string): Promise<FirstLoad> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    outdir: 'first-load',
    plugins: [staticImportsOnly],
    logLevel: 'silent',
  });
  const outputs: Metafile['outputs'] = result.metafile.outputs;
  const code = result.outputFiles.filter((file) => file.path.endsWith('.js'));
  return {
    inputs: Object.keys(result.metafile.inputs),
    dynamicImports: Object.values(outputs).flatMap((output) => output.imports.filter((item) => item.kind === 'dynamic-import').map((item) => item.path)),
    minified: code.reduce((sum, file) => sum + file.contents.length, 0),
    brotli: code.reduce((sum, file) => sum + brotliCompressSync(file.contents).length, 0),
  };
}

describe('first-load bundles', () => {
  it('never contain pdf-lib or pdf.js, for any published entry point', async () => {
    if (!existsSync(join(root, 'dist/components'))) expect.fail('dist/ is missing; run npm run build first');
    const report: string[] = [];
    for (const entry of entryPoints()) {
      const { inputs, minified, brotli } = await firstLoad(entry);
      report.push(`${entry.padEnd(58)} ${(minified / 1000).toFixed(1).padStart(7)} kB min ${(brotli / 1000).toFixed(2).padStart(7)} kB brotli`);
      expect(inputs.filter((input) => HEAVY.test(input)), `${entry} loads fax libraries up front`).to.deep.equal([]);
    }
    console.log(`First load per entry point (static imports only):\n${report.join('\n')}`);
  });

  it('still reaches pdf-lib from the core, on demand', async () => {
    // Proof that the check above looks in the right place: the cover sheet code is there, behind import().
    const { dynamicImports } = await firstLoad('dist/core/index.js');
    expect(dynamicImports.some((path) => path.startsWith('pdf-lib')), 'pdf-lib is imported on demand').to.equal(true);
  });
});
