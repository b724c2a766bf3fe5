// Linear classifiers for the robustness tests: scores = W x + b, pure TypeScript, so the
// optimal adversarial distance is known in closed form and every query can be counted.
import type { BatchClassifier } from '../../server/robustness/types';
import { Rng } from '../../server/robustness/rng';

export class LinearClassifier implements BatchClassifier {
  readonly classes: number;
  /** Images asked about and predict calls made, counted here so tests can check the attacks' own counts. */
  queries = 0;
  calls = 0;

  constructor(
    readonly shape: readonly [number, number, number],
    /** One weight row per class. */
    readonly weights: Float64Array[],
    readonly bias: Float64Array,
  ) {
    this.classes = weights.length;
  }

  async predict(images: readonly Float32Array[]): Promise<Float32Array[]> {
    this.calls++;
    this.queries += images.length;
    return images.map((x) => {
      const out = new Float32Array(this.classes);
      for (let k = 0; k < this.classes; k++) {
        const w = this.weights[k];
        let s = this.bias[k];
        for (let i = 0; i < x.length; i++) s += w[i] * x[i];
        out[k] = s;
      }
      return out;
    });
  }

  /** Signed score of class 1 over class 0 (two-class models). */
  margin(x: Float32Array): number {
    const w0 = this.weights[0];
    const w1 = this.weights[1];
    let s = this.bias[1] - this.bias[0];
    for (let i = 0; i < x.length; i++) s += (w1[i] - w0[i]) * x[i];
    return s;
  }

  /** Minimal L2 distance to the decision boundary of a two-class model: |w.x + b| / ||w||. */
  optimalL2(x: Float32Array): number {
    const w0 = this.weights[0];
    const w1 = this.weights[1];
    let n = 0;
    for (let i = 0; i < x.length; i++) n += (w1[i] - w0[i]) ** 2;
    return Math.abs(this.margin(x)) / Math.sqrt(n);
  }

  /** The predicted class (argmax of the scores), for any number of classes. */
  classify(x: Float32Array): number {
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < this.classes; k++) {
      let s = this.bias[k];
      for (let i = 0; i < x.length; i++) s += this.weights[k][i] * x[i];
      if (s > bestScore) [best, bestScore] = [k, s];
    }
    return best;
  }

  label(x: Float32Array): number {
    return this.margin(x) > 0 ? 1 : 0;
  }
}

/**
 * A two-class linear model through the middle of the pixel box and `count` images at L2
 * distances spread over [near, far] from its boundary, on both sides, well inside [0,1] so
 * the unconstrained optimum |w.x+b|/||w|| is also the optimum within the box.
 */
export function twoClassProblem(seed: number, shape: readonly [number, number, number], count: number, near = 0.3, far = 1.0) {
  const rng = new Rng(seed);
  const d = shape[0] * shape[1] * shape[2];
  const w = new Float64Array(d);
  for (let i = 0; i < d; i++) w[i] = rng.normal();
  const norm = Math.sqrt(w.reduce((s, v) => s + v * v, 0));
  const b = -0.5 * w.reduce((s, v) => s + v, 0);
  const model = new LinearClassifier(shape, [new Float64Array(d), w], Float64Array.from([0, b]));
  const images: Float32Array[] = [];
  for (let k = 0; k < count; k++) {
    const x = new Float64Array(d);
    for (let i = 0; i < d; i++) x[i] = 0.3 + 0.4 * rng.next();
    let m = b;
    for (let i = 0; i < d; i++) m += w[i] * x[i];
    const distanceWanted = (near + ((far - near) * k) / Math.max(1, count - 1)) * (k % 2 === 0 ? 1 : -1);
    const shift = (distanceWanted - m / norm) / norm;
    images.push(Float32Array.from(x, (v, i) => v + shift * w[i]));
  }
  return { model, images, labels: images.map((x) => model.label(x)) };
}

/** A K-class linear model with random weights around the middle of the box and images in [0.3, 0.7]. */
export function multiClassProblem(seed: number, shape: readonly [number, number, number], classes: number, count: number) {
  const rng = new Rng(seed);
  const d = shape[0] * shape[1] * shape[2];
  const weights: Float64Array[] = [];
  const bias = new Float64Array(classes);
  for (let k = 0; k < classes; k++) {
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) w[i] = rng.normal() / Math.sqrt(d);
    weights.push(w);
    bias[k] = -0.5 * w.reduce((s, v) => s + v, 0);
  }
  const model = new LinearClassifier(shape, weights, bias);
  const images: Float32Array[] = [];
  for (let k = 0; k < count; k++) images.push(Float32Array.from({ length: d }, () => 0.3 + 0.4 * rng.next()));
  return { model, images };
}
