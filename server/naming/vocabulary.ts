// The word lists the name parser looks components up in, built once from the data files.
import hubTasks from './data/hub-tasks.json';
import languages from './data/languages.json';
import modelTypes from './data/model-types.json';
import vocabulary from './data/vocabulary.json';
import type { NameCategory } from './parse-name';

/** Lower case, every separator as '-': 'Flan_T5' and 'flan-t5' meet. */
export function normalizeWord(text: string): string {
  return text.toLowerCase().replace(/[-_. ]+/g, '-');
}

const set = (words: readonly string[]) => new Set(words.map(normalizeWord));

/** Model types known to transformers.js and to Python transformers, normalized. */
export const MODEL_TYPES = set([...modelTypes.modelTypes, ...modelTypes.pythonModelTypes]);

/**
 * Model types that are ordinary words or too short to claim an architecture on their own in a
 * name ("bit" in "4-bit", "dac", "git"): they count only through the curated list.
 */
const AMBIGUOUS_MODEL_TYPES = set([
  'bit', 'dac', 'git', 'mimi', 'snac', 'youtu', 'zaya', 'helium', 'hrm-text', 'ultravox', 'supertonic', 'sapiens', 'chmv2', 'metric3d', 'afmoe', 'mgp-str',
  'align', 'ctrl', 'dia', 'doge', 'csm', 'cwm', 'mra', 'mvp', 'sew', 'tvp', 'blt', 'bros', 'lilt', 'dots1', 'textnet', 'evolla', 'encoder-decoder',
]);

const CURATED_ARCHITECTURES = set(vocabulary.architectures);
export const ARCHITECTURES = new Set([...[...MODEL_TYPES].filter((t) => !AMBIGUOUS_MODEL_TYPES.has(t)), ...CURATED_ARCHITECTURES]);
/** Words that name an architecture and also a dataset ("guanaco", "alpaca", "orca"). */
export const DATASETS = set(vocabulary.datasets);
export const VISION_DEPTH_ARCHITECTURES = set(vocabulary.visionDepthArchitectures);

/** Two-letter codes that are ISO 639-1 languages but far more often something else in a name. */
const NOT_LANGUAGES = set(vocabulary.languageCodesNotLanguages);
export const LANGUAGE_CODES = new Set(languages.languages.map((l) => l.code).filter((c) => !NOT_LANGUAGES.has(c)));
export const LANGUAGE_WORDS = new Set([...set(vocabulary.languageWords), ...languages.languages.flatMap((l) => l.names).filter((n) => n.length > 3)]);

/** Hub task ids and subtask types ('text-classification', 'named-entity-recognition'). */
export const HUB_TASKS = set([...hubTasks.tasks, ...hubTasks.subtasks]);
/** GGUF quantization type names (q4_k_m, ...): a characteristic of the files. */
export const QUANT_TYPES = set(hubTasks.quantTypes);

/**
 * Word lists by category, in the order a word found in several is decided (a task word before
 * a language code: "it" in gemma-2-9b-it; "mt" in opus-mt).
 */
export const WORDS_BY_CATEGORY: ReadonlyArray<readonly [NameCategory, ReadonlySet<string>]> = [
  ['F', set(vocabulary.reuseMethods)],
  ['W', set(vocabulary.formats)],
  ['C', new Set([...set(vocabulary.characteristics), ...QUANT_TYPES])],
  ['S', set(vocabulary.sizes.filter((s) => s.length > 1))],
  ['V', set(vocabulary.versions)],
  ['A', ARCHITECTURES],
  ['T', new Set([...set(vocabulary.tasks), ...HUB_TASKS])],
  ['D', set(vocabulary.datasets)],
  ['R', set(vocabulary.trainingProcesses)],
  ['L', LANGUAGE_WORDS],
  ['M', set(vocabulary.brands)],
];

/** One-letter sizes (vit_b_16, yolov8-s): a size only right after an architecture. */
export const LETTER_SIZES = set(vocabulary.sizes.filter((s) => s.length === 1));

/**
 * A model type written in several words whose last word has a meaning of its own ("deepseek-v3",
 * "qwen2-vl", "qwen2-moe", "blenderbot-small") is not joined: the convention keeps the version,
 * task or size a component of its own.
 */
function endsInOwnWord(phrase: string): boolean {
  const last = phrase.slice(phrase.lastIndexOf('-') + 1);
  if (/^v?\d+(\.\d+)?$/.test(last) || last === 'v') return true;
  return WORDS_BY_CATEGORY.some(([category, words]) => category !== 'A' && words.has(last));
}

/** Every phrase of two or more words, so the parser knows which word runs to join. */
export const PHRASES: ReadonlySet<string> = new Set(
  WORDS_BY_CATEGORY.flatMap(([category, words]) =>
    [...words].filter((w) => w.includes('-') && !(category === 'A' && MODEL_TYPES.has(w) && !CURATED_ARCHITECTURES.has(w) && endsInOwnWord(w))),
  ),
);
export const LONGEST_PHRASE = Math.max(...[...PHRASES].map((p) => p.split('-').length));
