import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptySettings, mergeSettings } from '../../server/config/settings';
import { checkOnnxGraph } from '../../server/engine/onnx-file';
import { readOnnxBytes } from '../../server/onnx/read-model';
import { buildModel, floatTensor, softmaxModel, type NodeSpec } from '../support/onnx-models';

function findings(nodes: NodeSpec[], settings = emptySettings()) {
  const bytes = buildModel({ nodes, inputs: [{ name: 'x', shape: ['batch', 4] }], outputs: [{ name: 'y' }], initializers: [floatTensor('s', [1], [0.5])] });
  return checkOnnxGraph(readOnnxBytes(bytes), { relativePath: 'm.onnx', settings });
}

const ATTENTION: NodeSpec[] = [
  { op: 'Mul', inputs: ['x', 's'], outputs: ['scaled'], name: 'scale' },
  { op: 'Softmax', inputs: ['scaled'], outputs: ['weights'], name: 'softmax' },
  { op: 'MatMul', inputs: ['weights', 'x'], outputs: ['y'], name: 'mix' },
];

describe('PTM503 risky op sequence', () => {
  test('Mul -> Softmax -> MatMul along data flow is a warning naming the nodes and the study', () => {
    const found = findings(ATTENTION);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.nodes]), [['PTM503', 'warning', ['scale', 'softmax', 'mix']]]);
    assert.match(found[0].message, /^Mul -> Softmax -> MatMul .* occurs once; .*Jajal et al\. 2024/);
  });

  test('the same ops in file order but not connected do not match', () => {
    const found = findings([
      { op: 'Mul', inputs: ['x', 's'], outputs: ['a'], name: 'scale' },
      { op: 'Softmax', inputs: ['x'], outputs: ['b'], name: 'softmax' },
      { op: 'MatMul', inputs: ['b', 'a'], outputs: ['y'], name: 'mix' },
    ]);
    assert.deepEqual(found, []);
  });

  test('Shape -> Slice -> Concat -> Reshape -> Expand, found twice, is one finding with every node', () => {
    const chain = (p: string, input: string, out: string): NodeSpec[] => [
      { op: 'Shape', inputs: [input], outputs: [`${p}shape`], name: `${p}Shape` },
      { op: 'Slice', inputs: [`${p}shape`, 'starts', 'ends'], outputs: [`${p}sliced`], name: `${p}Slice` },
      { op: 'Concat', inputs: [`${p}sliced`, 'extra'], outputs: [`${p}target`], name: `${p}Concat` },
      { op: 'Reshape', inputs: ['x', `${p}target`], outputs: [`${p}reshaped`], name: `${p}Reshape` },
      { op: 'Expand', inputs: [`${p}reshaped`, 'dims'], outputs: [out], name: `${p}Expand` },
    ];
    const found = findings([...chain('a', 'x', 'mid'), ...chain('b', 'mid', 'y')]);
    assert.equal(found.length, 1);
    assert.match(found[0].message, /occurs 2 times/);
    assert.equal(found[0].nodes.length, 10);
  });

  test('Resize -> Abs -> ReduceMax matches; settings can silence or raise the rule', () => {
    const nodes: NodeSpec[] = [
      { op: 'Resize', inputs: ['x', '', 's'], outputs: ['up'] },
      { op: 'Abs', inputs: ['up'], outputs: ['mag'] },
      { op: 'ReduceMax', inputs: ['mag'], outputs: ['y'] },
    ];
    assert.deepEqual(findings(nodes).map((f) => f.code), ['PTM503']);
    assert.deepEqual(findings(nodes, mergeSettings(emptySettings(), { ignore: ['PTM503'] })), []);
    assert.deepEqual(findings(nodes, mergeSettings(emptySettings(), { severity: { PTM5: 'error' } })).map((f) => f.severity), ['error']);
  });

  test('a plain MatMul -> Add -> Softmax model has no finding', () => {
    assert.deepEqual(checkOnnxGraph(readOnnxBytes(softmaxModel()), { relativePath: 'm.onnx', settings: emptySettings() }), []);
  });
});
