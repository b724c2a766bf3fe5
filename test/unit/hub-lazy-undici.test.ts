import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../fixtures/hub/helpers';

// undici's start-up is a large part of the CLI's: runs that never reach the network must not
// load it. Each case runs in a fresh process, whose module cache says what was loaded.
const CLIENT = join(__dirname, '..', '..', 'server', 'hub', 'client.js');

function undiciLoadedAfter(body: string, cacheDir: string): boolean {
  const script = `
    const { HubClient } = require(${JSON.stringify(CLIENT)});
    (async () => {
      ${body}
      const loaded = Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(file));
      process.stdout.write(String(loaded));
    })();`;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheDir, HF_HUB_CACHE: cacheDir } }) === 'true';
}

test('an offline client answers from the caches without loading undici, and loads it for its first request', () => {
  const dir = tempDir();
  try {
    const offline = `const client = new HubClient({ offline: true }); const r = await client.modelInfo('org/model'); if (r.ok || r.error.kind !== 'offline') throw new Error('expected an offline answer'); await client.close();`;
    assert.equal(undiciLoadedAfter(offline, dir.path), false);
    // The same client online loads it for the request (to a closed port: the answer is a failure).
    const online = `const client = new HubClient({ endpoint: 'http://127.0.0.1:9', maxRetries: 0, circuitBreaker: false, cacheDir: false }); await client.modelInfo('org/model'); await client.close();`;
    assert.equal(undiciLoadedAfter(online, dir.path), true);
  } finally {
    dir.remove();
  }
});
