// Wrappers and Hub model classes defined in other files of the workspace, in the editor: the
// real language server over stdio keeps each folder's workspace index current as files change.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { TestLspClient } from '../support/lsp-client';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const HUB = 'from huggingface_hub import hf_hub_download\n\n\ndef fetch(repo):\n    return hf_hub_download(repo, "config.json")\n';
const HUB_WITHOUT_LOADER = 'def fetch(repo):\n    return repo\n';
const TRAIN = 'from utils.hub import fetch\n\npath = fetch("org/model")\n';
const NET = 'import torch.nn as nn\nfrom huggingface_hub import PyTorchModelHubMixin\n\n\nclass Net(nn.Module, PyTorchModelHubMixin):\n    pass\n';
const NET_WITHOUT_MIXIN = 'import torch.nn as nn\n\n\nclass Net(nn.Module):\n    pass\n';
const APP = 'from models.net import Net\n\nnet = Net.from_pretrained("org/net")\n';

const FILES = { 'utils/hub.py': HUB, 'train.py': TRAIN, 'models/net.py': NET, 'app.py': APP };
/** Where "org/model" is written in train.py. */
const ID_IN_TRAIN = { line: 2, character: 16 };

/** The hover's text at a position, or null; polled, since index changes reach documents a moment later. */
async function hoverUntil(client: TestLspClient, uri: string, wanted: (text: string | null) => boolean, timeoutMs = 15000): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: ID_IN_TRAIN })) as Hover | null;
    const text = hover ? (hover.contents as { value: string }).value : null;
    if (wanted(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function uris(workspace: TempWorkspace) {
  const uri = (relative: string) => pathToFileURL(workspace.path(relative)).toString();
  return { hub: uri('utils/hub.py'), train: uri('train.py'), net: uri('models/net.py'), app: uri('app.py') };
}

describe('workspace index in the editor, built by the workspace scan', () => {
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let uri: ReturnType<typeof uris>;

  before(async () => {
    workspace = tempWorkspace(FILES);
    uri = uris(workspace);
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString() });
    await client.start();
  });

  after(async () => {
    await client.stop();
    workspace.dispose();
  });

  test('a Hub model class defined in another file makes a closed file load a model', async () => {
    const published = await client.waitForDiagnostics(uri.app, (p) => p.diagnostics.length > 0);
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line]), [['PTM402', 2]]);
  });

  test('a call to a wrapper defined in another file is a reference in the opened document', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri.train, languageId: 'python', version: 1, text: TRAIN } });
    const text = await hoverUntil(client, uri.train, (t) => t !== null);
    assert.match(text ?? '', /org\/model/);
    assert.match(text ?? '', /hf_hub_download/);
  });

  test("the wrapper's own reference, covered by its call site, is not reported a second time", async () => {
    const summary = (await client.connection.sendRequest('ptmLens/scanWorkspace')) as { references: number };
    // app.py's org/net and train.py's org/model, as the CLI reports; not also hub.py's `repo`.
    assert.equal(summary.references, 2);
  });

  test('editing the wrapper so it no longer reaches a loader removes the reference', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri.hub, languageId: 'python', version: 1, text: HUB } });
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri.hub, version: 2 }, contentChanges: [{ text: HUB_WITHOUT_LOADER }] });
    assert.equal(await hoverUntil(client, uri.train, (t) => t === null), null);
    // And back: the reference returns.
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri.hub, version: 3 }, contentChanges: [{ text: HUB }] });
    assert.match((await hoverUntil(client, uri.train, (t) => t !== null)) ?? '', /org\/model/);
  });
});

describe("a workspace scan's answer, once the index has settled", () => {
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let uri: ReturnType<typeof uris>;

  before(async () => {
    // train.py is read before utils/hub.py defines its wrapper: its calls are found only when the
    // index, complete, has it analysed again; and only then is hub.py's own reference covered.
    workspace = tempWorkspace({ ...FILES, 'train.py': `${TRAIN}other = fetch("org/other")\n` });
    uri = uris(workspace);
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), settings: { scanWorkspaceOnOpen: false } });
    await client.start();
  });

  after(async () => {
    await client.stop();
    workspace.dispose();
  });

  test('counts the calls found by re-analyses the completed index asked for, and shows no covered wrapper reference', async () => {
    const summary = (await client.connection.sendRequest('ptmLens/scanWorkspace')) as { references: number };
    // app.py's org/net and train.py's org/model and org/other, as the CLI reports.
    assert.equal(summary.references, 3);
    // Diagnostics are sent before the answer: the wrapper's own reference, covered, is not shown.
    assert.deepEqual(client.diagnostics.get(uri.hub)?.diagnostics ?? [], []);
    assert.equal(client.diagnostics.get(uri.app)?.diagnostics.length, 1);
  });
});

describe('workspace index in the editor, built lazily without a workspace scan', () => {
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let uri: ReturnType<typeof uris>;

  before(async () => {
    workspace = tempWorkspace(FILES);
    uri = uris(workspace);
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), settings: { scanWorkspaceOnOpen: false } });
    await client.start();
  });

  after(async () => {
    await client.stop();
    workspace.dispose();
  });

  const watched = (changes: { uri: string; type: number }[]) => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });

  test('an opened document sees wrappers and Hub classes of files never opened', async () => {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri.train, languageId: 'python', version: 1, text: TRAIN } });
    assert.match((await hoverUntil(client, uri.train, (t) => t !== null)) ?? '', /org\/model/);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri.app, languageId: 'python', version: 1, text: APP } });
    const published = await client.waitForDiagnostics(uri.app, (p) => p.diagnostics.some((d) => d.code === 'PTM402'));
    assert.equal(published.diagnostics.find((d) => d.code === 'PTM402')!.range.start.line, 2);
    // Closed files were learnt from, not reported on.
    assert.equal(client.diagnostics.has(uri.hub), false);
  });

  test('files changed on disk (watched-file events) update the index and the open documents', async () => {
    workspace.write('utils/hub.py', HUB_WITHOUT_LOADER);
    await watched([{ uri: uri.hub, type: 2 }]);
    assert.equal(await hoverUntil(client, uri.train, (t) => t === null), null);

    workspace.write('models/net.py', NET_WITHOUT_MIXIN);
    await watched([{ uri: uri.net, type: 2 }]);
    await client.waitForDiagnostics(uri.app, (p) => p.diagnostics.length === 0);

    // A wrapper in a file created later.
    workspace.write('utils/more.py', HUB.replace('fetch', 'grab'));
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri.train, version: 2 }, contentChanges: [{ text: TRAIN.replace('utils.hub', 'utils.more').replaceAll('fetch', 'grab') }] });
    await watched([{ uri: pathToFileURL(workspace.path('utils/more.py')).toString(), type: 1 }]);
    assert.match((await hoverUntil(client, uri.train, (t) => t !== null)) ?? '', /org\/model/);

    // Deleted: the reference goes.
    rmSync(workspace.path('utils/more.py'));
    await watched([{ uri: pathToFileURL(workspace.path('utils/more.py')).toString(), type: 3 }]);
    assert.equal(await hoverUntil(client, uri.train, (t) => t === null), null);
  });
});
