// Public entry points of the robustness engine: black-box attacks and preprocessing defences.
// See docs/robustness.md ("Attacks", "Defences").
import { MicroBatcher } from './batching';
import { applyDefense, defended, DefendedClassifier, formatDefense, parseDefense } from './defenses/defense';
import { attackImage } from './run';
import type { AttackName, AttackOptions, AttackResult, BatchClassifier } from './types';
import { ATTACK_NAMES, checkImage, checkModel, checkOptions } from './validate';

export type { AttackName, AttackOptions, AttackResult, BatchClassifier, DefenseSpec, Norm } from './types';
export { applyDefense, ATTACK_NAMES, defended, DefendedClassifier, formatDefense, MicroBatcher, parseDefense };

/** Largest batch runAttackOnImages sends the model when the caller sets none. */
export const DEFAULT_MAX_BATCH = 256;

/**
 * One attack on one image. At most `options.queries` model queries, the last of them the
 * check that the reported example is adversarial. Rejects with a clear Error on bad input,
 * and with the signal's reason when cancelled. The same seed gives the same result.
 */
export async function runAttack(
  name: AttackName,
  model: BatchClassifier,
  image: Float32Array,
  label: number,
  options: AttackOptions & { starts?: readonly Float32Array[] },
): Promise<AttackResult> {
  checkOptions(name, options);
  checkModel(model);
  checkImage(model, image, label, options.target, options.targeted);
  return attackImage(name, model, image, label, options, options.starts);
}

/**
 * Runs one attack on many images at once; their queries are merged into large batches
 * (batching across images as well as within the attack). Image i is attacked exactly as
 * runAttack would with the same options and seed (target `targets[i] ?? options.target`), so
 * results equal the one-at-a-time results whenever the model scores an image the same in any
 * batch. For a targeted HopSkipJump or Boundary run without `starts`, the other images (in
 * order) are offered as starting points before random noise; pass `starts: []` to prevent it.
 * Progress counts queries over all images (an image that finishes early counts its unused budget).
 */
export async function runAttackOnImages(
  name: AttackName,
  model: BatchClassifier,
  images: readonly Float32Array[],
  labels: readonly number[],
  options: AttackOptions & {
    targets?: readonly (number | undefined)[];
    maxBatch?: number;
    starts?: readonly Float32Array[];
    lanes?: number;
    /**
     * Lanes shared with other runs going on at the same time (see `sharedLanes`): image i's
     * queries join `batchers[i % batchers.length]`; `lanes` and `maxBatch` then do not apply.
     */
    batchers?: readonly BatchClassifier[];
  },
): Promise<AttackResult[]> {
  checkOptions(name, options);
  checkModel(model);
  if (!Array.isArray(images) || !Array.isArray(labels) || images.length !== labels.length)
    throw new Error(`expected one label per image, got ${images?.length} images and ${labels?.length} labels`);
  if (options.targets !== undefined && (!Array.isArray(options.targets) || options.targets.length !== images.length))
    throw new Error(`expected one target per image, got ${options.targets?.length} targets for ${images.length} images`);
  const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new Error(`maxBatch must be a whole number of at least 1, not ${options.maxBatch}`);
  const targets = images.map((_, i) => options.targets?.[i] ?? options.target);
  images.forEach((image, i) => checkImage(model, image, labels[i], targets[i], options.targeted, `image ${i}`));

  // One failure (a model error, cancellation) stops every image's attack at its next query.
  const stop = new AbortController();
  const forward = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) forward();
  options.signal?.addEventListener('abort', forward, { once: true });
  // Lanes: the images split into groups, each merged into its own batches. With a model that
  // runs off this thread, one lane's batch is in the model while the next lane's attacks
  // compute their queries here (a two-stage pipeline).
  const lanes = Math.max(1, Math.min(options.lanes ?? 1, images.length));
  if (!Number.isSafeInteger(lanes)) throw new Error(`lanes must be a whole number of at least 1, not ${options.lanes}`);
  if (options.batchers !== undefined && (!Array.isArray(options.batchers) || options.batchers.length < 1)) throw new Error('batchers must be a list of at least one classifier');
  const batchers = options.batchers ?? Array.from({ length: lanes }, () => new MicroBatcher(model, maxBatch, stop.signal));
  const done = images.map(() => 0);
  const total = images.length * options.queries;
  const runs = images.map((image, i) => {
    const starts = options.starts ?? (options.targeted ? images.filter((_, j) => j !== i) : undefined);
    const onProgress = (used: number) => {
      done[i] = used;
      options.onProgress?.(done.reduce((a, b) => a + b, 0), total);
    };
    return attackImage(name, batchers[i % batchers.length], image, labels[i], { ...options, target: targets[i], onProgress, signal: stop.signal }, starts).catch((error: unknown) => {
      if (!stop.signal.aborted) stop.abort(error);
      throw error;
    });
  });
  try {
    return await Promise.all(runs);
  } finally {
    options.signal?.removeEventListener('abort', forward);
    // Let the other attacks settle quietly; Promise.all already reported the first failure.
    await Promise.allSettled(runs);
  }
}

/**
 * Lanes for several runAttackOnImages calls at once (pass them as `batchers`): the queries of
 * every attack on image i, i % lanes, go out in one batch per round, so attacks that run
 * together share large batches and one attack finishing leaves the model work from the others.
 */
export function sharedLanes(model: BatchClassifier, lanes: number, maxBatch = DEFAULT_MAX_BATCH, signal?: AbortSignal): MicroBatcher[] {
  if (!Number.isSafeInteger(lanes) || lanes < 1) throw new Error(`lanes must be a whole number of at least 1, not ${lanes}`);
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new Error(`maxBatch must be a whole number of at least 1, not ${maxBatch}`);
  checkModel(model);
  return Array.from({ length: lanes }, () => new MicroBatcher(model, maxBatch, signal));
}
