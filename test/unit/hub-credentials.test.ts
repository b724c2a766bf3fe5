import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HubClient } from '../../server/hub/client';
import { redact } from '../../server/hub/redact';
import { restrictedAccess } from '../../server/rules/ptm103-restricted-access';
import { fixtureClient, tempDir } from '../fixtures/hub/helpers';
import { FixtureHubServer } from '../fixtures/hub/server';

const BAD = 'hf_revokedTokenThatTheHubNoLongerKnows';
const INFO = '/api/models/microsoft/phi-2';
const IDS = ['microsoft/phi-2', 'openai/whisper-tiny', 'tiiuae/falcon-7b', 'openai-community/gpt2'];

function cacheText(dir: string): string {
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
}

describe('a token the Hub rejects', () => {
  let hub: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start({ invalidTokens: [BAD] });
  });
  beforeEach(() => hub.reset());
  after(() => hub.close());

  it('is said once, and lookups go on without it', async () => {
    const cache = tempDir();
    const c = new HubClient({ endpoint: hub.url, env: { HF_TOKEN: BAD }, cacheDir: cache.path, useLocalHfCache: false });
    assert.equal(c.hasToken, true);
    const results = await Promise.all(IDS.map((id) => c.modelInfo(id)));
    for (const r of results) assert.ok(r.ok, JSON.stringify(r));
    const rejected = c.notes.filter((n) => /rejected/.test(n.message));
    assert.equal(rejected.length, 1);
    assert.match(rejected[0].message, /token from HF_TOKEN/);
    assert.doesNotMatch(rejected[0].message, new RegExp(BAD));
    assert.equal(c.hasToken, false);
    // Only requests already in flight carried it; the rest went without.
    const withToken = hub.requests.filter((q) => q.headers.authorization).length;
    assert.ok(withToken <= IDS.length);
    assert.equal(hub.requests.filter((q) => !q.headers.authorization && q.status === 200).length, IDS.length);
    // The 401 is nobody's answer: nothing says "private" in the cache.
    const text = cacheText(cache.path);
    assert.doesNotMatch(text, /"status":401|needs authorization|private"?:\s*true/);
    cache.remove();
  });

  it('names the stored token when that is the one rejected', async () => {
    const c = fixtureClient(hub, { token: BAD, tokenSource: 'the token stored with "PTM Lens: Set Hugging Face Token"' });
    assert.ok((await c.modelInfo('microsoft/phi-2')).ok);
    assert.match(c.notes[0].message, /stored with "PTM Lens: Set Hugging Face Token"/);
  });
});

describe('answers about access', () => {
  let hub: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start();
  });
  beforeEach(() => hub.reset());
  after(() => hub.close());

  it('reads 403 "disabled" as a disabled repository', async () => {
    hub.addFault({ type: 'status', status: 403, match: INFO, errorMessage: 'Access to this resource is disabled.' });
    const r = await fixtureClient(hub).modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'disabled');
    assert.match(r.error.message, /disabled/);
    // PTM103 reads it as the repository's state.
    const finding = restrictedAccess.check({ reference: { modelId: 'microsoft/phi-2' } as never, text: '', localCommit: () => undefined, facts: { info: r }, thresholds: {} as never, now: 0, surface: 'cli', unresolvedIdSeverity: 'info' });
    assert.match(finding[0].message, /disabled on the Hub/);
  });

  it('does not read 400 as "not found", and does not cache it', async () => {
    const cache = tempDir();
    hub.addFault({ type: 'status', status: 400, match: INFO, times: 1 });
    const c = fixtureClient(hub, { cacheDir: cache.path });
    const r = await c.modelInfo('microsoft/phi-2');
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'bad-request');
    assert.ok((await c.modelInfo('microsoft/phi-2')).ok, 'asked again, not served the 400 from the cache');
    assert.equal(hub.count(INFO), 2);
    cache.remove();
  });

  it('keeps an answer whose "gated" value it does not know', async () => {
    hub.addModel({ id: 'acme/new-gating', info: { id: 'acme/new-gating', gated: 'scheduled', private: false, disabled: false, tags: [], siblings: [] } });
    const r = await fixtureClient(hub).modelInfo('acme/new-gating');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.value.gated, 'manual');
  });
});

describe('secrets', () => {
  let hub: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start();
  });
  after(() => hub.close());

  it('does not cache an answer that echoes the token', async () => {
    const cache = tempDir();
    const token = 'hf_echoedBackByAServer01';
    hub.addModel({ id: 'acme/echo', info: { id: 'acme/echo', gated: false, private: false, disabled: false, tags: [], siblings: [], cardData: { note: `you sent ${token}` } } });
    const c = fixtureClient(hub, { token, cacheDir: cache.path });
    assert.ok((await c.modelInfo('acme/echo')).ok);
    assert.ok((await c.modelInfo('microsoft/phi-2')).ok);
    const text = cacheText(cache.path);
    assert.ok(text.includes('microsoft/phi-2'), 'other answers are cached');
    assert.ok(!text.includes(token));
    cache.remove();
  });

  it('redacts tokens of any length, and Bearer values', () => {
    assert.equal(redact('got xy!', 'xy'), 'got ***!');
    assert.equal(redact('got k', 'k'), 'got ***');
    assert.equal(redact('Authorization: Bearer abc.def-123', undefined), 'Authorization: Bearer ***');
  });

  it('keeps user:password of the endpoint out of messages and cache keys', async () => {
    const cache = tempDir();
    const endpoint = hub.url.replace('http://', 'http://mirror-user:s3cretPass@');
    const c = new HubClient({ endpoint, env: {}, cacheDir: cache.path, useEnvToken: false, useLocalHfCache: false });
    assert.doesNotMatch(c.endpoint, /s3cretPass|mirror-user/);
    assert.ok((await c.modelInfo('microsoft/phi-2')).ok);
    const missing = await c.modelInfo('nobody/nothing-here');
    assert.ok(!missing.ok);
    assert.doesNotMatch(missing.error.message, /s3cretPass/);
    assert.doesNotMatch(cacheText(cache.path), /s3cretPass|mirror-user/);
    cache.remove();
  });
});
