// The language server on the file kinds beyond Python: diagnostics on a TypeScript file (from
// the workspace scan and once opened), a hover, and a pin fix written as TypeScript.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { TestLspClient } from '../support/lsp-client';
import { fakeHubCache, tempWorkspace, type TempWorkspace } from '../support/workspace';

const SHA = '86b5e0934494bd15c9632b12f734a8a67f723594';
const APP_TS = `import { pipeline } from '@huggingface/transformers';

const classify = await pipeline('sentiment-analysis', 'Xenova/distilbert-base-uncased-finetuned-sst-2-english');
`;

describe('language server on TypeScript, Dockerfiles and configs', () => {
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let tsUri: string;

  before(async () => {
    workspace = tempWorkspace({
      'web/app.ts': APP_TS,
      'Dockerfile': 'FROM python:3.11\nRUN hf download openai-community/gpt2 --revision main\n',
    });
    const cache = fakeHubCache(workspace, { 'Xenova/distilbert-base-uncased-finetuned-sst-2-english': SHA });
    tsUri = pathToFileURL(workspace.path('web/app.ts')).toString();
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), env: { HF_HUB_CACHE: cache } });
    await client.start();
  });

  after(async () => {
    await client.stop();
    workspace.dispose();
  });

  test('the workspace scan reports a TypeScript file and a Dockerfile that are not open', async () => {
    const ts = await client.waitForDiagnostics(tsUri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(ts.diagnostics.map((d) => [d.code, d.range]), [['PTM402', { start: { line: 2, character: 54 }, end: { line: 2, character: 110 } }]]);
    const dockerUri = pathToFileURL(workspace.path('Dockerfile')).toString();
    const docker = await client.waitForDiagnostics(dockerUri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(docker.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['PTM402', 1, 49]]);
  });

  test('an opened .ts document gets diagnostics, a hover and a pin fix in TypeScript syntax', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: tsUri, languageId: 'typescript', version: 1, text: APP_TS } });
    const opened = await client.waitForDiagnostics(tsUri, (p) => p.version === 1);
    assert.deepEqual(opened.diagnostics.map((d) => d.code), ['PTM402']);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: tsUri }, position: { line: 2, character: 70 } })) as Hover;
    assert.match((hover.contents as { value: string }).value, /Xenova\/distilbert-base-uncased-finetuned-sst-2-english/);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: tsUri },
      range: opened.diagnostics[0].range,
      context: { diagnostics: opened.diagnostics },
    })) as CodeAction[];
    const pin = actions.find((a) => a.title.startsWith('Pin revision'));
    assert.ok(pin, `no pin action among ${actions.map((a) => a.title)}`);
    const edits = pin.edit!.changes![tsUri] as TextEdit[];
    assert.deepEqual(edits, [{ range: { start: { line: 2, character: 110 }, end: { line: 2, character: 110 } }, newText: `, { revision: "${SHA}" }` }]);
    const ignore = actions.find((a) => a.title === 'Ignore PTM402 on this line');
    assert.equal((ignore!.edit!.changes![tsUri] as TextEdit[])[0].newText, '  // ptm-lens: ignore[PTM402]', 'a JavaScript comment, not a Python one');
  });

  test('a // ptm-lens: ignore comment silences the finding in TypeScript', async () => {
    const lines = APP_TS.split('\n');
    lines[2] += '  // ptm-lens: ignore[PTM402]';
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: tsUri, version: 2 }, contentChanges: [{ text: lines.join('\n') }] });
    const silenced = await client.waitForDiagnostics(tsUri, (p) => p.version === 2);
    assert.deepEqual(silenced.diagnostics, []);
  });
});
