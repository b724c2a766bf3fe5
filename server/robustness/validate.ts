// Checks an attack request up front so bad input gets one clear message, not a crash deep in an attack.
import type { AttackName, AttackOptions, BatchClassifier } from './types';

export const ATTACK_NAMES: readonly AttackName[] = ['simba', 'simba-dct', 'hopskipjump', 'boundary', 'mga'];

const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

export function checkModel(model: BatchClassifier): void {
  if (!model || typeof model.predict !== 'function') throw new Error('the classifier has no predict function');
  if (!isWhole(model.classes) || model.classes < 2) throw new Error(`the classifier must have at least 2 classes, not ${model.classes}`);
  const shape = model.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((n) => isWhole(n) && n > 0))
    throw new Error(`the classifier's input shape must be [channels, height, width] of positive whole numbers, not ${JSON.stringify(shape)}`);
}

export function checkOptions(name: AttackName, options: AttackOptions): void {
  if (!ATTACK_NAMES.includes(name)) throw new Error(`unknown attack "${name}": expected one of ${ATTACK_NAMES.join(', ')}`);
  if (!options || typeof options !== 'object') throw new Error('attack options are missing');
  if (options.norm !== 'l2' && options.norm !== 'linf') throw new Error(`norm must be "l2" or "linf", not ${JSON.stringify(options.norm)}`);
  if (!isWhole(options.queries) || options.queries < 1) throw new Error(`the query budget must be a whole number of at least 1, not ${options.queries}`);
  if (options.epsilon !== undefined && !(typeof options.epsilon === 'number' && Number.isFinite(options.epsilon) && options.epsilon > 0))
    throw new Error(`epsilon must be a positive number, not ${options.epsilon}`);
  if (!isWhole(options.seed)) throw new Error(`the seed must be a whole number, not ${options.seed}`);
}

export function checkImage(model: BatchClassifier, image: Float32Array, label: number, target: number | undefined, targeted: boolean, which = 'the image'): void {
  const [c, h, w] = model.shape;
  if (!(image instanceof Float32Array)) throw new Error(`${which} must be a Float32Array`);
  if (image.length !== c * h * w) throw new Error(`${which} has ${image.length} values; the model's input ${c}x${h}x${w} needs ${c * h * w}`);
  for (let i = 0; i < image.length; i++)
    if (!(image[i] >= 0 && image[i] <= 1)) throw new Error(`${which} has value ${image[i]} at ${i}; pixels must be in [0,1]`);
  if (!isWhole(label) || label < 0 || label >= model.classes) throw new Error(`label ${label} of ${which} is not a class of the model (0-${model.classes - 1})`);
  if (!targeted) return;
  if (target === undefined) throw new Error(`a targeted attack needs a target class for ${which}`);
  if (!isWhole(target) || target < 0 || target >= model.classes) throw new Error(`target ${target} of ${which} is not a class of the model (0-${model.classes - 1})`);
  if (target === label) throw new Error(`target ${target} of ${which} is its own label`);
}
