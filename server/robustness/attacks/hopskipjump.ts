// HopSkipJump (Chen, Jordan & Wainwright, "HopSkipJumpAttack: A Query-Efficient
// Decision-Based Attack", IEEE S&P 2020). Decision-based: it only sees the predicted class.
// From an adversarial start it repeats: binary search to the decision boundary; estimate the
// boundary's normal there from the signs of many random probes (one batch: this is where
// batching pays); step along the estimate with a geometrically shrinking step until still
// adversarial; binary search back towards the original. L2 and Linf variants.
import type { Norm } from '../types';
import { clip01, distance, l2Norm } from '../vectors';
import type { AttackContext } from './context';
import { binarySearchToBoundary, findStart } from './start';

/** Initial number of probes per gradient estimate (B0 in the paper), grown as B0 * sqrt(t). */
const INITIAL_PROBES = 100;
const MAX_PROBES = 10_000;
/** Share of the budget the search for a starting point may spend. */
const START_SHARE = 0.2;

export async function hopSkipJump({ oracle, rng, shape, starts }: AttackContext): Promise<void> {
  const norm: Norm = oracle.norm;
  const original = oracle.original;
  const d = original.length;
  // Binary-search threshold: d^-3/2 for L2, d^-2 for Linf (the paper's choice of theta).
  const theta = norm === 'l2' ? 1 / (d * Math.sqrt(d)) : 1 / (d * d);

  const start = await findStart({ oracle, rng, shape, starts }, Math.max(10, Math.floor(oracle.remaining * START_SHARE)));
  if (!start) return;
  let x = await binarySearchToBoundary(oracle, norm, start, theta);
  let dist = distance(norm, x, original);

  for (let t = 1; !oracle.succeeded || oracle.epsilon === undefined; t++) {
    if (dist === 0) return;
    // Probe radius: proportional to the current distance (sqrt(d)*theta*dist for L2, d*theta*dist for Linf).
    const delta = norm === 'l2' ? Math.sqrt(d) * theta * dist : d * theta * dist;
    const probes = Math.min(Math.floor(INITIAL_PROBES * Math.sqrt(t)), MAX_PROBES, oracle.remaining - 1);
    if (probes < 2) return;
    const direction = await estimateGradient(x, probes, delta, norm, { oracle, rng, shape });

    // Geometric step-size search: start at dist / sqrt(t), halve until the step lands adversarial.
    let step = distance(norm, x, original) / Math.sqrt(t);
    let moved: Float32Array | undefined;
    while (step > 1e-12) {
      const candidate = stepAlong(x, direction, step);
      const [adv] = await oracle.adversarial([candidate]);
      if (adv) {
        moved = candidate;
        break;
      }
      step /= 2;
    }
    if (!moved) return;
    x = await binarySearchToBoundary(oracle, norm, moved, theta);
    dist = distance(norm, x, original);
  }
}

/** Pixel values of probes held in memory at once (8 MB of float32): large images are probed in several batches. */
const PROBE_FLOATS = 1 << 21;

/**
 * Monte-Carlo estimate of the boundary normal at x (pointing into the adversarial side):
 * the mean of random directions weighted +1/-1 by whether x + delta*u is adversarial, with the
 * mean outcome subtracted as a baseline to cut variance. L2 returns the unit vector; Linf its
 * sign (the steepest Linf ascent direction). The direction actually probed is (p - x) / delta
 * (p clipped to the pixel box), so sums of the probes themselves are kept, one pass each:
 * sum((s_b - mean) (p_b - x)) = sum(s_b p_b) - mean * sum(p_b) - (sum(s_b) - mean * B) x,
 * and probes can go in several batches.
 */
async function estimateGradient(x: Float32Array, probes: number, delta: number, norm: Norm, { oracle, rng }: AttackContext): Promise<Float32Array> {
  const d = x.length;
  const chunk = Math.max(1, Math.floor(PROBE_FLOATS / d));
  const draw = new Float64Array(d);
  const signed = new Float64Array(d);
  const plain = new Float64Array(d);
  let signSum = 0;
  // One slab for a chunk's probes, written again for the next chunk: the model has copied
  // them by the time their answers come back (the oracle copies what it keeps).
  const slab = new Float32Array(Math.min(probes, chunk) * d);
  for (let first = 0; first < probes; first += chunk) {
    const points: Float32Array[] = [];
    for (let b = first; b < Math.min(probes, first + chunk); b++) {
      // L2: a random direction on the sphere (normalised Gaussian); Linf: uniform in the cube, as in the paper's code.
      const squares = norm === 'l2' ? rng.fillNormalSquares(draw) : squaredNorm(rng.fillUniform(draw, -1, 1));
      const at = (b - first) * d;
      points.push(probePoint(x, draw, squares, delta, slab.subarray(at, at + d)));
    }
    const adversarial = await oracle.adversarial(points);
    for (let b = 0; b < points.length; b++) {
      addProbe(points[b], adversarial[b] ? 1 : -1, signed, plain);
      signSum += adversarial[b] ? 1 : -1;
    }
  }
  return gradientFrom(x, signed, plain, signSum, probes, norm);
}

// The loops live in functions of their own, not in the attack's async bodies: V8 then
// optimises them alone instead of recompiling a whole attack each time it reaches code it had
// not seen run.

/** x + step * direction, clipped to the pixel box. */
function stepAlong(x: Float32Array, direction: Float32Array, step: number): Float32Array {
  const candidate = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) candidate[i] = x[i] + step * direction[i];
  clip01(candidate);
  return candidate;
}

function squaredNorm(v: Float64Array): number {
  let n2 = 0;
  for (let i = 0; i < v.length; i++) n2 += v[i] * v[i];
  return n2;
}

/** x plus the draw (squared norm n2) scaled to length delta, clipped to the pixel box, written into p. */
function probePoint(x: Float32Array, draw: Float64Array, n2: number, delta: number, p: Float32Array): Float32Array {
  const d = x.length;
  const scale = delta / (Math.sqrt(n2) || 1);
  for (let i = 0; i < d; i++) {
    const v = x[i] + scale * draw[i];
    p[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return p;
}

/** signed += sign * p, plain += p. */
function addProbe(p: Float32Array, sign: 1 | -1, signed: Float64Array, plain: Float64Array): void {
  const d = p.length;
  if (sign > 0) {
    for (let i = 0; i < d; i++) {
      signed[i] += p[i];
      plain[i] += p[i];
    }
  } else {
    for (let i = 0; i < d; i++) {
      signed[i] -= p[i];
      plain[i] += p[i];
    }
  }
}

/** The normal from the probe sums (see estimateGradient): unit length for L2, its sign for Linf. */
function gradientFrom(x: Float32Array, signed: Float64Array, plain: Float64Array, signSum: number, probes: number, norm: Norm): Float32Array {
  const d = x.length;
  const mean = signSum / probes;
  const baseline = Math.abs(mean) === 1 ? 0 : mean;
  // What sum((s_b - baseline) (p_b - x)) owes to x; the 1/delta scale drops out below.
  const xWeight = signSum - baseline * probes;
  const grad = new Float32Array(d);
  for (let i = 0; i < d; i++) grad[i] = signed[i] - baseline * plain[i] - xWeight * x[i];
  if (norm === 'linf') {
    for (let i = 0; i < d; i++) grad[i] = Math.sign(grad[i]);
    return grad;
  }
  const n = l2Norm(grad) || 1;
  for (let i = 0; i < d; i++) grad[i] /= n;
  return grad;
}
