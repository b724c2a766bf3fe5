// The language server's side of the Hub: a bad endpoint setting costs one notification and
// no local diagnostic; an unreachable Hub is shown as a state and never holds analysis up.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { HubConnection } from '../../server/lsp/hub-connection';
import { tempDir } from '../fixtures/hub/helpers';
import { FixtureHubServer } from '../fixtures/hub/server';
import { closedPort } from '../fixtures/hub/unreachable';
import { TestLspClient } from '../support/lsp-client';
import { tempWorkspace } from '../support/workspace';

const APP = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("acme/some-model", trust_remote_code=True)\n';

async function waitFor<T>(what: string, get: () => T | undefined, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('language server and the Hub settings', () => {
  test('a malformed endpoint setting: one notification, and every local diagnostic still appears', async () => {
    const ws = tempWorkspace({ 'app.py': APP });
    const client = new TestLspClient({ rootUri: pathToFileURL(ws.root).toString(), hubSettings: { enabled: true, endpoint: 'not a url' } });
    const shown: string[] = [];
    // VS Code shows window/showMessageRequest as a notification toast.
    client.connection.onRequest('window/showMessageRequest', (p: { message: string }) => {
      shown.push(p.message);
      return null;
    });
    client.connection.onNotification('ptmLens/hubState', () => undefined);
    try {
      await client.start();
      const uri = pathToFileURL(ws.path('app.py')).toString();
      const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      assert.deepEqual(published.diagnostics.map((d) => d.code).sort(), ['PTM401', 'PTM402']);
      await waitFor('the notification', () => (shown.length ? shown : undefined));
      assert.equal(shown.length, 1);
      assert.match(shown[0], /ptmLens\.hub\.endpoint/);
      assert.ok(client.log.some((line) => /ptmLens\.hub\.endpoint/.test(line)));
      assert.ok(!client.stderr.join('').includes('    at '), client.stderr.join(''));
    } finally {
      await client.stop();
      ws.dispose();
    }
  });

  test('an unreachable Hub shows as a state; diagnostics do not wait for it', async () => {
    const ws = tempWorkspace({ 'app.py': APP });
    const port = await closedPort();
    const client = new TestLspClient({ rootUri: pathToFileURL(ws.root).toString(), env: { HF_HUB_OFFLINE: '' }, hubSettings: { enabled: true, endpoint: `http://127.0.0.1:${port}` } });
    const states: { state: string; detail: string; retryAt?: number }[] = [];
    client.connection.onNotification('ptmLens/hubState', (p: { state: string; detail: string }) => void states.push(p));
    try {
      await client.start();
      const uri = pathToFileURL(ws.path('app.py')).toString();
      await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'PTM402'));
      const unreachable = await waitFor('the unreachable state', () => states.find((s) => s.state === 'unreachable'));
      assert.match(unreachable.detail, /cannot be reached/);
      assert.ok(unreachable.retryAt && unreachable.retryAt > Date.now(), 'a background retry is scheduled');
    } finally {
      await client.stop();
      ws.dispose();
    }
  });
});

describe('the server\'s Hub connection', () => {
  test('tries an unreachable Hub again in the background and fills in what was missed', async () => {
    const cache = tempDir();
    process.env.XDG_CACHE_HOME = cache.path;
    process.env.HF_HOME = cache.path;
    delete process.env.HF_HUB_OFFLINE;
    const port = await closedPort();
    const states: string[] = [];
    const arrived: string[] = [];
    const connection = new HubConnection(() => undefined, (id) => arrived.push(id), { showProblem: () => undefined, sendState: (p) => states.push(p.state) });
    connection.retryFirstMs = 200;
    connection.configure({ enabled: true, endpoint: `http://127.0.0.1:${port}`, timeBudget: 20 }, { proxyStrictSSL: true });
    // Never waits: the answer is not there yet.
    assert.equal(await connection.get('microsoft/phi-2'), undefined);
    await waitFor('unreachable', () => (states.includes('unreachable') ? true : undefined));
    // A failed lookup is not an arrival (the files naming the model would be analysed again for
    // nothing), and analyses that name the model meanwhile do not look it up again.
    assert.equal(await connection.get('microsoft/phi-2'), undefined);
    assert.equal(arrived.length, 0, arrived.join());
    const hub = await FixtureHubServer.start({ port });
    try {
      // The background retry looks the model up again itself, and reports it once answered.
      await waitFor('the facts after the retry', () => (arrived.includes('microsoft/phi-2') ? true : undefined));
      let facts;
      for (let i = 0; i < 100 && !(facts = await connection.get('microsoft/phi-2')); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(facts?.info.ok, JSON.stringify(facts));
      assert.ok(hub.count('/api/models/microsoft/phi-2') >= 1);
    } finally {
      await connection.close();
      await hub.close();
      cache.remove();
    }
  });
});
