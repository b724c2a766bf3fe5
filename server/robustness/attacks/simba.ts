// SimBA (Guo, Gardner, You, Wilson & Weinberger, "Simple Black-box Adversarial Attacks",
// ICML 2019). Score-based: it reads the model's probabilities. It walks through an
// orthonormal basis (pixels, or low-frequency-first DCT for SimBA-DCT) in random order without
// repetition and, for each direction q, keeps x - step*q or x + step*q when that lowers the
// label's probability (targeted: raises the target's). The pair is queried as one batch.
import { DctBasis } from '../dct';
import { logProbabilities } from '../scores';
import { projectToBall } from '../vectors';
import type { Attack, AttackContext } from './context';

/** The paper's step size in [0,1] pixel space. */
const STEP = 0.2;

export function simba(basisKind: 'pixel' | 'dct'): Attack {
  return async ({ oracle, rng, shape }: AttackContext) => {
    const original = oracle.original;
    const d = original.length;
    const goal = oracle.goal;
    // Lower is better: the label's log-probability, or minus the target's.
    const score = (s: Float32Array) => {
      const lp = logProbabilities(s);
      return goal.target !== undefined ? -lp[goal.target] : lp[goal.label];
    };
    const [clean] = await oracle.scores([original]);
    if (oracle.succeeded) return;
    let current: Float32Array = original.slice();
    let currentScore = score(clean);

    // Pixel steps under Linf change each coordinate by exactly the step: the step is the bound.
    const step = oracle.norm === 'linf' && basisKind === 'pixel' ? (oracle.epsilon ?? STEP) : Math.min(STEP, oracle.epsilon ?? STEP);
    const bound = oracle.epsilon ?? (oracle.norm === 'linf' && basisKind === 'pixel' ? step : undefined);
    const dct = basisKind === 'dct' ? new DctBasis(shape) : undefined;
    const plane = shape[1] * shape[2];
    // Candidates are written into two spare images, reused from step to step (the model has
    // copied a batch by the time its scores come back, and the oracle copies what it keeps):
    // a kept candidate becomes the current image, and the image it replaces a spare.
    const spares: Float32Array[] = [new Float32Array(d), new Float32Array(d)];
    // A candidate differs from the current image in one pixel (pixel basis) or one channel
    // plane (DCT basis): only that part is clipped and compared.
    const move = (index: number, sign: number, out: Float32Array): Float32Array | undefined => {
      out.set(current);
      if (bound !== undefined) {
        if (dct) dct.addTo(out, index, sign * step);
        else out[index] += sign * step;
        const projected = projectToBall(oracle.norm, original, out, bound);
        return sameImage(projected, current) ? undefined : projected;
      }
      if (!dct) {
        const v = out[index] + sign * step;
        out[index] = v < 0 ? 0 : v > 1 ? 1 : v;
        return out[index] === current[index] ? undefined : out;
      }
      dct.addTo(out, index, sign * step);
      const from = Math.floor(index / plane) * plane;
      let changed = false;
      for (let i = from; i < from + plane; i++) {
        const v = out[i];
        const c = v < 0 ? 0 : v > 1 ? 1 : v;
        out[i] = c;
        if (c !== current[i]) changed = true;
      }
      return changed ? out : undefined;
    };

    for (;;) {
      // One pass over the basis; a further pass (new order) only while passes still help.
      const order = dct ? dct.order(rng) : randomPermutation(d, rng);
      let improved = false;
      for (const index of order) {
        const down = move(index, -1, spares[0]);
        const up = move(index, +1, spares[1]);
        const candidates = down && up ? [down, up] : down ? [down] : up ? [up] : undefined;
        if (!candidates) continue;
        const out = await oracle.scores(candidates);
        if (oracle.succeeded) return;
        let best = -1;
        for (let k = 0; k < candidates.length; k++) {
          const s = score(out[k]);
          if (s < currentScore) [best, currentScore] = [k, s];
        }
        if (best >= 0) {
          const kept = candidates[best];
          // With a bound, the candidate is a fresh projected image and both spares stay spare.
          const slot = spares.indexOf(kept);
          if (slot >= 0) spares[slot] = current;
          current = kept;
          improved = true;
        }
      }
      if (!improved) return;
    }
  };
}

function randomPermutation(n: number, rng: AttackContext['rng']): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  rng.shuffle(out);
  return out;
}

function sameImage(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
