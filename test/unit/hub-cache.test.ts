import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DiskCache } from '../../server/hub/disk-cache';
import { fixtureClient, logSink, tempDir } from '../fixtures/hub/helpers';
import { FixtureHubServer } from '../fixtures/hub/server';

describe('request coalescing and the disk cache', () => {
  let hub: FixtureHubServer;
  let dir: ReturnType<typeof tempDir>;
  before(async () => {
    hub = await FixtureHubServer.start({ latencyMs: 20 });
  });
  beforeEach(() => {
    hub.reset();
    dir?.remove();
    dir = tempDir();
  });
  after(async () => {
    dir.remove();
    await hub.close();
  });

  it('answers 10 concurrent asks for one model with one request', async () => {
    const client = fixtureClient(hub);
    const results = await Promise.all(Array.from({ length: 10 }, () => client.modelInfo('openai/whisper-tiny')));
    assert.ok(results.every((r) => r.ok && r.value.id === 'openai/whisper-tiny'));
    assert.equal(hub.requests.length, 1);
    // Asks for a legacy id and its canonical id are different requests; each coalesces on its own.
    await Promise.all([client.configJson('gpt2'), client.configJson('gpt2'), client.configJson('openai-community/gpt2')]);
    assert.equal(hub.count('/gpt2/'), 1);
    await client.close();
  });

  it('serves a fresh client from the disk cache without the network', async () => {
    const first = fixtureClient(hub, { cacheDir: dir.path });
    assert.ok((await first.modelInfo('gpt2')).ok);
    assert.ok((await first.configJson('gpt2')).ok);
    assert.ok((await first.readme('gpt2')).ok);
    await first.close();
    const networkCalls = hub.requests.length;

    const second = fixtureClient(hub, { cacheDir: dir.path });
    const info = await second.modelInfo('gpt2');
    assert.ok(info.ok);
    assert.equal(info.source, 'cache');
    assert.equal(info.value.canonicalId, 'openai-community/gpt2');
    assert.equal(info.value.renamed, true);
    const cfg = await second.configJson('gpt2');
    assert.ok(cfg.ok && cfg.source === 'cache' && cfg.value.n_layer === 12);
    const readme = await second.readme('gpt2');
    assert.ok(readme.ok && readme.source === 'cache');
    assert.equal(hub.requests.length, networkCalls, 'no request on the warm path');
    assert.ok(!readdirSync(dir.path).some((f) => f.endsWith('.tmp')), 'no temp files left behind');
    await second.close();
  });

  it('revalidates an expired entry with If-None-Match and keeps it on 304', async () => {
    const first = fixtureClient(hub, { cacheDir: dir.path });
    assert.ok((await first.modelInfo('microsoft/phi-2')).ok);
    const etag = await etagOf(hub, '/api/models/microsoft/phi-2');
    await first.close();
    hub.reset();

    const later = fixtureClient(hub, { cacheDir: dir.path, ttlMs: 0 });
    const r = await later.modelInfo('microsoft/phi-2');
    assert.ok(r.ok);
    assert.equal(r.source, 'network');
    assert.equal(r.value.safetensors?.total, 2779683840);
    assert.equal(hub.requests.length, 1);
    assert.equal(hub.requests[0].headers['if-none-match'], etag);
    assert.equal(hub.requests[0].status, 304);
    await later.close();
  });

  it('refetches when the content changed behind the ETag', async () => {
    const first = fixtureClient(hub, { cacheDir: dir.path });
    assert.ok((await first.modelInfo('synthetic/changing')).ok === false);
    hub.addModel({ id: 'synthetic/changing', info: { id: 'synthetic/changing', likes: 1 } });
    const client = fixtureClient(hub, { cacheDir: dir.path, negativeTtlMs: 0 });
    const v1 = await client.modelInfo('synthetic/changing');
    assert.ok(v1.ok && v1.value.likes === 1);
    hub.addModel({ id: 'synthetic/changing', info: { id: 'synthetic/changing', likes: 2 } });
    const later = fixtureClient(hub, { cacheDir: dir.path, ttlMs: 0 });
    const v2 = await later.modelInfo('synthetic/changing');
    assert.ok(v2.ok && v2.value.likes === 2);
    assert.equal(hub.requests.at(-1)?.status, 200);
    await Promise.all([first.close(), client.close(), later.close()]);
  });

  it('drops a corrupt entry and refetches it', async () => {
    const first = fixtureClient(hub, { cacheDir: dir.path });
    assert.ok((await first.configJson('openai/whisper-tiny')).ok);
    await first.close();
    const [file] = readdirSync(dir.path);
    writeFileSync(join(dir.path, file), '{"format":1,"key":"trunc');
    hub.reset();

    const sink = logSink();
    const second = fixtureClient(hub, { cacheDir: dir.path, log: sink.log });
    const r = await second.configJson('openai/whisper-tiny');
    assert.ok(r.ok);
    assert.equal(r.source, 'network');
    assert.equal(hub.requests.length, 1);
    assert.ok(sink.lines.some((l) => /dropped unreadable cache entry/.test(l)), sink.lines.join('\n'));
    const rewritten = JSON.parse(readFileSync(join(dir.path, file), 'utf8'));
    assert.equal(rewritten.value.d_model, 384);
    await second.close();
  });

  it('drops an entry whose value no longer has the right shape', async () => {
    const first = fixtureClient(hub, { cacheDir: dir.path });
    assert.ok((await first.modelInfo('openai/whisper-tiny')).ok);
    await first.close();
    const [file] = readdirSync(dir.path);
    const entry = JSON.parse(readFileSync(join(dir.path, file), 'utf8'));
    entry.value.siblings = 42;
    writeFileSync(join(dir.path, file), JSON.stringify(entry));
    hub.reset();
    const second = fixtureClient(hub, { cacheDir: dir.path });
    const r = await second.modelInfo('openai/whisper-tiny');
    assert.ok(r.ok && r.source === 'network');
    await second.close();
  });

  it('caches not-found answers for a shorter time', async () => {
    const a = fixtureClient(hub, { cacheDir: dir.path });
    assert.ok(!(await a.modelInfo('bert-base-uncasd')).ok);
    await a.close();
    const b = fixtureClient(hub, { cacheDir: dir.path });
    const cached = await b.modelInfo('bert-base-uncasd');
    assert.ok(!cached.ok && cached.error.kind === 'not-found');
    assert.equal(hub.requests.length, 1);
    await b.close();
    const c = fixtureClient(hub, { cacheDir: dir.path, negativeTtlMs: 0 });
    assert.ok(!(await c.modelInfo('bert-base-uncasd')).ok);
    assert.equal(hub.requests.length, 2);
    await c.close();
  });

  it('keeps answers with and without a token apart', async () => {
    const anon = fixtureClient(hub, { cacheDir: dir.path });
    const denied = await anon.configJson('meta-llama/Llama-2-7b-hf');
    assert.ok(!denied.ok && denied.error.kind === 'gated');
    const withToken = fixtureClient(hub, { cacheDir: dir.path, token: 'hf_fixtureAllowedToken0001' });
    const ok = await withToken.configJson('meta-llama/Llama-2-7b-hf');
    assert.ok(ok.ok);
    await Promise.all([anon.close(), withToken.close()]);
  });
});

