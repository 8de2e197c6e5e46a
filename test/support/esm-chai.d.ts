// Types for the ESM build of chai that the Node harness imports by path (the package's main entry is not shipped).
declare module '@esm-bundle/chai/esm/chai.js' {
  export const expect: Chai.ExpectStatic;
}
