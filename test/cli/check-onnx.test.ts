// The conversion check for real: Debian's torch exports modules built here, onnxruntime-node
// runs the export, the CLI compares.
import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { onnx } from '../../server/onnx/proto';
import { runCli } from '../support/cli';
import { buildModel } from '../support/onnx-models';
import { SYSTEM_PYTHON } from '../support/python';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const ROOT = join(__dirname, '..', '..', '..');
const validator = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'check-onnx.schema.json'), 'utf8')));
const schemaErrors = (data: unknown): string => (validator(data) ? '' : JSON.stringify(validator.errors));

const MODELS = `
import torch

class ConvResizeSoftmax(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.fc = torch.nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        h = torch.relu(self.conv(x))
        h = torch.nn.functional.interpolate(h, scale_factor=2.0, mode="nearest")
        h = torch.nn.functional.max_pool2d(h, 4)
        return torch.softmax(self.fc(h.flatten(1)), dim=-1)

def conv_net():
    torch.manual_seed(0)
    return ConvResizeSoftmax(), torch.randn(2, 3, 8, 8)

class Identity(torch.nn.Module):
    def forward(self, x):
        return x * 1.0

def identity():
    return Identity(), torch.randn(2, 8)

class Spectrum(torch.nn.Module):
    def forward(self, x):
        return torch.fft.fft(x).real

def spectrum():
    return Spectrum(), torch.randn(2, 8)

def broken():
    raise RuntimeError("the factory is broken on purpose")
`;

let workspace: TempWorkspace;
const check = (args: string[]) => runCli(['check-onnx', '--python', SYSTEM_PYTHON, ...args], { cwd: workspace.root });
const json = (args: string[]) => {
  const result = check([...args, '--format', 'json']);
  return { status: result.status, stderr: result.stderr, output: result.stdout ? JSON.parse(result.stdout) : undefined };
};

