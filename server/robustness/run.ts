// Runs one attack on one image: checks the request, gives the attack a counting oracle with
// the budget minus one query, and spends that last query re-checking the example it reports.
import { boundaryAttack } from './attacks/boundary';
import type { Attack } from './attacks/context';
import { hopSkipJump } from './attacks/hopskipjump';
import { mga } from './attacks/mga';
import { simba } from './attacks/simba';
import { Oracle, OutOfBudget, withinEpsilon } from './oracle';
import { Rng } from './rng';
import { argmax, isAdversarialLabel } from './scores';
import type { AttackName, AttackOptions, AttackResult, BatchClassifier } from './types';
import { distance, l2Distance, linfDistance } from './vectors';

const ATTACKS: Record<AttackName, Attack> = {
  simba: simba('pixel'),
  'simba-dct': simba('dct'),
  hopskipjump: hopSkipJump,
  boundary: boundaryAttack,
  mga,
};

/** Options as checked by the caller; `starts` are candidate starting points for HopSkipJump and Boundary. */
export async function attackImage(
  name: AttackName,
  model: BatchClassifier,
  image: Float32Array,
  label: number,
  options: AttackOptions,
  starts?: readonly Float32Array[],
): Promise<AttackResult> {
  const { queries: budget, signal, onProgress } = options;
  const goal = { label, target: options.targeted ? options.target : undefined };
  const oracle = new Oracle(model, image, goal, options.norm, budget - 1, options.epsilon, signal, (used) => onProgress?.(used, budget));
  try {
    await ATTACKS[name]({ oracle, rng: new Rng(options.seed), shape: model.shape, starts });
  } catch (error) {
    if (!(error instanceof OutOfBudget)) throw error;
  }
  let queries = oracle.used;
  const found = oracle.best;
  let result: AttackResult = { success: false, l2: NaN, linf: NaN, queries };
  if (found) {
    // The final check: the reported example is one this query saw adversarial.
    signal?.throwIfAborted();
    const [scores] = await model.predict([found.image], signal);
    queries++;
    const predicted = argmax(scores);
    if (isAdversarialLabel(goal, predicted)) {
      const within = options.epsilon === undefined || withinEpsilon(distance(options.norm, found.image, image), options.epsilon);
      result = {
        success: within,
        adversarial: found.image,
        adversarialLabel: predicted,
        l2: l2Distance(found.image, image),
        linf: linfDistance(found.image, image),
        queries,
      };
    } else result = { success: false, l2: NaN, linf: NaN, queries };
  }
  onProgress?.(budget, budget);
  return result;
}
