// Starting points for the decision-based attacks (HopSkipJump, Boundary), which walk from an
// adversarial example towards the original: find one, then binary-search to the boundary.
import type { Oracle } from '../oracle';
import type { Rng } from '../rng';
import type { Norm } from '../types';
import { blend, clipToBall, clip01, distance, linfDistance } from '../vectors';
import type { AttackContext } from './context';

const START_BATCH = 10;

/** Uniform noise, blocky low-frequency noise, or a flat colour with a little noise, in turn. */
function noiseCandidate(rng: Rng, shape: readonly [number, number, number], kind: number): Float32Array {
  const [c, h, w] = shape;
  const out = new Float32Array(c * h * w);
  if (kind === 0) {
    for (let i = 0; i < out.length; i++) out[i] = rng.next();
    return out;
  }
  if (kind === 1) {
    const cell = 1 + rng.int(Math.max(1, Math.floor(Math.min(h, w) / 2)));
    const gh = Math.ceil(h / cell);
    const gw = Math.ceil(w / cell);
    const grid = new Float32Array(c * gh * gw);
    for (let i = 0; i < grid.length; i++) grid[i] = rng.next();
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[(ch * h + y) * w + x] = grid[(ch * gh + Math.floor(y / cell)) * gw + Math.floor(x / cell)];
    return out;
  }
  for (let ch = 0; ch < c; ch++) {
    const base = rng.next();
    for (let i = ch * h * w; i < (ch + 1) * h * w; i++) out[i] = base + 0.1 * (rng.next() - 0.5);
  }
  return clip01(out);
}

/**
 * An adversarial example to start from, or undefined when none was found within the share of
 * the budget set aside for it. Given starts come first (for a targeted attack: images of the
 * target class), then generated noise; of each batch the one closest to the original wins.
 */
export async function findStart(ctx: AttackContext, maxQueries: number): Promise<Float32Array | undefined> {
  const { oracle, rng, shape } = ctx;
  const given = ctx.starts ?? [];
  let spent = 0;
  let next = 0;
  while (spent < maxQueries) {
    const size = Math.min(START_BATCH, maxQueries - spent, Math.max(1, oracle.remaining));
    const batch: Float32Array[] = [];
    for (let i = 0; i < size; i++, next++) batch.push(next < given.length ? given[next] : noiseCandidate(rng, shape, (next - given.length) % 3));
    const adversarial = await oracle.adversarial(batch);
    spent += batch.length;
    let best: Float32Array | undefined;
    let bestDistance = Infinity;
    for (let i = 0; i < batch.length; i++) {
      if (!adversarial[i]) continue;
      const d = distance(oracle.norm, batch[i], oracle.original);
      if (d < bestDistance) [best, bestDistance] = [batch[i], d];
    }
    if (best) return best;
  }
  return undefined;
}

/**
 * Binary search along the chosen norm's path between the original (not adversarial) and an
 * adversarial point: for L2 the straight line, for Linf the shrinking Linf ball (the point
 * clipped to radius r). Stops when the bracket is below `threshold` (a fraction of the path
 * for L2, of the starting radius for Linf) and returns the adversarial end.
 */
export async function binarySearchToBoundary(oracle: Oracle, norm: Norm, adversarial: Float32Array, threshold: number): Promise<Float32Array> {
  const original = oracle.original;
  let low = 0;
  let high = norm === 'l2' ? 1 : linfDistance(adversarial, original);
  const stop = norm === 'l2' ? threshold : Math.min(high * threshold, threshold);
  const at = (t: number) => (norm === 'l2' ? blend(original, adversarial, t) : clipToBall(original, adversarial, t));
  let point = adversarial;
  while (high - low > stop) {
    const mid = (low + high) / 2;
    const candidate = at(mid);
    const [adv] = await oracle.adversarial([candidate]);
    if (adv) [high, point] = [mid, candidate];
    else low = mid;
  }
  return point;
}
