// The contract between the attack/defence engine and its callers (the probe CLI, the
// report, the tests). Plain data and one interface; nothing here depends on onnxruntime.

/** A classifier the attacks query. Images are CHW Float32Array in [0,1] pixel space (before any normalisation). */
export interface BatchClassifier {
  readonly classes: number;
  readonly shape: readonly [channels: number, height: number, width: number];
  /** One score vector (logits or probabilities) per image, same order. Callers count queries; one image = one query. */
  predict(images: readonly Float32Array[], signal?: AbortSignal): Promise<Float32Array[]>;
}

export type AttackName = 'simba' | 'simba-dct' | 'hopskipjump' | 'boundary' | 'mga';

export type Norm = 'l2' | 'linf';

export interface AttackOptions {
  norm: Norm;
  targeted: boolean;
  /** target class when targeted */
  target?: number;
  /** query budget per image */
  queries: number;
  /** success bound in the chosen norm, optional */
  epsilon?: number;
  seed: number;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export interface AttackResult {
  success: boolean;
  adversarial?: Float32Array;
  adversarialLabel?: number;
  l2: number;
  linf: number;
  queries: number;
}

export type DefenseSpec =
  | { kind: 'none' }
  | { kind: 'bit-depth'; bits: number }
  | { kind: 'median'; size: number }
  | { kind: 'jpeg'; quality: number };
