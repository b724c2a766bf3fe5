// Batching across images: runAttackOnImages sends far fewer, larger model calls than there are
// queries, never more than maxBatch at once, and attacks each image exactly as runAttack does.
// Also cancellation and progress.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MicroBatcher, runAttack, runAttackOnImages, sharedLanes, type AttackName, type BatchClassifier } from '../../server/robustness';
import { twoClassProblem } from '../support/linear-classifier';

const { model, images, labels } = twoClassProblem(9, [3, 8, 8], 8);
const options = { norm: 'l2' as const, targeted: false, queries: 800, seed: 4 };

/** Records the size of every call the wrapped model receives. */
function recording(inner: BatchClassifier) {
  const sizes: number[] = [];
  const wrapped: BatchClassifier = { classes: inner.classes, shape: inner.shape, predict: (images, signal) => (sizes.push(images.length), inner.predict(images, signal)) };
  return { wrapped, sizes };
}

describe('batching across images', () => {
  for (const name of ['hopskipjump', 'mga'] as AttackName[])
    test(`${name}: the images of its batched queries share reused memory, not a new array each`, async () => {
      const buffers = new Set<ArrayBufferLike>();
      let queries = 0;
      const counting: BatchClassifier = { classes: model.classes, shape: model.shape, predict: (batch) => {
        for (const image of batch) buffers.add(image.buffer);
        queries += batch.length;
        return model.predict(batch);
      } };
      await runAttack(name, counting, images[0], labels[0], options);
      // The start search, binary searches and step search still allocate their few points.
      assert.ok(buffers.size * 4 <= queries, `${buffers.size} distinct buffers for ${queries} queries`);
    });

  for (const name of ['hopskipjump', 'boundary', 'simba', 'simba-dct', 'mga'] as AttackName[])
    test(`${name}: few large model calls, same results as one image at a time`, async (t) => {
      const { wrapped, sizes } = recording(model);
      const together = await runAttackOnImages(name, wrapped, images, labels, { ...options, maxBatch: 64 });
      const queries = together.reduce((s, r) => s + r.queries, 0);
      assert.equal(sizes.reduce((s, n) => s + n, 0), queries);
      assert.ok(Math.max(...sizes) <= 64);
      t.diagnostic(`${queries} queries in ${sizes.length} model calls`);
      // Batching across images packs several images' requests into each call.
      assert.ok(sizes.length * 3 <= queries, `${sizes.length} calls for ${queries} queries`);
      const alone = [];
      for (let i = 0; i < images.length; i++) alone.push(await runAttack(name, model, images[i], labels[i], options));
      assert.deepEqual(together, alone);
    });

  test('two lanes: each round goes as two batches, the results do not change', async () => {
    const one = recording(model);
    const two = recording(model);
    const a = await runAttackOnImages('boundary', one.wrapped, images, labels, options);
    const b = await runAttackOnImages('boundary', two.wrapped, images, labels, { ...options, lanes: 2 });
    assert.deepEqual(b, a);
    assert.equal(two.sizes.reduce((s, n) => s + n, 0), one.sizes.reduce((s, n) => s + n, 0));
    assert.ok(two.sizes.length >= one.sizes.length * 1.5, `${two.sizes.length} calls with two lanes, ${one.sizes.length} with one`);
    assert.ok(Math.max(...two.sizes) <= Math.max(...one.sizes) / 2 + 10);
  });

  test('shared lanes: attacks running together share their batches, the results do not change', async () => {
    const names: AttackName[] = ['simba', 'boundary', 'mga'];
    const apart = recording(model);
    const alone = [];
    for (const name of names) alone.push(await runAttackOnImages(name, apart.wrapped, images, labels, { ...options, lanes: 2 }));
    const shared = recording(model);
    const batchers = sharedLanes(shared.wrapped, 2, 64);
    const together = await Promise.all(names.map((name) => runAttackOnImages(name, shared.wrapped, images, labels, { ...options, batchers })));
    assert.deepEqual(together, alone);
    assert.equal(shared.sizes.reduce((s, n) => s + n, 0), apart.sizes.reduce((s, n) => s + n, 0));
    assert.ok(Math.max(...shared.sizes) <= 64);
    // Each round of the three attacks goes as one batch per lane, not one per attack and lane.
    assert.ok(shared.sizes.length * 1.5 <= apart.sizes.length, `${shared.sizes.length} calls shared, ${apart.sizes.length} apart`);
  });

  test('HopSkipJump over 8 images: model calls at least 20x fewer than queries', async () => {
    const { wrapped, sizes } = recording(model);
    const results = await runAttackOnImages('hopskipjump', wrapped, images, labels, { ...options, queries: 3000 });
    const queries = results.reduce((s, r) => s + r.queries, 0);
    assert.ok(sizes.length * 20 <= queries, `${sizes.length} calls for ${queries} queries`);
  });

  test('HopSkipJump probes a large image in several memory-bounded batches', async () => {
    const large = twoClassProblem(13, [3, 64, 64], 1, 1, 1);
    const { wrapped, sizes } = recording(large.model);
    const r = await runAttack('hopskipjump', wrapped, large.images[0], large.labels[0], { ...options, queries: 1500 });
    assert.ok(r.success);
    // 2^21 probe values at once: floor(2^21 / 12288) = 170 probes per batch, while later estimates want more.
    assert.equal(Math.max(...sizes), 170);
    assert.notEqual(large.model.label(r.adversarial!), large.labels[0]);
  });

  test('a batch split at maxBatch sends the next part before the current one returns, never more than two at once', async () => {
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    const slow: BatchClassifier = {
      classes: model.classes,
      shape: model.shape,
      predict: async (x) => {
        sizes.push(x.length);
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return model.predict(x);
      },
    };
    const batcher = new MicroBatcher(slow, 3);
    const asked = [images.slice(0, 5), images.slice(5, 8), images.slice(0, 2)];
    const got = await Promise.all(asked.map((part) => batcher.predict(part)));
    assert.deepEqual(sizes, [3, 3, 3, 1]);
    assert.equal(most, 2);
    assert.deepEqual(got, await Promise.all(asked.map((part) => model.predict(part))));
  });

  test('a full part goes to the model as soon as the round holds it, cut where the flush would cut it', async () => {
    const sizes: number[] = [];
    const firsts: Float32Array[] = [];
    const watching: BatchClassifier = { classes: model.classes, shape: model.shape, predict: (x) => (sizes.push(x.length), firsts.push(x[0]), model.predict(x)) };
    const batcher = new MicroBatcher(watching, 3);
    const first = batcher.predict(images.slice(0, 2));
    assert.deepEqual(sizes, [], 'two images wait for the round');
    const second = batcher.predict(images.slice(2, 7));
    // Before the round's flush (a later tick): the images 0-2 and 3-5 already went, in order.
    assert.deepEqual(sizes, [3, 3]);
    assert.deepEqual(firsts, [images[0], images[3]]);
    const got = await Promise.all([first, second]);
    assert.deepEqual(sizes, [3, 3, 1]);
    assert.deepEqual(got, [await model.predict(images.slice(0, 2)), await model.predict(images.slice(2, 7))]);
  });

  test('progress counts up to the total over all images', async () => {
    const seen: [number, number][] = [];
    await runAttackOnImages('simba', model, images, labels, { ...options, onProgress: (done, total) => seen.push([done, total]) });
    assert.ok(seen.length > images.length);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] >= seen[i - 1][0], 'progress went backwards');
    assert.deepEqual(seen.at(-1), [images.length * options.queries, images.length * options.queries]);
  });

  test('a model error fails the run once and stops every image', async () => {
    let calls = 0;
    const failing: BatchClassifier = {
      classes: 2,
      shape: model.shape,
      predict: (x) => (++calls === 3 ? Promise.reject(new Error('the runtime ran out of memory')) : model.predict(x)),
    };
    await assert.rejects(runAttackOnImages('boundary', failing, images, labels, { ...options, maxBatch: 4 }), /ran out of memory/);
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(calls, after, 'queries went on after the failure');
  });

  test('cancellation stops the run and its queries', async () => {
    const controller = new AbortController();
    let calls = 0;
    const counting: BatchClassifier = { classes: 2, shape: model.shape, predict: (x, s) => (++calls === 5 && controller.abort(new Error('stopped by the user')), (void s, model.predict(x))) };
    await assert.rejects(runAttackOnImages('hopskipjump', counting, images, labels, { ...options, queries: 5000, signal: controller.signal }), /stopped by the user/);
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(calls, after, 'queries went on after cancellation');
    assert.ok(calls < 10);
    await assert.rejects(runAttack('simba', model, images[0], labels[0], { ...options, signal: AbortSignal.abort() }), /abort/i);
  });
});
