// What every attack receives: the counting oracle, its own seeded randomness, the image shape.
import type { Oracle } from '../oracle';
import type { Rng } from '../rng';

export interface AttackContext {
  oracle: Oracle;
  rng: Rng;
  shape: readonly [number, number, number];
  /** Candidate starting points for the decision-based attacks, tried before random noise. */
  starts?: readonly Float32Array[];
}

export type Attack = (ctx: AttackContext) => Promise<void>;
