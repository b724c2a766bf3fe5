// An ONNX image classifier as the attacks see it: CHW images in [0,1] in, class scores
// out, in batches, every image counted. Layout (NCHW/NHWC), input size and batch handling
// come from the graph; normalisation from a preprocessor_config.json beside the model, else
// from --normalize. A graph that is not an image classifier is refused with one sentence.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { OnnxValue } from '../onnx/graph';
import { OnnxReadError, readOnnxFile } from '../onnx/read-model';
import { loadOnnxRuntime, QUIET, type OnnxRuntime } from '../onnx/runtime';
import { InferenceWorker } from './inference-worker';

export class ModelError extends Error {}

export type Layout = 'NCHW' | 'NHWC';

/** x_model = (x01 * scale - mean[c]) / std[c], per channel. */
export interface Normalization {
  /** Where the numbers came from: "preprocessor_config.json", "none", "imagenet", "MEAN/STD". */
  source: string;
  scale: number;
  mean: number[];
  std: number[];
}

export const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** `none` (pixels/255), `imagenet`, or `MEAN/STD` with one or one-per-channel comma lists. */
export function parseNormalize(text: string): Normalization {
  if (text === 'none') return { source: 'none', scale: 1, mean: [0], std: [1] };
  if (text === 'imagenet') return { source: 'imagenet', scale: 1, ...IMAGENET };
  const match = /^([^/]+)\/([^/]+)$/.exec(text);
  const list = (part: string) => part.split(',').map((v) => Number(v.trim()));
  if (match) {
    const mean = list(match[1]);
    const std = list(match[2]);
    if (mean.every(Number.isFinite) && std.every((v) => Number.isFinite(v) && v > 0) && [1, 3].includes(mean.length) && [1, 3].includes(std.length)) {
      return { source: text, scale: 1, mean, std };
    }
  }
  throw new ModelError(`--normalize must be none, imagenet or MEAN/STD (e.g. 0.5/0.5 or 0.485,0.456,0.406/0.229,0.224,0.225), not "${text}"`);
}

/** Hugging Face image processors keep rescale and normalisation in preprocessor_config.json. */
export function readPreprocessorConfig(modelPath: string): { normalization: Normalization; size?: { height: number; width: number } } | undefined {
  const file = join(dirname(modelPath), 'preprocessor_config.json');
  if (!existsSync(file)) return undefined;
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const numbers = (value: unknown): number[] | undefined =>
    Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : typeof value === 'number' ? [value] : undefined;
  const rescale = config.do_rescale === false ? 1 : typeof config.rescale_factor === 'number' ? config.rescale_factor : 1 / 255;
  const normalize = config.do_normalize !== false;
  const mean = normalize ? numbers(config.image_mean) ?? [0] : [0];
  const std = normalize ? numbers(config.image_std) ?? [1] : [1];
  if (std.some((s) => s <= 0)) throw new ModelError(`${file}: image_std must be positive`);
  // Our pixels are already x/255; the processor works on 0..255 values.
  const normalization = { source: 'preprocessor_config.json', scale: 255 * rescale, mean, std };
  const size = config.size as Record<string, number> | number | undefined;
  const crop = config.crop_size as Record<string, number> | number | undefined;
  const dims = (s: typeof size) =>
    typeof s === 'number' ? { height: s, width: s }
    : s && typeof s.height === 'number' && typeof s.width === 'number' ? { height: s.height, width: s.width }
    : s && typeof s.shortest_edge === 'number' ? { height: s.shortest_edge, width: s.shortest_edge }
    : undefined;
  return { normalization, size: dims(crop) ?? dims(size) };
}

export interface InputLayout {
  inputName: string;
  outputName: string;
  layout: Layout;
  shape: [channels: number, height: number, width: number];
  /** A fixed batch size from the graph, or undefined when the batch dimension is dynamic. */
  fixedBatch?: number;
  /** Class count from the graph, when its output shape says so. */
  classes?: number;
}

const known = (d: number | string | null | undefined): d is number => typeof d === 'number' && d > 0;
const isChannels = (d: number | string | null | undefined) => d === 1 || d === 3;

