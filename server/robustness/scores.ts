// Turns a model's score vector (logits or probabilities) into what the attacks compare.

export function argmax(scores: Float32Array): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

function looksLikeProbabilities(scores: Float32Array): boolean {
  let sum = 0;
  for (const s of scores) {
    if (!(s >= 0 && s <= 1)) return false;
    sum += s;
  }
  return Math.abs(sum - 1) < 1e-3;
}

/** Log-probabilities: log of the scores when they already are probabilities, else log-softmax of logits. */
export function logProbabilities(scores: Float32Array): Float64Array {
  const out = new Float64Array(scores.length);
  if (looksLikeProbabilities(scores)) {
    for (let i = 0; i < scores.length; i++) out[i] = Math.log(Math.max(scores[i], 1e-30));
    return out;
  }
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (const s of scores) sum += Math.exp(s - max);
  const lse = max + Math.log(sum);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i] - lse;
  return out;
}

/** What the attack wants: another class than `label`, or exactly `target`. */
export interface Goal {
  label: number;
  target?: number;
}

export function isAdversarialLabel(goal: Goal, predicted: number): boolean {
  return goal.target !== undefined ? predicted === goal.target : predicted !== goal.label;
}

/**
 * A margin that is positive exactly when the scores are adversarial: untargeted, the best
 * other class's log-probability minus the label's; targeted, the target's minus the best other.
 */
export function adversarialMargin(goal: Goal, scores: Float32Array): number {
  const lp = logProbabilities(scores);
  const focus = goal.target ?? goal.label;
  let other = -Infinity;
  for (let i = 0; i < lp.length; i++) if (i !== focus && lp[i] > other) other = lp[i];
  return goal.target !== undefined ? lp[focus] - other : other - lp[focus];
}
