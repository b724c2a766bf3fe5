import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubClient } from '../../server/hub/client';
import { HubSettingError, resolveEndpoint } from '../../server/hub/settings';
import { runCli } from '../support/cli';
import { tempWorkspace } from '../support/workspace';

const BAD_ENDPOINTS = ['huggingface.co', 'not a url', 'http://[::1', 'ftp://mirror.example/hf'];

describe('malformed Hub settings', () => {
  it('are typed errors that name the setting', () => {
    for (const value of BAD_ENDPOINTS) {
      assert.throws(() => resolveEndpoint(undefined, { HF_ENDPOINT: value }), (e: unknown) => e instanceof HubSettingError && e.setting === 'HF_ENDPOINT' && !e.message.includes('\n'), value);
    }
    assert.throws(() => resolveEndpoint('not a url', {}, 'ptmLens.hub.endpoint'), /ptmLens\.hub\.endpoint/);
    assert.match(String(captured(() => resolveEndpoint(undefined, { HF_ENDPOINT: 'huggingface.co' }))), /did you mean https:\/\/huggingface\.co/);
    assert.throws(() => new HubClient({ env: { HTTPS_PROXY: 'proxy here' }, cacheDir: false }), (e: unknown) => e instanceof HubSettingError && /PROXY/.test(e.setting));
  });

  it('stop the CLI with exit 2 and one line naming the setting, never a stack trace', () => {
    const ws = tempWorkspace({ 'app.py': 'from transformers import AutoModel\nAutoModel.from_pretrained("org/model")\n' });
    try {
      for (const value of BAD_ENDPOINTS) {
        const r = runCli(['scan', ws.root], { env: { HF_ENDPOINT: value, HF_HUB_OFFLINE: '' } });
        assert.equal(r.status, 2, `${value}: ${r.stderr}`);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], /^ptm-lens: HF_ENDPOINT: /);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      }
      const proxy = runCli(['scan', ws.root], { env: { HTTPS_PROXY: 'not a proxy', HF_HUB_OFFLINE: '' } });
      assert.equal(proxy.status, 2, proxy.stderr);
      assert.match(proxy.stderr, /HTTPS_PROXY/);
      const budget = runCli(['scan', ws.root, '--hub-budget', 'soon']);
      assert.equal(budget.status, 2);
      assert.match(budget.stderr, /--hub-budget/);
    } finally {
      ws.dispose();
    }
  });
});

function captured(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return (e as Error).message;
  }
}
