// A scan worker (dist/scan-worker.js) starts its bundle from a V8 code cache in PTM Lens's cache
// folder, like the CLI; the cache is an optimisation only: a bad, stale or unwritable one never
// changes what a worker answers.
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { ScanAnswer, ScanRequest } from '../../server/engine/parallel-scan';
import { tempDir } from '../support/temp';

const WORKER = join(__dirname, '..', '..', '..', 'dist', 'scan-worker.js');
const EXAMPLE = 'from transformers import AutoModel\nAutoModel.from_pretrained("org/model")\n';

/** Starts a bundled worker with `XDG_CACHE_HOME=cache`, scans one file and ends the worker as a pool does. */
async function scanOnce(cache: string): Promise<ScanAnswer> {
  const worker = new Worker(WORKER, { env: { ...process.env, XDG_CACHE_HOME: cache } });
  try {
    return await new Promise<ScanAnswer>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      const request: ScanRequest = { id: 7, job: { root: '/project', file: '/project/app.py', relativePath: 'app.py', text: EXAMPLE }, indexed: false };
      worker.postMessage(request);
    });
  } finally {
    await worker.terminate();
  }
}

test('a scan worker writes one code cache after its scans, later workers keep it, and a broken, stale or unwritable cache changes nothing', async () => {
  const tmp = tempDir('ptm-lens-worker-cache-');
  try {
    const cache = join(tmp.path, 'cache');
    const folder = join(cache, 'ptm-lens', 'code-cache');
    const first = await scanOnce(cache);
    assert.equal(first.id, 7);
    assert.ok('references' in first.outcome, JSON.stringify(first.outcome));
    assert.equal(first.outcome.references.length, 1);
    assert.equal(first.outcome.references[0].modelId, 'org/model');
    const [written] = readdirSync(folder);
    assert.match(written, /^scan-worker-[0-9a-f]{16}-v[\d.]+-\w+\.bin$/);
    assert.ok(statSync(join(folder, written)).size > 10_000, 'compiled code, not an empty file');

    // Accepted: not written again.
    const mtime = statSync(join(folder, written)).mtimeMs;
    assert.deepEqual(await scanOnce(cache), first);
    assert.equal(statSync(join(folder, written)).mtimeMs, mtime);

    // Garbage is refused by V8 and replaced; an older worker bundle's cache is removed, the CLI's is not.
    writeFileSync(join(folder, written), 'not a code cache');
    writeFileSync(join(folder, 'scan-worker-0000000000000000-v0.0.0-x64.bin'), 'an older bundle');
    writeFileSync(join(folder, 'cli-0000000000000000-v0.0.0-x64.bin'), 'the CLI bundle');
    assert.deepEqual(await scanOnce(cache), first);
    assert.deepEqual(readdirSync(folder).sort(), ['cli-0000000000000000-v0.0.0-x64.bin', written]);
    assert.ok(statSync(join(folder, written)).size > 10_000, 'rewritten');

    // A cache folder that cannot be made (a file where it should be) only costs the cache.
    const file = join(tmp.path, 'a-file');
    writeFileSync(file, 'a file, not a folder');
    assert.deepEqual(await scanOnce(file), first);
  } finally {
    tmp.remove();
  }
});
