// Size budget (issue 5), checked with size-limit 12 and its esbuild plugin on the built dist/ (run after `npm run build`).
// Sizes are brotli-compressed, as a CDN serves them.
//
// "First load" means what a page fetches before anything is used: the modules an entry imports statically. Code an
// entry loads on demand with import() (the numbers engine once a dial plan is known, German texts, pdf-lib and pdf.js
// for fax) is left out of that figure by the plugin below and has a check of its own where it matters.

/** An esbuild plugin that keeps dynamically imported modules out of the bundle, so the size is the first load. */
const staticImportsOnly = {
  name: 'centrex-static-imports-only',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};

/** Bundles as a browser page loads an ES module, counting the first load only. */
const firstLoad = (config) => ({ ...config, format: 'esm', platform: 'browser', plugins: [...(config.plugins ?? []), staticImportsOnly] });

export default [
  {
    // The CRM case: `<centrex-provider>` (which holds the client) and `<centrex-click-to-call>`, before sign-in.
    name: '<centrex-click-to-call> with <centrex-provider>: first load',
    import: {
      './dist/components/click-to-call/centrex-click-to-call.js': '{ CentrexClickToCall }',
      './dist/components/provider/centrex-provider.js': '{ CentrexProvider }',
    },
    modifyEsbuildConfig: firstLoad,
    limit: '52 KB',
  },
  {
    name: '<centrex-click-to-call> alone: first load',
    import: { './dist/components/click-to-call/centrex-click-to-call.js': '{ CentrexClickToCall }' },
    modifyEsbuildConfig: firstLoad,
    limit: '14 KB',
  },
  {
    // What the button loads once a dial plan is known, to format and check the number.
    name: '<centrex-click-to-call> number formatting (on demand)',
    import: { './dist/components/click-to-call/number-format.js': '{ formatNumber, normalizeNumber }' },
    modifyEsbuildConfig: firstLoad,
    limit: '27 KB',
  },
  {
    // The web phone, loaded when a user signs in: sip.js (the parts the SDK uses), calls, presence documents (with
    // fast-xml-parser, ~18 kB, kept for its hardening rather than a hand-written reader) and the numbers engine.
    name: 'web phone (Phone with sip.js), loaded at sign-in',
    import: { './dist/core/phone/phone.js': '{ Phone }' },
    modifyEsbuildConfig: firstLoad,
    limit: '110 KB',
  },
];
