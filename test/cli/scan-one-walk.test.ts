// `ptm-lens scan` of a folder walks the tree once: the listing of source files also lists the
// ONNX files (a second walk cost as much as the first on a big tree). The CLI runs from the
// compiled modules with every readdir of a walk (fs or fs/promises, with file types) counted per
// folder; the project-license lookup also lists the root's names, which is not a walk.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import { ISOLATED_ENV } from '../support/isolated-env';
import { tempDir } from '../support/temp';
import { tempWorkspace } from '../support/workspace';

const MAIN = join(__dirname, '..', '..', 'server', 'cli', 'main.js');

test('a folder scan reads each folder once and still finds the ONNX files, .gitignore or not', () => {
  const workspace = tempWorkspace({
    'app.py': 'from transformers import AutoModel\nAutoModel.from_pretrained("google-bert/bert-base-uncased")\n',
    'pkg/util.py': 'x = 1\n',
    'pkg/deep/more.py': 'y = 2\n',
    'models/model.onnx': 'not a protobuf',
    // Ignored by git, and still read for ONNX files, as before (listOnnxFiles reads no .gitignore).
    '.gitignore': 'build/\n',
    'build/export/big.onnx': 'not a protobuf either',
    'build/gen.py': 'AutoModel.from_pretrained("ignored/model")\n',
  });
  const aside = tempDir('ptm-lens-walk-');
  try {
    const counts = join(aside.path, 'counts.json');
    const preload = join(aside.path, 'count-readdir.js');
    writeFileSync(
      preload,
      `const fs = require('fs'); const fsp = require('fs/promises'); const seen = {};
       for (const [module, name] of [[fs, 'readdirSync'], [fs, 'readdir'], [fsp, 'readdir']]) {
         const original = module[name];
         module[name] = function (dir, options, ...rest) { if (options && options.withFileTypes) seen[dir] = (seen[dir] || 0) + 1; return original.call(this, dir, options, ...rest); };
       }
       process.once('exit', () => require('fs').writeFileSync(${JSON.stringify(counts)}, JSON.stringify(seen)));`,
    );
    const run = spawnSync(process.execPath, ['-r', preload, MAIN, 'scan', workspace.root, '--offline', '--format', 'json', '--fail-on', 'never'], { env: { ...process.env, ...ISOLATED_ENV }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const output = JSON.parse(run.stdout) as { references: { file: string }[]; notes: { file?: string; message: string }[] };
    assert.deepEqual(output.references.map((r) => r.file), ['app.py']);
    // Both ONNX files were read (each gets a note: they are not protobuf).
    assert.deepEqual(output.notes.filter((n) => n.message.startsWith('not scanned')).map((n) => n.file), ['build/export/big.onnx', 'models/model.onnx']);
    // Only the tree's folders (the offline Hub cache is read too).
    const seen = Object.fromEntries(Object.entries(JSON.parse(readFileSync(counts, 'utf8')) as Record<string, number>).filter(([dir]) => dir === workspace.root || dir.startsWith(workspace.root + sep)));
    const folders = ['', 'pkg', 'pkg/deep', 'models', 'build', 'build/export'].map((f) => (f ? join(workspace.root, f) : workspace.root));
    assert.deepEqual(Object.keys(seen).sort(), [...folders].sort());
    for (const folder of folders) assert.equal(seen[folder], 1, `${folder} read ${seen[folder]} times`);
  } finally {
    workspace.dispose();
    aside.remove();
  }
});
