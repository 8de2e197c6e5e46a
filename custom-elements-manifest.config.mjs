// @custom-elements-manifest/analyzer: writes custom-elements.json (tags, properties, events, parts, CSS custom
// properties of every element) from the TSDoc in src/components, for IDEs, Storybook and documentation tools.
import { resolveModuleOrPackageSpecifier } from '@custom-elements-manifest/analyzer/src/utils/index.js';

/**
 * Our elements register through `defineElement('centrex-x', Class)` (which tolerates a second copy of the SDK), not
 * `customElements.define`; this plugin reads those calls the way the analyzer reads `customElements.define`.
 */
function defineElementCalls() {
  return {
    name: 'centrex-define-element',
    analyzePhase({ ts, node, moduleDoc, context }) {
      if (node.kind !== ts.SyntaxKind.CallExpression) return;
      if (node.expression.kind !== ts.SyntaxKind.Identifier || node.expression.text !== 'defineElement') return;
      const [tag, klass] = node.arguments;
      if (tag?.kind !== ts.SyntaxKind.StringLiteral || klass?.kind !== ts.SyntaxKind.Identifier) return;
      moduleDoc.exports = [
        ...(moduleDoc.exports ?? []),
        {
          kind: 'custom-element-definition',
          name: tag.text,
          declaration: { name: klass.text, ...resolveModuleOrPackageSpecifier(moduleDoc, context, klass.text) },
        },
      ];
    },
  };
}

export default {
  globs: ['src/components/**/*.ts'],
  exclude: ['src/components/locales/**', 'src/components/**/*.styles.ts', 'src/components/define-element.ts'],
  outdir: '.',
  litelement: true,
  plugins: [defineElementCalls()],
};
