import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { outsideLoopback } from '../support/network-recorder';
import { tempDir } from '../support/temp';
import { readZip } from '../support/zip';

const ROOT = join(__dirname, '..', '..', '..');
const RECORDER = join(__dirname, '..', 'support', 'network-recorder.js');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('the packed tarball installs with no dependencies and runs as ptm-lens, away from the user\'s caches and the live Hub', () => {
  const tmp = tempDir('ptm-lens-pack-');
  try {
    const dir = tmp.path;
    // Home, caches and the Hugging Face folders all inside the temp dir, the Hub switched off
    // the way a user would (HF_HUB_OFFLINE), and every connection the CLI opens recorded.
    const netLog = join(dir, 'net.log');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: join(dir, 'home'),
      XDG_CACHE_HOME: join(dir, 'cache'),
      HF_HOME: join(dir, 'hf'),
      HF_HUB_CACHE: undefined,
      HF_TOKEN: undefined,
      HF_ENDPOINT: undefined,
      HF_HUB_OFFLINE: '1',
      npm_config_cache: join(dir, 'npm-cache'),
    };
    const packed = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
    for (const needed of ['dist/cli.js', 'dist/cli-main.js', 'dist/cli-undici.js', 'dist/tree-sitter-python.wasm', 'dist/web-tree-sitter.wasm', 'LICENSE', 'README.md']) assert.ok(files.includes(needed), needed);
    assert.ok(!files.some((f) => f.startsWith('test/') || f.startsWith('out/')), 'tests are not packed');

    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}\n');
    writeFileSync(join(project, 'app.py'), 'from transformers import pipeline\np = pipeline("fill-mask", model="google-bert/bert-base-uncased")\n');
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed[0].filename)], { cwd: project, env, stdio: 'ignore' });
    const result = spawnSync(join(project, 'node_modules', '.bin', 'ptm-lens'), ['scan', '.', '--format', 'json'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...env, NODE_OPTIONS: `--require ${RECORDER}`, PTM_LENS_NET_LOG: netLog },
    });
    assert.equal(result.status, 1, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.deepEqual(output.findings.map((f: { code: string; file: string; line: number }) => [f.code, f.file, f.line]), [['PTM402', 'app.py', 2]]);

    const network = existsSync(netLog) ? readFileSync(netLog, 'utf8').split('\n') : [];
    assert.deepEqual(outsideLoopback(network), [], 'no connection or lookup beyond loopback');
    // onnxruntime-node is optional: without it the conversion check says so and exits 2.
    rmSync(join(project, 'node_modules', 'onnxruntime-node'), { recursive: true, force: true });
    writeFileSync(join(project, 'm.py'), 'def build():\n    raise SystemExit("never reached")\n');
    const check = spawnSync(join(project, 'node_modules', '.bin', 'ptm-lens'), ['check-onnx', '--module', 'm.py:build'], { cwd: project, encoding: 'utf8', env });
    assert.equal(check.status, 2, check.stderr);
    assert.match(check.stderr, /onnxruntime-node is not installed .*npm install onnxruntime-node@1\.30\.0/);
    assert.ok(files.includes('dist/ptm_lens_check.py'), 'the conversion-check helper is packed');
  } finally {
    tmp.remove();
  }
});

test('npm run package makes a VSIX with its icon, a user-facing README and the changelog, without asking anything', () => {
  const tmp = tempDir('ptm-lens-vsix-');
  try {
    const vsix = join(tmp.path, 'ptm-lens.vsix');
    execFileSync(npm, ['run', 'package', '--silent', '--', '--out', vsix], {
      cwd: ROOT,
      env: { ...process.env, HOME: join(tmp.path, 'home'), npm_config_cache: join(tmp.path, 'npm-cache') },
      stdio: ['ignore', 'pipe', 'pipe'], // a question would read end of input and fail
    });
    const entries = readZip(vsix);
    const manifest = entries.get('extension.vsixmanifest')?.toString('utf8') ?? '';
    assert.match(manifest, /<Icon>extension\/media\/icon\.png<\/Icon>/);
    const icon = entries.get('extension/media/icon.png');
    assert.ok(icon, 'the icon is packed');
    assert.equal(icon.toString('latin1', 1, 4), 'PNG');
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128], 'a 128x128 PNG');

    const readme = entries.get('extension/readme.md')?.toString('utf8') ?? '';
    for (const code of ['PTM101', 'PTM402', 'PTM602']) assert.ok(readme.includes(`| ${code} |`), `the rule table lists ${code}`);
    assert.match(readme, /## In VS Code/);
    assert.doesNotMatch(readme, /npm run (build|compile|bench)|test\/e2e|e2e-setup/, 'no developer instructions on the marketplace page');
    assert.match(entries.get('extension/changelog.md')?.toString('utf8') ?? '', /^# Changelog/);
    assert.ok(![...entries.keys()].some((name) => name.startsWith('extension/test/') || name.startsWith('extension/out/')), 'no tests packed');
    // Every bundle, grammar and helper the build makes is needed at run time (a missing scan
    // worker would silently scan on one thread): all of dist but its source maps is packed.
    const built = readdirSync(join(ROOT, 'dist')).filter((name) => !name.endsWith('.map') && statSync(join(ROOT, 'dist', name)).isFile());
    for (const name of built) assert.ok(entries.has(`extension/dist/${name}`), `dist/${name} is packed`);
  } finally {
    tmp.remove();
  }
});
