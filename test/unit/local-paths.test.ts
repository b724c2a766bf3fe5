// Relative ids that name a folder of the workspace are local, not Hub ids.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localPathChecker } from '../../server/engine/local-paths';

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
});
