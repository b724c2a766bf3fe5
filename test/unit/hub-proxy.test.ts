import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureClient } from '../fixtures/hub/helpers';
import { FixtureProxy } from '../fixtures/hub/proxy';
import { FixtureHubServer } from '../fixtures/hub/server';

describe('proxies', () => {
  it('goes through an explicit proxy URL (VS Code http.proxy)', async () => {
    const hub = await FixtureHubServer.start();
    const proxy = await FixtureProxy.start();
    const client = fixtureClient(hub, { proxy: proxy.url });
    const r = await client.modelInfo('openai/whisper-tiny');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(proxy.seen.length, 1);
    assert.match(proxy.seen[0], new RegExp(`${hub.host}:${hub.port}`));
    await client.close();
    await proxy.close();
    await hub.close();
  });

  it('uses HTTPS_PROXY/HTTP_PROXY from the environment and honours NO_PROXY', async () => {
    const hub = await FixtureHubServer.start();
    const proxy = await FixtureProxy.start();
    const viaEnv = fixtureClient(hub, { env: { HTTP_PROXY: proxy.url } });
    assert.ok((await viaEnv.modelInfo('openai/whisper-tiny')).ok);
    assert.equal(proxy.seen.length, 1);
    await viaEnv.close();
    const bypass = fixtureClient(hub, { env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
    assert.ok((await bypass.modelInfo('microsoft/phi-2')).ok);
    assert.equal(proxy.seen.length, 1, 'NO_PROXY host went direct');
    await bypass.close();
    await proxy.close();
    await hub.close();
  });
});
