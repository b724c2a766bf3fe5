// MGAAttack: black-box attack by a microbial genetic algorithm (after Wang et al., "MGAAttack:
// Toward More Query-efficient Black-box Attack by Microbial Genetic Algorithm", ACM MM 2020;
// the microbial GA is Harvey's, "The Microbial Genetic Algorithm", 2009). Score-based.
// Each individual is a sign pattern g in {-1,+1}^d; its image is the original plus the
// perturbation bound times g (Linf: every pixel moved by the bound; L2: g scaled to the L2
// bound), clipped to [0,1]. Fitness is the adversarial margin (positive = adversarial).
// Each generation pairs the population at random; in each pair the loser copies every gene
// from the winner with probability 1/2, then flips each gene with the mutation rate (the
// winner survives unchanged, the microbial tournament). All losers are queried in one batch.
// Without an epsilon the bound starts small and grows when the search stalls, so the example
// found is a small one; with an epsilon the bound is the epsilon.
import { adversarialMargin } from '../scores';
import type { AttackContext } from './context';

const POPULATION = 20;
/** For each 4-bit pattern, the 32-bit mask of the bytes (genes, little-endian) it selects. */
const BYTE_MASKS = Int32Array.from({ length: 16 }, (_, bits) => (bits & 1 ? 0xff : 0) | (bits & 2 ? 0xff00 : 0) | (bits & 4 ? 0xff0000 : 0) | (bits & 8 ? 0xff000000 : 0));
const STALL_GENERATIONS = 10;
/** Without epsilon the bound also grows after this many generations at one bound. */
const GROW_EVERY = 20;
const GROWTH = 1.5;
/** Starting Linf bound without epsilon (about 3/255); the L2 start is the same per-pixel size over the image. */
const START_LINF = 0.012;

export async function mga({ oracle, rng }: AttackContext): Promise<void> {
  const original = oracle.original;
  const d = original.length;
  const l2 = oracle.norm === 'l2';
  const maxBound = l2 ? Math.sqrt(d) : 1;
  let bound = oracle.epsilon ?? (l2 ? START_LINF * Math.sqrt(d) : START_LINF);
  const mutation = Math.max(1 / d, 0.005);

  const [clean] = await oracle.scores([original]);
  if (oracle.succeeded) return;
  void clean;

  // The images of one evaluation share a slab, written again for the next: the model has
  // copied them by the time their scores come back (the oracle copies what it keeps).
  const slab = new Float32Array(POPULATION * d);
  const images = Array.from({ length: POPULATION }, (_, k) => slab.subarray(k * d, (k + 1) * d));
  const population: Int8Array[] = [];
  for (let p = 0; p < POPULATION; p++) {
    // Padded to whole 32-bit words: crossover works on four genes at a time (padding genes are never read).
    population.push(randomGenes(d, rng));
  }
  const evaluate = async (members: Int8Array[]) => {
    const scale = l2 ? bound / Math.sqrt(d) : bound;
    const out = await oracle.scores(members.map((g, k) => imageOf(original, g, scale, images[k])));
    return out.map((s) => adversarialMargin(oracle.goal, s));
  };
  let fitness = await evaluate(population);
  if (oracle.succeeded) return;
  let best = Math.max(...fitness);
  let stalled = 0;
  let atBound = 0;

  for (;;) {
    const order = Array.from({ length: POPULATION }, (_, i) => i);
    rng.shuffle(order);
    const losers: number[] = [];
    for (let k = 0; k + 1 < POPULATION; k += 2) {
      const [a, b] = [order[k], order[k + 1]];
      const [winner, loser] = fitness[a] >= fitness[b] ? [a, b] : [b, a];
      crossOver(population[winner], population[loser], rng);
      mutate(population[loser], d, mutation, rng);
      losers.push(loser);
    }
    const scores = await evaluate(losers.map((i) => population[i]));
    if (oracle.succeeded) return;
    losers.forEach((i, k) => (fitness[i] = scores[k]));
    const generationBest = Math.max(...scores);
    if (generationBest > best + 1e-9) [best, stalled] = [generationBest, 0];
    else stalled++;
    atBound++;
    if ((stalled >= STALL_GENERATIONS || atBound >= GROW_EVERY) && oracle.epsilon === undefined && bound < maxBound) {
      // Stuck at this bound: allow larger perturbations and re-score everyone under it.
      bound = Math.min(bound * GROWTH, maxBound);
      fitness = await evaluate(population);
      if (oracle.succeeded) return;
      best = Math.max(...fitness);
      stalled = 0;
      atBound = 0;
    }
  }
}

// The loops below live in functions of their own, not in the attack's async body: V8 then
// optimises them alone instead of recompiling the whole attack each time it reaches code it
// had not seen run (which cost about a second of compiler time per probe).

/** original + scale * g, clipped to [0,1], written into out. */
function imageOf(original: Float32Array, g: Int8Array, scale: number, out: Float32Array): Float32Array {
  for (let i = 0; i < original.length; i++) {
    const v = original[i] + scale * g[i];
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return out;
}

/** A random sign pattern, padded to whole 32-bit words: crossover works on four genes at a time (padding genes are never read). */
function randomGenes(d: number, rng: AttackContext['rng']): Int8Array {
  const g = new Int8Array(Math.ceil(d / 32) * 32);
  for (let i = 0; i < d; i++) g[i] = rng.next() < 0.5 ? -1 : 1;
  return g;
}

/**
 * Crossover at rate 1/2: one random bit per gene, 32 genes per draw; each 4 bits pick which
 * bytes of a 32-bit word of four genes the loser takes from the winner.
 */
function crossOver(winner: Int8Array, loser: Int8Array, rng: AttackContext['rng']): void {
  const gw = new Int32Array(winner.buffer);
  const gl = new Int32Array(loser.buffer);
  for (let word = 0; word < gl.length; word += 8) {
    const bits = rng.uint32();
    for (let q = 0; q < 8; q++) {
      const mask = BYTE_MASKS[(bits >>> (4 * q)) & 15];
      gl[word + q] = (gl[word + q] & ~mask) | (gw[word + q] & mask);
    }
  }
}

/** Mutation: jump from one flipped gene to the next with geometric gaps. */
function mutate(genes: Int8Array, d: number, rate: number, rng: AttackContext['rng']): void {
  for (let i = geometric(rng, rate); i < d; i += 1 + geometric(rng, rate)) genes[i] = -genes[i];
}

/** Failures before the first success in Bernoulli(p) trials. */
function geometric(rng: AttackContext['rng'], p: number): number {
  return Math.floor(Math.log(1 - rng.next()) / Math.log(1 - p));
}
