// Self-contained bundles for pages without a build step (an intranet page adds one <script type="module">).
// The npm entry points (dist/index.js, dist/core, dist/components) come from tsc; rollup only bundles them,
// with lit, sip.js and libphonenumber-js inside, minified.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const bundle = (input, file) => ({
  input,
  output: { file, format: 'es', sourcemap: true },
  // tsc's decorator helper reads `this` at module level, which is harmless in ES modules.
  onwarn(warning, warn) {
    if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
  },
  plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }), terser({ format: { comments: false } })],
});

export default [
  bundle('dist/index.js', 'dist/cdn/centrex-sdk.js'),
  bundle('dist/core/index.js', 'dist/cdn/centrex-core.js'),
];
