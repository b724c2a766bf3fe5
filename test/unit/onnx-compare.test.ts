import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DiffAccumulator, diffHistogram } from '../../server/onnx/check/compare';

describe('conversion check comparison', () => {
  test('statistics and the elementwise rule |ort - torch| <= atol + rtol * |torch|', () => {
    const acc = new DiffAccumulator('y', { atol: 1e-5, rtol: 1e-5 });
    acc.add([1, 2.00001, 100.01, 0], [1, 2, 100, 0], [4], [4]);
    const r = acc.result();
    assert.equal(r.failing, 1, 'only 100.01 vs 100 is beyond 1e-5 + 1e-5 * 100');
    assert.equal(r.pass, false);
    assert.ok(Math.abs(r.maxAbsDiff - 0.01) < 1e-9);
    assert.ok(Math.abs(r.maxRelDiff - 1e-4) < 1e-9);
    assert.ok(Math.abs(r.medianAbsDiff - 0.000005) < 1e-9, String(r.medianAbsDiff));
    assert.equal(r.elements, 4);
  });

  test('NaN on both sides agrees; NaN or Inf on one side fails; other shapes fail with the reason', () => {
    const acc = new DiffAccumulator('y', { atol: 1e-5, rtol: 0 });
    acc.add([NaN, Infinity, 1], [NaN, 1, 1], [3], [3]);
    assert.deepEqual([acc.result().nanOrInf, acc.result().pass], [1, false]);
    const shaped = new DiffAccumulator('z', { atol: 1, rtol: 1 });
    shaped.add([1, 2], [1, 2], [1, 2], [2, 1]);
    assert.match(shaped.result().problem ?? '', /shape \[1, 2\] where the source model gives \[2, 1\]/);
    assert.equal(shaped.result().pass, false);
    const same = new DiffAccumulator('w', { atol: 0, rtol: 0 });
    same.add([1, 2], [1, 2], [2], [2]);
    assert.equal(same.result().pass, true);
  });

  test('the histogram counts every difference once', () => {
    const bins = diffHistogram([0, 1e-9, 1e-6, 1e-6, 0.5, 3]);
    assert.equal(bins.reduce((n, b) => n + b.count, 0), 6);
    assert.equal(bins[bins.length - 1].count, 1, 'differences of 1 and more land in the last bin');
  });
});
