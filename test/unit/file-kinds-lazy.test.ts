// The scanners of other file kinds (JavaScript, shell, configs with their YAML and TOML parsers)
// load with the first file of their kind: a Python scan (a scan worker's usual work) never
// evaluates them. Checked in a fresh process, where nothing else has loaded them yet.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const FILE_KINDS = join(__dirname, '..', '..', 'server', 'scan', 'file-kinds.js');

/** Runs `body` in a fresh node with `kinds` (server/scan/file-kinds) loaded; returns what it prints as JSON. */
function inFreshProcess(body: string): unknown {
  const script = `
    const kinds = require(${JSON.stringify(FILE_KINDS)});
    const loaded = () => Object.keys(require.cache).map((f) => f.replace(/\\\\/g, '/')).filter((f) => /\\/(?:scan\\/(?:config|shell|javascript)|yaml\\/dist\\/index|smol-toml\\/[^/]*)\\.c?js$/.test(f)).map((f) => f.split('/').slice(-2).join('/')).sort();
    (async () => { ${body} })().then((out) => process.stdout.write(JSON.stringify(out)), (e) => { console.error(e); process.exit(1); });`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test('a Python scan and the file-kind tests of a tree without configs load no other scanner', () => {
  const out = inFreshProcess(`
    const before = loaded();
    const python = kinds.fileKindOf('app.py');
    const refs = await python.scan('from transformers import AutoModel\\nAutoModel.from_pretrained("org/model")\\n', {});
    const others = ['README.md', 'notes.txt', 'setup.cfg', 'LICENSE'].map((p) => kinds.fileKindOf(p)?.name ?? null);
    return { before, ids: refs.map((r) => r.modelId), others, after: loaded() };
  `);
  assert.deepEqual(out, { before: [], ids: ['org/model'], others: [null, null, null, null], after: [] });
});

test('each other scanner loads with the first file of its kind and finds what it did before', () => {
  const out = inFreshProcess(`
    const found = async (path, text) => (await kinds.fileKindOf(path).scan(text, {})).map((r) => r.modelId);
    const steps = [];
    steps.push([await found('web/app.js', 'import { pipeline } from "@huggingface/transformers";\\nawait pipeline("sentiment-analysis", "org/js-model");\\n'), loaded()]);
    steps.push([await found('train.sh', 'huggingface-cli download org/shell-model\\n'), loaded()]);
    steps.push([kinds.fileKindOf('package.json')?.name ?? null, kinds.fileKindOf('Cargo.toml')?.name ?? null, await found('config.yaml', 'base_model: org/yaml-model\\n'), loaded()]);
    return steps;
  `) as unknown[][];
  assert.deepEqual(out[0], [['org/js-model'], ['scan/javascript.js']]);
  // The shell scanner shares the config scanner's test of a Hub id (config-model-id), not the
  // config scanner itself: a Makefile or a shell script does not bring the YAML parser along.
  assert.deepEqual(out[1], [['org/shell-model'], ['scan/javascript.js', 'scan/shell.js']]);
  const [packageJson, cargo, yamlIds, last] = out[2] as [unknown, unknown, string[], string[]];
  assert.equal(packageJson, null, 'tooling JSON is still not a config');
  assert.equal(cargo, null, 'Rust manifests are still not read');
  assert.deepEqual(yamlIds, ['org/yaml-model']);
  assert.ok(last.includes('scan/config.js') && last.includes('dist/index.js'), JSON.stringify(last));
});
