// Malformed editor settings and config files: the server says so once, uses the
// defaults (or the valid part of the file) and keeps publishing every local diagnostic.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TestLspClient, type TestClientOptions } from '../support/lsp-client';
import { tempWorkspace } from '../support/workspace';

const APP = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m", trust_remote_code=True)\n';

async function session(files: Record<string, string>, options: Omit<TestClientOptions, 'rootUri'>, check: (client: TestLspClient, uri: string) => Promise<void>): Promise<void> {
  const workspace = tempWorkspace({ 'app.py': APP, ...files });
  const client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), ...options });
  try {
    await client.start();
    await check(client, pathToFileURL(workspace.path('app.py')).toString());
  } finally {
    await client.stop();
    workspace.dispose();
  }
}

/** Waits for the first notification, then long enough for any (wrong) second one. */
async function notifications(client: TestLspClient): Promise<{ type: number; message: string }[]> {
  const deadline = Date.now() + 15_000;
  while (!client.shown.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return client.shown;
}

const codes = (diagnostics: { code?: number | string; severity?: number }[]) => diagnostics.map((d) => [d.code, d.severity]);

describe('language server with malformed settings', () => {
  test('bad editor settings: one notification naming them, defaults used, every local diagnostic appears', async () => {
    const settings = {
      debounceMs: 'fast',
      rules: { minCardScore: -1, severity: { PTM401: 'loud', PTM402: 'error' } },
      hub: { endpoint: 'huggingface.co' },
    };
    await session({}, { settings, hubSettings: settings.hub }, async (client, uri) => {
      const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      // PTM401 keeps its default (warning, 2): "loud" is not a severity; PTM402's valid override (error, 1) applies.
      assert.deepEqual(codes(published.diagnostics).sort(), [['PTM401', 2], ['PTM402', 1]]);
      const shown = await notifications(client);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.equal(shown[0].type, 2);
      for (const name of ['ptmLens.hub.endpoint', 'ptmLens.rules.minCardScore', 'ptmLens.rules.severity', 'ptmLens.debounceMs']) assert.ok(shown[0].message.includes(name), `${name} in ${shown[0].message}`);
      const log = client.log.join('\n');
      assert.match(log, /ptmLens\.hub\.endpoint: "huggingface\.co" is not an http\(s\) URL/);
      assert.match(log, /ptmLens\.rules\.minCardScore: -1 is not a number from 0 to 1/);
    });
  });

  test('bad Hub and editor settings answered slowly by the editor: still one notification', async () => {
    const settings = { debounceMs: 'fast', hub: { endpoint: 'huggingface.co' } };
    // The folder's settings arrive well after the Hub's: a busy editor, or a loaded machine.
    await session({}, { settings, hubSettings: settings.hub, settingsDelayMs: 1000 }, async (client, uri) => {
      await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      const shown = await notifications(client);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      for (const name of ['ptmLens.hub.endpoint', 'ptmLens.debounceMs']) assert.ok(shown[0].message.includes(name), `${name} in ${shown[0].message}`);
    });
  });

  test('a bad HF_ENDPOINT in the environment: one notification, the default endpoint, diagnostics still appear', async () => {
    await session({}, { env: { HF_ENDPOINT: 'not a url' } }, async (client, uri) => {
      const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      assert.deepEqual(codes(published.diagnostics).sort(), [['PTM401', 2], ['PTM402', 2]]);
      const shown = await notifications(client);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0].message, /HF_ENDPOINT.*"not a url".*default/);
    });
  });

  test('a config file with problems: one notification, the valid part applies, the file in use is logged', async () => {
    const config = 'ignore = "PTM402"\ncolour = "blue"\n\n[severity]\nPTM401 = "error"\n';
    await session({ 'ptm-lens.toml': config }, {}, async (client, uri) => {
      const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      assert.deepEqual(codes(published.diagnostics).sort(), [['PTM401', 1], ['PTM402', 2]]);
      const shown = await notifications(client);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0].message, /ptm-lens\.toml/);
      assert.match(client.log.join('\n'), /Config file for .*: .*ptm-lens\.toml/);
    });
  });
});
