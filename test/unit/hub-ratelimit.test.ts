import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRateLimit, parseRetryAfter, RatePacer } from '../../server/hub/rate-limit';
import { Limiter } from '../../server/hub/limiter';
import { backoffDelay } from '../../server/hub/backoff';
import { fixtureClient } from '../fixtures/hub/helpers';
import { FixtureHubServer, syntheticId } from '../fixtures/hub/server';

describe('RateLimit headers', () => {
  it('parses the format the Hub sends', () => {
    assert.deepEqual(parseRateLimit({ ratelimit: '"api";r=0;t=12' }), { bucket: 'api', remaining: 0, resetSeconds: 12 });
    assert.deepEqual(parseRateLimit({ ratelimit: '"resolvers";r=3;t=7' }), { bucket: 'resolvers', remaining: 3, resetSeconds: 7 });
    assert.deepEqual(parseRateLimit({ ratelimit: 'r=3;t=7' }), { remaining: 3, resetSeconds: 7 });
    assert.deepEqual(parseRateLimit({ ratelimit: '"api";r=499;t=300', 'ratelimit-policy': '"fixed window";"api";q=500;w=300' }), {
      bucket: 'api',
      remaining: 499,
      resetSeconds: 300,
      windowSeconds: 300,
    });
    assert.deepEqual(parseRateLimit({ ratelimit: '"api";r=3;t=0.250' }), { bucket: 'api', remaining: 3, resetSeconds: 0.25 });
    assert.equal(parseRateLimit({}), undefined);
    assert.equal(parseRateLimit({ ratelimit: 'garbage' }), undefined);
    assert.equal(parseRetryAfter({ 'retry-after': '7' }), 7);
    assert.equal(parseRetryAfter({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }), undefined);
  });
});

describe('RatePacer', () => {
  it('never delays when no headers were seen', async () => {
    const pacer = new RatePacer();
    const started = Date.now();
    for (let i = 0; i < 1000; i++) await pacer.acquire();
    assert.equal(pacer.blockedForMs(), 0);
    // A generous bound (the machine is shared): nothing here ever waits for a timer.
    assert.ok(Date.now() - started < 1000);
  });

  it('spends the announced budget, then waits for the reset', async () => {
    let now = 1_000_000;
    const pacer = new RatePacer(() => now);
    pacer.observe({ remaining: 2, resetSeconds: 0.05 });
    await pacer.acquire();
    await pacer.acquire();
    assert.ok(pacer.blockedForMs() > 0);
    const waiting = pacer.acquire();
    now += 100; // the window has reset by the time the timer fires
    await waiting;
    assert.equal(pacer.blockedForMs(), 0);
  });

  it('treats a reset within the rounding of the current one as the same window', () => {
    let now = 0;
    const pacer = new RatePacer(() => now);
    pacer.observe({ remaining: 10, resetSeconds: 300, windowSeconds: 300 });
    now = 400;
    pacer.observe({ remaining: 3, resetSeconds: 300, windowSeconds: 300 }); // integer t rounds up
    now = 500;
    pacer.observe({ remaining: 7, resetSeconds: 299, windowSeconds: 300 }); // an older answer arriving late
    assert.equal(pacer.blockedForMs(), 0);
  });
});

describe('Limiter and backoff', () => {
  it('never runs more than the limit at once', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    assert.equal(peak, 3);
  });

  it('backs off exponentially, capped, with jitter', () => {
    const opts = { baseMs: 100, capMs: 1000 };
    assert.equal(backoffDelay(0, { ...opts, random: () => 0 }), 50);
    assert.equal(backoffDelay(0, { ...opts, random: () => 1 }), 100);
    assert.equal(backoffDelay(3, { ...opts, random: () => 1 }), 800);
    assert.equal(backoffDelay(10, { ...opts, random: () => 1 }), 1000);
    assert.equal(backoffDelay(10, { ...opts, random: () => 0 }), 500);
  });
});

