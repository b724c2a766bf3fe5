// The probe's parts around the attack engine, on real onnxruntime sessions of linear
// models built as ONNX here: layouts, batching and counting, normalisation, image decoding
// and resizing, and runProbe's bookkeeping with a simple attack of the test's own.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { decodeImage, encodePng, ImageError, listImages, roundTo8Bit, toChw } from '../../server/robustness/images';
import { describeImageClassifier, ModelError, OnnxClassifier, parseNormalize } from '../../server/robustness/onnx-classifier';
import { bestOther, runProbe } from '../../server/robustness/probe';
import type { AttackResult, BatchClassifier } from '../../server/robustness/types';
import { buildModel, floatTensor } from '../support/onnx-models';
import { halvesImage, LINEAR_SIZE, linearImageModel } from '../support/probe-linear';
import { tempDir } from '../support/temp';

const NONE = parseNormalize('none');
let dir: { path: string; remove(): void };
const file = (name: string) => join(dir.path, name);

/** The test's own attack: blend towards a reference image of another class, in 10 steps. */
const blendEngine = {
  defended: (model: BatchClassifier) => model,
  async runAttackOnImages(_name: string, model: BatchClassifier, images: readonly Float32Array[], labels: readonly number[], options: { queries: number; targets?: readonly (number | undefined)[] }): Promise<AttackResult[]> {
    const results: AttackResult[] = [];
    for (const [i, image] of images.entries()) {
      const goal = options.targets?.[i] ?? 1 - labels[i];
      const reference = goal === 1 ? halvesImage(0, 1) : halvesImage(1, 0);
      let queries = 0;
      let found: AttackResult = { success: false, l2: 0, linf: 0, queries: 0 };
      for (let step = 1; step <= 10 && queries < options.queries; step++) {
        const t = step / 10;
        const candidate = image.map((v, k) => v * (1 - t) + reference[k] * t);
        const [scores] = await model.predict([candidate]);
        queries++;
        const predicted = scores[1] > scores[0] ? 1 : 0;
        if (predicted === goal) {
          let l2 = 0;
          let linf = 0;
          candidate.forEach((v, k) => ((l2 += (v - image[k]) ** 2), (linf = Math.max(linf, Math.abs(v - image[k])))));
          found = { success: true, adversarial: candidate, adversarialLabel: predicted, l2: Math.sqrt(l2), linf, queries };
          break;
        }
      }
      results.push({ ...found, queries });
    }
    return results;
  },
};

function writePng(path: string, width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): void {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set([...pixel(x, y), 255], (y * width + x) * 4);
  writeFileSync(path, PNG.sync.write(png));
}

