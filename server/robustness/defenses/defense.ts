// Defence specs: parsing 'none' | 'bit-depth:BITS' | 'median:K' | 'jpeg:QUALITY', applying
// one to an image, and putting one in front of a classifier so the attacker queries the
// defended model.
import type { BatchClassifier, DefenseSpec } from '../types';
import { squeezeBitDepth } from './bit-depth';
import { jpegRoundTrip } from './jpeg';
import { medianSmooth } from './median';

const LIMITS = {
  'bit-depth': { what: 'BITS', min: 1, max: 16 },
  median: { what: 'K (window side)', min: 1, max: 15 },
  jpeg: { what: 'QUALITY', min: 1, max: 100 },
} as const;

const EXPECTED = 'expected none, bit-depth:BITS (1-16), median:K (1-15) or jpeg:QUALITY (1-100)';

export function parseDefense(text: string): DefenseSpec {
  const trimmed = String(text).trim();
  if (trimmed === 'none') return { kind: 'none' };
  const m = /^(bit-depth|median|jpeg):(.*)$/.exec(trimmed);
  if (!m) throw new Error(`unknown defence "${text}": ${EXPECTED}`);
  const kind = m[1] as keyof typeof LIMITS;
  const limit = LIMITS[kind];
  const value = /^\d+$/.test(m[2]) ? Number(m[2]) : NaN;
  if (!(value >= limit.min && value <= limit.max))
    throw new Error(`defence "${text}": ${limit.what} must be a whole number from ${limit.min} to ${limit.max}`);
  if (kind === 'bit-depth') return { kind, bits: value };
  if (kind === 'median') return { kind, size: value };
  return { kind, quality: value };
}

/** The spec in the form parseDefense reads ('jpeg:75'). */
export function formatDefense(spec: DefenseSpec): string {
  switch (spec.kind) {
    case 'none':
      return 'none';
    case 'bit-depth':
      return `bit-depth:${spec.bits}`;
    case 'median':
      return `median:${spec.size}`;
    case 'jpeg':
      return `jpeg:${spec.quality}`;
  }
}

/** Checks a spec built in code (not parsed) against the same limits. */
export function checkDefense(spec: DefenseSpec, shape?: readonly [number, number, number]): void {
  const text = spec && typeof spec === 'object' && 'kind' in spec ? formatDefense(spec) : undefined;
  if (text === undefined) throw new Error(`not a defence: ${JSON.stringify(spec)}; ${EXPECTED}`);
  const parsed = parseDefense(text);
  if (parsed.kind === 'jpeg' && shape && shape[0] !== 1 && shape[0] !== 3) throw new Error(`the JPEG defence needs 1 or 3 channels, not ${shape[0]}`);
}

export function applyDefense(image: Float32Array, shape: readonly [number, number, number], defense: DefenseSpec): Float32Array {
  checkDefense(defense, shape);
  if (image.length !== shape[0] * shape[1] * shape[2]) throw new Error(`image has ${image.length} values, shape ${shape.join('x')} needs ${shape[0] * shape[1] * shape[2]}`);
  switch (defense.kind) {
    case 'none':
      return image.slice();
    case 'bit-depth':
      return squeezeBitDepth(image, defense.bits);
    case 'median':
      return medianSmooth(image, shape, defense.size);
    case 'jpeg':
      return jpegRoundTrip(image, shape, defense.quality);
  }
}

/** A classifier that applies the defence to every image before the model sees it; `transformMs` is the time spent in the defence. */
export class DefendedClassifier implements BatchClassifier {
  readonly classes: number;
  readonly shape: readonly [number, number, number];
  transformMs = 0;

  constructor(
    readonly model: BatchClassifier,
    readonly defense: DefenseSpec,
  ) {
    checkDefense(defense, model.shape);
    this.classes = model.classes;
    this.shape = model.shape;
  }

  predict(images: readonly Float32Array[], signal?: AbortSignal): Promise<Float32Array[]> {
    const started = performance.now();
    const transformed = images.map((image) => applyDefense(image, this.shape, this.defense));
    this.transformMs += performance.now() - started;
    return this.model.predict(transformed, signal);
  }
}

export function defended(model: BatchClassifier, defense: DefenseSpec): BatchClassifier {
  return defense.kind === 'none' ? (checkDefense(defense), model) : new DefendedClassifier(model, defense);
}
