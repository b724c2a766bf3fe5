// A scan of a tree without loads, notebooks or ONNX files is mostly start-up: the modules only
// some trees need (the naming tables, the ONNX protobuf reader, the notebook parser, the fuzzy
// id index, the YAML parser, worker threads, node:crypto, node:net, node:fs/promises) must load
// with their first use, not with the CLI. The CLI runs here
// from the compiled modules, whose module cache (and Node's list of built-ins) says what loaded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ISOLATED_ENV } from '../support/isolated-env';
import { tempDir } from '../support/temp';
import { tempWorkspace } from '../support/workspace';

const MAIN = join(__dirname, '..', '..', 'server', 'cli', 'main.js');

/** What loads only on demand: a module path pattern for each. */
const LAZY: Record<string, RegExp> = {
  naming: /[\\/]server[\\/]naming[\\/]/,
  onnxReader: /[\\/]node_modules[\\/]onnx-proto[\\/]|[\\/]server[\\/]onnx[\\/]read-model\.js$/,
  notebook: /[\\/]server[\\/]scan[\\/]notebook(?:-json)?\.js$|[\\/]node_modules[\\/]jsonc-parser[\\/]/,
  fuzzyIndex: /[\\/]node_modules[\\/]fuse\.js[\\/]/,
  yamlParser: /[\\/]node_modules[\\/]yaml[\\/]/,
};

/** Built-ins that load only on demand (names as in Node's moduleLoadList). */
const LAZY_BUILTINS: Record<string, RegExp> = {
  worker_threads: /\bworker_threads$/,
  crypto: /^NativeModule crypto$/,
  net: /^NativeModule net$/,
  fsPromises: /^NativeModule (?:internal\/)?fs\/promises$/,
};

/** The lazy parts a `ptm-lens scan` of `root` loaded (worker_threads: the built-in). */
function loadedByScan(root: string, aside: string): string[] {
  const listFile = join(aside, 'loaded.json');
  const preload = join(aside, 'preload.js');
  writeFileSync(
    preload,
    `process.once('exit', () => require('fs').writeFileSync(${JSON.stringify(listFile)}, JSON.stringify({ modules: Object.keys(require.cache), builtins: process.moduleLoadList })));`,
  );
  // Output to files, as in a CI log: a pipe would load node:net for process.stderr itself.
  const output = join(aside, 'output.txt');
  const fd = openSync(output, 'w');
  let status: number | null;
  try {
    status = spawnSync(process.execPath, ['-r', preload, MAIN, 'scan', root, '--offline', '--format', 'json', '--fail-on', 'never'], { env: { ...process.env, ...ISOLATED_ENV }, stdio: ['ignore', fd, fd] }).status;
  } finally {
    closeSync(fd);
  }
  assert.equal(status, 0, readFileSync(output, 'utf8'));
  const { modules, builtins } = JSON.parse(readFileSync(listFile, 'utf8')) as { modules: string[]; builtins: string[] };
  const loaded = Object.entries(LAZY).filter(([, pattern]) => modules.some((file) => pattern.test(file))).map(([name]) => name);
  for (const [name, pattern] of Object.entries(LAZY_BUILTINS)) if (builtins.some((entry) => pattern.test(entry))) loaded.push(name);
  return loaded;
}

test('a scan of Python files without loads loads none of the on-demand modules; a tree that needs them loads them', () => {
  // A Makefile and a symbolic link, as in Python's standard library: the shell scanner must not
  // bring the YAML parser, nor following a link node:fs/promises.
  const plain = tempWorkspace({ 'pkg/a.py': 'import os\nprint(os.getcwd())\n', 'pkg/b.py': 'def f():\n    return 1\n', 'Makefile': 'all:\n\tpython pkg/a.py\n' });
  symlinkSync(join(plain.root, 'pkg', 'b.py'), join(plain.root, 'linked.py'));
  const rich = tempWorkspace({
    'app.py': 'from transformers import AutoModel\nAutoModel.from_pretrained("google-bert/bert-base-uncased")\n',
    'notes.ipynb': JSON.stringify({ cells: [{ cell_type: 'code', source: ['x = 1\n'], metadata: {}, outputs: [] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
    'model.onnx': 'not a protobuf',
    'train.yaml': 'model_name_or_path: google-bert/bert-base-uncased\n',
  });
  const aside = tempDir('ptm-lens-lazy-');
  try {
    assert.ok(Array.isArray((process as unknown as { moduleLoadList?: string[] }).moduleLoadList), 'Node lists the built-ins it loaded');
    assert.deepEqual(loadedByScan(plain.root, aside.path), []);
    // The same detection sees them when a tree needs them (the test would not notice otherwise).
    assert.deepEqual(loadedByScan(rich.root, aside.path).sort(), ['crypto', 'fsPromises', 'naming', 'notebook', 'onnxReader', 'yamlParser']);
    // No offline scan needs node:net (redirect checks): its pattern is checked on this process.
    require('node:net');
    assert.ok((process as unknown as { moduleLoadList: string[] }).moduleLoadList.some((entry) => LAZY_BUILTINS.net.test(entry)));
  } finally {
    plain.dispose();
    rich.dispose();
    aside.remove();
  }
});
