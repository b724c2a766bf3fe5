// Finds model ids in YAML, JSON and TOML configs (axolotl, LLaMA-Factory, HF training
// arguments): values of the keys below, only where the value has the Hub's `owner/name`
// shape. A false error is the worst outcome here, so everything else is left alone: paths,
// URLs, bare names, file names, other providers' model names (`openai/gpt-4o` under `model`).
import { isPair, isScalar, LineCounter, parseAllDocuments, visit, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { ArgumentValue, Language, ModelReference, Span } from '../core/types';
import { looksLikeHubId } from './config-model-id';
import type { ScanOptions } from './python';

// smol-toml ships CommonJS with ESM-only type declarations (as in server/config/toml.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parseToml: (text: string) => unknown = require('smol-toml').parse;

/**
 * Keys whose value the training tools hand to `from_pretrained`: HF training arguments,
 * axolotl, LLaMA-Factory (`adapter_name_or_path`), open_clip model configs (`hf_model_name`,
 * `hf_tokenizer_name`). `hub_model_id` is where a run is pushed, not a load: not read.
 */
export const MODEL_KEYS = new Set([
  'model_name_or_path', 'pretrained_model_name_or_path', 'base_model', 'model_id', 'model', 'tokenizer_name', 'tokenizer_name_or_path',
  'adapter_name_or_path', 'hf_model_name', 'hf_tokenizer_name',
]);
/**
 * `repo_id` names a model only inside a mapping that says it is loaded from the Hub: the
 * llama-cpp-python server's `from_pretrained: {repo_id, filename}` (and `mmproj_from_pretrained`).
 * Elsewhere `repo_id` is as often a dataset or a push target.
 */
const FROM_PRETRAINED_PARENT = /(?:^|_)from_pretrained$/;
/** Keys beside a model key that pin its revision (HF ModelArguments, LLaMA-Factory, axolotl). */
export const REVISION_KEYS = ['revision', 'model_revision', 'revision_of_model'];
/** Configs larger than this are data, not configuration: not read. */
export const MAX_CONFIG_CHARS = 1_000_000;


/** JSON files that are tooling, not model configuration. */
const NOT_CONFIG_JSON = /^(?:package(?:-lock)?|npm-shrinkwrap|composer|bower|lerna|turbo|nx|deno|biome|renovate|app|manifest|settings|launch|tasks|extensions|devcontainer|tokenizer|tokenizer_config|vocab|special_tokens_map|added_tokens|\.eslintrc|\.prettierrc|\.babelrc|[tj]sconfig(?:\..*)?|.*\.schema)\.json$/i;

/** Which .json files are configs: not tooling files (see NOT_CONFIG_JSON) and not under .vscode. */
export function isConfigJson(path: string): boolean {
  const parts = path.split(/[\\/]/);
  return path.toLowerCase().endsWith('.json') && !parts.includes('.vscode') && !NOT_CONFIG_JSON.test(parts[parts.length - 1]);
}

/** Which .toml files are read: not PTM Lens' own config, not Rust manifests. */
export function isConfigToml(path: string): boolean {
  return /\.toml$/i.test(path) && !/(?:^|[\\/])(?:ptm-lens|Cargo)\.toml$/i.test(path);
}

/** Which .yaml/.yml files are read: every one but lockfiles. */
export function isConfigYaml(path: string): boolean {
  return /\.ya?ml$/i.test(path) && !/(?:^|[\\/])pnpm-lock\.yaml$/i.test(path);
}

interface Entry {
  key: string;
  value: unknown;
  span: Span;
  /** The whole `key: value` entry. */
  entrySpan: Span;
  text: string;
}

/** YAML or JSON (JSON read through the YAML parser for its positions, after JSON.parse accepts it). */
export function scanYamlOrJson(text: string, language: Language, options: ScanOptions = {}): ModelReference[] {
  if (text.length > MAX_CONFIG_CHARS || !mentionsModelKey(text)) return [];
  if (language === 'json') {
    try {
      JSON.parse(text);
    } catch {
      return []; // not JSON (JSON with comments, a template): nothing is certain
    }
  }
  const out: ModelReference[] = [];
  let documents;
  try {
    documents = parseAllDocuments(text, { uniqueKeys: false, lineCounter: new LineCounter() });
  } catch {
    return [];
  }
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    if (document.errors.length) continue;
    visit(document, {
      Map(_, map, path) {
        const entries = (map as YAMLMap).items.map((pair) => yamlEntry(text, pair)).filter((e): e is Entry => !!e);
        out.push(...referencesIn(entries, language, options, parentKey(path)));
      },
    });
  }
  return out.sort((a, b) => a.idSpan.start - b.idSpan.start);
}

