// Bad attack requests fail up front with one clear message and without querying the model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runAttack, runAttackOnImages, type AttackName, type AttackOptions } from '../../server/robustness';
import { twoClassProblem } from '../support/linear-classifier';

const { model, images, labels } = twoClassProblem(5, [1, 4, 4], 2);
const good: AttackOptions = { norm: 'l2', targeted: false, queries: 100, seed: 1 };

describe('attack options', () => {
  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ['queries 0', () => runAttack('simba', model, images[0], labels[0], { ...good, queries: 0 }), /query budget must be a whole number of at least 1, not 0/],
    ['queries 2.5', () => runAttack('simba', model, images[0], labels[0], { ...good, queries: 2.5 }), /query budget/],
    ['negative epsilon', () => runAttack('hopskipjump', model, images[0], labels[0], { ...good, epsilon: -0.1 }), /epsilon must be a positive number, not -0.1/],
    ['NaN epsilon', () => runAttack('hopskipjump', model, images[0], labels[0], { ...good, epsilon: NaN }), /epsilon must be a positive number/],
    ['zero epsilon', () => runAttack('hopskipjump', model, images[0], labels[0], { ...good, epsilon: 0 }), /epsilon must be a positive number/],
    ['bad norm', () => runAttack('simba', model, images[0], labels[0], { ...good, norm: 'l1' as 'l2' }), /norm must be "l2" or "linf"/],
    ['bad seed', () => runAttack('simba', model, images[0], labels[0], { ...good, seed: 0.5 }), /seed must be a whole number/],
    ['unknown attack', () => runAttack('fgsm' as AttackName, model, images[0], labels[0], good), /unknown attack "fgsm": expected one of simba, simba-dct, hopskipjump, boundary, mga/],
    ['label out of range', () => runAttack('simba', model, images[0], 2, good), /label 2 of the image is not a class of the model \(0-1\)/],
    ['targeted without target', () => runAttack('simba', model, images[0], labels[0], { ...good, targeted: true }), /targeted attack needs a target class/],
    ['target equal to label', () => runAttack('simba', model, images[0], 0, { ...good, targeted: true, target: 0 }), /its own label/],
    ['wrong image size', () => runAttack('simba', model, new Float32Array(15), 0, good), /15 values; the model's input 1x4x4 needs 16/],
    ['pixel outside [0,1]', () => runAttack('simba', model, new Float32Array(16).fill(1.5), 0, good), /pixels must be in \[0,1\]/],
    ['NaN pixel', () => runAttack('simba', model, new Float32Array(16).fill(NaN), 0, good), /pixels must be in \[0,1\]/],
    ['labels do not match images', () => runAttackOnImages('simba', model, images, [0], good), /one label per image, got 2 images and 1 labels/],
    ['targets do not match images', () => runAttackOnImages('simba', model, images, labels, { ...good, targeted: true, targets: [1] }), /one target per image/],
    ['maxBatch 0', () => runAttackOnImages('simba', model, images, labels, { ...good, maxBatch: 0 }), /maxBatch must be a whole number of at least 1/],
    ['bad image among many', () => runAttackOnImages('simba', model, [images[0], new Float32Array(3)], labels, good), /image 1 has 3 values/],
    ['model with one class', () => runAttack('simba', { ...model, classes: 1, predict: model.predict.bind(model) }, images[0], 0, good), /at least 2 classes/],
  ];
  for (const [name, run, message] of cases)
    test(`${name}: a clear error, no query`, async () => {
      const before = model.queries;
      await assert.rejects(run(), message);
      assert.equal(model.queries, before);
    });

  test('a model returning the wrong number of score vectors is an error, not a wrong result', async () => {
    const broken = { classes: 2, shape: [1, 4, 4] as const, predict: async () => [] as Float32Array[] };
    await assert.rejects(runAttack('hopskipjump', broken, images[0], labels[0], good), /returned 0 score vectors for \d+ images/);
  });
});
