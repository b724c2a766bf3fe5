// The attacks' only way to the model: counts every query against the per-image budget,
// refuses to go over it, honours cancellation, and remembers the closest adversarial
// example any query has seen (so an attack stopped by the budget still reports it).
import { argmax, isAdversarialLabel, type Goal } from './scores';
import type { BatchClassifier, Norm } from './types';
import { distance } from './vectors';

/** Thrown when an attack asks for more queries than are left; the runner ends the attack there. */
export class OutOfBudget extends Error {
  constructor() {
    super('query budget exhausted');
  }
}

/** d within eps, allowing for float32 rounding of projected points (a relative 1e-5). */
export function withinEpsilon(d: number, eps: number): boolean {
  return d <= eps * (1 + 1e-5);
}

export interface Found {
  image: Float32Array;
  label: number;
  /** Distance to the original in the attack's norm. */
  distance: number;
}

export class Oracle {
  private usedQueries = 0;
  best: Found | undefined;

  constructor(
    private readonly model: BatchClassifier,
    readonly original: Float32Array,
    readonly goal: Goal,
    readonly norm: Norm,
    /** Queries the attack may spend (the runner keeps one back for the final check). */
    private readonly budget: number,
    /** Success bound in `norm`, when given. */
    readonly epsilon: number | undefined,
    private readonly signal?: AbortSignal,
    private readonly onQueries?: (used: number) => void,
  ) {}

  get used(): number {
    return this.usedQueries;
  }

  get remaining(): number {
    return this.budget - this.usedQueries;
  }

  /** True once an adversarial example within epsilon is known (any adversarial example when there is no epsilon). */
  get succeeded(): boolean {
    return this.best !== undefined && (this.epsilon === undefined || withinEpsilon(this.best.distance, this.epsilon));
  }

  /** Model scores for the images; each image is one query. Throws OutOfBudget (asking nothing) when they do not fit. */
  async scores(images: readonly Float32Array[]): Promise<Float32Array[]> {
    if (images.length === 0) return [];
    if (images.length > this.remaining) throw new OutOfBudget();
    this.signal?.throwIfAborted();
    this.usedQueries += images.length;
    const out = await this.model.predict(images, this.signal);
    if (out.length !== images.length) throw new Error(`the model returned ${out.length} score vectors for ${images.length} images`);
    for (let i = 0; i < images.length; i++) {
      const label = argmax(out[i]);
      if (!isAdversarialLabel(this.goal, label)) continue;
      const d = distance(this.norm, images[i], this.original);
      if (this.best === undefined || d < this.best.distance) this.best = { image: images[i].slice(), label, distance: d };
    }
    this.onQueries?.(this.usedQueries);
    return out;
  }

  /** Whether each image is adversarial (counted as queries like `scores`). */
  async adversarial(images: readonly Float32Array[]): Promise<boolean[]> {
    const out = await this.scores(images);
    return out.map((s) => isAdversarialLabel(this.goal, argmax(s)));
  }
}
