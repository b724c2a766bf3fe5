// The probe's own cost: its total time (model loading, defence transforms and image I/O
// excluded and reported apart) against the time of the same number of raw onnxruntime
// inferences at the same batch sizes, measured in the same process right after. In-process
// figures. The CNN (3x32x32 input, three 3x3 convolutions of 64 channels, about 13.6 million
// multiply-adds per image: a small CIFAR-sized network, where the tests' 8-channel one was
// too small to stand for any real model) is trained once with Debian's PyTorch.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxClassifier, parseNormalize, type ClassifierStats } from '../../server/robustness/onnx-classifier';
import { runProbe } from '../../server/robustness/probe';
import type { AttackName } from '../../server/robustness/types';
import { trainStripesCnn, writeStripesImages } from '../support/probe-models';

export interface ProbeBenchFigures {
  model: string;
  images: number;
  attacks: string;
  queriesPerImage: number;
  queries: number;
  batches: number;
  meanBatch: number;
  /** Probe time without model loading, defences and image I/O, ms. */
  probeMs: number;
  /**
   * The same batch sizes through session.run on pre-packed tensors, in a fresh session with the
   * probe's options on a worker thread as the probe's, ms.
   */
  rawMs: number;
  /** A second pass of the same sizes in that session (every size already run once), ms. */
  warmRawMs: number;
  /** session.run time on the model's worker thread (overlaps the attacks' work on the main thread). */
  inferenceMs: number;
  /** Packing tensors on the main thread (overlaps other batches' runs). */
  packMs: number;
  /** probeMs - inferenceMs: what the probe costs beyond the model's own runs (time the model's thread waited). */
  engineMs: number;
  /** probeMs / rawMs. Target: at most 1.15. */
  ratio: number;
  /** probeMs / warmRawMs: against a baseline whose session has already run every size. */
  warmRatio: number;
  queriesPerSecond: number;
  rawQueriesPerSecond: number;
  defenseMs: number;
  imageIoMs: number;
  loadMs: number;
  /** With --defense median:3 on, the defence's own time per query (excluded above). */
  defenseRun: { defense: string; queries: number; defenseMs: number; defenseUsPerQuery: number };
}

/** The bench's CNN; the stripes task is learnt within a few dozen steps. */
const BENCH_CNN = { contrast: 0.1, depth: 3, width: 64, steps: 40 };

const ATTACKS: AttackName[] = ['simba', 'simba-dct', 'hopskipjump', 'boundary', 'mga'];

/**
 * The raw baseline: a fresh session with the probe's options on the same kind of thread as the
 * probe's (a worker thread) runs the probe's batch sizes in order on pre-packed tensors, timed on
 * that thread. `coldMs` is that first pass, from the same fresh state the probe's session started
 * in (its first runs at each new size pay the same allocations the probe's did); `warmMs` is a
 * second pass over the same sizes in the same session, every size already seen.
 */
export async function rawReplay(model: string, batches: number[]): Promise<{ coldMs: number; warmMs: number }> {
  const classifier = await OnnxClassifier.load(model, parseNormalize('none'), { thread: true, warmBatch: Math.max(...batches) });
  try {
    const [c, h, w] = classifier.shape;
    const largest = Math.max(...batches);
    const pool = Array.from({ length: largest }, (_, i) => new Float32Array(c * h * w).map((_, k) => ((i * 7919 + k * 104729) % 1000) / 1000));
    const packed = classifier.pack(pool, largest);
    const coldMs = await classifier.replay(packed, batches);
    const warmMs = await classifier.replay(packed, batches);
    return { coldMs, warmMs };
  } finally {
    await classifier.release();
  }
}

export async function measureProbe(tmp: string): Promise<ProbeBenchFigures | { skipped: string }> {
  const dir = join(tmp, 'probe');
  mkdirSync(join(dir, 'images'), { recursive: true });
  const model = join(dir, 'cnn.onnx');
  try {
    trainStripesCnn(model, BENCH_CNN);
  } catch (error) {
    return { skipped: `no PyTorch to train the bench CNN: ${(error as Error).message.split('\n')[0]}` };
  }
  writeStripesImages(join(dir, 'images'), 16, { contrast: 0.01 });
  const queries = 500;
  let stats: ClassifierStats | undefined;
  const output = await runProbe({
    models: [model], imagesDir: join(dir, 'images'), attacks: ATTACKS, defenses: [{ name: 'none', spec: { kind: 'none' } }],
    norm: 'l2', targeted: false, queries, seed: 0, normalize: parseNormalize('none'), out: join(dir, 'out'), maxBatch: 256,
    onModelDone: (_name, s) => (stats = { ...s, batches: [...s.batches] }),
  });
  const batches = stats!.batches;
  const { coldMs: rawMs, warmMs: warmRawMs } = await rawReplay(model, batches);
  const t = output.timings;
  const probeMs = t.totalMs - t.loadMs - t.defenseMs - t.imageIoMs;
  const defended = await runProbe({
    models: [model], imagesDir: join(dir, 'images'), attacks: ['simba-dct'], defenses: [{ name: 'median:3', spec: { kind: 'median', size: 3 } }],
    norm: 'l2', targeted: false, queries: 200, seed: 0, normalize: parseNormalize('none'), out: join(dir, 'out-defended'), maxBatch: 256,
  });
  return {
    model: `3x32x32 CNN, ${BENCH_CNN.depth} conv layers of ${BENCH_CNN.width} channels`,
    images: output.images.length,
    attacks: ATTACKS.join(', '),
    queriesPerImage: queries,
    queries: t.queries,
    batches: batches.length,
    meanBatch: t.queries / batches.length,
    probeMs,
    rawMs,
    inferenceMs: t.inferenceMs,
    packMs: stats!.packMs,
    engineMs: probeMs - t.inferenceMs,
    ratio: probeMs / rawMs,
    warmRawMs,
    warmRatio: probeMs / warmRawMs,
    queriesPerSecond: t.queries / (probeMs / 1000),
    rawQueriesPerSecond: t.queries / (rawMs / 1000),
    defenseMs: t.defenseMs,
    imageIoMs: t.imageIoMs,
    loadMs: t.loadMs,
    defenseRun: { defense: 'median:3', queries: defended.timings.queries, defenseMs: defended.timings.defenseMs, defenseUsPerQuery: (defended.timings.defenseMs * 1000) / defended.timings.queries },
  };
}
