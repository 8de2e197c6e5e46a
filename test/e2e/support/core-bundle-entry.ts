// What the examples load as /dist/cdn/centrex-core.js during the tests: the core, including the phone. (The
// published bundle is built from src/core/index.ts; until that file exports the phone, the tests add it here.)
export * from '../../../src/core/index.js';
export * from '../../../src/core/phone/index.js';
