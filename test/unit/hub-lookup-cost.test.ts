// What one offline lookup costs a scan that meets thousands of models: the local cache folders are
// worked out once per client (not per model), cache file names and URLs are what they always were,
// and a model the local cache gains later is still found.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HubClient } from '../../server/hub/client';
import { DiskCache } from '../../server/hub/disk-cache';
import { modelInfoUrl, repoWebUrl, resolveUrl } from '../../server/hub/ids';
import { LISTING_MS } from '../../server/hub/local-cache';
import { tempDir } from '../fixtures/hub/helpers';
import { writeLocalSnapshot } from '../fixtures/hub/local-cache-layout';

const SHA = 'c'.repeat(40);

describe('offline lookups of many models', () => {
  it('reads the cache folder variables once per client, and still finds a model cached after the first lookups', async () => {
    const dir = tempDir();
    writeLocalSnapshot(dir.path, 'org/present', SHA, { 'config.json': '{"model_type":"bert"}' });
    const reads = { count: 0 };
    const env = new Proxy({ HF_HUB_OFFLINE: '1', HF_HUB_CACHE: dir.path } as Record<string, string | undefined>, {
      get(target, name) {
        if (name === 'HF_HUB_CACHE') reads.count++;
        return target[name as string];
      },
    });
    const client = new HubClient({ env, cacheDir: false, useEnvToken: false });
    try {
      const before = reads.count;
      for (let i = 0; i < 40; i++) assert.equal((await client.modelInfo(`org/absent-${i}`)).ok, false);
      assert.ok(reads.count - before <= 1, `HF_HUB_CACHE read ${reads.count - before} times for 40 models`);
      const present = await client.modelInfo('org/present');
      assert.ok(present.ok && present.source === 'local-hf-cache' && present.value.sha === SHA);
      // The folder listing answers "not there" for a moment only: a model downloaded since is found.
      writeLocalSnapshot(dir.path, 'org/later', SHA, { 'config.json': '{}' });
      await new Promise((resolve) => setTimeout(resolve, LISTING_MS + 50));
      const later = await client.modelInfo('org/later');
      assert.ok(later.ok && later.source === 'local-hf-cache');
    } finally {
      await client.close();
      dir.remove();
    }
  });

  it('names a disk cache entry by the SHA-256 of its key, as before', async () => {
    const dir = tempDir();
    try {
      const cache = new DiskCache(dir.path, 1024 * 1024);
      const keys = ['info|org/model|', 'info|gpt2|v1.0', 'file|org/m|config.json|main', 'info|é/ü|'];
      for (const key of keys) {
        await cache.set(key, { key, storedAt: 1, value: { id: key } });
        assert.ok(existsSync(join(dir.path, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`)), key);
        assert.deepEqual((await cache.get(key))?.value, { id: key });
      }
    } finally {
      dir.remove();
    }
  });

  it('builds the URLs of any id as encoding each path segment does', () => {
    const segment = fc.array(fc.constantFrom('a', 'Z', '0', '_', '-', '.', '~', ' ', '%', '?', '#', 'é', '+', '&', '\ud83d\ude00'), { maxLength: 8 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), (parts) => {
        const id = parts.join('/');
        const encoded = parts.map((part) => encodeURIComponent(part)).join('/');
        assert.equal(modelInfoUrl('https://hub', id), `https://hub/api/models/${encoded}`);
        assert.equal(repoWebUrl('https://hub', id), `https://hub/${encoded}`);
        assert.equal(resolveUrl('https://hub', id, 'config.json'), `https://hub/${encoded}/resolve/main/config.json`);
      }),
      { numRuns: 2000, seed: 13 },
    );
  });
});
