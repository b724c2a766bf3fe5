import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HubClient } from '../../server/hub/client';
import { fixtureClient } from '../fixtures/hub/helpers';
import { FixtureHubServer } from '../fixtures/hub/server';

const INFO = '/api/models/microsoft/phi-2';

describe('HubClient under faults', () => {
  let hub: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start();
  });
  beforeEach(() => hub.reset());
  after(async () => {
    await hub.close();
  });

  it('retries 500s and succeeds when the Hub recovers', async () => {
    const client = fixtureClient(hub, { maxRetries: 3 });
    hub.addFault({ type: 'status', status: 500, match: INFO, times: 2 });
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(hub.requests.map((q) => q.status), [500, 500, 200]);
    await client.close();
  });

  it('gives up after the retry budget with a server error', async () => {
    const client = fixtureClient(hub, { maxRetries: 2 });
    hub.addFault({ type: 'status', status: 503, match: INFO });
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'server');
    assert.equal(r.error.status, 503);
    assert.match(r.error.message, /HTTP 503 for model "microsoft\/phi-2" \(after 3 attempts\)/);
    assert.equal(hub.count(INFO), 3);
    await client.close();
  });

  it('does not retry answers that will not change (404, gated)', async () => {
    const client = fixtureClient(hub, { maxRetries: 3 });
    const r = await client.modelInfo('nobody/nothing-here');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'not-found');
    assert.equal(hub.requests.length, 1);
    await client.close();
  });

  it('times out a request that hangs, per attempt', async () => {
    const client = fixtureClient(hub, { timeoutMs: 150, maxRetries: 1 });
    hub.addFault({ type: 'hang', match: INFO });
    const started = Date.now();
    const r = await client.modelInfo('microsoft/phi-2');
    const took = Date.now() - started;
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'timeout');
    assert.match(r.error.message, /model info for "microsoft\/phi-2".*no complete answer within 150 ms \(after 2 attempts\)/);
    assert.equal(hub.count(INFO), 2);
    assert.ok(took >= 300 && took < 2000, `took ${took} ms`);
    await client.close();
  });

  it('recovers when only the first attempt hangs', async () => {
    const client = fixtureClient(hub, { timeoutMs: 150, maxRetries: 1 });
    hub.addFault({ type: 'hang', match: INFO, times: 1 });
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(r.ok);
    await client.close();
  });

  it('rejects malformed JSON with a clear message and does not cache it', async () => {
    const client = fixtureClient(hub);
    hub.addFault({ type: 'malformed', match: INFO, times: 1 });
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'malformed');
    assert.match(r.error.message, /answer for model info for "microsoft\/phi-2" is unusable: model info is not valid JSON/);
    assert.match(r.error.message, /starts with "\{"id": "broken"/);
    const again = await client.modelInfo('microsoft/phi-2');
    assert.ok(again.ok);
    await client.close();
  });

  it('rejects JSON of the wrong shape', async () => {
    const client = fixtureClient(hub);
    hub.addModel({ id: 'odd/shape', info: { id: 'odd/shape', siblings: 'nope' } });
    const r = await client.modelInfo('odd/shape');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'malformed');
    assert.match(r.error.message, /"siblings" is not a list/);
    await client.close();
  });

  it('stops reading a body past the size bound (streamed, no length)', async () => {
    const client = fixtureClient(hub, { maxBodyBytes: 256 * 1024 });
    hub.addFault({ type: 'huge', match: INFO, bytes: 512 * 1024 * 1024 });
    const started = Date.now();
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'too-large');
    assert.match(r.error.message, /larger than 262144 bytes/);
    assert.ok(Date.now() - started < 2000, 'aborted early instead of downloading 512 MiB');
    assert.equal(hub.count(INFO), 1, 'too-large is not retried');
    await client.close();
  });

  it('rejects a declared Content-Length past the bound before reading', async () => {
    const client = fixtureClient(hub, { maxBodyBytes: 1024 });
    hub.addFault({ type: 'huge', match: INFO, bytes: 10 * 1024 * 1024, declareLength: true });
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'too-large');
    await client.close();
  });

  it('waits for the reset a 429 announces, then succeeds', async () => {
    const client = fixtureClient(hub);
    hub.addFault({ type: 'too-many', match: INFO, times: 1, resetSeconds: 1 });
    const started = Date.now();
    const r = await client.modelInfo('microsoft/phi-2');
    const took = Date.now() - started;
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(hub.requests.map((q) => q.status), [429, 200]);
    assert.ok(took >= 1000 && took < 2500, `took ${took} ms`);
    await client.close();
  });

  it('fails as rate-limited when the reset is further than it will wait', async () => {
    const client = fixtureClient(hub, { maxRateLimitWaitMs: 5000 });
    hub.addFault({ type: 'too-many', match: INFO, resetSeconds: 120 });
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'rate-limited');
    assert.equal(r.error.status, 429);
    assert.match(r.error.message, /rate limit was reached while reading model "microsoft\/phi-2".*wait 120 s/);
    await client.close();
  });

  it('reports a network error when nothing listens', async () => {
    const port = await freePort();
    const client = new HubClient({ endpoint: `http://127.0.0.1:${port}`, env: {}, cacheDir: false, useEnvToken: false, useLocalHfCache: false, maxRetries: 1, retryBaseMs: 5 });
    const r = await client.modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'network');
    assert.match(r.error.message, /could not read model info for "microsoft\/phi-2" from http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    await client.close();
  });

  it('loses nothing when many lookups meet a mix of faults', async () => {
    const client = fixtureClient(hub, { maxRetries: 4, timeoutMs: 300, concurrency: 4 });
    hub.addFault({ type: 'latency', latencyMs: 20, times: 20 });
    hub.addFault({ type: 'status', status: 502, match: '/api/models/openai', times: 3 });
    hub.addFault({ type: 'hang', match: '/google-bert', times: 1 });
    hub.addFault({ type: 'too-many', match: '/api/models/tiiuae', times: 2, resetSeconds: 0 });
    const ids = ['openai/whisper-tiny', 'openai-community/gpt2', 'google-bert/bert-base-uncased', 'tiiuae/falcon-7b', 'microsoft/phi-2'];
    const results = await Promise.all(ids.flatMap((id) => [client.modelInfo(id), client.configJson(id)]));
    for (const [i, r] of results.entries()) assert.ok(r.ok, `lookup ${i}: ${JSON.stringify(r)}`);
    await client.close();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('HubClient after a long rate-limit answer', () => {
  it('fails other lookups fast instead of queueing them behind the reset', async () => {
    const hub = await FixtureHubServer.start();
    const client = fixtureClient(hub, { maxRateLimitWaitMs: 2000 });
    hub.addFault({ type: 'too-many', match: INFO, resetSeconds: 300 });
    const first = await client.modelInfo('microsoft/phi-2');
    assert.ok(!first.ok && first.error.kind === 'rate-limited');
    hub.reset();
    const started = Date.now();
    const other = await client.modelInfo('openai/whisper-tiny');
    assert.ok(!other.ok);
    assert.equal(other.error.kind, 'not-looked-up');
    assert.match(other.error.message, /wait 300 s/);
    assert.ok(Date.now() - started < 500);
    assert.equal(hub.requests.length, 0, 'no request is spent while the budget is known to be empty');
    await client.close();
    await hub.close();
  });
});
