// LSP notebook document sync against the bundled server: diagnostics on the cells of an open
// notebook (a constant from an earlier cell resolving a load in a later one), hovers and quick
// fixes on a cell, edits, and no duplicates between the notebook file and its open cells.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Hover, InitializeResult, TextEdit } from 'vscode-languageserver-protocol';
import { TestLspClient } from '../support/lsp-client';
import { fakeHubCache, tempWorkspace, type TempWorkspace } from '../support/workspace';

const SHA = '86b5e0934494bd15c9632b12f734a8a67f723594';
const CELL_0 = '%pip install transformers\nfrom transformers import AutoModel\nMODEL = "google-bert/bert-base-uncased"\n';
const CELL_2 = '!nvidia-smi\nmodel = AutoModel.from_pretrained(MODEL)\n';

/** The notebook as stored on disk (what the workspace scan reads). */
function ipynb(cells: [string, string][]): string {
  return JSON.stringify({ cells: cells.map(([cell_type, source]) => ({ cell_type, metadata: {}, source, ...(cell_type === 'code' ? { outputs: [], execution_count: null } : {}) })), metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

describe('language server: notebook document sync', () => {
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let notebookUri: string;
  const cellUri = (n: number) => `vscode-notebook-cell:${notebookUri.slice('file:'.length)}#cell${n}`;
  let capabilities: InitializeResult['capabilities'];

  before(async () => {
    workspace = tempWorkspace({ 'analysis.ipynb': ipynb([['code', CELL_0], ['markdown', '# Load'], ['code', CELL_2]]) });
    const cache = fakeHubCache(workspace, { 'google-bert/bert-base-uncased': SHA });
    notebookUri = pathToFileURL(workspace.path('analysis.ipynb')).toString();
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), env: { HF_HUB_CACHE: cache } });
    capabilities = (await client.start()).capabilities;
  });

  after(async () => {
    await client.stop();
    workspace.dispose();
  });

  test('declares notebook sync for Jupyter notebooks', () => {
    assert.deepEqual(capabilities.notebookDocumentSync, { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }] });
  });

  test('a notebook that is not open is reported on its file, at the range in the .ipynb text', async () => {
    const published = await client.waitForDiagnostics(notebookUri, (p) => p.diagnostics.length > 0);
    const pin = published.diagnostics.find((d) => d.code === 'PTM402')!;
    const line = ipynb([['code', CELL_0], ['markdown', '# Load'], ['code', CELL_2]]).split('\n')[pin.range.start.line];
    assert.equal(line.slice(pin.range.start.character, pin.range.end.character), 'MODEL');
  });

  test('an open notebook gets diagnostics on its cells, and its file none', async () => {
    await client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri: notebookUri,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: [
          { kind: 2, document: cellUri(0) },
          { kind: 1, document: cellUri(1) },
          { kind: 2, document: cellUri(2) },
        ],
      },
      cellTextDocuments: [
        { uri: cellUri(0), languageId: 'python', version: 1, text: CELL_0 },
        { uri: cellUri(1), languageId: 'markdown', version: 1, text: '# Load' },
        { uri: cellUri(2), languageId: 'python', version: 1, text: CELL_2 },
      ],
    });
    const cell = await client.waitForDiagnostics(cellUri(2), (p) => p.diagnostics.length > 0);
    // MODEL comes from cell 0; the range is in cell 2's own lines.
    assert.deepEqual(cell.diagnostics.map((d) => [d.code, d.range]), [['PTM402', { start: { line: 1, character: 34 }, end: { line: 1, character: 39 } }]]);
    assert.equal(cell.version, 1);
    await client.waitForDiagnostics(notebookUri, (p) => p.diagnostics.length === 0);
    assert.deepEqual(client.diagnostics.get(cellUri(0))?.diagnostics, []);
  });

  test('hover and quick fix on a cell', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: cellUri(2) }, position: { line: 1, character: 36 } })) as Hover;
    assert.match((hover.contents as { value: string }).value, /google-bert\/bert-base-uncased/);
    assert.deepEqual(hover.range, { start: { line: 1, character: 34 }, end: { line: 1, character: 39 } });
    const diagnostics = client.diagnostics.get(cellUri(2))!.diagnostics;
    const actions = (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: cellUri(2) }, range: diagnostics[0].range, context: { diagnostics } })) as CodeAction[];
    const pin = actions.find((a) => a.isPreferred)!;
    const edits = pin.edit!.changes![cellUri(2)] as TextEdit[];
    assert.deepEqual(edits, [{ range: { start: { line: 1, character: 39 }, end: { line: 1, character: 39 } }, newText: `, revision="${SHA}"` }]);
    const ignore = actions.find((a) => a.title === 'Ignore PTM402 on this line')!;
    assert.deepEqual(Object.keys(ignore.edit!.changes!), [cellUri(2)]);
  });

  test('an edit to a cell updates its diagnostics', async () => {
    const pinned = `!nvidia-smi\nmodel = AutoModel.from_pretrained(MODEL, revision="${SHA}")\n`;
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: notebookUri, version: 2 },
      change: { cells: { textContent: [{ document: { uri: cellUri(2), version: 2 }, changes: [{ text: pinned }] }] } },
    });
    const cell = await client.waitForDiagnostics(cellUri(2), (p) => p.version === 2);
    assert.deepEqual(cell.diagnostics, []);
  });

  test('closing the notebook clears its cells and reports its file from disk again', async () => {
    await client.connection.sendNotification('notebookDocument/didClose', { notebookDocument: { uri: notebookUri }, cellTextDocuments: [{ uri: cellUri(0) }, { uri: cellUri(1) }, { uri: cellUri(2) }] });
    await client.waitForDiagnostics(notebookUri, (p) => p.diagnostics.some((d) => d.code === 'PTM402'));
    assert.deepEqual(client.diagnostics.get(cellUri(2))?.diagnostics, []);
  });
});
