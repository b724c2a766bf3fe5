import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubClient, type HubClientOptions } from '../../server/hub/client';
import { HubFacts } from '../../server/engine/model-facts';
import { TimeBudget } from '../../server/hub/budget';
import { fixtureClient, tempDir } from '../fixtures/hub/helpers';
import { FixtureHubServer, syntheticId } from '../fixtures/hub/server';
import { closedPort, dnsAgent, SilentServer } from '../fixtures/hub/unreachable';
import { writeLocalSnapshot } from '../fixtures/hub/local-cache-layout';

const IDS = Array.from({ length: 66 }, (_, i) => syntheticId(i));

function client(endpoint: string, options: HubClientOptions = {}): HubClient {
  return new HubClient({ endpoint, env: {}, cacheDir: false, useEnvToken: false, useLocalHfCache: false, retryBaseMs: 20, retryCapMs: 80, ...options });
}

/** What a scan does per model: model info, then the card when there is one. */
async function scanAll(c: HubClient) {
  const facts = new HubFacts(c);
  return Promise.all(IDS.map((id) => facts.get(id)));
}

describe('an unreachable Hub', () => {
  it('is found out once when its name does not resolve, and the other lookups are not made', async () => {
    const dns = dnsAgent();
    const c = client('http://hub.example.invalid', { dispatcher: dns.agent });
    const results = await scanAll(c);
    assert.ok(results.every((r) => !r.info.ok));
    // Without the breaker: 66 models x 4 attempts. With it: at most the first wave in flight.
    assert.ok(dns.lookups <= c.concurrency, `${dns.lookups} name lookups`);
    const kinds = new Set(results.map((r) => (!r.info.ok ? r.info.error.kind : 'ok')));
    assert.deepEqual([...kinds].sort(), ['network', 'not-looked-up']);
    const notes = c.notes.filter((n) => /cannot be reached/.test(n.message));
    assert.equal(notes.length, 1);
    assert.match(notes[0].message, /ENOTFOUND/);
    assert.equal(c.state(), 'unreachable');
    await dns.agent.close();
  });

  it('is found out once when the connection is refused', async () => {
    const port = await closedPort();
    const dns = dnsAgent(() => true);
    const c = client(`http://hub.test:${port}`, { dispatcher: dns.agent });
    const results = await scanAll(c);
    assert.ok(results.every((r) => !r.info.ok));
    assert.ok(dns.lookups <= c.concurrency, `${dns.lookups} connection attempts`);
    assert.equal(c.notes.length, 1);
    assert.match(c.notes[0].message, /ECONNREFUSED/);
    await dns.agent.close();
  });

  it('is found out after the first wave of silent connections, not after every model', async () => {
    const silent = await SilentServer.start();
    const c = client(silent.url, { firstAnswerMs: 150 });
    const started = Date.now();
    const results = await scanAll(c);
    assert.ok(results.every((r) => !r.info.ok));
    // Without the breaker: 66 x 4 attempts. With it: about one wave (the bound leaves room for a loaded machine).
    assert.ok(silent.connections <= 2 * c.concurrency, `${silent.connections} connections`);
    assert.equal(c.notes.length, 1);
    assert.match(c.notes[0].message, /no answer within 150 ms/);
    // Generous (a shared machine): two waves take 300 ms; without the breaker it is 5 waves x 4 attempts x 150 ms at least.
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    await c.close();
    await silent.close();
  });

  it('still answers from the disk cache and the local Hugging Face cache', async () => {
    const cache = tempDir();
    const hf = tempDir();
    const hub = await FixtureHubServer.start();
    const dns = dnsAgent(() => true);
    const endpoint = `http://hub.test:${hub.port}`;
    const warm = client(endpoint, { dispatcher: dns.agent, cacheDir: cache.path });
    assert.ok((await warm.modelInfo('microsoft/phi-2')).ok);
    await dns.agent.close();
    // A new process: same endpoint, but its name no longer resolves.
    const down = dnsAgent();
    writeLocalSnapshot(hf.path, 'openai/whisper-tiny', 'a'.repeat(40), { 'config.json': '{"model_type": "whisper"}' });

    const c = client(endpoint, { dispatcher: down.agent, cacheDir: cache.path, ttlMs: 0, useLocalHfCache: true, env: { HF_HUB_CACHE: hf.path } });
    // The first lookup finds the Hub unreachable; the cached answer still comes back.
    const [phi, whisper] = await Promise.all([c.modelInfo('microsoft/phi-2'), c.modelInfo('openai/whisper-tiny')]);
    assert.ok(phi.ok && phi.source === 'stale-cache', JSON.stringify(phi));
    assert.ok(whisper.ok && whisper.source === 'local-hf-cache', JSON.stringify(whisper));
    const missing = await c.modelInfo('nobody/anything');
    assert.ok(!missing.ok && missing.error.kind === 'not-looked-up');
    assert.ok(down.lookups <= 2, `${down.lookups} lookups`);
    await down.agent.close();
    await hub.close();
    cache.remove();
    hf.remove();
  });

  it('is tried again on request, and then answers', async () => {
    let up = false;
    const hub = await FixtureHubServer.start();
    const dns = dnsAgent(() => up);
    const states: string[] = [];
    const c = client(`http://hub.test:${hub.port}`, { dispatcher: dns.agent, onStateChange: (s) => states.push(s) });
    assert.ok(!(await c.modelInfo('microsoft/phi-2')).ok);
    assert.equal(c.state(), 'unreachable');
    up = true;
    assert.ok(!(await c.modelInfo('microsoft/phi-2')).ok, 'stays unreachable until told to try again');
    assert.equal(hub.requests.length, 0);
    c.retryConnection();
    assert.ok((await c.modelInfo('microsoft/phi-2')).ok);
    assert.deepEqual(states, ['unreachable', 'ok']);
    await dns.agent.close();
    await hub.close();
  });

  it('does not trip on one slow answer from a Hub that answers', async () => {
    const hub = await FixtureHubServer.start();
    hub.addFault({ type: 'hang', match: '/api/models/microsoft/phi-2', times: 1 });
    const c = fixtureClient(hub, { firstAnswerMs: 150, maxRetries: 2 });
    assert.ok((await c.modelInfo('microsoft/phi-2')).ok);
    assert.equal(c.state(), 'ok');
    assert.equal(c.notes.length, 0);
    await c.close();
    await hub.close();
  });
});