describe('ptm-lens check-onnx (real exporter, real runtime)', () => {
  before(() => {
    workspace = tempWorkspace({ 'models.py': MODELS });
  });
  after(() => workspace.dispose());

  test('a faithful export of conv, resize and softmax with dynamic batch passes at both levels', () => {
    const { status, output, stderr } = json(['--module', 'models.py:conv_net', '--out', workspace.path('faithful'), '--inputs', '6']);
    assert.equal(status, 0, stderr);
    assert.equal(schemaErrors(output), '');
    assert.equal(output.verdict, 'pass');
    assert.equal(output.inputs, 6, 'the example, zeros, ones and three seeded inputs (two with another batch size)');
    assert.deepEqual(output.optimization.levels, { disabled: 'pass', all: 'pass' });
    assert.equal(output.outputs.length, 1);
    assert.deepEqual(output.outputs[0].shape, [2, 5]);
    assert.ok(output.outputs[0].maxAbsDiff <= 1e-5 + 1e-5, String(output.outputs[0].maxAbsDiff));
    assert.equal(output.report, workspace.path('faithful/report.json'));
    const report = JSON.parse(readFileSync(output.report, 'utf8'));
    assert.equal(report.verdict, 'pass');
    assert.ok(report.histograms.output_0.reduce((n: number, b: { count: number }) => n + b.count, 0) >= 6 * 2 * 5);
    assert.match(stderr, /exporting with torch\.onnx\.export \(opset 17\)/);
  });

  test('the same export with one initializer perturbed is a mismatch (exit 1)', () => {
    const exported = workspace.path('faithful/model.onnx');
    const model = onnx.ModelProto.decode(readFileSync(exported));
    const weight = model.graph!.initializer!.find((t) => t.dims!.length === 2)!;
    const values = new Float32Array(Uint8Array.from(weight.rawData!).buffer);
    values[0] += 0.5;
    weight.rawData = new Uint8Array(values.buffer);
    writeFileSync(workspace.path('perturbed.onnx'), onnx.ModelProto.encode(model).finish());
    const { status, output } = json(['--module', 'models.py:conv_net', '--onnx', workspace.path('perturbed.onnx')]);
    assert.equal(status, 1);
    assert.equal(schemaErrors(output), '');
    assert.equal(output.verdict, 'mismatch');
    assert.equal(output.outputs[0].pass, false);
    assert.ok(output.outputs[0].maxAbsDiff > 1e-3);
    assert.match(output.message, /output_0: \d+ of \d+ elements beyond/);
  });

  test('torch.fft cannot be exported: export-crash naming the operator', () => {
    const { status, output } = json(['--module', 'models.py:spectrum']);
    assert.equal(status, 1);
    assert.equal(schemaErrors(output), '');
    assert.equal(output.verdict, 'export-crash');
    assert.match(output.message, /fft/);
  });

  test('a graph with an op no runtime knows is a load crash; bad and truncated bytes are too, with a clear message', () => {
    writeFileSync(workspace.path('unknown-op.onnx'), buildModel({ nodes: [{ op: 'PtmLensNoSuchOp', inputs: ['x'], outputs: ['y'] }], inputs: [{ name: 'x', shape: ['batch', 8] }], outputs: [{ name: 'y' }] }));
    const unknown = json(['--module', 'models.py:identity', '--onnx', workspace.path('unknown-op.onnx')]);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.output.verdict, 'load-crash');
    assert.match(unknown.output.message, /PtmLensNoSuchOp/);
    const inspected = JSON.parse(runCli(['inspect-onnx', workspace.path('unknown-op.onnx'), '--format', 'json']).stdout);
    assert.deepEqual(inspected.findings.map((f: { code: string; nodes: string[] }) => [f.code, f.nodes]), [['PTM502', ['PtmLensNoSuchOp_0']]]);

    writeFileSync(workspace.path('garbage.onnx'), 'certainly not protobuf');
    writeFileSync(workspace.path('truncated.onnx'), readFileSync(workspace.path('faithful/model.onnx')).subarray(0, 200));
    for (const [file, reason] of [['garbage.onnx', /not (a valid|an) ONNX model/], ['truncated.onnx', /truncated/]] as const) {
      const bad = json(['--module', 'models.py:identity', '--onnx', workspace.path(file)]);
      assert.equal(bad.status, 1, file);
      assert.equal(bad.output.verdict, 'load-crash');
      assert.match(bad.output.message, reason);
      assert.doesNotMatch(bad.stderr, /\n\s+at /);
    }
  });

  test('a graph that loads but fails on another batch size is a run crash', () => {
    // Reshape to a fixed [2, 8] although the input declares a dynamic batch.
    const shape: onnx.ITensorProto = { name: 'fixed', dims: [2], dataType: onnx.TensorProto.DataType.INT64, int64Data: [2, 8] };
    writeFileSync(workspace.path('fixed-batch.onnx'), buildModel({ nodes: [{ op: 'Reshape', inputs: ['x', 'fixed'], outputs: ['y'] }], inputs: [{ name: 'x', shape: ['batch', 8] }], outputs: [{ name: 'y' }], initializers: [shape] }));
    const { status, output } = json(['--module', 'models.py:identity', '--onnx', workspace.path('fixed-batch.onnx')]);
    assert.equal(status, 1);
    assert.equal(output.verdict, 'run-crash');
    assert.match(output.message, /failed on input 3/);
  });

  test('--model goes through the same check: a transformers-style model and tokenizer, exported and compared', () => {
    // test/fixtures/python holds a stand-in transformers package (Debian has none); the export,
    // onnxruntime and the comparison are real.
    const env = { PYTHONPATH: join(ROOT, 'test', 'fixtures', 'python') };
    const result = runCli(['check-onnx', '--python', SYSTEM_PYTHON, '--model', 'org/tiny-text', '--format', 'json'], { cwd: workspace.root, env });
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.equal(schemaErrors(output), '');
    assert.equal(output.verdict, 'pass');
    assert.deepEqual(output.outputs.map((o: { shape: number[] }) => o.shape), [[2, 4]]);
    const offline = runCli(['check-onnx', '--python', SYSTEM_PYTHON, '--model', 'missing/model'], { cwd: workspace.root, env: { ...env, HF_HUB_OFFLINE: '1' } });
    assert.equal(offline.status, 2);
    assert.match(offline.stderr, /not in the local Hugging Face cache .*unset HF_HUB_OFFLINE/);
  });

  test('--library: a sentence-transformers encoder and a timm network, each loaded with its library, exported and compared', () => {
    const env = { PYTHONPATH: join(ROOT, 'test', 'fixtures', 'python') };
    const run = (library: string) => runCli(['check-onnx', '--python', SYSTEM_PYTHON, '--model', 'org/tiny', '--library', library, '--format', 'json'], { cwd: workspace.root, env });
    const encoder = run('sentence-transformers');
    assert.equal(encoder.status, 0, encoder.stderr);
    const embedded = JSON.parse(encoder.stdout);
    assert.equal(schemaErrors(embedded), '');
    assert.equal(embedded.verdict, 'pass');
    assert.deepEqual(embedded.outputs.map((o: { shape: number[] }) => o.shape), [[2, 6]], 'the sentence embedding, not the token embeddings');
    assert.match(encoder.stderr, /loading org\/tiny with sentence-transformers/);
    const vision = run('timm');
    assert.equal(vision.status, 0, vision.stderr);
    const classified = JSON.parse(vision.stdout);
    assert.equal(classified.verdict, 'pass');
    assert.deepEqual(classified.outputs.map((o: { shape: number[] }) => o.shape), [[2, 5]], 'input size from the pretrained config');
    const missing = runCli(['check-onnx', '--python', SYSTEM_PYTHON, '--model', 'org/tiny', '--library', 'timm'], { cwd: workspace.root });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot import timm .*pip install timm/);
    const usage = check(['--model', 'org/tiny', '--library', 'keras']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--library must be one of auto, transformers, sentence-transformers, timm/);
    assert.equal(check(['--module', 'models.py:conv_net', '--library', 'timm']).status, 2, '--library goes with --model');
  });

  test('could not run (exit 2): no torch, no Python, a failing factory, no transformers for --model', () => {
    // Debian's Python without site-packages cannot import torch.
    const noSite = workspace.write('python-without-torch', `#!/bin/sh\nexec ${SYSTEM_PYTHON} -S "$@"\n`);
    chmodSync(noSite, 0o755);
    const cases: [string[], RegExp][] = [
      [['--module', 'models.py:conv_net', '--python', noSite], /cannot import torch.*install PyTorch or choose another interpreter/],
      [['--module', 'models.py:conv_net', '--python', workspace.path('no-such-python')], /no Python at/],
      [['--module', 'models.py:broken'], /could not be built: RuntimeError: the factory is broken on purpose/],
      [['--model', 'google-bert/bert-base-uncased'], /cannot import transformers/],
      [['--module', 'models.py:missing_name'], /has no callable named missing_name/],
    ];
    for (const [args, message] of cases) {
      const result = check(args);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
    }
    assert.equal(check(['--module', 'models.py']).status, 2, 'usage: FILE.py:NAME');
    assert.equal(check(['--module', 'models.py:conv_net', '--model', 'x/y']).status, 2, 'usage: one source');
  });
});
