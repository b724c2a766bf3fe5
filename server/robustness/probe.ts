// The probe: for each model, its clean predictions, then every attack against every
// defence on the same images, batched across images; the adversarial examples saved as
// 8-bit PNGs (and checked once more after rounding); a few original / adversarial /
// difference triples for the report. No CLI and no editor here: both call runProbe.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Note } from '../core/notes';
import { amplifiedDifference, encodePng, loadImageFolder, roundTo8Bit, type ProbeImage, type Shape } from './images';
import * as engine from './index';
import { OnnxClassifier, type ClassifierStats, type Normalization } from './onnx-classifier';
import { median, type ProbeImageResult, type ProbeModel, type ProbeOutput, type ProbeRun, type ProbeTriple } from './probe-output';
import type { AttackName, AttackResult, BatchClassifier, DefenseSpec, Norm } from './types';

export interface LabelEntry {
  label: number;
  target?: number;
}

export interface ProbeOptions {
  /** Model files, as the user named them (the names key the runs). */
  models: string[];
  imagesDir: string;
  /** Per image file name; images not listed take the model's clean prediction. */
  labels?: Record<string, LabelEntry>;
  attacks: AttackName[];
  defenses: { name: string; spec: DefenseSpec }[];
  norm: Norm;
  targeted: boolean;
  queries: number;
  epsilon?: number;
  seed: number;
  normalize: Normalization;
  out: string;
  /** Largest batch the attacks send to the model at once (across images). */
  maxBatch?: number;
  /**
   * Run the model on a worker thread and split the images into two lanes, so one lane's attacks
   * compute while the other's batch is in the model (default true).
   */
  inferenceThread?: boolean;
  /** Triples of images kept for the report. */
  triples?: number;
  signal?: AbortSignal;
  /** `done` of `total` units (one unit: one image through one attack and defence). */
  onProgress?(message: string, done: number, total: number): void;
  /** Called with each model's counters before it is released (the bench replays its batches). */
  onModelDone?(model: string, stats: ClassifierStats): void;
  /** The attack and defence engine (tests may pass their own). */
  engine?: Pick<typeof engine, 'runAttackOnImages' | 'defended'>;
}

/** A classifier that adds up the time spent in its predict calls. */
class Timed implements BatchClassifier {
  ms = 0;
  constructor(private readonly inner: BatchClassifier) {}
  get classes() {
    return this.inner.classes;
  }
  get shape() {
    return this.inner.shape;
  }
  async predict(images: readonly Float32Array[], signal?: AbortSignal): Promise<Float32Array[]> {
    const started = performance.now();
    try {
      return await this.inner.predict(images, signal);
    } finally {
      this.ms += performance.now() - started;
    }
  }
}

const argmax = (scores: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
};

/**
 * The default target: the highest-scoring class other than the label, which is the class
 * with the second-highest clean score whenever the label is the model's own prediction.
 */
export function bestOther(scores: ArrayLike<number>, label: number): number {
  let best = label === 0 ? 1 : 0;
  for (let i = 0; i < scores.length; i++) if (i !== label && scores[i] > scores[best]) best = i;
  return best;
}

const stem = (name: string) => basename(name, extname(name));
const slug = (text: string) => text.replace(/[^A-Za-z0-9.-]+/g, '-');

/** Lanes with the model on its worker thread: one lane's batch is in the model while the others' attacks compute. */
const LANES = 2;

