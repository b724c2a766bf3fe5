// The preprocessing defences against their definitions on hand-made inputs, their parsing,
// and that a defended classifier shows the model only defended images.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { applyDefense, defended, parseDefense, type BatchClassifier, type DefenseSpec } from '../../server/robustness';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `at ${i}: ${a[i]} vs ${b[i]}`);
};
const f32 = (values: number[]) => Float32Array.from(values);

describe('bit-depth squeezing', () => {
  test('rounds to the nearest of 2^bits levels', () => {
    close(applyDefense(f32([0, 0.49, 0.51, 1]), [1, 1, 4], { kind: 'bit-depth', bits: 1 }), [0, 0, 1, 1]);
    // Two bits: levels 0, 1/3, 2/3, 1.
    close(applyDefense(f32([0.1, 0.2, 0.5, 0.6, 0.9]), [1, 1, 5], { kind: 'bit-depth', bits: 2 }), [0, 1 / 3, 2 / 3, 2 / 3, 1]);
  });

  test('lands on a level, moves at most half a level, and is idempotent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (bits, values) => {
        const image = f32(values);
        const shape = [1, 1, image.length] as const;
        const out = applyDefense(image, shape, { kind: 'bit-depth', bits });
        const top = 2 ** bits - 1;
        out.forEach((v, i) => {
          assert.ok(Math.abs(v * top - Math.round(v * top)) < 1e-4);
          assert.ok(Math.abs(v - image[i]) <= 0.5 / top + 1e-6);
        });
        close(applyDefense(out, shape, { kind: 'bit-depth', bits }), out);
      }),
    );
  });
});

describe('median smoothing', () => {
  // One channel, 3x3: 0.1 .. 0.9 row by row.
  const grid = f32([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);

  test('each value is the median of its KxK window, edges mirrored', () => {
    const out = applyDefense(grid, [1, 3, 3], { kind: 'median', size: 3 });
    // Centre: all nine values. Corner (0,0): rows {0,0,1} x cols {0,0,1} = 1,1,2,1,1,2,4,4,5 (tenths) -> 2.
    // Edge (0,1): rows {0,0,1} x cols {0,1,2} = 1,2,3,1,2,3,4,5,6 -> 3. Corner (2,2): 5,6,6,8,9,9,8,9,9 -> 8.
    close(out, [0.2, 0.3, 0.3, 0.4, 0.5, 0.6, 0.7, 0.7, 0.8]);
  });

  test('an even window reaches one further back and takes the upper middle value', () => {
    // 2x2 window at (1,1): rows {0,1} x cols {0,1} = 1,2,4,5 -> rank 2 of 4 = 4.
    const out = applyDefense(grid, [1, 3, 3], { kind: 'median', size: 2 });
    assert.ok(Math.abs(out[4] - 0.4) < 1e-6);
  });

  test('removes an isolated outlier, keeps flat areas, leaves K=1 alone and does not mix channels', () => {
    const image = new Float32Array(2 * 5 * 5).fill(0.25);
    image.fill(0.75, 25); // second channel flat at 0.75
    image[12] = 1; // a bright pixel in the first channel
    const out = applyDefense(image, [2, 5, 5], { kind: 'median', size: 3 });
    close(out.subarray(0, 25), new Float32Array(25).fill(0.25));
    close(out.subarray(25), new Float32Array(25).fill(0.75));
    close(applyDefense(grid, [1, 3, 3], { kind: 'median', size: 1 }), grid);
  });

  test('every output value is one of the inputs of its channel', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (values, size) => {
        const out = applyDefense(f32(values), [1, 3, 4], { kind: 'median', size });
        const set = new Set(f32(values));
        for (const v of out) assert.ok(set.has(v));
      }),
    );
  });
});

describe('JPEG filtering', () => {
  const smooth = (c: number, h: number, w: number) => {
    const out = new Float32Array(c * h * w);
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(ch * h + y) * w + x] = 0.2 + 0.6 * ((x + y + ch * 3) / (h + w + 6));
    return out;
  };
  const meanError = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;

  test('round-trips a smooth RGB image closely at high quality, less closely at low quality', () => {
    const image = smooth(3, 16, 16);
    const high = applyDefense(image, [3, 16, 16], { kind: 'jpeg', quality: 95 });
    const low = applyDefense(image, [3, 16, 16], { kind: 'jpeg', quality: 5 });
    assert.ok(meanError(high, image) < 0.01, `q95 mean error ${meanError(high, image)}`);
    assert.ok(Math.max(...high.map((v, i) => Math.abs(v - image[i]))) < 0.05);
    assert.ok(meanError(low, image) > meanError(high, image));
    for (const v of low) assert.ok(v >= 0 && v <= 1);
    // The output is 8-bit.
    for (const v of high) assert.ok(Math.abs(v * 255 - Math.round(v * 255)) < 1e-3);
  });

  test('a flat grey image survives unchanged (to 8 bits); one channel works; noise is cut down', () => {
    const flat = new Float32Array(64).fill(128 / 255);
    close(applyDefense(flat, [1, 8, 8], { kind: 'jpeg', quality: 50 }), flat, 1.5 / 255);
    const noisy = smooth(1, 16, 16).map((v, i) => v + (i % 2 === 0 ? 0.03 : -0.03));
    const out = applyDefense(noisy, [1, 16, 16], { kind: 'jpeg', quality: 50 });
    assert.ok(meanError(out, smooth(1, 16, 16)) < meanError(noisy, smooth(1, 16, 16)), 'high-frequency noise should shrink');
  });

  test('refuses images that are not 1 or 3 channels', () => {
    assert.throws(() => applyDefense(new Float32Array(4 * 4), [4, 2, 2], { kind: 'jpeg', quality: 50 }), /1 or 3 channels/);
  });
});

describe('defence specs', () => {
  test('parses the four forms', () => {
    assert.deepEqual(parseDefense('none'), { kind: 'none' });
    assert.deepEqual(parseDefense('bit-depth:4'), { kind: 'bit-depth', bits: 4 });
    assert.deepEqual(parseDefense('median:3'), { kind: 'median', size: 3 });
    assert.deepEqual(parseDefense('jpeg:75'), { kind: 'jpeg', quality: 75 });
  });

  test('rejects anything else with a clear message', () => {
    for (const bad of ['', 'jpeg', 'jpeg:', 'jpeg:0', 'jpeg:101', 'jpeg:7.5', 'bit-depth:0', 'bit-depth:17', 'median:-1', 'median:x', 'blur:3', 'JPEG:50'])
      assert.throws(() => parseDefense(bad), /defence .*(expected none|must be a whole number)/, bad);
    assert.throws(() => applyDefense(new Float32Array(4), [1, 2, 2], { kind: 'median', size: 0 }), /whole number from 1 to 15/);
    assert.throws(() => applyDefense(new Float32Array(4), [1, 2, 2], { kind: 'blur' } as unknown as DefenseSpec), /not a defence/);
  });

  test('a defended classifier shows the model only defended images', async () => {
    const seen: Float32Array[] = [];
    const model: BatchClassifier = {
      classes: 2,
      shape: [1, 1, 3],
      predict: async (images) => (seen.push(...images), images.map(() => f32([0, 1]))),
    };
    const guarded = defended(model, { kind: 'bit-depth', bits: 1 });
    await guarded.predict([f32([0.2, 0.6, 0.9])]);
    close(seen[0], [0, 1, 1]);
    assert.equal(defended(model, { kind: 'none' }), model);
    assert.throws(() => defended({ ...model, shape: [2, 1, 3] }, { kind: 'jpeg', quality: 50 }), /1 or 3 channels/);
  });
});
