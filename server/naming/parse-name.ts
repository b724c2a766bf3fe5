// Splits a Hub model name into the naming study's components (docs/naming.md): rule-based,
// over word lists (./vocabulary) and the shapes numbers take in names.
import {
  ARCHITECTURES,
  DATASETS,
  LANGUAGE_CODES,
  LETTER_SIZES,
  LONGEST_PHRASE,
  normalizeWord,
  PHRASES,
  VISION_DEPTH_ARCHITECTURES,
  WORDS_BY_CATEGORY,
} from './vocabulary';

/**
 * A architecture, S size (also billion-scale counts), P parameters at million scale, D dataset,
 * C dataset or input characteristic, V version, F reuse method, L language, T task, R training
 * process, N layers, H heads, W framework or format, M company or brand, O other.
 */
export type NameCategory = 'A' | 'S' | 'P' | 'D' | 'C' | 'V' | 'F' | 'L' | 'T' | 'R' | 'N' | 'H' | 'W' | 'M' | 'O';

export interface NameComponent {
  /** As written in the name (case and inner separators kept). */
  text: string;
  category: NameCategory;
  /** Offsets into the name part (after "owner/"), end exclusive. */
  start: number;
  end: number;
  /**
   * Set on an A that no word list knows: the study labels a model's own name (Synthia-70B) as
   * its architecture, but such a component claims no known architecture.
   */
  inferred?: boolean;
}

export interface ParsedName {
  modelId: string;
  owner?: string;
  name: string;
  components: NameComponent[];
}

/** Longest name part the parser reads; the Hub allows 96 characters, this leaves room. */
export const MAX_NAME_LENGTH = 256;

interface Token {
  text: string;
  start: number;
  end: number;
}

/** Letters and digits, with a dot kept inside a number (v0.1, 3.1, 1.5B, Qwen2.5). */
const TOKEN = /(?:[\p{L}\p{N}]|(?<=\p{N})\.(?=\p{N}))+/gu;

