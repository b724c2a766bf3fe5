// `ptm-lens` starts its bundle from a V8 code cache in PTM Lens's cache folder; the cache is
// an optimisation only: a bad, stale or unwritable one never changes what a run does.
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli';
import { tempDir } from '../support/temp';

const EXAMPLE = 'from transformers import AutoModel\nAutoModel.from_pretrained("org/model")\n';

test('the first run writes one code cache, later runs keep it, and a broken, stale or unwritable cache changes nothing', () => {
  const tmp = tempDir('ptm-lens-start-');
  try {
    const project = join(tmp.path, 'project');
    const cache = join(tmp.path, 'cache');
    const folder = join(cache, 'ptm-lens', 'code-cache');
    writeFileSync(join(tmp.path, 'app.py'), EXAMPLE);
    const scan = (xdg: string) => runCli(['scan', join(tmp.path, 'app.py'), '--format', 'json', '--fail-on', 'never'], { env: { XDG_CACHE_HOME: xdg } });
    const first = scan(cache);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).references.length, 1);
    const [written] = readdirSync(folder);
    assert.match(written, /^cli-[0-9a-f]{16}-v[\d.]+-\w+\.bin$/);
    assert.ok(statSync(join(folder, written)).size > 10_000, 'compiled code, not an empty file');

    // Accepted: not written again.
    const mtime = statSync(join(folder, written)).mtimeMs;
    assert.equal(scan(cache).stdout, first.stdout);
    assert.equal(statSync(join(folder, written)).mtimeMs, mtime);

    // Garbage is refused by V8 and replaced; another bundle's cache is removed.
    writeFileSync(join(folder, written), 'not a code cache');
    writeFileSync(join(folder, 'cli-0000000000000000-v0.0.0-x64.bin'), 'an older bundle');
    assert.equal(scan(cache).stdout, first.stdout);
    assert.deepEqual(readdirSync(folder), [written]);
    assert.ok(statSync(join(folder, written)).size > 10_000, 'rewritten');

    // A cache folder that cannot be made (a file where it should be) only costs the cache.
    writeFileSync(project, 'a file, not a folder');
    const unwritable = scan(project);
    assert.equal(unwritable.status, 0, unwritable.stderr);
    assert.equal(unwritable.stdout, first.stdout);
  } finally {
    tmp.remove();
  }
});