describe('the Hub time budget', () => {
  it('stops retries once spent and says so once', async () => {
    const hub = await FixtureHubServer.start({ synthetic: 20 });
    hub.addFault({ type: 'status', status: 503 });
    const c = fixtureClient(hub, { maxRetries: 50, retryBaseMs: 100, retryCapMs: 100, concurrency: 4, timeBudgetMs: 400 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.modelInfo(syntheticId(i))));
    assert.ok(results.every((r) => !r.ok));
    // Without a budget: 20 x 51 attempts.
    assert.ok(hub.requests.length <= 40, `${hub.requests.length} requests`);
    assert.ok(results.some((r) => !r.ok && r.error.kind === 'not-looked-up'));
    assert.equal(c.notes.filter((n) => /time budget/.test(n.message)).length, 1);
    assert.equal(c.state(), 'budget-spent');
    await c.close();
    await hub.close();
  });

  it('of 0 lets a lookup ask once, and never wait to retry', async () => {
    const hub = await FixtureHubServer.start();
    hub.addFault({ type: 'status', status: 503, times: 1 });
    const c = fixtureClient(hub, { maxRetries: 3, timeBudgetMs: 0 });
    const r = await c.modelInfo('microsoft/phi-2');
    assert.ok(!r.ok && r.error.kind === 'server');
    assert.equal(hub.requests.length, 1);
    await c.close();
    await hub.close();
  });

  it('counts overlapping waits once', async () => {
    let now = 0;
    const b = new TimeBudget(1000, () => now);
    now = 300;
    b.charge(0);
    b.charge(100); // the same wait, seen by another lookup
    assert.equal(b.remainingMs(), 700);
    now = 500;
    b.charge(400);
    assert.equal(b.remainingMs(), 600);
    b.renew();
    assert.equal(b.remainingMs(), 1000);
  });

  it('is not spent by answers that came back', async () => {
    const hub = await FixtureHubServer.start({ synthetic: 40, latencyMs: 20 });
    const c = fixtureClient(hub, { concurrency: 2, timeBudgetMs: 100 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.modelInfo(syntheticId(i))));
    assert.ok(results.every((r) => r.ok));
    assert.equal(c.budget.remainingMs(), 100);
    await c.close();
    await hub.close();
  });
});
