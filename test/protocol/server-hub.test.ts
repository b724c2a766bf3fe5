import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { FixtureHubServer, fixtureModelsDir } from '../fixtures/hub/server';
import { TestLspClient } from '../support/lsp-client';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const APP = `from transformers import AutoModel, AutoModelForCausalLM

typo = AutoModel.from_pretrained("bert-base-uncasd")
legacy = AutoModelForCausalLM.from_pretrained("gpt2")
`;
const TOKEN = 'hf_fixtureSecretToken123';

describe('language server with a Hub (fixture Hub over real HTTP)', () => {
  let hub: FixtureHubServer;
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let uri: string;

  before(async () => {
    hub = await FixtureHubServer.start();
    workspace = tempWorkspace({ 'app.py': APP });
    uri = pathToFileURL(workspace.path('app.py')).toString();
    client = new TestLspClient({
      rootUri: pathToFileURL(workspace.root).toString(),
      env: { HF_HUB_OFFLINE: '' },
      hubSettings: { enabled: true, endpoint: hub.url },
    });
    await client.start();
    await client.connection.sendNotification('ptmLens/hubConnection', { token: TOKEN, proxyStrictSSL: true });
  });

  after(async () => {
    await client.stop();
    await hub.close();
    workspace.dispose();
  });

  test('findings that need metadata arrive once the Hub has answered', async () => {
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'PTM101') && p.diagnostics.some((d) => d.code === 'PTM104'));
    const notFound = published.diagnostics.find((d) => d.code === 'PTM101')!;
    assert.match(String(notFound.message), /'bert-base-uncasd' was not found/);
    assert.match(String(notFound.message), /google-bert\/bert-base-uncased/);
    const legacy = published.diagnostics.find((d) => d.code === 'PTM104')!;
    assert.match(String(legacy.message), /openai-community\/gpt2/);
  });

  test('the hover card shows what the Hub says about the model', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 50 } })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\[openai-community\/gpt2\]\(https:\/\/huggingface\.co\/openai-community\/gpt2\)/);
    assert.match(value, /written as `gpt2`/);
    assert.match(value, /text-generation · transformers/);
    assert.match(value, /\| License \| mit \|/);
    assert.match(value, /Weights \| safetensors, onnx, pickle/);
    assert.match(value, /Model card \| \d+\/100/);
  });

  test('quick fixes: pin the current commit on the Hub, replace a typo, use the canonical id', async () => {
    const sha = JSON.parse(readFileSync(join(fixtureModelsDir(), 'openai-community--gpt2', 'info.json'), 'utf8')).sha;
    const diagnostics = client.diagnostics.get(uri)!.diagnostics;
    const actions = async (line: number) =>
      (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line, character: 0 }, end: { line, character: 80 } },
        context: { diagnostics: diagnostics.filter((d) => d.range.start.line === line) },
      })) as CodeAction[];
    const onLegacy = await actions(3);
    const pin = onLegacy.find((a) => a.title.startsWith('Pin revision'))!;
    assert.equal(pin.title, `Pin revision to ${sha.slice(0, 12)} (current commit on the Hub)`);
    assert.equal((pin.edit!.changes![uri] as TextEdit[])[0].newText, `, revision="${sha}"`);
    const canonical = onLegacy.find((a) => a.title.startsWith('Use the canonical id'))!;
    assert.equal((canonical.edit!.changes![uri] as TextEdit[])[0].newText, '"openai-community/gpt2"');
    const onTypo = await actions(2);
    const replace = onTypo.find((a) => a.title === "Replace with 'google-bert/bert-base-uncased'");
    assert.ok(replace, onTypo.map((a) => a.title).join('; '));
  });

  test('the token reaches the Hub endpoint and nothing else', async () => {
    const withToken = hub.requests.filter((r) => r.headers.authorization === `Bearer ${TOKEN}`);
    assert.ok(withToken.length > 0, 'the token from the client was used');
    assert.ok(!client.stderr.join('').includes(TOKEN));
    assert.ok(!client.log.join('\n').includes(TOKEN));
  });
});
