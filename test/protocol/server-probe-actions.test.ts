// "Run robustness probe" on a model reference, through the real language server: offered
// only once a conversion check has left the model's ONNX export on disk (at that revision),
// found again by a new server process, and gone when the file is.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHECK_ONNX_REQUEST, type CheckOnnxResult } from '../../protocol';
import { TestLspClient } from '../support/lsp-client';
import { SYSTEM_PYTHON } from '../support/python';
import { tempDir } from '../support/temp';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const APP = `import timm
net = timm.create_model("hf-hub:org/convnet", pretrained=True)
other = timm.create_model("hf-hub:org/never-checked", pretrained=True)
from transformers import AutoModel
pinned = AutoModel.from_pretrained("org/tiny-text", revision="v2")
`;

type Action = { title: string; command?: { command: string; arguments?: unknown[] } };

describe('language server: robustness probe on a model reference', () => {
  let workspace: TempWorkspace;
  const cache = tempDir('ptm-lens-probe-cache-');
  // The stand-in timm and transformers packages (Debian has neither); checks go to our own cache.
  const env = { PYTHONPATH: join(__dirname, '..', '..', '..', 'test', 'fixtures', 'python'), XDG_CACHE_HOME: cache.path };
  const clients: TestLspClient[] = [];
  let uri: string;
  let convnetExport: string;

  async function startClient(): Promise<TestLspClient> {
    const client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), env });
    clients.push(client);
    await client.start();
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: APP } });
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    return client;
  }
  const actionsAt = async (client: TestLspClient, line: number) =>
    (await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line, character: 40 }, end: { line, character: 40 } }, context: { diagnostics: [] } })) as Action[];
  const probeAction = async (client: TestLspClient, line: number) => (await actionsAt(client, line)).find((a) => a.command?.command === 'ptmLens.runProbe');
  const hoverAt = async (client: TestLspClient, line: number) =>
    ((await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 40 } })) as { contents: { value: string } } | null)?.contents.value ?? '';
  const check = async (client: TestLspClient, id: string, library: string, revision?: string): Promise<Extract<CheckOnnxResult, { ok: true }>> => {
    const result: CheckOnnxResult = await client.connection.sendRequest(CHECK_ONNX_REQUEST, { source: { kind: 'model', id, library, ...(revision ? { revision } : {}) }, python: SYSTEM_PYTHON, inputs: 2 });
    assert.ok(result.ok && result.onnx, JSON.stringify(result));
    return result;
  };

  before(async () => {
    workspace = tempWorkspace({ 'app.py': APP });
    uri = pathToFileURL(workspace.path('app.py')).toString();
  });

  after(async () => {
    for (const client of clients) await client.stop();
    workspace.dispose();
    cache.remove();
  });

  test('no probe action and no hover link before a check has exported the model', async () => {
    const client = await startClient();
    const actions = await actionsAt(client, 1);
    assert.ok(actions.some((a) => a.command?.command === 'ptmLens.runOnnxCheck'), JSON.stringify(actions.map((a) => a.title)));
    assert.equal(actions.find((a) => a.command?.command === 'ptmLens.runProbe'), undefined);
    assert.doesNotMatch(await hoverAt(client, 1), /ptmLens\.runProbe/);
  });

  test('after the check, the reference offers the probe on the export; another model does not', async () => {
    const client = clients[0];
    const result = await check(client, 'org/convnet', 'timm');
    assert.equal(result.verdict, 'pass');
    convnetExport = result.onnx!;
    const action = await probeAction(client, 1);
    assert.ok(action, 'probe action on the checked model');
    assert.equal(action.title, "Run robustness probe on 'org/convnet' (ONNX export from the conversion check)");
    assert.deepEqual(action.command!.arguments, [{ uri: pathToFileURL(convnetExport).toString(), modelId: 'org/convnet' }]);
    assert.ok(existsSync(fileURLToPath((action.command!.arguments![0] as { uri: string }).uri)));
    assert.equal(await probeAction(client, 2), undefined, 'a model never checked has no export');
    // The hover's verdict row carries a link that runs the same command with the same target.
    const hover = await hoverAt(client, 1);
    const link = /\(command:ptmLens\.runProbe\?([^ )]+)/.exec(hover);
    assert.ok(link, hover);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), action.command!.arguments);
    assert.match(hover, /ONNX check \| pass: /);
  });

  test('an export belongs to the revision it was made from', async () => {
    const client = clients[0];
    await check(client, 'org/tiny-text', 'transformers', 'v1');
    assert.equal(await probeAction(client, 4), undefined, 'the reference pins v2, the export is of v1');
    const v2 = await check(client, 'org/tiny-text', 'transformers', 'v2');
    assert.deepEqual((await probeAction(client, 4))?.command?.arguments, [{ uri: pathToFileURL(v2.onnx!).toString(), modelId: 'org/tiny-text', revision: 'v2' }]);
  });

  test('a new server process finds the export from the checks folder; none once the file is deleted', async () => {
    const fresh = await startClient();
    assert.deepEqual((await probeAction(fresh, 1))?.command?.arguments, [{ uri: pathToFileURL(convnetExport).toString(), modelId: 'org/convnet' }]);
    assert.match(await hoverAt(fresh, 1), /ONNX export \| matches the model · \[Run robustness probe\]\(command:ptmLens\.runProbe\?/, 'no verdict this session, but the export is there');
    rmSync(convnetExport);
    assert.equal(await probeAction(fresh, 1), undefined);
    assert.equal(await probeAction(clients[0], 1), undefined);
    assert.doesNotMatch(await hoverAt(fresh, 1), /runProbe/);
  });
});
