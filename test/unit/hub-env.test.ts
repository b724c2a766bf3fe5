import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HubClient } from '../../server/hub/client';
import { findLocalCommit } from '../../server/hub/local-cache';
import { expandPath, findTokenWithSource, firstAnswerTimeoutMs, hfHome, hubCacheDirs, isOfflineEnv } from '../../server/hub/settings';
import { tempDir } from '../fixtures/hub/helpers';
import { writeLocalSnapshot } from '../fixtures/hub/local-cache-layout';
import { SilentServer } from '../fixtures/hub/unreachable';

describe('environment parity with huggingface_hub', () => {
  it('expands ~ and $VAR in path variables', () => {
    const env = { HOME: '/home/u', BASE: '/data' };
    assert.equal(expandPath('~/hf', env), '/home/u/hf');
    assert.equal(expandPath('$BASE/hf', env), '/data/hf');
    assert.equal(expandPath('${BASE}/hf', env), '/data/hf');
    assert.equal(expandPath('$NOPE/hf', env), '$NOPE/hf');
    assert.equal(expandPath('/a~b', env), '/a~b');
    assert.equal(hfHome({ HF_HOME: '~/hf', HOME: '/home/u' }), '/home/u/hf');
    assert.deepEqual(hubCacheDirs({ HF_HUB_CACHE: '$BASE/hub', BASE: '/data' }), ['/data/hub']);
  });

  it('reads TRANSFORMERS_CACHE after the hub cache', () => {
    assert.deepEqual(hubCacheDirs({ HF_HOME: '/h', TRANSFORMERS_CACHE: '/t' }), [join('/h', 'hub'), '/t']);
    const t = tempDir();
    writeLocalSnapshot(t.path, 'acme/model', 'b'.repeat(40), { 'config.json': '{}' });
    assert.equal(findLocalCommit('acme/model', 'main', { HF_HOME: join(t.path, 'empty'), TRANSFORMERS_CACHE: t.path }), 'b'.repeat(40));
    t.remove();
  });

  it('takes the token from HF_TOKEN, HUGGING_FACE_HUB_TOKEN, then HF_TOKEN_PATH (expanded)', () => {
    const home = tempDir();
    mkdirSync(join(home.path, 'tok'));
    writeFileSync(join(home.path, 'tok', 'token'), 'from-file\n');
    assert.deepEqual(findTokenWithSource({ HF_TOKEN: 'a', HUGGING_FACE_HUB_TOKEN: 'b' }), { token: 'a', source: 'HF_TOKEN' });
    assert.deepEqual(findTokenWithSource({ HUGGING_FACE_HUB_TOKEN: 'b', HF_HOME: home.path }), { token: 'b', source: 'HUGGING_FACE_HUB_TOKEN' });
    const fromFile = findTokenWithSource({ HF_TOKEN_PATH: '~/tok/token', HOME: home.path });
    assert.equal(fromFile?.token, 'from-file');
    assert.match(fromFile!.source, /token file/);
    home.remove();
  });

  it('sends no implicit token with HF_HUB_DISABLE_IMPLICIT_TOKEN, but an explicit one', () => {
    assert.equal(findTokenWithSource({ HF_TOKEN: 'a', HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' }), undefined);
    assert.equal(new HubClient({ env: { HF_TOKEN: 'a', HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' }, cacheDir: false }).hasToken, false);
    assert.equal(new HubClient({ env: { HF_HUB_DISABLE_IMPLICIT_TOKEN: '1' }, token: 'x', cacheDir: false }).hasToken, true);
  });

  it('is offline with TRANSFORMERS_OFFLINE as with HF_HUB_OFFLINE', () => {
    assert.equal(isOfflineEnv({ TRANSFORMERS_OFFLINE: '1' }), true);
    assert.equal(new HubClient({ env: { TRANSFORMERS_OFFLINE: '1' }, cacheDir: false }).offline, true);
    assert.equal(isOfflineEnv({}), false);
  });

  it('waits HF_HUB_ETAG_TIMEOUT seconds for a first answer', async () => {
    assert.equal(firstAnswerTimeoutMs({}), 10_000);
    assert.equal(firstAnswerTimeoutMs({ HF_HUB_ETAG_TIMEOUT: '0.2' }), 200);
    assert.equal(firstAnswerTimeoutMs({ HF_HUB_ETAG_TIMEOUT: 'soon' }), 10_000);
    const silent = await SilentServer.start();
    const c = new HubClient({ endpoint: silent.url, env: { HF_HUB_ETAG_TIMEOUT: '0.2' }, cacheDir: false, useLocalHfCache: false, maxRetries: 0 });
    const r = await c.modelInfo('acme/model');
    assert.ok(!r.ok);
    assert.match(r.error.message, /no answer within 200 ms/);
    await c.close();
    await silent.close();
  });
});