/** What the graph says about its image input and score output; ModelError when it is no image classifier. */
export function describeImageClassifier(inputs: OnnxValue[], outputs: OnnxValue[], name: string, fallbackSize?: { height: number; width: number }): InputLayout {
  if (inputs.length !== 1) {
    throw new ModelError(`${name} takes ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ') || 'none'}); the probe needs an image classifier with one image input`);
  }
  const input = inputs[0];
  if (input.type !== 'tensor(float)') throw new ModelError(`${name}: its input ${input.name} is ${input.type}, not a float image tensor`);
  const dims = input.shape;
  if (!dims || dims.length !== 4) {
    throw new ModelError(`${name}: its input ${input.name} has rank ${dims ? dims.length : 'unknown'}, not an image batch (rank 4, NCHW or NHWC): not an image classifier`);
  }
  let layout: Layout;
  if (isChannels(dims[1]) && !isChannels(dims[3])) layout = 'NCHW';
  else if (isChannels(dims[3]) && !isChannels(dims[1])) layout = 'NHWC';
  else if (isChannels(dims[1])) layout = 'NCHW';
  else throw new ModelError(`${name}: its input ${input.name} [${dims.map((d) => d ?? '?').join(', ')}] has no channel axis of 1 or 3 (NCHW or NHWC): not an image classifier`);
  const [channels, height, width] = layout === 'NCHW' ? [dims[1], dims[2], dims[3]] : [dims[3], dims[1], dims[2]];
  const h = known(height) ? height : fallbackSize?.height;
  const w = known(width) ? width : fallbackSize?.width;
  if (!h || !w) throw new ModelError(`${name}: the input size is not fixed in the graph (${String(height)} x ${String(width)}) and no preprocessor_config.json beside it gives one`);
  if (outputs.length < 1) throw new ModelError(`${name} has no output`);
  const output = outputs[0];
  if (output.shape && output.shape.length !== 2) {
    throw new ModelError(`${name}: its first output ${output.name} has rank ${output.shape.length}, not [batch, classes] scores: not an image classifier`);
  }
  const classes = output.shape && known(output.shape[1]) ? output.shape[1] : undefined;
  if (classes !== undefined && classes < 2) throw new ModelError(`${name}: its output ${output.name} has ${classes} class, a classifier needs at least 2`);
  return {
    inputName: input.name,
    outputName: output.name,
    layout,
    shape: [channels as number, h, w],
    fixedBatch: known(dims[0]) ? dims[0] : undefined,
    ...(classes ? { classes } : {}),
  };
}

export interface ClassifierStats {
  /** Images the model classified (every query, batched or not). */
  images: number;
  /** session.run calls. */
  runs: number;
  /**
   * Time inside onnxruntime, in ms: session.run (on the worker thread when there is one), plus
   * the tensor packing when the session runs on this thread.
   */
  inferenceMs: number;
  /** With the worker thread: time packing tensors here (overlaps the worker's runs), in ms. */
  packMs: number;
  /** Batch size of every predict call, in order: the bench replays them. */
  batches: number[];
}

/**
 * Session options of every probe session, on the worker thread or not (the bench's raw replay
 * loads through here too, so both sides run with the same options). onnxruntime's memory
 * pattern is off: it plans buffers per input shape and needs two runs at each new batch size
 * before that plan pays, while the probe's batch sizes change from call to call (70 distinct
 * sizes in the bench's probe); runs at a size already seen take the same time either way.
 */
export const SESSION_OPTIONS = Object.freeze({ logSeverityLevel: QUIET, executionProviders: ['cpu'], enableMemPattern: false });

type Session = Awaited<ReturnType<OnnxRuntime['InferenceSession']['create']>>;

export class OnnxClassifier {
  readonly stats: ClassifierStats = { images: 0, runs: 0, inferenceMs: 0, packMs: 0, batches: [] };
  /** Tensor buffers of finished runs, reused (onnxruntime is done with a buffer once run resolves). */
  private readonly spare: Float32Array[] = [];
  private readonly imageSize: number;
  readonly classes: number;
  readonly shape: readonly [channels: number, height: number, width: number];
  /** The options its session was created with (SESSION_OPTIONS, on either thread). */
  readonly sessionOptions: Readonly<Record<string, unknown>> = SESSION_OPTIONS;
  /** Images in the uncounted run made while loading (the arena is grown to that batch). */
  readonly warmedBatch: number = 0;

  private constructor(
    private readonly ort: OnnxRuntime,
    /** The session, when it runs on this thread; else `remote` runs it on its own thread. */
    private readonly session: Session | undefined,
    private readonly remote: InferenceWorker | undefined,
    readonly path: string,
    readonly layout: InputLayout,
    readonly normalization: Normalization,
    classes: number,
  ) {
    this.classes = classes;
    this.shape = layout.shape;
    this.imageSize = layout.shape[0] * layout.shape[1] * layout.shape[2];
  }

