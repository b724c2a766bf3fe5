import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { SCAN_WORKSPACE_REQUEST } from '../../protocol';
import { TestLspClient } from '../support/lsp-client';
import { fakeHubCache, tempWorkspace, type TempWorkspace } from '../support/workspace';

const SHA = '86b5e0934494bd15c9632b12f734a8a67f723594';
const APP = `from transformers import AutoModel

model = AutoModel.from_pretrained("google-bert/bert-base-uncased")
`;

describe('language server over stdio', () => {
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let appUri: string;
  let closedUri: string;

  before(async () => {
    workspace = tempWorkspace({
      'app.py': APP,
      'pkg/closed.py': 'from transformers import pipeline\nclf = pipeline("text-classification", model="org/model", trust_remote_code=True)\n',
      'pkg/clean.py': 'import os\nprint(os.getcwd())\n',
    });
    const cache = fakeHubCache(workspace, { 'google-bert/bert-base-uncased': SHA });
    appUri = pathToFileURL(workspace.path('app.py')).toString();
    closedUri = pathToFileURL(workspace.path('pkg/closed.py')).toString();
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), env: { HF_HUB_CACHE: cache } });
    await client.start();
  });

  after(async () => {
    await client.stop();
    workspace.dispose();
  });

  test('scans the workspace on start, including files that are not open', async () => {
    const published = await client.waitForDiagnostics(closedUri, (p) => p.diagnostics.length > 0);
    assert.deepEqual(published.diagnostics.map((d) => d.code).sort(), ['PTM401', 'PTM402']);
    const pin = published.diagnostics.find((d) => d.code === 'PTM402')!;
    assert.equal(pin.source, 'PTM Lens');
    assert.match(pin.codeDescription!.href, /PTM402\.md$/);
    assert.deepEqual(pin.range, { start: { line: 1, character: 44 }, end: { line: 1, character: 55 } });
  });

  test('a closed file with nothing to report is sent no diagnostics message', async () => {
    // The scan request answers once every file was analysed (and published, when there is something to show).
    const summary = await client.connection.sendRequest<{ files: number }>(SCAN_WORKSPACE_REQUEST);
    assert.ok(summary.files >= 3);
    assert.ok(client.diagnostics.has(closedUri));
    assert.equal(client.diagnostics.has(pathToFileURL(workspace.path('pkg/clean.py')).toString()), false);
  });

  test('publishes diagnostics for an opened document and updates them on edit', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: appUri, languageId: 'python', version: 1, text: APP } });
    const first = await client.waitForDiagnostics(appUri, (p) => p.version === 1);
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['PTM402']);

    const line = 2;
    const character = APP.split('\n')[line].lastIndexOf(')');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: appUri, version: 2 },
      contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: `, revision="${SHA}"` }],
    });
    const second = await client.waitForDiagnostics(appUri, (p) => p.version === 2);
    assert.deepEqual(second.diagnostics, []);

    // Undo the edit for the following tests.
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: appUri, version: 3 }, contentChanges: [{ text: APP }] });
    await client.waitForDiagnostics(appUri, (p) => p.version === 3 && p.diagnostics.length === 1);
  });

  test('hover on the model id describes the load', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: appUri }, position: { line: 2, character: 40 } })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /google-bert\/bert-base-uncased/);
    assert.match(value, /transformers\.from_pretrained/);
    assert.match(value, /not pinned/);
    const none = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: appUri }, position: { line: 0, character: 2 } });
    assert.equal(none, null);
  });

  test('quick fix pins the commit the local Hugging Face cache holds', async () => {
    const diagnostics = client.diagnostics.get(appUri)!.diagnostics;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: appUri },
      range: diagnostics[0].range,
      context: { diagnostics },
    })) as CodeAction[];
    const pin = actions.find((a) => a.title.startsWith('Pin revision'))!;
    assert.ok(pin, `no pin action among ${actions.map((a) => a.title)}`);
    assert.equal(pin.isPreferred, true);
    const edits = pin.edit!.changes![appUri] as TextEdit[];
    assert.deepEqual(edits, [{ range: { start: { line: 2, character: 65 }, end: { line: 2, character: 65 } }, newText: `, revision="${SHA}"` }]);
    assert.ok(actions.some((a) => a.title === 'Ignore PTM402 on this line'));
  });

  test('malformed code never crashes the server', async () => {
    const uri = pathToFileURL(workspace.path('broken.py')).toString();
    const text = 'from transformers import AutoModel\ndef f(:\n  AutoModel.from_pretrained("org/x"\n\x00\uffff' + ')'.repeat(5000);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 1);
    // Whatever the recovery finds, it points inside the text and comes from a rule.
    const lines = text.split('\n');
    for (const d of published.diagnostics) {
      assert.equal(d.source, 'PTM Lens');
      assert.match(String(d.code), /^PTM\d{3}$/);
      assert.ok(d.range.end.line < lines.length && d.range.end.character <= lines[d.range.end.line].length, JSON.stringify(d.range));
    }
    assert.equal(client.exitCode, null);
    // The same document, fixed, is analysed normally; other documents still get hovers.
    const fixed = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/x")\n';
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
    const after = await client.waitForDiagnostics(uri, (p) => p.version === 2);
    assert.deepEqual(after.diagnostics.map((d) => [d.code, d.range.start.line]), [['PTM402', 1]]);
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: appUri }, position: { line: 2, character: 40 } })) as Hover;
    assert.match((hover.contents as { value: string }).value, /google-bert\/bert-base-uncased/);
  });
});

describe('language server settings', () => {
  test('a ptm-lens.toml in the folder and editor settings both apply', async () => {
    const workspace = tempWorkspace({
      'ptm-lens.toml': 'ignore = ["PTM402"]\n',
      'app.py': 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m", trust_remote_code=True)\n',
    });
    const uri = pathToFileURL(workspace.path('app.py')).toString();
    const client = new TestLspClient({
      rootUri: pathToFileURL(workspace.root).toString(),
      settings: { rules: { severity: { PTM401: 'error' } } },
    });
    try {
      await client.start();
      const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length > 0);
      assert.deepEqual(published.diagnostics.map((d) => [d.code, d.severity]), [['PTM401', 1]]);
    } finally {
      await client.stop();
      workspace.dispose();
    }
  });
});
