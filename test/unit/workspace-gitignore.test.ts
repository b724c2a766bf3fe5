// Workspace listing honours the .gitignore files in the scanned tree.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { emptySettings } from '../../server/config/settings';
import { listSourceFiles, toRelative } from '../../server/engine/workspace';

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ptm-gitignore-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('.gitignore', () => {
  it('leaves out what the .gitignore files on the way ignore, with negation, folder-only and anchored patterns', async () => {
    const root = await tree({
      '.gitignore': '# build output\nbuild/\n*.gen.py\n!keep.gen.py\n/top.py\n',
      'sub/.gitignore': 'local.py\n',
      'a.py': '',
      'build/b.py': '',
      'x.gen.py': '',
      'keep.gen.py': '',
      'top.py': '',
      'sub/top.py': '',
      'sub/local.py': '',
      'sub/deeper/local.py': '',
      'other/local.py': '',
      'other/build': '',
    });
    try {
      const files = (await listSourceFiles(root, emptySettings())).map((f) => toRelative(root, f));
      assert.deepEqual(files, ['a.py', 'keep.gen.py', 'other/local.py', 'sub/top.py']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('keeps the settings excludes working next to it', async () => {
    const root = await tree({ '.gitignore': 'ignored.py\n', 'a.py': '', 'b.py': '', 'ignored.py': '' });
    try {
      const files = (await listSourceFiles(root, { ...emptySettings(), exclude: ['b.py'] })).map((f) => toRelative(root, f));
      assert.deepEqual(files, ['a.py']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
