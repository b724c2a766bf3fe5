// The attacks against a real onnxruntime session: the two-class linear model of the other
// tests written as an ONNX graph (Flatten -> MatMul -> Add -> Softmax, so the scores are
// probabilities), queried through a minimal batch adapter defined here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defended, runAttackOnImages, type BatchClassifier } from '../../server/robustness';
import { loadOnnxRuntime, QUIET } from '../../server/onnx/runtime';
import { buildModel, floatTensor } from '../support/onnx-models';
import { twoClassProblem } from '../support/linear-classifier';

const SHAPE = [3, 8, 8] as const;
const D = SHAPE[0] * SHAPE[1] * SHAPE[2];
const { model: reference, images, labels } = twoClassProblem(21, SHAPE, 4);

async function onnxClassifier(): Promise<BatchClassifier & { calls: number }> {
  const w = reference.weights[1];
  const weights = new Array<number>(D * 2);
  for (let i = 0; i < D; i++) [weights[2 * i], weights[2 * i + 1]] = [0, w[i]];
  const bytes = buildModel({
    nodes: [
      { op: 'Flatten', inputs: ['x'], outputs: ['f'], attributes: [{ name: 'axis', type: 2, i: 1 }] },
      { op: 'MatMul', inputs: ['f', 'W'], outputs: ['h'] },
      { op: 'Add', inputs: ['h', 'b'], outputs: ['z'] },
      { op: 'Softmax', inputs: ['z'], outputs: ['y'] },
    ],
    inputs: [{ name: 'x', shape: ['batch', ...SHAPE] }],
    outputs: [{ name: 'y', shape: ['batch', 2] }],
    initializers: [floatTensor('W', [D, 2], weights), floatTensor('b', [2], [reference.bias[0], reference.bias[1]])],
  });
  const ort = loadOnnxRuntime();
  const session = await ort.InferenceSession.create(bytes, {
    logSeverityLevel: QUIET,
    // One thread, no spin-waiting: the tests share a small machine.
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
  const adapter = {
    classes: 2,
    shape: SHAPE,
    calls: 0,
    async predict(batch: readonly Float32Array[]) {
      adapter.calls++;
      const data = new Float32Array(batch.length * D);
      batch.forEach((image, k) => data.set(image, k * D));
      const out = await session.run({ x: new ort.Tensor('float32', data, [batch.length, ...SHAPE]) });
      const y = out.y.data as Float32Array;
      return batch.map((_, k) => y.slice(2 * k, 2 * k + 2));
    },
  };
  return adapter;
}

describe('attacks through onnxruntime', () => {
  test('HopSkipJump and SimBA on the linear model as ONNX, batched across images', async () => {
    const model = await onnxClassifier();
    const hsj = await runAttackOnImages('hopskipjump', model, images, labels, { norm: 'l2', targeted: false, queries: 3000, seed: 1 });
    const queries = hsj.reduce((s, r) => s + r.queries, 0);
    assert.ok(model.calls * 20 <= queries, `${model.calls} session runs for ${queries} queries`);
    hsj.forEach((r, i) => {
      assert.ok(r.success, `image ${i}`);
      // The runtime's verdict agrees with the exact model, and the distance is near the optimum.
      assert.notEqual(reference.label(r.adversarial!), labels[i]);
      assert.ok(r.l2 <= reference.optimalL2(images[i]) * 1.3, `image ${i}: ${r.l2} vs ${reference.optimalL2(images[i])}`);
    });
    const simba = await runAttackOnImages('simba', model, images, labels, { norm: 'linf', targeted: false, queries: 3000, seed: 1 });
    assert.ok(simba.every((r) => r.success && r.linf <= 0.2 + 1e-6));
  });

  test('a median defence in front of the session: the attack sees the defended model', async () => {
    const model = await onnxClassifier();
    const guarded = defended(model, { kind: 'median', size: 3 });
    const [r] = await runAttackOnImages('hopskipjump', guarded, images.slice(0, 1), labels.slice(0, 1), { norm: 'l2', targeted: false, queries: 400, seed: 1 });
    assert.ok(r.success);
    const [scores] = await guarded.predict([r.adversarial!]);
    assert.equal(scores[1] > scores[0] ? 1 : 0, r.adversarialLabel);
  });
});