function tokenize(name: string): Token[] {
  return [...name.matchAll(TOKEN)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/** The category a component's text has on its own shape, whatever words surround it. */
function shapeCategory(text: string): NameCategory | undefined {
  const t = text.toLowerCase();
  if (/^\d+(\.\d+)?x\d+(\.\d+)?[bt]$/.test(t)) return 'S'; // 8x7b: experts x size
  if (/^\d+(\.\d+)?[bt]$/.test(t) || /^\d+b\d+$/.test(t)) return 'S'; // 7b, 1.5b, 7b1: billion-scale counts are sizes
  if (/^a\d+(\.\d+)?b$/.test(t)) return 'S'; // a3b: active parameters of a mixture
  if (/^\d+(\.\d+)?m$/.test(t)) return 'P'; // 125m
  if (/^\d+(\.\d+)?k$/.test(t)) return 'C'; // 8k, 128k context or data size
  if (/^v\d+(\.\d+)*[a-z]?$/.test(t)) return 'V';
  if (/^\d+\.\d+(\.\d+)*$/.test(t)) return 'V';
  if (/^r\d{1,2}(\.\d+)?$/.test(t)) return 'V';
  if (/^i\d$/.test(t)) return 'V'; // imatrix quant generation (i1)
  if (/^l-?\d+$/.test(t)) return 'N';
  if (/^h-?\d+$/.test(t) || /^a-\d+$/.test(t)) return 'H'; // A-12 (heads in BERT miniatures); a1 is a timm recipe
  if (/^(patch|window)-?\d+$/.test(t)) return 'C';
  if (/^\d+k?hz$/.test(t) || /^\d+h$/.test(t)) return 'C'; // 24khz sampling rate, 960h of audio
  if (/^v\d+[-_]\d+$/.test(t)) return 'V'; // v1-5, v1_1
  if (/^\d+-?px$/.test(t) || /^\d+x\d+$/.test(t) || /^r\d{3,4}$/.test(t)) return 'C'; // r384: input resolution
  if (/^(\d{2,4})-\1$/.test(t)) return 'C'; // 512-512: an image size
  if (/^\d-\d$/.test(t)) return 'V'; // 2-1: a version written with a dash
  if (/^\d+l$/.test(t)) return 'N'; // TinyBERT_General_4L_312D
  if (/^\d+d$/.test(t) || /^\d+x\d+d$/.test(t)) return 'C'; // 312D hidden width, 32x4d cardinality
  if (/^(fp|bf|int|uint|f|nf|mxfp)\d+$/.test(t) || /^\d+-?bits?$/.test(t) || /^w\d+a\d+$/.test(t) || /^q\d(-k)?(-[a-z0-9]+)*$/.test(t) || /^iq\d(-[a-z]+)*$/.test(t)) return 'C';
  if (/^\d+(\.\d+)?bpw$/.test(t)) return 'C';
  if (/^in\d+k$/.test(t) || /^in\d+k?ft\d+k$/.test(t)) return 'D';
  return undefined;
}

const IMAGE_SIZES = new Set([32, 64, 96, 112, 128, 160, 176, 192, 224, 240, 256, 260, 288, 299, 300, 320, 336, 352, 380, 384, 416, 448, 456, 480, 512, 518, 528, 560, 576, 600, 640, 768, 800, 896, 1024, 1280, 1536, 2048]);

function wordCategory(norm: string): NameCategory | undefined {
  for (const [category, words] of WORDS_BY_CATEGORY) if (words.has(norm)) return category;
  if (LANGUAGE_CODES.has(norm)) return 'L';
  return undefined;
}

/**
 * Splits a token glued from a known word and a number ("Llama3", "resnet50", "Qwen2.5") unless
 * the whole token is itself a known word ("qwen2", "gpt2", "t5").
 */
function splitGlued(token: Token): Token[] {
  const norm = normalizeWord(token.text);
  if (wordCategory(norm) || shapeCategory(token.text)) return [token];
  const m = /^(\p{L}+?)(\d+(?:\.\d+)*)$/u.exec(token.text);
  if (m && ARCHITECTURES.has(m[1].toLowerCase()) && m[1].length > 1) {
    const cut = token.start + m[1].length;
    return [{ text: m[1], start: token.start, end: cut }, { text: m[2], start: cut, end: token.end }];
  }
  // mistral7b, llama2-7b written together: a known word then a size.
  const s = /^(\p{L}+\d*?)(\d+(?:\.\d+)?[bBmM])$/u.exec(token.text);
  if (s && ARCHITECTURES.has(normalizeWord(s[1]))) {
    const cut = token.start + s[1].length;
    return [...splitGlued({ text: s[1], start: token.start, end: cut }), { text: s[2], start: cut, end: token.end }];
  }
  return [token];
}

/** Joins word runs that form one phrase of a word list ("xlm-roberta", "fine-tuned", "q4_k_m"). */
function joinPhrases(name: string, tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    let joined: Token | undefined;
    for (let n = Math.min(LONGEST_PHRASE, tokens.length - i); n >= 2 && !joined; n--) {
      const run = tokens.slice(i, i + n);
      const text = name.slice(run[0].start, run[n - 1].end);
      // Only separators between the words: "bert-base" never joins across a word.
      if (!/^[\p{L}\p{N}.]+(?:[-_. ][\p{L}\p{N}.]+)*$/u.test(text)) continue;
      const norm = normalizeWord(text);
      if (PHRASES.has(norm) || (n === 2 && isJoinedShape(run, out[out.length - 1]))) joined = { text, start: run[0].start, end: run[n - 1].end };
    }
    if (joined) {
      out.push(joined);
      i += name.slice(joined.start, joined.end).match(TOKEN)!.length;
    } else out.push(tokens[i++]);
  }
  return out;
}

/**
 * Two tokens that one shape reads together: L-12, H-768, A-12, patch-16, 4-bit, v1-5, v1_1,
 * 512-512 (an image size), 2-1 (a version written with a dash: stable-diffusion-2-1).
 */
function isJoinedShape(run: Token[], previous: Token | undefined): boolean {
  const [a, b] = run.map((t) => t.text.toLowerCase());
  if (/^\d+$/.test(a) && (b === 'bit' || b === 'bits')) return true;
  if (!/^\d+$/.test(b)) return false;
  if (/^(l|h|a|patch|window)$/.test(a)) return true;
  if (/^v\d+$/.test(a) && b.length <= 2) return true;
  if (/^\d+$/.test(a) && a === b && IMAGE_SIZES.has(Number(a))) return true;
  // A dashed version only right after an architecture word, both parts one digit.
  return /^\d$/.test(a) && /^\d$/.test(b) && previous !== undefined && ARCHITECTURES.has(normalizeWord(previous.text));
}

/** The id's name part and owner; an id without "/" is a name alone (legacy ids such as gpt2). */
export function splitModelId(modelId: string): { owner?: string; name: string } {
  const slash = modelId.indexOf('/');
  return slash < 0 ? { name: modelId } : { owner: modelId.slice(0, slash), name: modelId.slice(slash + 1) };
}

export function parseModelName(modelId: string): ParsedName {
  const { owner, name } = splitModelId(modelId);
  const parsed: ParsedName = { modelId, ...(owner !== undefined ? { owner } : {}), name, components: [] };
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return parsed;
  const tokens = joinPhrases(name, tokenize(name).flatMap(splitGlued));
  const components: NameComponent[] = tokens.map((t) => ({ text: t.text, category: 'O', start: t.start, end: t.end }));
  components.forEach((c, i) => (c.category = classify(components, i)));
  inferOwnName(components);
  parsed.components = components;
  return parsed;
}

function classify(components: NameComponent[], i: number): NameCategory {
  const { text } = components[i];
  const previous = i > 0 ? components[i - 1] : undefined;
  const next = components[i + 1];
  const norm = normalizeWord(text);
  const lower = text.toLowerCase();
  const afterArchitecture = previous?.category === 'A';
  // "L3-8B", "MythoMax-L2-13b": L<n> followed by a billion-scale size names Llama <n> (the
  // study labels it A); layer counts are not followed by a size.
  if (/^l\d(\.\d)?$/.test(lower) && next && /^(\d+(\.\d+)?|\d+x\d+)[bB]$/.test(next.text)) return 'A';
  const shaped = shapeCategory(text);
  if (shaped) return shaped;
  if (/^\d+$/.test(text)) return numberCategory(Number(text), text, previous);
  // One-letter sizes right after the architecture (vit_b_16), or t-shirt sizes ending the name (arctic-embed-l).
  if (LETTER_SIZES.has(lower) && (afterArchitecture || (!next && /^(s|m|l|xs|xl)$/.test(lower)))) return 'S';
  // Letter-and-number sizes of vision families: efficientnet-b0, fastvit_s12, vit-h14.
  if (/^[bsml]\d{1,2}$/.test(lower) && afterArchitecture) return 'S';
  let category = wordCategory(norm);
  // "it" after a size is the instruction-tuned tag (gemma-2-9b-it); elsewhere it is Italian.
  if (lower === 'it' && category === 'T' && !components.slice(0, i).some((c) => c.category === 'S' || c.category === 'P')) category = 'L';
  // A word that names an architecture and a dataset (guanaco, alpaca) is the data once an architecture came before.
  if (category === 'A' && DATASETS.has(norm) && components.slice(0, i).some((c) => c.category === 'A')) category = 'D';
  return category ?? 'O';
}

function numberCategory(value: number, text: string, previous: NameComponent | undefined): NameCategory {
  if (previous?.category === 'A') {
    // resnet-50, vgg16: depth variants are sizes; elsewhere a number after the architecture is its version.
    if (VISION_DEPTH_ARCHITECTURES.has(normalizeWord(previous.text))) return 'S';
    // regnety_040, lcnet_050: a zero-led code after a vision family is its width variant.
    if (/^0\d+$/.test(text)) return 'S';
    if (IMAGE_SIZES.has(value) && value >= 128) return 'C';
    // longformer-base-4096: a power of two this large is a context length, not a version.
    if (value >= 512 && (value & (value - 1)) === 0) return 'C';
    return 'V';
  }
  if (IMAGE_SIZES.has(value) && value >= 96) return 'C';
  // Release dates (2407, 0613, 20240101) version a model.
  if (/^(19|20)\d\d(\d\d){0,2}$/.test(text) || /^[0-3]\d[01]\d$/.test(text)) return 'V';
  if (previous?.category === 'V') return 'V';
  // A small number after a word versions it (Llama-Guard-3, sqlcoder-7b-2); larger ones are counts.
  if (previous && !/^\d+$/.test(previous.text) && value <= 20) return 'V';
  return 'O';
}

/**
 * A name that names no known architecture still usually starts with the model's own name
 * ("Synthia-70B-v1.1"): the study labels that word A. Marked `inferred` so no rule reads it as a
 * claim of a real architecture.
 */
function inferOwnName(components: NameComponent[]): void {
  if (components.some((c) => c.category === 'A')) return;
  const first = components.findIndex((c) => c.category !== 'M');
  const candidate = components[first];
  if (!candidate || candidate.category !== 'O' || !/^\p{L}[\p{L}\p{N}]*$/u.test(candidate.text) || candidate.text.length < 3) return;
  const rest = components.slice(first + 1);
  if (!rest.some((c) => c.category === 'S' || c.category === 'P' || c.category === 'V')) return;
  candidate.category = 'A';
  candidate.inferred = true;
}
