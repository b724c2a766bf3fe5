// The name parse in the editor: the hover card's Name row and the Explain Model Name request,
// answered by the real language server over stdio.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { emptySettings } from '../../server/config/settings';
import { analyzeText } from '../../server/engine/analyze';
import { hoverMarkdown } from '../../server/lsp/hover';
import { EXPLAIN_MODEL_NAME_REQUEST, type ExplainModelNameResult } from '../../protocol';
import { TestLspClient } from '../support/lsp-client';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const APP = `from transformers import AutoModel

model = AutoModel.from_pretrained("google-bert/bert-base-uncased")
other = AutoModel.from_pretrained("TheBloke/Llama-2-7B-Chat-GGUF")
`;

describe('name row in the hover card', () => {
  test('the components in name order, first row of the table, without Hub facts', async () => {
    const { references } = await analyzeText(APP, { relativePath: 'app.py', settings: emptySettings(), localCommit: () => undefined });
    const value = hoverMarkdown(references[1], undefined, Date.now());
    assert.match(value, /\n\|---\|---\|\n\| Name \| `Llama` architecture · `2` version · `7B` size · `Chat` task · `GGUF` framework or format \|/);
  });
});

describe('language server: Explain Model Name', () => {
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let uri: string;

  before(async () => {
    workspace = tempWorkspace({ 'app.py': APP });
    uri = pathToFileURL(workspace.path('app.py')).toString();
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), hubSettings: { enabled: false } });
    await client.start();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: APP } });
    // The first analysis is done once diagnostics for the file arrive.
    await client.waitForDiagnostics(uri, () => true);
  });

  after(async () => {
    await client.stop();
    workspace.dispose();
  });

  const explain = (params: object) => client.connection.sendRequest(EXPLAIN_MODEL_NAME_REQUEST, params) as Promise<ExplainModelNameResult>;

  test('at a model id in the code: the id there, as components and a Markdown table', async () => {
    const result = await explain({ uri, position: { line: 2, character: 45 } });
    assert.ok(result && !('error' in result));
    assert.equal(result.modelId, 'google-bert/bert-base-uncased');
    assert.deepEqual(result.components.map((c) => `${c.text}:${c.category}`), ['bert:A', 'base:S', 'uncased:C']);
    assert.match(result.markdown, /^# google-bert\/bert-base-uncased\n\n\| Component \| Category \| Meaning \|\n\|---\|---\|---\|\n\| `bert` \| A \| architecture \|/);
    assert.match(result.markdown, /\*\*The name claims:\*\* architecture `bert`; size `base`\./);
  });

  test('away from a model id: null, so the client asks for one', async () => {
    assert.equal(await explain({ uri, position: { line: 0, character: 2 } }), null);
  });

  test('an id given directly; empty and overlong ids get a message', async () => {
    const result = await explain({ modelId: 'mistralai/Mixtral-8x7B-Instruct-v0.1' });
    assert.ok(result && !('error' in result));
    assert.match(result.markdown, /8 experts of 7B parameters/);
    assert.deepEqual(await explain({ modelId: '  ' }), { error: 'The model id is empty.' });
    const long = (await explain({ modelId: 'a'.repeat(10_000) })) as { error: string };
    assert.match(long.error, /10000 characters/);
  });

  test('the hover on a model id carries the Name row', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 45 } })) as Hover;
    assert.match((hover.contents as { value: string }).value, /\| Name \| `Llama` architecture · `2` version/);
  });
});
