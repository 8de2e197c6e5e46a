/**
 * `centrex-sdk`: the core engines and the elements in one import. Importing it registers the elements; use
 * `centrex-sdk/core` for headless use without any UI.
 * @packageDocumentation
 */
export * as core from './core/index.js';
export * from './components/index.js';
