import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import { CHECK_ONNX_REQUEST, INSPECT_ONNX_REQUEST, type CheckOnnxResult, type InspectOnnxResult } from '../../protocol';
import { TestLspClient } from '../support/lsp-client';
import { buildModel, softmaxModel } from '../support/onnx-models';
import { SYSTEM_PYTHON } from '../support/python';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const MODELS = `
import time
import torch

def small():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Softmax(dim=-1)), torch.randn(2, 4)

def slow():
    time.sleep(120)
`;

describe('language server: ONNX requests', () => {
  let workspace: TempWorkspace;
  let client: TestLspClient;
  const progress: string[] = [];

  before(async () => {
    workspace = tempWorkspace({ 'models.py': MODELS });
    writeFileSync(workspace.path('good.onnx'), softmaxModel());
    writeFileSync(workspace.path('unknown.onnx'), buildModel({ nodes: [{ op: 'PtmLensNoSuchOp', inputs: ['x'], outputs: ['y'], name: 'mystery' }], inputs: [{ name: 'x', shape: [1] }], outputs: [{ name: 'y' }] }));
    writeFileSync(workspace.path('bad.onnx'), 'nope');
    // A stand-in transformers package (Debian has none) for checks of Hub models.
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), env: { PYTHONPATH: join(__dirname, '..', '..', '..', 'test', 'fixtures', 'python') } });
    client.connection.onNotification('$/progress', (params: { value: { message?: string } }) => {
      if (params.value.message) progress.push(params.value.message);
    });
    await client.start();
  });

  after(async () => {
    await client.stop();
    workspace.dispose();
  });

  test('the workspace scan puts PTM502 on the first line of a .onnx file, naming the node; unreadable files get a warning', async () => {
    const unknown = await client.waitForDiagnostics(pathToFileURL(workspace.path('unknown.onnx')).toString(), (p) => p.diagnostics.length > 0);
    assert.deepEqual(unknown.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.end.line]), [['PTM502', 1, 0, 0]]);
    assert.match(String(unknown.diagnostics[0].message), /PtmLensNoSuchOp .* Nodes: mystery\./);
    assert.match(unknown.diagnostics[0].codeDescription!.href, /PTM502\.md$/);
    const bad = await client.waitForDiagnostics(pathToFileURL(workspace.path('bad.onnx')).toString(), (p) => p.diagnostics.length > 0);
    assert.match(String(bad.diagnostics[0].message), /cannot read this ONNX model: .*not (a valid|an) ONNX model/);
    assert.equal(client.diagnostics.get(pathToFileURL(workspace.path('good.onnx')).toString()), undefined, 'nothing published for a clean model');
  });

  test('a model reference offers "Run ONNX conversion check" with its id and revision; a tokenizer does not', async () => {
    const uri = pathToFileURL(workspace.path('load.py')).toString();
    const text = 'from transformers import AutoModel, AutoTokenizer\nm = AutoModel.from_pretrained("org/m", revision="v1")\nt = AutoTokenizer.from_pretrained("org/t")\nfrom sentence_transformers import SentenceTransformer\ne = SentenceTransformer("org/sbert")\n';
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const at = (line: number) => ({ textDocument: { uri }, range: { start: { line, character: 33 }, end: { line, character: 33 } }, context: { diagnostics: [] } });
    const onModel = (await client.connection.sendRequest('textDocument/codeAction', at(1))) as { title: string; command?: { command: string; arguments: unknown[] } }[];
    const run = onModel.find((a) => a.command?.command === 'ptmLens.runOnnxCheck');
    assert.ok(run, JSON.stringify(onModel.map((a) => a.title)));
    assert.equal(run.title, "Run ONNX conversion check on 'org/m'");
    assert.deepEqual(run.command!.arguments, [{ modelId: 'org/m', revision: 'v1', library: 'transformers' }]);
    const onEncoder = (await client.connection.sendRequest('textDocument/codeAction', { ...at(4), range: { start: { line: 4, character: 26 }, end: { line: 4, character: 26 } } })) as { command?: { command: string; arguments: unknown[] } }[];
    assert.deepEqual(onEncoder.find((a) => a.command?.command === 'ptmLens.runOnnxCheck')?.command?.arguments, [{ modelId: 'org/sbert', library: 'sentence-transformers' }], 'the check loads it with the library the code uses');
    const onTokenizer = (await client.connection.sendRequest('textDocument/codeAction', at(2))) as { command?: { command: string } }[];
    assert.ok(!onTokenizer.some((a) => a.command?.command === 'ptmLens.runOnnxCheck'));
  });

  test('inspectOnnx: summary, text and PTM502 naming the node; a bad file is an error, not a crash', async () => {
    const unknown: InspectOnnxResult = await client.connection.sendRequest(INSPECT_ONNX_REQUEST, { uri: pathToFileURL(workspace.path('unknown.onnx')).toString() });
    assert.ok(unknown.ok);
    assert.equal(unknown.summary.file, 'unknown.onnx');
    assert.deepEqual((unknown.summary.findings as { code: string; nodes: string[] }[]).map((f) => [f.code, f.nodes]), [['PTM502', ['mystery']]]);
    assert.match(unknown.text, /error PTM502: PtmLensNoSuchOp/);
    const bad: InspectOnnxResult = await client.connection.sendRequest(INSPECT_ONNX_REQUEST, { uri: pathToFileURL(workspace.path('bad.onnx')).toString() });
    assert.deepEqual(bad.ok, false);
    assert.match((bad as { error: string }).error, /not (a valid|an) ONNX model/);
    const good: InspectOnnxResult = await client.connection.sendRequest(INSPECT_ONNX_REQUEST, { uri: pathToFileURL(workspace.path('good.onnx')).toString() });
    assert.ok(good.ok && good.text.includes('3 nodes'));
  });

  test('checkOnnx runs the check with progress and returns the verdict with statistics', async () => {
    const result: CheckOnnxResult = await client.connection.sendRequest(CHECK_ONNX_REQUEST, { source: { kind: 'module', file: workspace.path('models.py'), name: 'small' }, python: SYSTEM_PYTHON, inputs: 3 });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.verdict, 'pass');
    assert.equal(result.inputs, 3);
    assert.equal(result.outputs.length, 1);
    assert.ok(Object.values(result.histograms)[0].length > 0);
    assert.ok(progress.some((m) => /exporting with torch\.onnx\.export/.test(m)), progress.join(' | '));
  });

  test('a check of a Hub model puts its verdict on the references as PTM504: a mismatch is a warning, a pass shows nothing', async () => {
    const uri = pathToFileURL(workspace.path('serve.py')).toString();
    const text = 'from transformers import AutoModel\na = AutoModel.from_pretrained("org/batch-frozen")\nb = AutoModel.from_pretrained("org/tiny-text")\n';
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    await client.waitForDiagnostics(uri, (p) => p.version === 1);
    const frozen: CheckOnnxResult = await client.connection.sendRequest(CHECK_ONNX_REQUEST, { source: { kind: 'model', id: 'org/batch-frozen' }, python: SYSTEM_PYTHON });
    assert.ok(frozen.ok && frozen.verdict === 'mismatch', JSON.stringify(frozen));
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'PTM504'));
    const verdicts = published.diagnostics.filter((d) => d.code === 'PTM504');
    assert.deepEqual(verdicts.map((d) => [d.severity, d.range.start.line]), [[2, 1]]);
    assert.match(String(verdicts[0].message), /ONNX conversion check: mismatch\. The export computes something else/);
    const tiny: CheckOnnxResult = await client.connection.sendRequest(CHECK_ONNX_REQUEST, { source: { kind: 'model', id: 'org/tiny-text' }, python: SYSTEM_PYTHON });
    assert.ok(tiny.ok && tiny.verdict === 'pass', JSON.stringify(tiny));
    assert.ok(!client.diagnostics.get(uri)!.diagnostics.some((d) => d.code === 'PTM504' && d.range.start.line === 2));
    // The hover card shows the last verdict, a pass included.
    const hoverText = async (line: number) => {
      const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 35 } })) as { contents: { value: string } } | null;
      return hover?.contents.value ?? '';
    };
    assert.match(await hoverText(1), /ONNX check \| mismatch: /);
    assert.match(await hoverText(2), /ONNX check \| pass: /);
  });

  test('cancelling checkOnnx stops the Python child and answers with a clear error', async () => {
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest<CheckOnnxResult>(CHECK_ONNX_REQUEST, { source: { kind: 'module', file: workspace.path('models.py'), name: 'slow' }, python: SYSTEM_PYTHON }, source.token);
    setTimeout(() => source.cancel(), 1500);
    const started = Date.now();
    const result = await pending.catch((error: Error) => ({ ok: false as const, error: `rejected: ${error.message}` }));
    assert.equal(result.ok, false);
    assert.match((result as { error: string }).error, /cancelled/);
    assert.ok(Date.now() - started < 60_000, 'well before the helper would finish sleeping');
  });
});
