// Runs every *.test.ts under test/ that is meant for Node (all but test/components and *.browser.test.ts)
// with node's own test runner. Node 20's --test takes no globs, so the files are listed here; an empty list is an
// error, so a broken layout can never pass as "no tests ran".
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['test/core', 'test/package', 'test/examples', 'test/pbx'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts') && !name.endsWith('.browser.test.ts')) files.push(path);
  }
};
for (const root of roots) {
  try { walk(root); } catch (error) { if (error.code !== 'ENOENT') throw error; }
}
if (files.length === 0) {
  console.error('run-node-tests: no test files found under ' + roots.join(', '));
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
