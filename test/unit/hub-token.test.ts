import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HubClient } from '../../server/hub/client';
import { findToken } from '../../server/hub/settings';
import { fixtureClient, logSink, tempDir } from '../fixtures/hub/helpers';
import { FixtureHubServer } from '../fixtures/hub/server';

// Not shaped like a Hugging Face token, so only exact redaction can hide it.
const TOKEN = 'mirror-secret-7f3a9c21d4';
const HF_STYLE = 'hf_fixtureAllowedToken0001';
const INFO = '/api/models/microsoft/phi-2';
// File content may be redirected to another host (the Hub's CDN); API answers may not.
const FILE = '/microsoft/phi-2/resolve/main/config.json';

describe('the token', () => {
  let hub: FixtureHubServer;
  let other: FixtureHubServer;
  let sameHostOtherPort: FixtureHubServer;
  before(async () => {
    hub = await FixtureHubServer.start();
    other = await FixtureHubServer.start({ host: '127.0.0.2' });
    sameHostOtherPort = await FixtureHubServer.start();
  });
  beforeEach(() => {
    hub.reset();
    other.reset();
    sameHostOtherPort.reset();
  });
  after(async () => {
    await Promise.all([hub.close(), other.close(), sameHostOtherPort.close()]);
  });

  it('goes to the configured endpoint as a Bearer token', async () => {
    const client = fixtureClient(hub, { token: TOKEN });
    assert.ok((await client.modelInfo('microsoft/phi-2')).ok);
    assert.equal(hub.requests[0].headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(client.hasToken, true);
    await client.close();
  });

  it('stays behind when a redirect leads to another host', async () => {
    const client = fixtureClient(hub, { token: TOKEN });
    hub.addFault({ type: 'redirect', match: FILE, location: other.url });
    const r = await client.configJson('microsoft/phi-2');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(hub.requests[0].status, 302);
    assert.equal(hub.requests[0].headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(other.requests.length, 1);
    assert.equal(other.requests[0].path, FILE);
    assert.equal(other.requests[0].headers.authorization, undefined);
    await client.close();
  });

  it('stays behind for the same host name on another port', async () => {
    const client = fixtureClient(hub, { token: TOKEN });
    hub.addFault({ type: 'redirect', match: FILE, location: sameHostOtherPort.url });
    assert.ok((await client.configJson('microsoft/phi-2')).ok);
    assert.equal(sameHostOtherPort.requests[0].headers.authorization, undefined);
    await client.close();
  });

  it('is not sent again after a redirect chain returns to the endpoint', async () => {
    const client = fixtureClient(hub, { token: TOKEN });
    hub.addFault({ type: 'redirect', match: FILE, location: other.url, times: 1 });
    // Back to the endpoint by another URL (the same URL again would be a redirect loop).
    other.addFault({ type: 'redirect', match: FILE, target: `${hub.url}${FILE}?from=cdn`, times: 1 });
    assert.ok((await client.configJson('microsoft/phi-2')).ok);
    assert.deepEqual(
      hub.requests.map((q) => q.headers.authorization),
      [`Bearer ${TOKEN}`, undefined],
    );
    await client.close();
  });

  it('is kept on a same-origin redirect (renamed repository)', async () => {
    const client = fixtureClient(hub, { token: TOKEN });
    assert.ok((await client.configJson('gpt2')).ok);
    assert.deepEqual(hub.requests.map((q) => q.headers.authorization), [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    await client.close();
  });

  it('never appears in messages, logs, cache files or object dumps', async () => {
    const dir = tempDir();
    for (const token of [TOKEN, HF_STYLE]) {
      hub.reset();
      const sink = logSink();
      // No circuit breaker: the hanging lookup must not turn the others into "not looked up" before they echo.
      const client = fixtureClient(hub, { token, log: sink.log, cacheDir: dir.path, maxRetries: 1, timeoutMs: 400, circuitBreaker: false });
      // A server that echoes the Authorization header it received, in error and not-found answers.
      hub.addFault({ type: 'status', status: 500, match: INFO, errorMessage: 'bad auth: $AUTH' });
      hub.addFault({ type: 'status', status: 404, errorCode: 'RepoNotFound', match: '/api/models/openai', errorMessage: 'no repo for $AUTH' });
      hub.addFault({ type: 'hang', match: '/api/models/tiiuae' });
      hub.addFault({ type: 'malformed', match: '/api/models/google-bert' });
      const results = await Promise.all([
        client.modelInfo('microsoft/phi-2'),
        client.modelInfo('openai/whisper-tiny'),
        client.modelInfo('tiiuae/falcon-7b'),
        client.modelInfo('google-bert/bert-base-uncased'),
        client.configJson('meta-llama/Llama-2-7b-hf'),
        client.modelInfo('nobody/missing'),
      ]);
      const messages = results.map((r) => (r.ok ? '' : r.error.message));
      assert.ok(messages.every((m) => m.length > 0), 'all failed');
      assert.match(messages[0], /bad auth: Bearer \*\*\*|bad auth: Bearer hf_\*\*\*/);
      const everything = [
        ...messages,
        ...sink.lines,
        JSON.stringify(results),
        JSON.stringify(client),
        inspect(client, { depth: 5 }),
        ...readdirSync(dir.path).map((f) => readFileSync(join(dir.path, f), 'utf8')),
      ].join('\n');
      assert.ok(!everything.includes(token), 'token leaked');
      assert.ok(sink.lines.length > 0);
      await client.close();
    }
    dir.remove();
  });

  it('is read from HF_TOKEN, HF_TOKEN_PATH, then $HF_HOME/token', async () => {
    const home = tempDir();
    writeFileSync(join(home.path, 'token'), `${HF_STYLE}\n`);
    writeFileSync(join(home.path, 'other-token'), 'from-token-path\n');
    assert.equal(findToken({ HF_TOKEN: 'from-env', HF_HOME: home.path }), 'from-env');
    assert.equal(findToken({ HF_TOKEN_PATH: join(home.path, 'other-token'), HF_HOME: home.path }), 'from-token-path');
    assert.equal(findToken({ HF_HOME: home.path }), HF_STYLE);
    assert.equal(findToken({ HF_HOME: join(home.path, 'nowhere') }), undefined);
    mkdirSync(join(home.path, 'xdg', 'huggingface'), { recursive: true });
    writeFileSync(join(home.path, 'xdg', 'huggingface', 'token'), 'from-xdg');
    assert.equal(findToken({ XDG_CACHE_HOME: join(home.path, 'xdg') }), 'from-xdg');

    // The client picks the token file up (and sends it) unless told not to.
    const client = new HubClient({ endpoint: hub.url, env: { HF_HOME: home.path }, cacheDir: false });
    assert.ok((await client.configJson('meta-llama/Llama-2-7b-hf')).ok);
    assert.equal(hub.requests.at(-1)?.headers.authorization, `Bearer ${HF_STYLE}`);
    await client.close();
    const noEnv = new HubClient({ endpoint: hub.url, env: { HF_HOME: home.path }, cacheDir: false, useEnvToken: false });
    assert.equal(noEnv.hasToken, false);
    await noEnv.close();
    home.remove();
  });

  it('uses HF_ENDPOINT when no endpoint option is given', async () => {
    const client = new HubClient({ env: { HF_ENDPOINT: `${hub.url}/` }, cacheDir: false, useEnvToken: false });
    assert.equal(client.endpoint, hub.url);
    assert.ok((await client.modelInfo('openai/whisper-tiny')).ok);
    assert.equal(hub.requests.length, 1);
    await client.close();
  });
});
