import assert from 'node:assert/strict';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DiskCache } from '../../server/hub/disk-cache';
import { fixtureClient, tempDir } from '../fixtures/hub/helpers';
import { FixtureHubServer } from '../fixtures/hub/server';
import { HubClient } from '../../server/hub/client';

const IDS = ['microsoft/phi-2', 'openai/whisper-tiny', 'tiiuae/falcon-7b', 'openai-community/gpt2'];

describe('an unusable cache folder', () => {
  let hub: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start();
  });
  beforeEach(() => hub.reset());
  after(() => hub.close());

  it('falls back to memory with one warning when a file is in the way', async () => {
    const t = tempDir();
    const inTheWay = join(t.path, 'hub');
    writeFileSync(inTheWay, 'not a folder');
    const c = fixtureClient(hub, { cacheDir: inTheWay });
    const first = await Promise.all(IDS.map((id) => c.modelInfo(id)));
    assert.ok(first.every((r) => r.ok));
    const again = await Promise.all(IDS.map((id) => c.modelInfo(id)));
    assert.ok(again.every((r) => r.ok && r.source === 'cache'), 'kept in memory, not thrown away');
    assert.equal(hub.requests.length, IDS.length);
    const warnings = c.notes.filter((n) => /cache folder/.test(n.message));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].level, 'warning');
    t.remove();
  });

  it('falls back to memory when XDG_CACHE_HOME is a file', async () => {
    const t = tempDir();
    const xdg = join(t.path, 'xdg');
    writeFileSync(xdg, '');
    const c = new HubClient({ endpoint: hub.url, env: { XDG_CACHE_HOME: xdg }, useEnvToken: false, useLocalHfCache: false });
    assert.ok((await c.modelInfo('microsoft/phi-2')).ok);
    assert.ok((await c.modelInfo('openai/whisper-tiny')).ok);
    assert.equal(c.notes.length, 1);
    assert.match(c.notes[0].message, /in memory/);
    t.remove();
  });
});

describe('cache eviction', () => {
  it('is not fooled by modification times in the future', async () => {
    const t = tempDir();
    const entry = (key: string) => ({ key, storedAt: Date.now(), value: { pad: 'x'.repeat(900) } });
    const first = new DiskCache(t.path, 1_000_000);
    await first.set('from-the-future', entry('from-the-future'));
    const [future] = readdirSync(t.path);
    const nextYear = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    utimesSync(join(t.path, future), nextYear, nextYear);

    // A new process with a bound of about five entries writes ten.
    const cache = new DiskCache(t.path, 5_000);
    for (let i = 0; i < 10; i++) await cache.set(`k${i}`, entry(`k${i}`));
    assert.equal(await cache.get('from-the-future'), undefined, 'the entry dated in the future was evicted');
    assert.ok(await cache.get('k9'), 'the newest entry stays');
    t.remove();
  });

  it('does not take an entry stored in the future as fresh', async () => {
    const t = tempDir();
    const hub = await FixtureHubServer.start();
    const c = fixtureClient(hub, { cacheDir: t.path });
    const cache = new DiskCache(t.path, 1_000_000);
    assert.ok((await c.modelInfo('microsoft/phi-2')).ok);
    const [name] = readdirSync(t.path);
    const stored = JSON.parse(readFileSync(join(t.path, name), 'utf8'));
    await cache.set(stored.key, { ...stored, storedAt: Date.now() + 365 * 24 * 3600 * 1000 });
    hub.reset();
    const again = await fixtureClient(hub, { cacheDir: t.path }).modelInfo('microsoft/phi-2');
    assert.ok(again.ok);
    assert.equal(hub.requests.length, 1, 'revalidated with the Hub');
    await hub.close();
    t.remove();
  });
});
