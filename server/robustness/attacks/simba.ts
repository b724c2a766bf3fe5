// SimBA (Guo, Gardner, You, Wilson & Weinberger, "Simple Black-box Adversarial Attacks",
// ICML 2019). Score-based: it reads the model's probabilities. It walks through an
// orthonormal basis (pixels, or low-frequency-first DCT for SimBA-DCT) in random order without
// repetition and, for each direction q, keeps x - step*q or x + step*q when that lowers the
// label's probability (targeted: raises the target's). The pair is queried as one batch.
import { DctBasis } from '../dct';
import { logProbabilities } from '../scores';
import { clip01, projectToBall } from '../vectors';
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
    const move = (index: number, sign: number) => {
      const out = current.slice();
      if (dct) dct.addTo(out, index, sign * step);
      else out[index] += sign * step;
      return bound === undefined ? clip01(out) : projectToBall(oracle.norm, original, out, bound);
    };

    for (;;) {
      // One pass over the basis; a further pass (new order) only while passes still help.
      const order = dct ? dct.order(rng) : randomPermutation(d, rng);
      let improved = false;
      for (const index of order) {
        const candidates = [move(index, -1), move(index, +1)].filter((c) => !sameImage(c, current));
        if (candidates.length === 0) continue;
        const out = await oracle.scores(candidates);
        if (oracle.succeeded) return;
        let best = -1;
        for (let k = 0; k < candidates.length; k++) {
          const s = score(out[k]);
          if (s < currentScore) [best, currentScore] = [k, s];
        }
        if (best >= 0) {
          current = candidates[best];
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