describe('HubClient under a fixed-window rate limit', () => {
  it('loses no lookup and collects few 429s', async () => {
    const hub = await FixtureHubServer.start({ synthetic: 60, latencyMs: 10, rateLimit: { limit: 25, windowMs: 400, preciseReset: true } });
    const client = fixtureClient(hub, { concurrency: 8 });
    const ids = Array.from({ length: 60 }, (_, i) => syntheticId(i));
    const results = await Promise.all(ids.map((id) => client.modelInfo(id)));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results.find((r) => !r.ok)));
    const limited = hub.statusCounts.get(429) ?? 0;
    assert.ok(limited <= 3, `${limited} answers were 429`);
    await client.close();
    await hub.close();
  });

  it('also copes with whole-second reset times', async () => {
    const hub = await FixtureHubServer.start({ synthetic: 30, rateLimit: { limit: 20, windowMs: 1000 } });
    const client = fixtureClient(hub, { concurrency: 8 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => client.configJson(syntheticId(i))));
    assert.ok(results.every((r) => r.ok));
    assert.ok((hub.statusCounts.get(429) ?? 0) <= 2, `${hub.statusCounts.get(429)} answers were 429`);
    await client.close();
    await hub.close();
  });
});

describe('a 429 and the time budget', () => {
  it('waits a short reset once for all lookups, and says so once', async () => {
    const hub = await FixtureHubServer.start({ synthetic: 12 });
    hub.addFault({ type: 'too-many', match: '/api/models/synthetic', times: 1, resetSeconds: 1 });
    const c = fixtureClient(hub, { concurrency: 1, timeBudgetMs: 5000 });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => c.modelInfo(syntheticId(i))));
    assert.ok(results.every((r) => r.ok));
    assert.equal(hub.statusCounts.get(429), 1);
    assert.equal(hub.requests.length, 13);
    const waits = c.notes.filter((n) => /waiting 1 s/.test(n.message));
    assert.equal(waits.length, 1);
    // One reset, counted once however many lookups waited for it.
    assert.ok(c.budget.remainingMs() > 5000 - 2500, `${c.budget.remainingMs()} ms left`);
    await c.close();
    await hub.close();
  });

  it('does not wait for a reset longer than the budget left, and makes no other request', async () => {
    const hub = await FixtureHubServer.start({ synthetic: 20 });
    hub.addFault({ type: 'too-many', match: '/api/models/synthetic', times: 1, resetSeconds: 30 });
    const c = fixtureClient(hub, { concurrency: 1, timeBudgetMs: 20_000 });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.modelInfo(syntheticId(i))));
    assert.ok(Date.now() - started < 10_000, 'nothing waited for the 30 s reset');
    assert.equal(hub.requests.length, 1);
    assert.ok(results.every((r) => !r.ok && (r.error.kind === 'rate-limited' || r.error.kind === 'not-looked-up')));
    const said = c.notes.filter((n) => /resets in 30 s/.test(n.message));
    assert.equal(said.length, 1);
    assert.equal(c.state(), 'rate-limited');
    await c.close();
    await hub.close();
  });

  it('waits Retry-After, not t, when the bucket still has requests left', async () => {
    const hub = await FixtureHubServer.start();
    hub.addFault({ type: 'too-many', match: '/api/models/microsoft', times: 1, retryAfter: 1, remaining: 7, resetSeconds: 300 });
    const c = fixtureClient(hub, { timeBudgetMs: 5000 });
    const r = await c.modelInfo('microsoft/phi-2');
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(hub.requests.map((q) => q.status), [429, 200]);
    await c.close();
    await hub.close();
  });

  it('keeps the buckets apart: a spent "resolvers" limit does not stop API calls', async () => {
    const hub = await FixtureHubServer.start();
    hub.addFault({ type: 'too-many', match: '/microsoft/phi-2/resolve/', times: 1, resetSeconds: 300 });
    const c = fixtureClient(hub);
    const file = await c.configJson('microsoft/phi-2');
    assert.ok(!file.ok);
    assert.ok((await c.modelInfo('microsoft/phi-2')).ok, 'the api bucket is not spent');
    const other = await c.readme('microsoft/phi-2');
    assert.ok(!other.ok && other.error.kind === 'not-looked-up');
    await c.close();
    await hub.close();
  });
});
