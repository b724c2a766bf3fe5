import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HubClient } from '../../server/hub/client';
import { fixtureClient, tempDir } from '../fixtures/hub/helpers';
import { writeLocalSnapshot } from '../fixtures/hub/local-cache-layout';
import { FixtureHubServer } from '../fixtures/hub/server';

const SHA = 'c'.repeat(40);

describe('offline mode and fallbacks', () => {
  let hub: FixtureHubServer;
  const hfCache = tempDir();
  const env = { HF_HUB_CACHE: hfCache.path };
  before(async () => {
    hub = await FixtureHubServer.start();
    writeLocalSnapshot(hfCache.path, 'local-only/model', SHA, {
      'config.json': JSON.stringify({ model_type: 'llama', num_hidden_layers: 2 }),
      'pytorch_model.bin': 'pickle',
      'README.md': '# local',
    });
  });
  beforeEach(() => hub.reset());
  after(async () => {
    hfCache.remove();
    await hub.close();
  });

  it('makes no request at all when offline', async () => {
    const client = fixtureClient(hub, { offline: true });
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'offline');
    assert.match(r.error.message, /offline mode is on .* model info for "microsoft\/phi-2" is in neither the PTM Lens cache nor the local Hugging Face cache/);
    assert.equal(hub.requests.length, 0);
    await client.close();
  });

  it('turns offline with HF_HUB_OFFLINE=1', async () => {
    const client = new HubClient({ endpoint: hub.url, env: { HF_HUB_OFFLINE: '1' }, cacheDir: false });
    assert.equal(client.offline, true);
    const r = await client.configJson('microsoft/phi-2');
    assert.ok(!r.ok && r.error.kind === 'offline');
    assert.equal(hub.requests.length, 0);
    await client.close();
    assert.equal(new HubClient({ env: { HF_HUB_OFFLINE: '0' }, cacheDir: false }).offline, false);
  });

  it('serves the disk cache offline even past its TTL', async () => {
    const dir = tempDir();
    const online = fixtureClient(hub, { cacheDir: dir.path });
    assert.ok((await online.modelInfo('openai/whisper-tiny')).ok);
    await online.close();
    hub.reset();
    const offline = fixtureClient(hub, { cacheDir: dir.path, offline: true, ttlMs: 0 });
    const r = await offline.modelInfo('openai/whisper-tiny');
    assert.ok(r.ok);
    assert.equal(r.source, 'stale-cache');
    assert.equal(hub.requests.length, 0);
    await offline.close();
    dir.remove();
  });

  it('reads the local Hugging Face cache offline', async () => {
    const client = fixtureClient(hub, { offline: true, useLocalHfCache: true, env });
    const cfg = await client.configJson('local-only/model');
    assert.ok(cfg.ok);
    assert.equal(cfg.source, 'local-hf-cache');
    assert.equal(cfg.value.model_type, 'llama');
    const readme = await client.readme('local-only/model');
    assert.ok(readme.ok && readme.value === '# local');
    const info = await client.modelInfo('local-only/model');
    assert.ok(info.ok);
    assert.equal(info.source, 'local-hf-cache');
    assert.equal(info.value.partial, true);
    assert.equal(info.value.sha, SHA);
    assert.deepEqual(info.value.siblings.map((s) => s.rfilename), ['README.md', 'config.json', 'pytorch_model.bin']);
    assert.equal(hub.requests.length, 0);
    await client.close();
  });

  it('falls back to a stale cached answer when the Hub fails', async () => {
    const dir = tempDir();
    const first = fixtureClient(hub, { cacheDir: dir.path });
    assert.ok((await first.modelInfo('tiiuae/falcon-7b')).ok);
    await first.close();
    hub.addFault({ type: 'status', status: 503, match: '/api/models/tiiuae' });
    const later = fixtureClient(hub, { cacheDir: dir.path, ttlMs: 0, maxRetries: 1 });
    const r = await later.modelInfo('tiiuae/falcon-7b');
    assert.ok(r.ok);
    assert.equal(r.source, 'stale-cache');
    await later.close();
    dir.remove();
  });

  it('falls back to the local Hugging Face cache when the Hub cannot be reached', async () => {
    const client = new HubClient({ endpoint: 'http://127.0.0.1:9', env, cacheDir: false, useEnvToken: false, maxRetries: 0 });
    const cfg = await client.configJson('local-only/model');
    assert.ok(cfg.ok && cfg.source === 'local-hf-cache');
    await client.close();
  });
});
