// Self-contained bundles for pages without a build step (an intranet page adds one <script type="module">).
// The npm entry points (dist/index.js, dist/core, dist/components) come from tsc; rollup only bundles them,
// with lit, sip.js and libphonenumber-js inside, minified. Code loaded on demand (pdf-lib and pdf.js for fax) and
// code both bundles share become chunks beside them, so the first load stays small.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: { 'centrex-sdk': 'dist/index.js', 'centrex-core': 'dist/core/index.js' },
  output: { dir: 'dist/cdn', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  // tsc's decorator helper reads `this` at module level, which is harmless in ES modules.
  onwarn(warning, warn) {
    if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
  },
  plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }), terser({ format: { comments: false } })],
};