describe('DiskCache', () => {
  it('evicts the oldest entries past its size bound', async () => {
    const dir = tempDir();
    const cache = new DiskCache(dir.path, 10_000);
    const body = 'x'.repeat(900);
    for (let i = 0; i < 30; i++) {
      await cache.set(`k${i}`, { key: `k${i}`, storedAt: Date.now(), value: body });
      await new Promise((r) => setTimeout(r, 2));
    }
    assert.ok((await cache.size()) <= 10_000);
    const onDisk = readdirSync(dir.path).length;
    assert.ok(onDisk < 30 && onDisk >= 8, `${onDisk} files`);
    assert.equal(await cache.get('k0'), undefined, 'oldest evicted');
    assert.equal((await cache.get('k29'))?.value, body, 'newest kept');
    // A fresh instance learns the folder's size from disk.
    assert.equal(await new DiskCache(dir.path, 10_000).size(), await cache.size());
    dir.remove();
  });

  it('ignores an entry written for another key', async () => {
    const dir = tempDir();
    const cache = new DiskCache(dir.path, 1e6);
    await cache.set('a', { key: 'a', storedAt: 1, value: 1 });
    const [file] = readdirSync(dir.path);
    const text = readFileSync(join(dir.path, file), 'utf8').replace('"key":"a"', '"key":"b"');
    writeFileSync(join(dir.path, file), text);
    assert.equal(await cache.get('a'), undefined);
    assert.deepEqual(readdirSync(dir.path), []);
    dir.remove();
  });
});

describe('DiskCache folder listing', () => {
  it('answers a key without a file from one listing of the folder, and reads again once the listing is old', async () => {
    const dir = tempDir();
    const writer = new DiskCache(dir.path, 1e6);
    const reader = new DiskCache(dir.path, 1e6, undefined, undefined, 60_000);
    assert.equal(await reader.get('a'), undefined);
    // Written by another instance (another process) after the reader listed the folder: a lookup
    // that opened the file would find it; the reader trusts its listing instead.
    await writer.set('a', { key: 'a', storedAt: 1, value: 1 });
    assert.equal(await reader.get('a'), undefined, 'a missing key costs no read while the listing is fresh');
    const fresh = new DiskCache(dir.path, 1e6, undefined, undefined, 0);
    assert.equal(await fresh.get('b'), undefined);
    await writer.set('b', { key: 'b', storedAt: 1, value: 2 });
    assert.equal((await fresh.get('b'))?.value, 2, 'an old listing is read again');
    dir.remove();
  });

  it('sees its own writes and deletes at once', async () => {
    const dir = tempDir();
    const cache = new DiskCache(dir.path, 1e6, undefined, undefined, 60_000);
    assert.equal(await cache.get('a'), undefined);
    await cache.set('a', { key: 'a', storedAt: 1, value: 1 });
    assert.equal((await cache.get('a'))?.value, 1);
    await cache.delete('a');
    assert.equal(await cache.get('a'), undefined);
    dir.remove();
  });

  it('starts from an empty listing when the folder does not exist yet', async () => {
    const dir = tempDir();
    const cache = new DiskCache(join(dir.path, 'not-yet'), 1e6, undefined, undefined, 60_000);
    assert.equal(await cache.get('a'), undefined);
    await cache.set('a', { key: 'a', storedAt: 1, value: 3 });
    assert.equal((await cache.get('a'))?.value, 3);
    dir.remove();
  });
});

/** The ETag the fixture Hub gives a path, read with a plain fetch. */
async function etagOf(hub: FixtureHubServer, path: string): Promise<string> {
  const res = await fetch(`${hub.url}${path}`);
  await res.text();
  return res.headers.get('etag') ?? '';
}
