// What each component category of the naming study stands for, in the words surfaces show.
import type { NameCategory } from './parse-name';

export const CATEGORY_NAMES: Readonly<Record<NameCategory, string>> = {
  A: 'architecture',
  S: 'size',
  P: 'parameter count',
  D: 'dataset',
  C: 'data or input characteristic',
  V: 'version',
  F: 'reuse method',
  L: 'language',
  T: 'task',
  R: 'training process',
  N: 'layers',
  H: 'heads',
  W: 'framework or format',
  M: 'company or brand',
  O: 'other',
};

export const CATEGORIES = Object.keys(CATEGORY_NAMES) as NameCategory[];
