import assert from 'node:assert/strict';
import fs = require('node:fs');
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  findLocalCommit,
  hubCacheDir,
  listLocalSnapshotFiles,
  localSnapshotDir,
  readLocalConfig,
  readLocalFile,
  repoFolderName,
} from '../../server/hub/local-cache';
import { tempDir } from '../fixtures/hub/helpers';
import { writeLocalSnapshot } from '../fixtures/hub/local-cache-layout';

const SHA = 'a'.repeat(40);
const OLD = 'b'.repeat(40);

describe('local Hugging Face cache reader', () => {
  const dir = tempDir();
  const env = { HF_HUB_CACHE: dir.path };
  before(() => {
    writeLocalSnapshot(dir.path, 'org/model', SHA, {
      'config.json': JSON.stringify({ model_type: 'bert', num_hidden_layers: 4 }),
      'model.safetensors': 'weights',
      'README.md': '# card',
      '1_Pooling/config.json': '{}',
    }, ['main', 'refs/pr/1']);
    writeLocalSnapshot(dir.path, 'org/model', OLD, { 'pytorch_model.bin': 'pickle' }, ['v1.0']);
    writeLocalSnapshot(dir.path, 'gpt2', SHA, { 'config.json': 'not json' });
  });
  after(() => dir.remove());

  it('finds the cache folder with huggingface_hub\'s precedence', () => {
    assert.equal(hubCacheDir({ HF_HUB_CACHE: '/a', HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c', XDG_CACHE_HOME: '/d' }), '/a');
    assert.equal(hubCacheDir({ HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c', XDG_CACHE_HOME: '/d' }), '/b');
    assert.equal(hubCacheDir({ HF_HOME: '/c', XDG_CACHE_HOME: '/d' }), join('/c', 'hub'));
    assert.equal(hubCacheDir({ XDG_CACHE_HOME: '/d' }), join('/d', 'huggingface', 'hub'));
    assert.equal(hubCacheDir({}), join(homedir(), '.cache', 'huggingface', 'hub'));
  });

  it('names repository folders like huggingface_hub', () => {
    assert.equal(repoFolderName('org/model'), 'models--org--model');
    assert.equal(repoFolderName('gpt2'), 'models--gpt2');
  });

  it('finds the commit for a branch, a tag, a PR ref and a commit', () => {
    assert.equal(findLocalCommit('org/model', undefined, env), SHA);
    assert.equal(findLocalCommit('org/model', 'main', env), SHA);
    assert.equal(findLocalCommit('org/model', 'v1.0', env), OLD);
    assert.equal(findLocalCommit('org/model', 'refs/pr/1', env), SHA);
    assert.equal(findLocalCommit('org/model', OLD, env), OLD);
    assert.equal(findLocalCommit('org/model', 'c'.repeat(40), env), undefined);
    assert.equal(findLocalCommit('org/model', 'dev', env), undefined);
    assert.equal(findLocalCommit('org/absent', 'main', env), undefined);
    assert.equal(findLocalCommit('gpt2', 'main', env), SHA);
  });

  it('ignores a refs file that does not hold a commit', () => {
    const d = tempDir();
    mkdirSync(join(d.path, 'models--x--y', 'refs'), { recursive: true });
    writeFileSync(join(d.path, 'models--x--y', 'refs', 'main'), 'garbage\n');
    assert.equal(findLocalCommit('x/y', 'main', { HF_HUB_CACHE: d.path }), undefined);
    d.remove();
  });

  it('refuses ids and revisions that walk out of the cache', () => {
    assert.equal(findLocalCommit('../etc', 'main', env), undefined);
    assert.equal(findLocalCommit('org/model', '../../../etc/passwd', env), undefined);
    assert.equal(readLocalFile('org/model', '../../refs/main', 'main', env), undefined);
  });

  it('lists snapshot files through the blob symlinks, with / separators', () => {
    assert.deepEqual(listLocalSnapshotFiles('org/model', 'main', env), ['1_Pooling/config.json', 'README.md', 'config.json', 'model.safetensors']);
    assert.deepEqual(listLocalSnapshotFiles('org/model', 'v1.0', env), ['pytorch_model.bin']);
    assert.equal(listLocalSnapshotFiles('org/absent', 'main', env), undefined);
    assert.equal(localSnapshotDir('org/model', 'main', env), join(dir.path, 'models--org--model', 'snapshots', SHA));
  });

  it('reads config.json and other files from the snapshot', () => {
    assert.deepEqual(readLocalConfig('org/model', 'main', env), { model_type: 'bert', num_hidden_layers: 4 });
    assert.equal(readLocalConfig('org/model', 'v1.0', env), undefined, 'not downloaded at that revision');
    assert.equal(readLocalConfig('gpt2', 'main', env), undefined, 'unparsable config');
    assert.equal(readLocalFile('org/model', 'README.md', 'main', env), '# card');
  });

  it('answers ids the cache does not hold from one listing of the folder, without a call per id', () => {
    // Counts the file system calls the reader makes (it calls them through the fs module).
    const counted = ['statSync', 'readFileSync', 'readdirSync', 'existsSync'] as const;
    const calls: Record<string, number> = {};
    const real = counted.map((name) => [name, fs[name]] as const);
    const d = tempDir();
    writeLocalSnapshot(d.path, 'org/held', SHA, { 'config.json': '{}' });
    try {
      for (const [name, fn] of real) {
        calls[name] = 0;
        (fs as Record<string, unknown>)[name] = (...args: unknown[]) => {
          calls[name]++;
          return (fn as (...a: unknown[]) => unknown)(...args);
        };
      }
      for (let i = 0; i < 1000; i++) assert.equal(findLocalCommit(`org/absent-${i}`, 'main', { HF_HUB_CACHE: d.path }), undefined);
      assert.equal(findLocalCommit('org/held', 'main', { HF_HUB_CACHE: d.path }), SHA, 'a held id is still read');
    } finally {
      for (const [name, fn] of real) (fs as Record<string, unknown>)[name] = fn;
      d.remove();
    }
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    assert.ok(total < 20, `file system calls for 1,001 ids: ${JSON.stringify(calls)}`);
  });

  it('answers findLocalCommit quickly enough for a quick fix', () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) findLocalCommit('org/model', 'main', env);
    const perCallMs = Number(process.hrtime.bigint() - started) / 1e6 / 1000;
    assert.ok(perCallMs < 1, `${perCallMs} ms per call`);
  });
});