  /**
   * Opens the model; `normalize` applies when no preprocessor_config.json sits beside it. With
   * `thread`, the session runs on a worker thread: predict calls then leave this thread free
   * while the model works (the probe overlaps its attacks with inference that way).
   */
  static async load(path: string, normalize: Normalization = parseNormalize('none'), options: { thread?: boolean; warmBatch?: number } = {}): Promise<OnnxClassifier> {
    const name = basename(path);
    let graph;
    try {
      graph = readOnnxFile(path);
    } catch (error) {
      if (error instanceof OnnxReadError) throw new ModelError(error.message);
      throw error;
    }
    const preprocessor = readPreprocessorConfig(path);
    const layout = describeImageClassifier(graph.inputs, graph.outputs, name, preprocessor?.size);
    const normalization = preprocessor?.normalization ?? normalize;
    const channels = layout.shape[0];
    for (const list of [normalization.mean, normalization.std]) {
      if (list.length !== 1 && list.length !== channels) throw new ModelError(`${name} takes ${channels} channel(s), the normalisation gives ${list.length} values`);
    }
    const ort = loadOnnxRuntime();
    let session: Session | undefined;
    let remote: InferenceWorker | undefined;
    try {
      if (options.thread) remote = (await InferenceWorker.start(require.resolve('onnxruntime-node'), path, { ...SESSION_OPTIONS })).worker;
      else session = await ort.InferenceSession.create(path, { ...SESSION_OPTIONS });
    } catch (error) {
      throw new ModelError(`onnxruntime cannot load ${name}: ${((error as Error).message ?? String(error)).split('\n')[0]}`);
    }
    const classifier = new OnnxClassifier(ort, session, remote, path, layout, normalization, layout.classes ?? 0);
    // One uncounted run on grey images, part of loading, at `warmBatch` (the largest batch the
    // caller will send): onnxruntime's arena grows at each new largest batch, and the fresh
    // memory it maps costs page faults on first touch (a first run at 64 images took ~9x a
    // second one on the bench's CNN). Growing it once here keeps that out of the queries. The
    // run also gives the class count when the graph does not say.
    const warm = Math.max(1, Math.min(options.warmBatch ?? 1, layout.fixedBatch ?? Infinity));
    const grey = new Float32Array(layout.shape[0] * layout.shape[1] * layout.shape[2]).fill(0.5);
    const [scores] = await classifier.run(Array.from({ length: warm }, () => grey));
    Object.assign(classifier.stats, { runs: 0, inferenceMs: 0, packMs: 0 });
    (classifier as { warmedBatch: number }).warmedBatch = warm;
    if (!layout.classes) {
      if (scores.length < 2) throw new ModelError(`${name}: its output has ${scores.length} value(s) per image, not class scores`);
      (classifier as { classes: number }).classes = scores.length;
    }
    return classifier;
  }

  /** Class scores (the model's first output, as it gives them) for each image. */
  async predict(images: readonly Float32Array[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    this.stats.batches.push(images.length);
    this.stats.images += images.length;
    return this.run(images, signal);
  }

  /** Messages posted to the inference thread (0 without one). */
  get messages(): number {
    return this.remote?.messages ?? 0;
  }

  async release(): Promise<void> {
    await (this.remote ?? this.session)?.release();
  }

  /** Runs without counting (class discovery, the bench's raw baseline goes through `raw`). */
  private async run(images: readonly Float32Array[], signal?: AbortSignal): Promise<Float32Array[]> {
    const started = performance.now();
    const step = this.layout.fixedBatch ?? Math.max(1, images.length);
    const results: Float32Array[] = [];
    // On a worker thread, the time counted is session.run there (not the wait in its queue
    // behind another batch); packing here is counted apart, as it overlaps other batches' runs.
    let remoteMs = 0;
    try {
      for (let from = 0; from < images.length; from += step) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        const chunk = images.slice(from, from + step);
        // A fixed batch size is filled up with copies of the last image; their scores are dropped.
        const size = this.layout.fixedBatch ?? chunk.length;
        let buffer = this.spare.pop();
        // Buffers hold the largest batch warmed at load: batch sizes change from call to call,
        // and a buffer sized to one call would be dropped (and a fresh one mapped) at the next
        // larger one.
        if (!buffer || buffer.length < size * this.imageSize) buffer = new Float32Array(Math.max(size, this.warmedBatch) * this.imageSize);
        const packStarted = performance.now();
        const packed = this.pack(chunk, size, buffer);
        let scores: Float32Array;
        if (this.remote) {
          this.stats.packMs += performance.now() - packStarted;
          const reply = await this.runRemote(packed, size);
          remoteMs += reply.ms;
          scores = reply.scores;
          buffer = new Float32Array(reply.data.buffer);
        } else scores = await this.raw(packed, size);
        if (this.spare.length < 4) this.spare.push(buffer);
        const per = scores.length / size;
        for (let i = 0; i < chunk.length; i++) results.push(scores.slice(i * per, (i + 1) * per));
      }
    } finally {
      this.stats.inferenceMs += this.remote ? remoteMs : performance.now() - started;
    }
    return results;
  }