export async function runProbe(options: ProbeOptions): Promise<ProbeOutput> {
  const started = performance.now();
  const { runAttackOnImages, defended } = options.engine ?? engine;
  const notes: Note[] = [];
  const timings = { inferenceMs: 0, defenseMs: 0, imageIoMs: 0, loadMs: 0, queries: 0 };
  const io = <T>(work: () => T): T => {
    const t = performance.now();
    try {
      return work();
    } finally {
      timings.imageIoMs += performance.now() - t;
    }
  };
  const models: ProbeModel[] = [];
  const runs: ProbeRun[] = [];
  const triples: ProbeTriple[] = [];
  const wantTriples = options.triples ?? 6;
  const imagesByShape = new Map<string, ProbeImage[]>();
  let imageNames: string[] = [];
  const total = options.models.length * options.defenses.length * options.attacks.length;
  let unitsDone = 0;
  mkdirSync(options.out, { recursive: true });
  const savePng = (relative: string, pixels: Float32Array, shape: Shape) =>
    io(() => {
      const file = join(options.out, relative);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, encodePng(pixels, shape));
    });

  for (const modelName of options.models) {
    const loadStarted = performance.now();
    const thread = options.inferenceThread ?? true;
    const model = await OnnxClassifier.load(modelName, options.normalize, { thread, warmBatch: options.maxBatch ?? engine.DEFAULT_MAX_BATCH });
    timings.loadMs += performance.now() - loadStarted;
    try {
      const shape = model.shape;
      const key = shape.join('x');
      let images = imagesByShape.get(key);
      if (!images) {
        images = io(() => loadImageFolder(options.imagesDir, shape));
        imagesByShape.set(key, images);
      }
      imageNames = images.map((i) => i.name);
      const pixels = images.map((i) => i.pixels);
      const clean = await model.predict(pixels, options.signal);
      const cleanLabels = clean.map(argmax);
      const given = options.labels ?? {};
      const labels = images.map((image, i) => given[image.name]?.label ?? cleanLabels[i]);
      for (const [i, image] of images.entries()) {
        const entry = given[image.name];
        if (entry && (entry.label >= model.classes || (entry.target ?? 0) >= model.classes)) {
          throw new ProbeInputError(`the labels file gives ${image.name} class ${Math.max(entry.label, entry.target ?? 0)}, but ${modelName} has ${model.classes} classes (0-${model.classes - 1})`);
        }
        if (options.targeted && entry?.target === labels[i]) throw new ProbeInputError(`the labels file gives ${image.name} the target ${labels[i]}, which is its label: a target must be another class`);
      }
      const targets = options.targeted ? images.map((image, i) => given[image.name]?.target ?? bestOther(clean[i], labels[i])) : undefined;
      const labelled = images.filter((image) => given[image.name]).length;
      const cleanAccuracy = labelled ? images.filter((image, i) => given[image.name] && given[image.name].label === cleanLabels[i]).length / labelled : null;
      if (labelled && labelled < images.length) notes.push({ level: 'info', message: `${images.length - labelled} of ${images.length} images have no entry in the labels file: their label is ${modelName}'s clean prediction` });
      const outPrefix = options.models.length > 1 ? `adv/${slug(stem(modelName))}/` : 'adv/';

      for (const defense of options.defenses) {
        const inner = new Timed(model);
        const target = new Timed(defense.spec.kind === 'none' ? inner : defended(inner, defense.spec));
        const defendedClean = defense.spec.kind === 'none' ? clean : await target.predict(pixels, options.signal);
        const cleanAgreement = defendedClean.filter((scores, i) => argmax(scores) === cleanLabels[i]).length / images.length;
        // Every attack of this defence runs at once, their queries merged into the same lanes'
        // batches: large batches, and no lull in the model while one attack winds down.
        const group = new AbortController();
        const forward = () => group.abort(options.signal?.reason);
        if (options.signal?.aborted) forward();
        options.signal?.addEventListener('abort', forward, { once: true });
        const lanes = engine.sharedLanes(target, thread ? LANES : 1, options.maxBatch ?? engine.DEFAULT_MAX_BATCH, group.signal);
        const groupStarted = performance.now();
        const finishedAt: number[] = [];
        options.onProgress?.(`${stem(modelName)} / ${options.attacks.join(', ')} / ${defense.name}: ${images.length} images`, unitsDone * images.length, total * images.length);
        const pending = options.attacks.map((attack, a) =>
          runAttackOnImages(attack, target, pixels, labels, {
            norm: options.norm,
            targeted: options.targeted,
            ...(targets ? { targets } : {}),
            queries: options.queries,
            ...(options.epsilon !== undefined ? { epsilon: options.epsilon } : {}),
            seed: options.seed,
            batchers: lanes,
            signal: group.signal,
          }).then(
            (results) => {
              finishedAt[a] = performance.now();
              unitsDone++;
              options.onProgress?.(`${stem(modelName)} / ${attack} / ${defense.name}: ${results.filter((r) => r.success).length}/${results.length} fooled`, unitsDone * images.length, total * images.length);
              return results;
            },
            (error: unknown) => {
              if (!group.signal.aborted) group.abort(error);
              throw error;
            },
          ),
        );
        let allResults: AttackResult[][];
        try {
          allResults = await Promise.all(pending);
        } finally {
          options.signal?.removeEventListener('abort', forward);
          await Promise.allSettled(pending);
        }
        for (const [a, attack] of options.attacks.entries()) {
          const results = allResults[a];
          const runStarted = performance.now();
          const ioBefore = timings.imageIoMs;
          // The saved PNG is 8-bit: ask the defended model once more about each rounding, in one batch.
          const withExample = results.flatMap((r, i) => (r.adversarial ? [i] : []));
          const rounded = withExample.map((i) => roundTo8Bit(results[i].adversarial!));
          const roundedScores = rounded.length ? await target.predict(rounded, options.signal) : [];
          const fooled = new Map<number, boolean>();
          withExample.forEach((i, k) => {
            const predicted = argmax(roundedScores[k]);
            fooled.set(i, targets ? predicted === targets[i] : predicted !== labels[i]);
          });
          const rows: ProbeImageResult[] = results.map((r, i) => {
            const output = r.adversarial ? `${outPrefix}${slug(stem(images[i].name))}.${attack}${defense.spec.kind === 'none' ? '' : `.${slug(defense.name)}`}.png` : null;
            if (output) savePng(output, rounded[withExample.indexOf(i)], shape);
            return {
              image: images[i].name,
              label: labels[i],
              ...(targets ? { target: targets[i] } : {}),
              adversarialLabel: r.adversarialLabel ?? null,
              success: r.success,
              l2: r.adversarial ? r.l2 : null,
              linf: r.adversarial ? r.linf : null,
              queries: r.queries,
              roundedStillAdversarial: r.adversarial ? fooled.get(i)! : null,
              output,
            };
          });
          const won = rows.filter((r) => r.success);
          for (const [i, row] of rows.entries()) {
            if (triples.length >= wantTriples || !row.success || !row.output || triples.some((t) => t.model === modelName && t.attack === attack)) continue;
            const base = `report/triples/${triples.length}`;
            savePng(`${base}-original.png`, pixels[i], shape);
            savePng(`${base}-difference.png`, amplifiedDifference(pixels[i], results[i].adversarial!), shape);
            triples.push({ model: modelName, attack, defense: defense.name, image: row.image, label: row.label, adversarialLabel: row.adversarialLabel!, l2: row.l2!, linf: row.linf!, original: `${base}-original.png`, adversarial: row.output, difference: `${base}-difference.png` });
          }
          runs.push({
            model: modelName,
            attack,
            norm: options.norm,
            targeted: options.targeted,
            defense: defense.name,
            successRate: won.length / rows.length,
            medianL2: median(won.flatMap((r) => (r.l2 === null ? [] : [r.l2]))),
            medianLinf: median(won.flatMap((r) => (r.linf === null ? [] : [r.linf]))),
            medianQueries: median(won.map((r) => r.queries)),
            cleanAgreement,
            // The attacks ran together: from their start to this one's last result, plus its checks here.
            wallMs: Math.round(finishedAt[a] - groupStarted + performance.now() - runStarted - (timings.imageIoMs - ioBefore)),
            queries: results.reduce((n, r) => n + r.queries, 0) + rounded.length,
            images: rows,
          });
        }
        // Time in the defended model beyond the model itself: the defence's transforms.
        timings.defenseMs += target.ms - inner.ms;
      }
      timings.inferenceMs += model.stats.inferenceMs;
      timings.queries += model.stats.images;
      options.onModelDone?.(modelName, model.stats);
      models.push({
        model: modelName,
        path: model.path,
        layout: model.layout.layout,
        inputShape: [...model.shape] as [number, number, number],
        classes: model.classes,
        normalization: model.normalization.source,
        cleanAccuracy,
        queries: model.stats.images,
      });
    } finally {
      await model.release();
    }
  }
  for (const name of Object.keys(options.labels ?? {})) {
    if (!imageNames.includes(name)) notes.push({ level: 'warning', message: `the labels file names ${name}, which is not an image of the folder` });
  }
  return {
    version: 1,
    models,
    images: imageNames,
    settings: {
      attacks: options.attacks,
      defenses: options.defenses.map((d) => d.name),
      norm: options.norm,
      targeted: options.targeted,
      queries: options.queries,
      epsilon: options.epsilon ?? null,
      seed: options.seed,
    },
    runs,
    triples,
    out: options.out,
    report: 'report/index.html',
    timings: { totalMs: Math.round(performance.now() - started), ...timings },
    notes,
  };
}

/** Input the probe cannot use (labels that do not fit the model, ...): exit 2. */
export class ProbeInputError extends Error {}
