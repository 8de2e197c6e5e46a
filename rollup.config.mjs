// Self-contained bundles for pages without a build step (an intranet page adds one <script type="module">).
// The npm entry points (dist/index.js, dist/core, dist/components) come from tsc; rollup only bundles them,
// with lit, sip.js and libphonenumber-js inside, minified. Code loaded on demand (pdf-lib and pdf.js for fax) and
// code both bundles share become chunks beside them, so the first load stays small.
import { dirname, resolve } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/** Whether an AST node is `new URL('./x.worker.js', import.meta.url)`: how the SDK starts its workers. */
function workerPath(node) {
  const [path, base] = node.arguments ?? [];
  const isUrl = node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'URL';
  const isRelative = path?.type === 'Literal' && typeof path.value === 'string' && /^\.\/[\w.-]+\.worker\.js$/.test(path.value);
  const isModuleUrl =
    base?.type === 'MemberExpression' && base.object.type === 'MetaProperty' && base.property.type === 'Identifier' && base.property.name === 'url';
  return isUrl && isRelative && isModuleUrl && node.arguments.length === 2 ? path.value : undefined;
}

/** Every node of an ESTree AST, depth first. */
function* nodes(node) {
  if (node === null || typeof node !== 'object') return;
  if (typeof node.type === 'string') yield node;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const item of value) yield* nodes(item);
    else if (value !== null && typeof value === 'object' && typeof value.type === 'string') yield* nodes(value);
  }
}

/**
 * Ships the SDK's workers with the bundles. The fax document check (`fax-document.worker.js`) and the fax element's
 * pdf.js preview (`pdf-preview.worker.js`) start module workers from files beside their own modules. Once bundled, a
 * module no longer sits beside anything: this plugin builds each such worker as an entry of its own, at a fixed
 * name in dist/cdn/, and points the URL at it, wherever the code that starts it ends up. The workers then come from
 * the same place as the bundles, which is what a page with `script-src 'self'` (no `blob:`) needs; they share the
 * pdf.js and pdf-lib chunks with the rest.
 */
function workerEntries() {
  const emitted = new Map();
  return {
    name: 'centrex-worker-entries',
    transform(code, id) {
      if (!code.includes('.worker.js')) return null;
      // Found in the syntax tree, not by text: comments that show the pattern must stay as they are.
      const found = [...nodes(this.parse(code))].flatMap((node) => {
        const path = workerPath(node);
        return path === undefined ? [] : [{ node, path }];
      });
      if (found.length === 0) return null;
      let out = code;
      for (const { node, path } of found.sort((a, b) => b.node.start - a.node.start)) {
        const file = resolve(dirname(id), path);
        if (!emitted.has(file)) emitted.set(file, this.emitFile({ type: 'chunk', id: file, fileName: path.slice(2) }));
        // Rollup writes the worker's address relative to the chunk this code lands in.
        out = `${out.slice(0, node.start)}new URL(import.meta.ROLLUP_FILE_URL_${emitted.get(file)})${out.slice(node.end)}`;
      }
      // map: null keeps the incoming source map: only the URL expression on one line changed.
      return { code: out, map: null };
    },
  };
}

export default {
  input: { 'centrex-sdk': 'dist/index.js', 'centrex-core': 'dist/core/index.js' },
  output: {
    dir: 'dist/cdn',
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // pdf.js's parser is used by both workers (the check imports it on demand, the preview worker at its start):
    // a chunk of its own, rather than inside whichever worker entry rollup meets first.
    manualChunks: (id) => (id.includes('/pdfjs-dist/') && id.endsWith('/pdf.worker.mjs') ? 'pdf.worker' : undefined),
  },
  // tsc's decorator helper reads `this` at module level, which is harmless in ES modules.
  onwarn(warning, warn) {
    if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
  },
  plugins: [
    workerEntries(),
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    terser({ format: { comments: false } }),
  ],
};
