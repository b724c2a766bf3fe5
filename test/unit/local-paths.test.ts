// Relative ids that name a folder of the workspace are local, not Hub ids.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPaths, localPathChecker } from '../../server/engine/local-paths';
import { emptySettings } from '../../server/config/settings';
import { scanWorkspace } from '../../server/engine/workspace';

describe('local path checker', () => {
  it('finds folders next to the file and at the root, and looks a missing organisation up once per folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ptm-local-'));
    const real = fs.existsSync;
    try {
      await mkdir(join(root, 'src', 'checkpoints', 'run1'), { recursive: true });
      await mkdir(join(root, 'models', 'base'), { recursive: true });
      const isLocal = localPathChecker(root, join(root, 'src', 'train.py'));
      assert.equal(isLocal('checkpoints/run1'), true);
      assert.equal(isLocal('checkpoints/run2'), false);
      assert.equal(isLocal('models/base'), true);
      assert.equal(isLocal('models'), true);
      assert.equal(isLocal('nope/../models/base'), true);
      assert.equal(isLocal('org/model'), false);
      // Many ids of one missing organisation: one look-up next to the file and one at the root.
      let calls = 0;
      fs.existsSync = (path: fs.PathLike) => {
        calls++;
        return real(path);
      };
      const fresh = localPathChecker(root, join(root, 'src', 'train.py'));
      for (let i = 0; i < 10; i++) assert.equal(fresh(`bench-org/model-${i}`), false);
      assert.equal(calls, 2);
    } finally {
      fs.existsSync = real;
      await rm(root, { recursive: true, force: true });
    }
  });

  it('looks each folder up once per scan, across the files of that scan', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ptm-local-'));
    const real = fs.existsSync;
    try {
      await mkdir(join(root, 'src', 'checkpoints', 'run1'), { recursive: true });
      let calls = 0;
      fs.existsSync = (path: fs.PathLike) => {
        calls++;
        return real(path);
      };
      // Ten files of one folder asking about the same ids: a checker per file looks them up ten times.
      const scan = new LocalPaths();
      for (let file = 0; file < 10; file++) {
        const isLocal = scan.checker(root, join(root, 'src', `train${file}.py`));
        assert.equal(isLocal('checkpoints/run1'), true);
        assert.equal(isLocal('checkpoints/run2'), false);
        for (let i = 0; i < 5; i++) assert.equal(isLocal(`bench-org/model-${i}`), false);
      }
      // src/checkpoints, src/checkpoints/run1, src/checkpoints/run2, root/checkpoints, src/bench-org, root/bench-org.
      assert.equal(calls, 6);
      assert.equal(scan.probes, 6);
      // The same answers as a checker of its own.
      const alone = localPathChecker(root, join(root, 'src', 'train.py'));
      for (const id of ['checkpoints/run1', 'checkpoints/run2', 'bench-org/model-1', 'checkpoints', 'a/../checkpoints/run1']) {
        assert.equal(scan.checker(root, join(root, 'src', 'x.py'))(id), alone(id), id);
      }
    } finally {
      fs.existsSync = real;
      await rm(root, { recursive: true, force: true });
    }
  });

  for (const [label, parallel] of [['on this thread', false], ['on worker threads', { workers: 2, inlineChars: 0 }]] as const) {
    it(`sees a folder made after a scan in the next scan (${label})`, async () => {
      const root = await mkdtemp(join(tmpdir(), 'ptm-local-'));
      try {
        await mkdir(join(root, 'src'), { recursive: true });
        const code = 'from transformers import AutoModel\nAutoModel.from_pretrained("ckpt/run1")\n';
        for (let file = 0; file < 3; file++) fs.writeFileSync(join(root, 'src', `train${file}.py`), code);
        const scan = async () => (await scanWorkspace(root, { settings: emptySettings(), localCommit: () => undefined, parallel })).flatMap((result) => result.references.map((r) => r.modelId));
        assert.deepEqual(await scan(), ['ckpt/run1', 'ckpt/run1', 'ckpt/run1']);
        await mkdir(join(root, 'ckpt', 'run1'), { recursive: true });
        assert.deepEqual(await scan(), []);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  }
});
