import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('the packed tarball installs with no dependencies and runs as ptm-lens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ptm-lens-pack-'));
  try {
    const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
    for (const needed of ['dist/cli.js', 'dist/tree-sitter-python.wasm', 'dist/web-tree-sitter.wasm', 'LICENSE', 'README.md']) assert.ok(files.includes(needed), needed);
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('out/')), 'tests are not packed');

    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}\n');
    writeFileSync(join(project, 'app.py'), 'from transformers import pipeline\np = pipeline("fill-mask", model="google-bert/bert-base-uncased")\n');
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed[0].filename)], { cwd: project, stdio: 'ignore' });
    const result = spawnSync(join(project, 'node_modules', '.bin', 'ptm-lens'), ['scan', '.', '--format', 'json'], { cwd: project, encoding: 'utf8' });
    assert.equal(result.status, 1, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.deepEqual(output.findings.map((f: { code: string; file: string; line: number }) => [f.code, f.file, f.line]), [['PTM402', 'app.py', 2]]);

    // onnxruntime-node is optional: without it the conversion check says so and exits 2.
    rmSync(join(project, 'node_modules', 'onnxruntime-node'), { recursive: true, force: true });
    writeFileSync(join(project, 'm.py'), 'def build():\n    raise SystemExit("never reached")\n');
    const check = spawnSync(join(project, 'node_modules', '.bin', 'ptm-lens'), ['check-onnx', '--module', 'm.py:build'], { cwd: project, encoding: 'utf8' });
    assert.equal(check.status, 2, check.stderr);
    assert.match(check.stderr, /onnxruntime-node is not installed .*npm install onnxruntime-node@1\.30\.0/);
    assert.ok(files.includes('dist/ptm_lens_check.py'), 'the conversion-check helper is packed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