/** The key a map is the value of (`from_pretrained` in `from_pretrained: {repo_id: ...}`). */
function parentKey(path: readonly unknown[]): string | undefined {
  const parent = path[path.length - 1];
  if (!isPair(parent) || !isScalar(parent.key)) return undefined;
  const key = (parent.key as Scalar).value;
  return typeof key === 'string' ? key : undefined;
}

function yamlEntry(text: string, pair: Pair): Entry | undefined {
  if (!isScalar(pair.key) || !isScalar(pair.value)) return undefined;
  const key = pair.key as Scalar;
  const value = pair.value as Scalar;
  if (!key.range || !value.range || typeof key.value !== 'string') return undefined;
  const span = { start: value.range[0], end: value.range[1] };
  return { key: key.value, value: value.value, span, entrySpan: { start: key.range[0], end: span.end }, text: text.slice(span.start, span.end) };
}

/** TOML: validated with smol-toml, then read line by line for `key = "value"` with its table. */
export function scanToml(text: string, language: Language, options: ScanOptions = {}): ModelReference[] {
  if (text.length > MAX_CONFIG_CHARS || !mentionsModelKey(text)) return [];
  try {
    parseToml(text);
  } catch {
    return [];
  }
  const tables = new Map<string, Entry[]>();
  let table = '';
  const line = /^[ \t]*(?:\[\[?[ \t]*([^\]\r\n]*?)[ \t]*\]\]?[ \t]*(?:#.*)?|(["']?)([\w.-]+)\2[ \t]*=[ \t]*("(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|true|false)[ \t]*(?:#.*)?)$/gm;
  for (let m = line.exec(text); m; m = line.exec(text)) {
    if (m[1] !== undefined) {
      table = `${m[1]}@${m.index}`; // each header starts its own table (arrays of tables too)
      continue;
    }
    const raw = m[4];
    const start = m.index + m[0].indexOf(raw, m[0].indexOf('=') + 1);
    const value = raw === 'true' ? true : raw === 'false' ? false : raw.startsWith("'") ? raw.slice(1, -1) : tomlBasicString(raw);
    if (value === undefined) continue;
    const entry = { key: m[3], value, span: { start, end: start + raw.length }, entrySpan: { start: m.index + m[0].indexOf(m[3]), end: start + raw.length }, text: raw };
    tables.set(table, [...(tables.get(table) ?? []), entry]);
  }
  // The table's last name is the parent key (`[model.from_pretrained]` -> from_pretrained).
  const lastName = (table: string) => table.slice(0, table.lastIndexOf('@')).split('.').pop()?.trim().replace(/^["']|["']$/g, '');
  return [...tables].flatMap(([table, entries]) => referencesIn(entries, language, options, lastName(table))).sort((a, b) => a.idSpan.start - b.idSpan.start);
}

function tomlBasicString(raw: string): string | undefined {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return undefined; // TOML escapes JSON lacks (\e, \UXXXXXXXX): not needed for ids
  }
}

function mentionsModelKey(text: string): boolean {
  return /model|tokenizer_name|adapter_name|from_pretrained/.test(text);
}

/** References among the entries of one mapping (a YAML/JSON object or a TOML table). */
function referencesIn(entries: Entry[], language: Language, options: ScanOptions, parent?: string): ModelReference[] {
  const out: ModelReference[] = [];
  const revisionEntry = entries.find((e) => REVISION_KEYS.includes(e.key) && (typeof e.value === 'string' || e.value === null));
  const trust = entries.find((e) => e.key === 'trust_remote_code' && typeof e.value === 'boolean');
  for (const entry of entries) {
    const modelKey = MODEL_KEYS.has(entry.key) || (entry.key === 'repo_id' && !!parent && FROM_PRETRAINED_PARENT.test(parent));
    if (!modelKey || typeof entry.value !== 'string') continue;
    const value = entry.value.trim();
    if (!looksLikeHubId(entry.key, value, options.isLocalPath)) continue;
    // A model key pins only itself: a tokenizer key beside it shares the revision only when it names the same model.
    const revision = revisionEntry && typeof revisionEntry.value === 'string' ? argument(revisionEntry) : undefined;
    out.push({
      modelId: value,
      loader: `config.${entry.key}`,
      library: 'config',
      language,
      idSpan: entry.span,
      callSpan: entry.entrySpan,
      argsEnd: entry.span.end,
      canPin: !!revision,
      revision,
      options: trust ? { trust_remote_code: argument(trust) } : {},
    });
  }
  return out;
}

function argument(entry: Entry): ArgumentValue {
  return { text: entry.text, span: entry.span, value: entry.value as string | boolean, resolved: true };
}
