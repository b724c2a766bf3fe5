// Boundary attack (Brendel, Rauber & Bethge, "Decision-Based Adversarial Attacks: Reliable
// Attacks Against Black-Box Machine Learning Models", ICLR 2018). Decision-based. From an
// adversarial start it proposes random steps that (1) move along the sphere around the
// original (orthogonal step, size delta times the current distance) and (2) then towards the
// original (source step, size epsilon times the distance); it keeps adversarial proposals.
// Both step sizes adapt to recent success rates. Proposals are evaluated in batches.
import { l2Distance } from '../vectors';
import type { AttackContext } from './context';
import { binarySearchToBoundary, findStart } from './start';

/** Proposals per batch. */
const PROPOSALS = 10;
/** Every this many steps the orthogonal-only candidates are also queried to tune delta. */
const TUNE_EVERY = 5;
const START_SHARE = 0.2;

export async function boundaryAttack({ oracle, rng, shape, starts }: AttackContext): Promise<void> {
  const original = oracle.original;
  const d = original.length;
  const start = await findStart({ oracle, rng, shape, starts }, Math.max(10, Math.floor(oracle.remaining * START_SHARE)));
  if (!start) return;
  // A blended start close to the boundary, as the paper's implementation does before stepping.
  // The current point, then the proposals and their points on the sphere, each in a buffer
  // written again at every step: the model has copied a batch by the time its answers come
  // back, and the oracle copies what it keeps.
  const x = (await binarySearchToBoundary(oracle, 'l2', start, 1e-3)).slice();
  let delta = 0.1;
  let epsilon = 0.1;
  const toSource = new Float64Array(d);
  const eta = new Float64Array(d);
  const fullSlab = new Float32Array(PROPOSALS * d);
  const sphereSlab = new Float32Array(PROPOSALS * d);
  const proposalDistance = new Float64Array(PROPOSALS);

  for (let step = 0; !oracle.succeeded || oracle.epsilon === undefined; step++) {
    const r = l2Distance(x, original);
    if (r === 0) return;
    const tune = step % TUNE_EVERY === 0;
    const count = Math.min(PROPOSALS, Math.floor(oracle.remaining / (tune ? 2 : 1)));
    if (count < 1) return;
    const spherical: Float32Array[] = [];
    const proposals: Float32Array[] = [];
    directionTo(original, x, r, toSource);
    for (let k = 0; k < count; k++) {
      const full = fullSlab.subarray(k * d, (k + 1) * d);
      // The points on the sphere are only asked about at tuning steps.
      const onSphere = tune ? sphereSlab.subarray(k * d, (k + 1) * d) : undefined;
      const squares = rng.fillNormalSquares(eta);
      proposalDistance[k] = propose(original, x, r, delta, epsilon, toSource, eta, squares, full, onSphere);
      if (onSphere) spherical.push(onSphere);
      proposals.push(full);
    }
    const adversarial = await oracle.adversarial(proposals);
    const successes = adversarial.filter(Boolean).length;
    let best = -1;
    let bestDistance = r;
    for (let k = 0; k < count; k++) {
      if (adversarial[k] && proposalDistance[k] < bestDistance) [best, bestDistance] = [k, proposalDistance[k]];
    }
    if (best >= 0) x.set(proposals[best]);

    // Source step: aim for a success rate between 20% and 50%.
    const rate = successes / count;
    if (rate > 0.5) epsilon *= 1.5;
    else if (rate < 0.2) epsilon /= 1.5;
    if (tune && oracle.remaining >= count) {
      // Orthogonal step: aim for about half of the spherical candidates staying adversarial.
      const onSphere = await oracle.adversarial(spherical);
      const sphereRate = onSphere.filter(Boolean).length / count;
      if (sphereRate > 0.5) delta *= 1.5;
      else if (sphereRate < 0.5) delta /= 1.5;
    }
    delta = Math.min(Math.max(delta, 1e-6), 1);
    epsilon = Math.min(Math.max(epsilon, 1e-7), 0.5);
  }
}

/**
 * The direction from x back to the original, unit length (shared by a step's proposals). Its
 * own function, like the other loops: V8 then optimises the loop alone instead of recompiling
 * the whole attack.
 */
function directionTo(original: Float32Array, x: Float32Array, r: number, into: Float64Array): void {
  for (let i = 0; i < original.length; i++) into[i] = (original[i] - x[i]) / r;
}

/**
 * One proposal from a Gaussian draw eta (squared norm `squares`): the point on the sphere of
 * radius r around the original (into `onSphere`, when given), and that point moved a fraction
 * epsilon towards the original (into `full`), both clipped. Returns the L2 distance of `full`
 * to the original.
 *
 * The orthogonal step is e = scale * (eta - (eta.u) u), u the unit direction to the original,
 * scaled to length delta * r; x + e then lies at distance r * sqrt(1 + delta^2) from the
 * original (x - original = -r u is orthogonal to e), so bringing it back onto the sphere is a
 * known factor. Worked out this way, a proposal takes two passes over the image (the dot
 * product, then the output) instead of one per step.
 */
function propose(original: Float32Array, x: Float32Array, r: number, delta: number, epsilon: number, toSource: Float64Array, eta: Float64Array, squares: number, full: Float32Array, onSphere: Float32Array | undefined): number {
  const d = original.length;
  let dot = 0;
  for (let i = 0; i < d; i++) dot += eta[i] * toSource[i];
  // |eta - dot u|^2 = |eta|^2 - dot^2 for a unit u.
  const orthogonal = Math.max(squares - dot * dot, 0);
  const scale = (delta * r) / (Math.sqrt(orthogonal) || 1);
  const back = 1 / Math.sqrt(1 + delta * delta);
  const pull = back * (1 - epsilon);
  const along = scale * dot;
  let s = 0;
  for (let i = 0; i < d; i++) {
    const o = x[i] - original[i] + scale * eta[i] - along * toSource[i];
    if (onSphere) {
      const a = original[i] + o * back;
      onSphere[i] = a < 0 ? 0 : a > 1 ? 1 : a;
    }
    const b = original[i] + o * pull;
    // The distance from the stored (float32) values, as l2Distance would measure it.
    const stored = Math.fround(b < 0 ? 0 : b > 1 ? 1 : b);
    full[i] = stored;
    const diff = stored - original[i];
    s += diff * diff;
  }
  return Math.sqrt(s);
}
