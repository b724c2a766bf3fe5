// `npm test`: runs the compiled test files (all of out/test, or the ones named) with node's test
// runner, inside a private temp dir, and fails if the tests left anything in it: test runs must
// leave no temporary folders behind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

function testFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(path));
    else if (entry.name.endsWith('.test.js')) found.push(relative(ROOT, path));
  }
  return found;
}

const named = process.argv.slice(2);
const outTest = join(ROOT, 'out', 'test');
try {
  statSync(outTest);
} catch {
  console.error('No compiled tests in out/test: run `npm run compile` first (npm test does it in pretest).');
  process.exit(2);
}
const files = named.length > 0 ? named : testFiles(outTest).sort();

const tmp = mkdtempSync(join(tmpdir(), 'ptm-lens-tests-'));
const run = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-timeout=300000', ...files],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp } },
);
// onnxruntime's native library writes its own debug files (`mat-debug-<pid>.log`, `.ses`) into the
// temp dir when it creates sessions; they are not the tests' to clean up, so they are not counted.
const ONNXRUNTIME_OWN = /^(mat-debug-\d+\.log|\.ses)$/;
const left = readdirSync(tmp).filter((name) => !ONNXRUNTIME_OWN.test(name));
rmSync(tmp, { recursive: true, force: true });

if (left.length > 0) {
  console.error(`\nTests left ${left.length} temporary entr${left.length === 1 ? 'y' : 'ies'} behind (removed now): ${left.join(', ')}`);
  console.error('Each test must remove what it creates in the temp dir (see test/support/temp.ts).');
  process.exit(run.status || 1);
}
process.exit(run.status ?? 1);
