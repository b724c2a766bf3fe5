// Public entry points of the robustness engine: black-box attacks and preprocessing defences.
import type { AttackName, AttackOptions, AttackResult, BatchClassifier, DefenseSpec } from './types';

export type { AttackName, AttackOptions, AttackResult, BatchClassifier, DefenseSpec, Norm } from './types';

export function runAttack(
  name: AttackName,
  model: BatchClassifier,
  image: Float32Array,
  label: number,
  options: AttackOptions,
): Promise<AttackResult> {
  void name; void model; void image; void label; void options;
  return Promise.reject(new Error('runAttack: not implemented yet'));
}

/** Runs one attack on many images at once; their queries are merged into large batches (batching across images as well as within the attack). */
export function runAttackOnImages(
  name: AttackName,
  model: BatchClassifier,
  images: readonly Float32Array[],
  labels: readonly number[],
  options: AttackOptions & { targets?: readonly (number | undefined)[]; maxBatch?: number },
): Promise<AttackResult[]> {
  void name; void model; void images; void labels; void options;
  return Promise.reject(new Error('runAttackOnImages: not implemented yet'));
}

/** The defence applied in front of the model at query time: the attacker sees the defended model. */
export function defended(model: BatchClassifier, defense: DefenseSpec): BatchClassifier {
  void defense;
  return model;
}

export function applyDefense(image: Float32Array, shape: readonly [number, number, number], defense: DefenseSpec): Float32Array {
  void shape; void defense;
  return image;
}

/** 'none' | 'bit-depth:BITS' | 'median:K' | 'jpeg:QUALITY'; a clear Error otherwise. */
export function parseDefense(text: string): DefenseSpec {
  void text;
  return { kind: 'none' };
}