describe('the probe around the attack engine', () => {
  before(() => {
    dir = tempDir('ptm-lens-probe-core-');
    writeFileSync(file('nchw.onnx'), linearImageModel());
    writeFileSync(file('nhwc.onnx'), linearImageModel({ layout: 'NHWC' }));
    writeFileSync(file('batch1.onnx'), linearImageModel({ batch: 1 }));
    mkdirSync(file('normalized'));
    writeFileSync(file('normalized/model.onnx'), linearImageModel());
    writeFileSync(file('normalized/preprocessor_config.json'), JSON.stringify({ do_rescale: true, rescale_factor: 1 / 255, do_normalize: true, image_mean: [0.5, 0.5, 0.5], image_std: [0.25, 0.25, 0.25] }));
  });
  after(() => dir.remove());

  test('NCHW and NHWC graphs give the same scores; a fixed batch of 1 is fed one image at a time; every image is counted', async () => {
    const nchw = await OnnxClassifier.load(file('nchw.onnx'), NONE);
    const nhwc = await OnnxClassifier.load(file('nhwc.onnx'), NONE);
    const single = await OnnxClassifier.load(file('batch1.onnx'), NONE);
    try {
      assert.equal(nchw.layout.layout, 'NCHW');
      assert.equal(nhwc.layout.layout, 'NHWC');
      assert.deepEqual([...nhwc.shape], [3, LINEAR_SIZE, LINEAR_SIZE]);
      const images = [halvesImage(0.2, 0.9), halvesImage(0.8, 0.1), halvesImage(0.5, 0.5)];
      const a = await nchw.predict(images);
      const b = await nhwc.predict(images);
      const c = await single.predict(images);
      for (let i = 0; i < 3; i++) {
        for (let k = 0; k < 2; k++) {
          assert.ok(Math.abs(a[i][k] - b[i][k]) < 1e-5, `image ${i} class ${k}: ${a[i][k]} vs ${b[i][k]}`);
          assert.ok(Math.abs(a[i][k] - c[i][k]) < 1e-5);
        }
      }
      assert.ok(Math.abs(a[0][1] - 0.7) < 1e-5, 'right minus left');
      assert.deepEqual([nchw.stats.images, nchw.stats.runs, nchw.stats.batches], [3, 1, [3]]);
      assert.deepEqual([single.stats.images, single.stats.runs], [3, 3]);
    } finally {
      await Promise.all([nchw.release(), nhwc.release(), single.release()]);
    }
  });

  test('a session on its own thread gives the same scores and counts, and buffers reused across batch sizes stay correct', async () => {
    const here = await OnnxClassifier.load(file('nchw.onnx'), NONE);
    const threaded = await OnnxClassifier.load(file('nchw.onnx'), NONE, { thread: true });
    const single = await OnnxClassifier.load(file('batch1.onnx'), NONE, { thread: true });
    try {
      const images = [halvesImage(0.2, 0.9), halvesImage(0.8, 0.1), halvesImage(0.5, 0.5), halvesImage(0.3, 0.6)];
      // Large batch first, then smaller ones packed into the returned buffer, some at once.
      for (const batch of [images, images.slice(0, 1), images.slice(1, 3)]) {
        const [a, b, c, d] = await Promise.all([here.predict(batch), threaded.predict(batch), threaded.predict(batch.slice().reverse()), single.predict(batch)]);
        for (let i = 0; i < batch.length; i++) {
          assert.deepEqual([...b[i]], [...a[i]]);
          assert.deepEqual([...c[batch.length - 1 - i]], [...a[i]]);
          assert.ok(Math.abs(d[i][1] - a[i][1]) < 1e-5);
        }
      }
      assert.deepEqual([threaded.stats.images, threaded.stats.runs], [14, 6]);
      assert.deepEqual([single.stats.images, single.stats.runs], [7, 7]);
    } finally {
      await Promise.all([here.release(), threaded.release(), single.release()]);
    }
    await assert.rejects(threaded.predict([halvesImage(0.2, 0.9)]), /released/);
  });

  test("the bench's raw replay: every size in one message to the session's thread, the probe's session options on both threads", async () => {
    const threaded = await OnnxClassifier.load(file('nchw.onnx'), NONE, { thread: true });
    const here = await OnnxClassifier.load(file('nchw.onnx'), NONE);
    try {
      assert.deepEqual(threaded.sessionOptions, here.sessionOptions);
      // Memory pattern planning per new batch size is off (the probe's sizes change call by call).
      assert.equal(threaded.sessionOptions.enableMemPattern, false);
      const images = [halvesImage(0.2, 0.9), halvesImage(0.8, 0.1), halvesImage(0.5, 0.5), halvesImage(0.3, 0.6)];
      const packed = threaded.pack(images, 4);
      // Loading ran the session once (its first run's set-up belongs to loading, on both sides
      // of the bench), uncounted: the load message and that run.
      assert.equal(threaded.messages, 2);
      assert.deepEqual([threaded.warmedBatch, here.warmedBatch], [1, 1]);
      // The probe warms at its largest batch; a graph with a fixed batch warms at that size.
      const wide = await OnnxClassifier.load(file('nchw.onnx'), NONE, { thread: true, warmBatch: 6 });
      const fixed = await OnnxClassifier.load(file('batch1.onnx'), NONE, { warmBatch: 6 });
      assert.deepEqual([wide.warmedBatch, wide.messages, wide.stats.runs, fixed.warmedBatch], [6, 2, 0, 1]);
      await Promise.all([wide.release(), fixed.release()]);
      const before = threaded.messages;
      assert.ok((await threaded.replay(packed, [4, 1, 3, 2, 4, 1])) >= 0);
      assert.equal(threaded.messages - before, 1);
      assert.ok((await here.replay(packed, [4, 1])) >= 0);
      // Replays are not the probe's queries.
      assert.deepEqual([threaded.stats.runs, threaded.stats.images], [0, 0]);
      // More images than were packed: onnxruntime's refusal comes back, from either thread.
      await assert.rejects(threaded.replay(packed, [2, 5]));
      await assert.rejects(here.replay(packed, [5]));
    } finally {
      await Promise.all([threaded.release(), here.release()]);
    }
  });

  test('the time counted on the inference thread is its runs, not their wait in its queue', async () => {
    // A model heavy enough that batches pile up at the thread while it works. Its runs are
    // serial, so their sum can never exceed the wall time of the whole burst.
    const per = 3 * LINEAR_SIZE * LINEAR_SIZE;
    const hidden = 4096;
    writeFileSync(file('heavy.onnx'), buildModel({
      nodes: [
        { op: 'Flatten', inputs: ['image'], outputs: ['flat'], attributes: [{ name: 'axis', type: 2, i: 1 }] },
        { op: 'MatMul', inputs: ['flat', 'W1'], outputs: ['h'] },
        { op: 'MatMul', inputs: ['h', 'W2'], outputs: ['scores'] },
      ],
      inputs: [{ name: 'image', shape: ['batch', 3, LINEAR_SIZE, LINEAR_SIZE] }],
      outputs: [{ name: 'scores', shape: ['batch', 2] }],
      initializers: [
        floatTensor('W1', [per, hidden], Array.from({ length: per * hidden }, (_, i) => (i % 7) / 7)),
        floatTensor('W2', [hidden, 2], Array.from({ length: hidden * 2 }, (_, i) => i % 2)),
      ],
    }));
    const threaded = await OnnxClassifier.load(file('heavy.onnx'), NONE, { thread: true });
    try {
      const batch = Array.from({ length: 256 }, (_, i) => halvesImage(i / 256, 0.5));
      await threaded.predict(batch);
      threaded.stats.inferenceMs = 0;
      const started = performance.now();
      await Promise.all(Array.from({ length: 8 }, () => threaded.predict(batch)));
      const wall = performance.now() - started;
      assert.ok(threaded.stats.inferenceMs > 0);
      assert.ok(threaded.stats.inferenceMs <= wall, `${threaded.stats.inferenceMs.toFixed(1)} ms of runs counted in ${wall.toFixed(1)} ms`);
    } finally {
      await threaded.release();
    }
  });

  test('normalisation from preprocessor_config.json beside the model, else --normalize', async () => {
    const plain = await OnnxClassifier.load(file('nchw.onnx'), NONE);
    const config = await OnnxClassifier.load(file('normalized/model.onnx'), parseNormalize('imagenet'));
    try {
      assert.equal(config.normalization.source, 'preprocessor_config.json');
      const image = halvesImage(0.25, 0.75);
      const [p] = await plain.predict([image]);
      const [q] = await config.predict([image]);
      // (x - 0.5) / 0.25 = 4x - 2: the zero-sum weights see 4 times the difference.
      assert.ok(Math.abs(q[1] - 4 * p[1]) < 1e-4, `${q[1]} vs 4 x ${p[1]}`);
    } finally {
      await Promise.all([plain.release(), config.release()]);
    }
    assert.deepEqual(parseNormalize('0.5/0.25').mean, [0.5]);
    assert.deepEqual(parseNormalize('0.1,0.2,0.3/1,2,3').std, [1, 2, 3]);
    assert.throws(() => parseNormalize('0.5/0'), ModelError);
    assert.throws(() => parseNormalize('bogus'), /--normalize must be none, imagenet or MEAN\/STD/);
  });

  test('graphs that are not one-input image classifiers are refused with the reason', () => {
    const float = 'tensor(float)';
    assert.throws(() => describeImageClassifier([{ name: 'a', type: float, shape: [1, 3, 8, 8] }, { name: 'b', type: float, shape: [1, 3, 8, 8] }], [{ name: 'y', type: float, shape: [1, 2] }], 'm.onnx'), /takes 2 inputs \(a, b\)/);
    assert.throws(() => describeImageClassifier([{ name: 'x', type: float, shape: ['batch', 3] }], [{ name: 'y', type: float, shape: [1, 2] }], 'm.onnx'), /rank 2, not an image batch/);
    assert.throws(() => describeImageClassifier([{ name: 'x', type: 'tensor(int64)', shape: [1, 3, 8, 8] }], [{ name: 'y', type: float }], 'm.onnx'), /not a float image tensor/);
    assert.throws(() => describeImageClassifier([{ name: 'x', type: float, shape: [1, 5, 8, 7] }], [{ name: 'y', type: float }], 'm.onnx'), /no channel axis/);
    assert.throws(() => describeImageClassifier([{ name: 'x', type: float, shape: [1, 3, 'h', 'w'] }], [{ name: 'y', type: float }], 'm.onnx'), /input size is not fixed/);
    assert.deepEqual(describeImageClassifier([{ name: 'x', type: float, shape: [1, 3, 'h', 'w'] }], [{ name: 'y', type: float }], 'm.onnx', { height: 5, width: 6 }).shape, [3, 5, 6]);
    assert.throws(() => describeImageClassifier([{ name: 'x', type: float, shape: [1, 3, 8, 8] }], [{ name: 'y', type: float, shape: [1, 2, 2] }], 'm.onnx'), /rank 3, not \[batch, classes\]/);
  });

  test('images: bilinear resize with half-pixel centres, luma for one channel, 8-bit rounding and PNG round trip', () => {
    // 2x1 -> 4x1: half-pixel centres sample at -0.25, 0.25, 0.75, 1.25 (clamped).
    const rgba = { width: 2, height: 1, data: new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255]) };
    const wide = toChw(rgba, [3, 1, 4]);
    assert.deepEqual([...wide.slice(0, 4)].map((v) => Math.round(v * 1000) / 1000), [0, 0.25, 0.75, 1]);
    const gray = toChw({ width: 1, height: 1, data: new Uint8Array([255, 0, 0, 255]) }, [1, 1, 1]);
    assert.ok(Math.abs(gray[0] - 0.299) < 1e-6);
    const rounded = roundTo8Bit(new Float32Array([0.1234, -0.5, 1.7]));
    assert.deepEqual([...rounded].map((v) => Math.round(v * 255)), [31, 0, 255]);
    const image = new Float32Array(3 * 2 * 3).map((_, i) => i / 17);
    const back = toChw(decodeImage(encodePng(image, [3, 2, 3]), 'x.png'), [3, 2, 3]);
    back.forEach((v, i) => assert.ok(Math.abs(v - image[i]) <= 0.5 / 255 + 1e-6, `${i}: ${v} vs ${image[i]}`));
  });

  test('bad images: corrupt bytes, a huge PNG header, an unknown format, an empty folder', () => {
    const truncated = encodePng(new Float32Array(3 * 16 * 16).fill(0.3), [3, 16, 16]).subarray(0, 45);
    assert.throws(() => decodeImage(truncated, 'bad.png'), (e: Error) => e instanceof ImageError && /bad\.png is not a readable PNG/.test(e.message));
    const huge = Buffer.from(encodePng(new Float32Array(3), [3, 1, 1]));
    huge.writeUInt32BE(30000, 16);
    huge.writeUInt32BE(30000, 20);
    assert.throws(() => decodeImage(huge, 'huge.png'), /huge\.png is 30000x30000 pixels, more than the probe decodes/);
    assert.throws(() => decodeImage(new Uint8Array(Buffer.from('GIF89a....')), 'x.png'), /neither a PNG nor a JPEG/);
    assert.throws(() => decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), 'cut.jpg'), /cut\.jpg is not a readable JPEG/);
    mkdirSync(file('empty'));
    writeFileSync(file('empty/notes.txt'), 'no images here');
    assert.throws(() => listImages(file('empty')), /no PNG or JPEG images/);
  });

  test('runProbe: labels, default targets, the rounded-PNG check, files and counts', async () => {
    const images = file('images');
    mkdirSync(images);
    writePng(join(images, 'a-left.png'), 16, 16, (x) => (x < 8 ? [230, 230, 230] : [20, 20, 20]));
    writePng(join(images, 'b-right.png'), 8, 8, (x) => (x < 4 ? [30, 30, 30] : [200, 200, 200]));
    writePng(join(images, 'c-right.png'), 8, 8, (x) => (x < 4 ? [100, 100, 100] : [140, 140, 140]));
    const out = file('out');
    const progress: string[] = [];
    const output = await runProbe({
      models: [file('nchw.onnx'), file('nhwc.onnx')],
      imagesDir: images,
      labels: { 'a-left.png': { label: 0 }, 'c-right.png': { label: 1 } },
      attacks: ['simba'],
      defenses: [{ name: 'none', spec: { kind: 'none' } }],
      norm: 'l2',
      targeted: true,
      queries: 4,
      seed: 0,
      normalize: NONE,
      out,
      engine: blendEngine as never,
      onProgress: (message) => progress.push(message),
    });
    assert.deepEqual(output.models.map((m) => [m.layout, m.cleanAccuracy]), [['NCHW', 1], ['NHWC', 1]]);
    assert.equal(output.runs.length, 2);
    const run = output.runs[0];
    assert.deepEqual(run.images.map((i) => [i.image, i.label, i.target]), [['a-left.png', 0, 1], ['b-right.png', 1, 0], ['c-right.png', 1, 0]]);
    // a-left needs more than half the way to the right-bright image: 6 blends > budget 4.
    assert.deepEqual(run.images.map((i) => i.success), [false, true, true]);
    assert.equal(run.images[2].queries, 2, 'c-right is nearly grey: the second blend flips it');
    assert.ok(run.images.every((i) => i.queries <= 4));
    assert.equal(run.successRate, 2 / 3);
    const b = run.images[1];
    assert.equal(b.roundedStillAdversarial, true);
    assert.equal(b.output, 'adv/nchw/b-right.simba.png');
    assert.ok(existsSync(join(out, b.output!)));
    assert.equal(run.images[0].output, null);
    assert.equal(run.queries, run.images.reduce((n, i) => n + i.queries, 0) + 2, 'the attack queries plus one check per saved PNG');
    // Clean predictions, the attack and the checks: every image the model saw.
    assert.equal(output.models[0].queries, 3 + run.queries);
    assert.equal(output.timings.queries, output.models[0].queries + output.models[1].queries);
    assert.equal(output.triples.length, 2, 'one triple per model and attack');
    for (const t of output.triples) for (const p of [t.original, t.adversarial, t.difference]) assert.ok(existsSync(join(out, p)), p);
    assert.ok(progress.some((m) => /nchw \/ simba \/ none: 2\/3 fooled/.test(m)), progress.join('\n'));
    assert.equal(bestOther([0.1, 0.7, 0.5, 0.2], 1), 2, 'the second-highest score when the label is the prediction');
    assert.equal(bestOther([0.1, 0.7, 0.5, 0.2], 2), 1, 'never the label itself');
    assert.equal(bestOther([0.9, 0.1], 0), 1);
    const saved = readFileSync(join(out, b.output!));
    assert.equal(saved.subarray(1, 4).toString(), 'PNG');
  });
});
