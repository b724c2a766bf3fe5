// The server stays responsive around big documents: they are analysed off the request
// path, capped like the CLI caps files, and a newer version cancels the older one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { SCAN_WORKSPACE_REQUEST } from '../../protocol';
import { TestLspClient } from '../support/lsp-client';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const SMALL = 'from transformers import AutoModel\nmodel = AutoModel.from_pretrained("org/small-model")\n';
const LOAD = 'big = AutoModel.from_pretrained("org/big-model")\n';

/** About `megabytes` of ordinary Python with one model load on its last line. */
function bigPython(megabytes: number): string {
  const filler = 'value = compute(alpha, beta, gamma) + 1  # arithmetic\n';
  return 'from transformers import AutoModel\n' + filler.repeat(Math.floor((megabytes * 1024 * 1024) / filler.length)) + LOAD;
}

describe('language server with big documents', () => {
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let smallUri: string;

  before(async () => {
    workspace = tempWorkspace({ 'small.py': SMALL });
    smallUri = pathToFileURL(workspace.path('small.py')).toString();
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), settings: { scanWorkspaceOnOpen: false } });
    await client.start();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: smallUri, languageId: 'python', version: 1, text: SMALL } });
    await client.waitForDiagnostics(smallUri, (p) => p.version === 1);
  });

  after(async () => {
    await client.stop();
    workspace.dispose();
  });

  test('a hover in a small document is answered while a 3.9 MB document is analysed', async () => {
    const bigUri = pathToFileURL(workspace.path('big.py')).toString();
    const text = bigPython(3.9);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: bigUri, languageId: 'python', version: 1, text } });
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: smallUri }, position: { line: 1, character: 40 } })) as Hover;
    assert.match((hover.contents as { value: string }).value, /org\/small-model/);
    assert.equal(client.diagnostics.get(bigUri), undefined, 'the hover waited for the big analysis');
    const big = await client.waitForDiagnostics(bigUri, (p) => p.version === 1, 120_000);
    const lastLine = text.split('\n').length - 2;
    assert.deepEqual(big.diagnostics.map((d) => [d.code, d.range.start.line]), [['PTM402', lastLine]]);
  });

  test('a newer version cancels the analysis of the older one, whose result is never published', async () => {
    const uri = pathToFileURL(workspace.path('edited.py')).toString();
    const text = bigPython(3.9);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: SMALL }] });
    const latest = await client.waitForDiagnostics(uri, (p) => p.version === 2, 120_000);
    assert.deepEqual(latest.diagnostics.map((d) => d.code), ['PTM402']);
    // Give a cancelled analysis ample time to (wrongly) publish.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version);
    assert.ok(!versions.includes(1), `version 1 was published: ${versions}`);
    // At most once more, when the (offline) Hub lookup for the model has answered.
    assert.ok(versions.length <= 2, `published ${versions.length} times`);
  });

  test('a document that crashes the parser costs only that document', async () => {
    let deep = 'from transformers import AutoModel\n';
    for (let i = 0; i < 600; i++) deep += `${' '.repeat(i)}if x:\n`;
    deep += `${' '.repeat(600)}m = AutoModel.from_pretrained("org/deep")\n`;
    const deepUri = pathToFileURL(workspace.path('deep.py')).toString();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: deepUri, languageId: 'python', version: 1, text: deep } });
    const published = await client.waitForDiagnostics(deepUri, (p) => p.version === 1, 60_000);
    // Either analysed, or one note on line 1 saying why not.
    // The scanner refuses nesting deeper than CPython allows (a note); a parser crash would be a note too.
    assert.ok(published.diagnostics.length >= 1);
    for (const d of published.diagnostics) assert.ok(d.code === 'PTM402' || (d.range.start.line === 0 && /did not analyse|not scanned/.test(String(d.message))), JSON.stringify(d));
    for (let round = 0; round < 3; round++) {
      const uri = pathToFileURL(workspace.path(`after-${round}.py`)).toString();
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: SMALL } });
      const after = await client.waitForDiagnostics(uri, (p) => p.version === 1, 60_000);
      assert.deepEqual(after.diagnostics.map((d) => d.code), ['PTM402']);
    }
    assert.equal(client.exitCode, null);
  });

  test('a document over the size cap is not analysed and says so at line 1', async () => {
    const uri = pathToFileURL(workspace.path('huge.py')).toString();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: bigPython(5.5) } });
    const published = await client.waitForDiagnostics(uri, (p) => p.version === 1, 60_000);
    assert.equal(published.diagnostics.length, 1);
    const [note] = published.diagnostics;
    assert.equal(note.severity, 3);
    assert.deepEqual(note.range.start, { line: 0, character: 0 });
    assert.match(String(note.message), /did not analyse this file: larger than 5 MB/);
    assert.equal(client.log.filter((line) => line.includes('huge.py')).length, 1, client.log.join('\n'));
  });
});

describe('language server excludes', () => {
  test("VS Code's files.exclude hides files from the workspace scan and open documents alike", async () => {
    const load = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m", trust_remote_code=True)\n';
    const workspace = tempWorkspace({ 'hidden/model.py': load, 'app.py': load, 'shown/model.py': load });
    const client = new TestLspClient({
      rootUri: pathToFileURL(workspace.root).toString(),
      settings: { scanWorkspaceOnOpen: false },
      filesExclude: { '**/hidden': true, '**/shown': false, '**/app.py': { when: '$(basename).ts' } },
    });
    try {
      await client.start();
      const summary = (await client.connection.sendRequest(SCAN_WORKSPACE_REQUEST)) as { files: number };
      assert.equal(summary.files, 2, 'app.py and shown/model.py; hidden/ is excluded');
      const excluded = pathToFileURL(workspace.path('hidden/model.py')).toString();
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: excluded, languageId: 'python', version: 2, text: load } });
      const hidden = await client.waitForDiagnostics(excluded, (p) => p.version === 2);
      assert.deepEqual(hidden.diagnostics, []);
    } finally {
      await client.stop();
      workspace.dispose();
    }
  });
  test('an open document matching an exclude gets no diagnostics; others do', async () => {
    const load = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m", trust_remote_code=True)\n';
    const workspace = tempWorkspace({ 'generated/model.py': load, 'app.py': load });
    const client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), settings: { exclude: ['generated/**'], scanWorkspaceOnOpen: false } });
    try {
      await client.start();
      const excluded = pathToFileURL(workspace.path('generated/model.py')).toString();
      const included = pathToFileURL(workspace.path('app.py')).toString();
      for (const uri of [excluded, included]) {
        await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: load } });
      }
      const shown = await client.waitForDiagnostics(included, (p) => p.version === 1);
      assert.deepEqual(shown.diagnostics.map((d) => d.code).sort(), ['PTM401', 'PTM402']);
      const hidden = await client.waitForDiagnostics(excluded, (p) => p.version === 1);
      assert.deepEqual(hidden.diagnostics, []);
    } finally {
      await client.stop();
      workspace.dispose();
    }
  });
});