  private dims(batch: number): number[] {
    const [c, h, w] = this.layout.shape;
    return this.layout.layout === 'NCHW' ? [batch, c, h, w] : [batch, h, w, c];
  }

  private async runRemote(data: Float32Array, batch: number) {
    this.stats.runs++;
    try {
      return await this.remote!.run(this.layout.inputName, this.layout.outputName, data, this.dims(batch));
    } catch (error) {
      throw new ModelError(`onnxruntime failed on ${basename(this.path)} with a batch of ${batch}: ${((error as Error).message ?? String(error)).split('\n')[0]}`);
    }
  }

  /** One session.run on a packed batch; returns the flat scores. */
  async raw(data: Float32Array, batch: number): Promise<Float32Array> {
    if (this.remote) return (await this.runRemote(data.slice(), batch)).scores;
    const session = this.session!;
    const tensor = new this.ort.Tensor('float32', data, this.dims(batch));
    this.stats.runs++;
    let outputs;
    try {
      outputs = await session.run({ [this.layout.inputName]: tensor });
    } catch (error) {
      throw new ModelError(`onnxruntime failed on ${basename(this.path)} with a batch of ${batch}: ${((error as Error).message ?? String(error)).split('\n')[0]}`);
    }
    const out = outputs[this.layout.outputName] ?? outputs[session.outputNames[0]];
    return out.data instanceof Float32Array ? out.data : Float32Array.from(out.data as ArrayLike<number>);
  }

  /**
   * The bench's raw baseline: one session.run per size in `batches`, in order, each on the first
   * images of `data` (packed for the largest size), on the thread the session lives on (the
   * worker thread when there is one), with nothing else: no packing, no messages per run.
   * Resolves with the time the runs took on that thread, in ms.
   */
  async replay(data: Float32Array, batches: readonly number[]): Promise<number> {
    const per = this.imageSize;
    const image = this.dims(1).slice(1);
    if (this.remote) return this.remote.replay(this.layout.inputName, data, per, image, [...batches]);
    const started = performance.now();
    for (const n of batches) await this.session!.run({ [this.layout.inputName]: new this.ort.Tensor('float32', data.subarray(0, n * per), [n, ...image]) });
    return performance.now() - started;
  }

  /** CHW [0,1] images -> one normalised tensor in the graph's layout, padded to `size`; written into `into` when it is large enough. */
  pack(images: readonly Float32Array[], size: number, into?: Float32Array): Float32Array {
    const [c, h, w] = this.layout.shape;
    const plane = h * w;
    const per = c * plane;
    const data = into && into.length >= size * per ? (into.length === size * per ? into : into.subarray(0, size * per)) : new Float32Array(size * per);
    const { scale, mean, std } = this.normalization;
    const nchw = this.layout.layout === 'NCHW';
    for (let n = 0; n < size; n++) {
      const image = images[Math.min(n, images.length - 1)];
      if (image.length !== per) throw new ModelError(`an image of ${image.length} values was given to a model that takes ${c}x${h}x${w}`);
      const base = n * per;
      for (let ch = 0; ch < c; ch++) {
        const m = mean[mean.length === 1 ? 0 : ch];
        const s = std[std.length === 1 ? 0 : ch];
        const k = scale / s;
        const b = m / s;
        if (nchw && k === 1 && b === 0) {
          // No normalisation: a straight copy of the plane.
          data.set(image.subarray(ch * plane, (ch + 1) * plane), base + ch * plane);
        } else if (nchw) {
          const offset = base + ch * plane;
          for (let i = 0; i < plane; i++) data[offset + i] = image[ch * plane + i] * k - b;
        } else {
          for (let i = 0; i < plane; i++) data[base + i * c + ch] = image[ch * plane + i] * k - b;
        }
      }
    }
    return data;
  }
}
