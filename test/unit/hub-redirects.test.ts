import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HubFacts } from '../../server/engine/model-facts';
import { followable } from '../../server/hub/http';
import { isSafeRevision } from '../../server/hub/ids';
import { fixtureClient, tempDir } from '../fixtures/hub/helpers';
import { FixtureHubServer } from '../fixtures/hub/server';

const INFO = '/api/models/microsoft/phi-2';
const FILE = '/microsoft/phi-2/resolve/main/config.json';

describe('redirects', () => {
  let hub: FixtureHubServer;
  let other: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start();
    other = await FixtureHubServer.start({ host: '127.0.0.2' });
  });
  beforeEach(() => {
    hub.reset();
    other.reset();
  });
  after(async () => {
    await Promise.all([hub.close(), other.close()]);
  });

  it('are not followed off the endpoint for API answers, and not retried', async () => {
    hub.addFault({ type: 'redirect', match: INFO, location: other.url });
    const r = await fixtureClient(hub, { maxRetries: 3 }).modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'refused');
    assert.match(r.error.message, /another host/);
    assert.equal(other.requests.length, 0);
    assert.equal(hub.count(INFO), 1);
  });

  it('take no answer from another host as the repository\'s answer', async () => {
    const cache = tempDir();
    hub.addFault({ type: 'redirect', match: FILE, location: other.url, times: 1 });
    other.addFault({ type: 'status', status: 401, match: FILE });
    const c = fixtureClient(hub, { cacheDir: cache.path });
    const r = await c.configJson('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'refused');
    assert.notEqual(r.error.kind, 'private');
    // Not cached: the next lookup asks again and gets the real file.
    assert.ok((await c.configJson('microsoft/phi-2')).ok);
    cache.remove();
  });

  it('refuse other schemes once, without retrying', async () => {
    hub.addFault({ type: 'redirect', match: INFO, target: 'file:///etc/passwd' });
    const r = await fixtureClient(hub, { maxRetries: 3 }).modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'refused');
    assert.match(r.error.message, /file: URL/);
    assert.equal(hub.count(INFO), 1);
  });

  it('stop a loop after its first cycle', async () => {
    hub.addFault({ type: 'redirect', match: FILE, target: `${hub.url}${FILE}?a` });
    const r = await fixtureClient(hub, { maxRetries: 3 }).configJson('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'refused');
    assert.match(r.error.message, /redirect loop/);
    assert.equal(hub.count(FILE), 2);
  });

  it('never lead to internal addresses from a public endpoint', () => {
    const start = new URL('https://huggingface.co/org/m/resolve/main/config.json');
    const hf = 'https://huggingface.co';
    assert.match(followable(new URL('http://169.254.169.254/latest/meta-data'), start, hf)!, /internal address/);
    assert.match(followable(new URL('https://127.0.0.1/x'), start, hf)!, /internal address/);
    assert.match(followable(new URL('https://[::1]/x'), start, hf)!, /internal address/);
    assert.match(followable(new URL('https://10.1.2.3/x'), start, hf)!, /internal address/);
    assert.match(followable(new URL('http://cdn.example.com/x'), start, hf)!, /without https/);
    assert.equal(followable(new URL('https://cdn-lfs.hf.co/x'), start, hf), undefined);
    assert.equal(followable(new URL('https://huggingface.co/api/other'), new URL('https://huggingface.co/api/models/x'), hf), undefined);
    assert.match(followable(new URL('https://evil.example/api'), new URL('https://huggingface.co/api/models/x'), hf)!, /another host/);
    // A mirror on a private network may send its clients to its own neighbours.
    assert.equal(followable(new URL('https://10.0.0.9/x'), new URL('https://10.0.0.8/o/m/resolve/main/c'), 'https://10.0.0.8'), undefined);
  });
});

describe('values that shape URLs', () => {
  let hub: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start();
  });
  beforeEach(() => hub.reset());
  after(() => hub.close());

  it('refuse a revision of ".." from code without asking', async () => {
    const r = await fixtureClient(hub).modelInfo('microsoft/phi-2', { revision: '..' });
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'bad-request');
    assert.equal(hub.requests.length, 0);
  });

  it('refuse a sha of ".." from the Hub before it reaches a file URL', async () => {
    hub.addModel({ id: 'acme/odd-sha', info: { id: 'acme/odd-sha', sha: '..', gated: false, private: false, disabled: false, tags: [], siblings: [{ rfilename: 'README.md' }] }, readme: '# hi' });
    const facts = await new HubFacts(fixtureClient(hub)).get('acme/odd-sha');
    assert.ok(facts.info.ok);
    assert.ok(facts.readme && !facts.readme.ok);
    assert.deepEqual(hub.requests.map((q) => q.path), ['/api/models/acme/odd-sha']);
  });

  it('accept branch, tag and commit names', () => {
    for (const ok of ['main', 'v1.0', 'refs/pr/1', 'a'.repeat(40)]) assert.ok(isSafeRevision(ok), ok);
    for (const bad of ['..', '../x', 'a/../b', '.', 'a//b', '', '/abs', 'a\\b', 'x\ny']) assert.ok(!isSafeRevision(bad), JSON.stringify(bad));
  });
});
