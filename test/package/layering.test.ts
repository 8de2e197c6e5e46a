// The architecture's layering rules are enforced by lint: this proves the rules fire where they should.
import { ESLint } from 'eslint';
import { describe, it, expect } from '../support/harness.js';

const eslint = new ESLint();

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('layering rules', () => {
  it('keeps lit, Node built-ins and sip.js out of the core', async () => {
    const code = "import { html } from 'lit';\nimport { readFile } from 'node:fs';\nimport { UserAgent } from 'sip.js';\nexport const used = [html, readFile, UserAgent];\n";
    const messages = await restrictedImports(code, 'src/core/forwarding/example.ts');
    expect(messages).to.have.length(3);
  });

  it('lets the phone layer use sip.js but not lit', async () => {
    const code = "import { html } from 'lit';\nimport { UserAgent } from 'sip.js';\nexport const used = [html, UserAgent];\n";
    const messages = await restrictedImports(code, 'src/core/phone/example.ts');
    expect(messages).to.have.length(1);
    expect(messages[0]).to.contain('lit');
  });

  it('keeps sip.js out of the elements', async () => {
    const code = "import { UserAgent } from 'sip.js';\nexport const used = UserAgent;\n";
    expect(await restrictedImports(code, 'src/components/dialer/example.ts')).to.have.length(1);
  });
});
