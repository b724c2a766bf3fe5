import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { opHistogram } from '../../server/onnx/graph';
import { onnx } from '../../server/onnx/proto';
import { OnnxReadError, readOnnxBytes, readOnnxFile } from '../../server/onnx/read-model';
import { buildModel, floatTensor, softmaxModel } from '../support/onnx-models';

describe('ONNX graph reader', () => {
  test('reads IR version, opsets, ops, inputs with dynamic dims, outputs and initializer sizes', () => {
    const graph = readOnnxBytes(softmaxModel());
    assert.equal(graph.irVersion, 8);
    assert.deepEqual(graph.opsets, { '': 13 });
    assert.deepEqual(graph.producer, { name: 'ptm-lens-test', version: '' });
    assert.deepEqual(opHistogram(graph), { Add: 1, MatMul: 1, Softmax: 1 });
    assert.deepEqual(graph.inputs, [{ name: 'x', type: 'tensor(float)', shape: ['batch', 3] }]);
    assert.deepEqual(graph.outputs, [{ name: 'y', type: 'tensor(float)', shape: ['batch', 2] }]);
    assert.deepEqual(graph.initializers, { count: 2, bytes: 4 * 8, external: { count: 0, bytes: 0, files: [] } });
  });

  test('counts nodes in If branches, folds "ai.onnx" into "", names unnamed nodes', () => {
    const branch = (op: string): onnx.IGraphProto => ({ name: op, node: [{ opType: op, input: ['x'], output: ['o'] }], output: [{ name: 'o' }] });
    const bytes = buildModel({
      nodes: [
        { op: 'Greater', inputs: ['x', 'x'], outputs: ['c'], name: '' },
        { op: 'If', inputs: ['c'], outputs: ['y'], name: 'choose', attributes: [
          { name: 'then_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch('Relu') },
          { name: 'else_branch', type: onnx.AttributeProto.AttributeType.GRAPH, g: branch('Neg') },
        ] },
        { op: 'FusedConv', domain: 'com.microsoft', inputs: ['y'], outputs: ['z'] },
      ],
      inputs: [{ name: 'x', shape: [1] }],
      outputs: [{ name: 'z' }],
      opsets: { 'ai.onnx': 13, 'com.microsoft': 1 },
    });
    const graph = readOnnxBytes(bytes);
    assert.deepEqual(graph.opsets, { '': 13, 'com.microsoft': 1 });
    assert.deepEqual(graph.nodes.map((n) => [n.name, n.subgraph ?? '']), [
      ['Greater_0', ''], ['choose', ''], ['Relu_2', 'choose/then_branch'], ['Neg_3', 'choose/else_branch'], ['FusedConv_2', ''],
    ]);
    assert.deepEqual(opHistogram(graph), { Greater: 1, If: 1, Neg: 1, Relu: 1, 'com.microsoft::FusedConv': 1 });
    assert.deepEqual(graph.outputs, [{ name: 'z', type: 'tensor(float)' }]);
  });

  test('reports external data without reading it, and leaves initializers out of the inputs', () => {
    const external: onnx.ITensorProto = {
      name: 'W', dims: [1000, 1000], dataType: onnx.TensorProto.DataType.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [{ key: 'location', value: 'weights.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: '4000000' }],
    };
    const typed: onnx.ITensorProto = { name: 'k', dims: [3], dataType: onnx.TensorProto.DataType.INT64, int64Data: [1, 2, 3] };
    const bytes = buildModel({
      nodes: [{ op: 'MatMul', inputs: ['x', 'W'], outputs: ['y'] }],
      // Old exporters list initializers among the graph inputs too.
      inputs: [{ name: 'x', shape: [1, 1000] }, { name: 'W', shape: [1000, 1000] }],
      outputs: [{ name: 'y', shape: [1, 1000] }],
      initializers: [external, typed, floatTensor('b', [2], [1, 2])],
    });
    const graph = readOnnxBytes(bytes);
    assert.deepEqual(graph.inputs.map((i) => i.name), ['x']);
    assert.deepEqual(graph.initializers, { count: 3, bytes: 3 * 8 + 2 * 4, external: { count: 1, bytes: 4_000_000, files: ['weights.bin'] } });
  });

  test('bad bytes, truncated files, empty files and text give one clear OnnxReadError', () => {
    const good = softmaxModel();
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(), /empty/],
      [good.slice(0, good.length - 20), /truncated/],
      [Buffer.from('def forward(self, x):\n    return x\n'), /not (a valid|an) ONNX model/],
      [Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), /not (a valid|an) ONNX model/],
      [onnx.ModelProto.encode({ irVersion: 8 }).finish(), /no graph/],
    ];
    for (const [bytes, message] of cases) {
      assert.throws(() => readOnnxBytes(bytes), (error: Error) => error instanceof OnnxReadError && message.test(error.message), String(message));
    }
  });

  test('files: a missing file and a bad file name the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptm-lens-onnx-'));
    try {
      const bad = join(dir, 'bad.onnx');
      writeFileSync(bad, 'not a model');
      assert.throws(() => readOnnxFile(bad), (e: Error) => e instanceof OnnxReadError && e.message.startsWith(bad));
      assert.throws(() => readOnnxFile(join(dir, 'missing.onnx')), (e: Error) => e instanceof OnnxReadError && /ENOENT/.test(e.message));
      const good = join(dir, 'good.onnx');
      writeFileSync(good, softmaxModel());
      assert.equal(readOnnxFile(good).nodes.length, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
