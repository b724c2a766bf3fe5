// The loader registry: one table of every known model loader and all that is known per
// loader. Adding a loader is adding an entry here: the scanner reads the call shape, where
// the id sits, how the library rewrites bare ids and whether the call can pin a revision;
// the rules read whether it loads weights and honours `use_safetensors` (see loaderFacts).
import { MORE_LOADERS } from './loaders-more';
import { SENTENCE_TRANSFORMERS_PLAIN_IDS } from './sentence-transformers-ids';

/** Libraries whose `X.from_pretrained(...)` fetches from the Hugging Face Hub. */
export const HUB_LIBRARIES: readonly string[] = [
  'transformers',
  'diffusers',
  'sentence_transformers',
  'peft',
  'optimum',
  'setfit',
  'trl',
  'huggingface_hub',
  // GLiNER and SpanMarker models are PyTorchModelHubMixin / PreTrainedModel subclasses.
  'gliner',
  'span_marker',
];

export interface IdArgument {
  /** Zero-based positional index of the id. */
  position: number;
  /** Keyword names the id may be passed as. */
  keywords: readonly string[];
}

interface LoaderBase {
  /** Loader name reported in references, e.g. "transformers.pipeline". */
  name: string;
  id: IdArgument;
  /** Keyword that pins a revision; absent when the loader has no way to pin. */
  revisionKeyword?: string;
  /** Captured options that may also be passed by position, e.g. hf_hub_download's filename. */
  positionalOptions?: Readonly<Record<string, number>>;
  /** Keyword whose resolved value, when not "model", means the call is not a model load. */
  repoTypeKeyword?: string;
  /**
   * Which strings name a Hub model for this loader, the Hub id in the first group (e.g.
   * `/^hf[-_]hub:(.+)$/` for libraries that take other names too); absent: every string may.
   */
  idPattern?: RegExp;
  /** How the library rewrites an id before it asks the Hub (sentence-transformers' bare names). */
  idPrefix?: IdPrefixRule;
  /** Libraries whose load through this entry honours `use_safetensors=True`. */
  useSafetensors?: readonly string[];
  /** Receivers (as imported) that load no weights: tokenizers, processors, configs. */
  noWeights?: RegExp;
  /** False when the call reads no weight files at all (remote inference, metadata, a tokenizer). */
  weights?: false;
  /** False when the weight files it reads are never pickle (GGUF, Keras, safetensors only). */
  pickle?: false;
  /** Substring that must be in a file for this loader to be looked for (default: the method or function name). */
  hint?: string;
  /** Where the call shape was checked (library docs or source). */
  source?: string;
}

/** A namespace the library puts in front of ids without one, except for its list of plain ids. */
export interface IdPrefixRule {
  namespace: string;
  /** Ids the library loads as written (compared lower-cased, as the library does). */
  except: ReadonlySet<string>;
}

/** `Receiver.method(...)` where the receiver comes from one of `libraries`. */
export interface MethodLoader extends LoaderBase {
  kind: 'method';
  method: string;
  libraries: readonly string[];
  /** Only receivers whose imported name matches (e.g. PeftModel). */
  receiver?: RegExp;
}

/** `function(...)` imported from `library` (directly or as `library.function`). */
export interface FunctionLoader extends LoaderBase {
  kind: 'function';
  library: string;
  function: string;
}

export type LoaderSpec = MethodLoader | FunctionLoader;

const PIN = 'revision';

/** sentence-transformers: `SentenceTransformer("all-MiniLM-L6-v2")` loads `sentence-transformers/all-MiniLM-L6-v2`. */
const SENTENCE_TRANSFORMERS_PREFIX: IdPrefixRule = { namespace: 'sentence-transformers', except: SENTENCE_TRANSFORMERS_PLAIN_IDS };

/** Classes whose from_pretrained reads no weight files. */
const NO_WEIGHTS = /(Tokenizer|Processor|Config|FeatureExtractor|GenerationConfig)\w*$/;

/** Ordered: the first matching entry wins, so specific shapes come before general ones. */
export const LOADERS: readonly LoaderSpec[] = [
  {
    kind: 'method',
    name: 'peft.from_pretrained',
    method: 'from_pretrained',
    libraries: ['peft'],
    receiver: /(^|\.)PeftModel\w*$/,
    id: { position: 1, keywords: ['model_id'] },
    revisionKeyword: PIN,
  },
  {
    // unsloth's loader names the id `model_name` (FastLanguageModel, FastModel, FastVisionModel).
    kind: 'method',
    name: 'unsloth.from_pretrained',
    method: 'from_pretrained',
    libraries: ['unsloth'],
    id: { position: 0, keywords: ['model_name'] },
    revisionKeyword: PIN,
    source: 'unsloth/models/loader.py FastLanguageModel.from_pretrained(model_name=..., revision=None, ...)',
  },
  {
    // GGUF files from a repository: no revision argument, never pickle.
    kind: 'method',
    name: 'llama_cpp.from_pretrained',
    method: 'from_pretrained',
    libraries: ['llama_cpp'],
    receiver: /(^|\.)Llama$/,
    id: { position: 0, keywords: ['repo_id'] },
    positionalOptions: { filename: 1 },
    pickle: false,
    source: 'llama_cpp/llama.py Llama.from_pretrained(repo_id, filename=None, additional_files=None, local_dir=None, ...)',
  },
  {
    kind: 'method',
    name: 'from_pretrained',
    method: 'from_pretrained',
    libraries: HUB_LIBRARIES,
    id: { position: 0, keywords: ['pretrained_model_name_or_path', 'model_name_or_path', 'model_id'] },
    revisionKeyword: PIN,
    useSafetensors: ['transformers', 'diffusers'],
    noWeights: NO_WEIGHTS,
  },
  {
    kind: 'function',
    name: 'transformers.pipeline',
    library: 'transformers',
    function: 'pipeline',
    id: { position: 1, keywords: ['model'] },
    revisionKeyword: PIN,
  },
  {
    kind: 'function',
    name: 'sentence_transformers.SentenceTransformer',
    library: 'sentence_transformers',
    function: 'SentenceTransformer',
    id: { position: 0, keywords: ['model_name_or_path'] },
    revisionKeyword: PIN,
    idPrefix: SENTENCE_TRANSFORMERS_PREFIX,
  },
  {
    // A subclass of SentenceTransformer: the same bare-name rule, the same namespace.
    kind: 'function',
    name: 'sentence_transformers.SparseEncoder',
    library: 'sentence_transformers',
    function: 'SparseEncoder',
    id: { position: 0, keywords: ['model_name_or_path'] },
    revisionKeyword: PIN,
    idPrefix: SENTENCE_TRANSFORMERS_PREFIX,
  },
  {
    // Passes the id to transformers' Auto classes as written: no prefix for bare names.
    kind: 'function',
    name: 'sentence_transformers.CrossEncoder',
    library: 'sentence_transformers',
    function: 'CrossEncoder',
    id: { position: 0, keywords: ['model_name_or_path', 'model_name'] },
    revisionKeyword: PIN,
  },
  {
    kind: 'function',
    name: 'huggingface_hub.hf_hub_download',
    library: 'huggingface_hub',
    function: 'hf_hub_download',
    id: { position: 0, keywords: ['repo_id'] },
    positionalOptions: { filename: 1, subfolder: 2 },
    revisionKeyword: PIN,
    repoTypeKeyword: 'repo_type',
  },
  {
    kind: 'function',
    name: 'huggingface_hub.snapshot_download',
    library: 'huggingface_hub',
    function: 'snapshot_download',
    id: { position: 0, keywords: ['repo_id'] },
    revisionKeyword: PIN,
    repoTypeKeyword: 'repo_type',
  },
  ...MORE_LOADERS(),
];

/** Keyword arguments captured for the rules. */
export const CAPTURED_OPTIONS: readonly string[] = [
  'trust_remote_code',
  'use_safetensors',
  'token',
  'use_auth_token',
  'local_files_only',
  'subfolder',
  'filename',
];

/** Cheap substring test that decides whether a file is worth parsing at all. */
export const LOADER_HINTS: readonly string[] = [
  ...new Set(LOADERS.map((loader) => loader.hint ?? (loader.kind === 'method' ? loader.method : loader.function))),
];

/** The Hub id part of a string the loader takes, or undefined when the string names no Hub model for it. */
export function hubPart(loader: LoaderSpec, written: string): string | undefined {
  if (!loader.idPattern) return written;
  const match = loader.idPattern.exec(written);
  return match ? (match[1] ?? match[0]) : undefined;
}

/** The id the library requests for `written`: a bare name gets the loader's namespace unless it is a plain id. */
export function requestedId(loader: LoaderSpec, written: string): string {
  const rule = loader.idPrefix;
  if (!rule || written.includes('/') || rule.except.has(written.toLowerCase())) return written;
  return `${rule.namespace}/${written}`;
}

/** The registry entry a reference came from (references name `<library>.from_pretrained`, not the entry). */
export function loaderOf(reference: { loader: string; library: string }): LoaderSpec | undefined {
  return LOADERS.find((loader) => loader.name === reference.loader) ?? LOADERS.find((loader) => loader.name === 'from_pretrained' && reference.loader === `${reference.library}.from_pretrained`);
}

/** What the rules may ask about the loader behind a reference. */
export interface LoaderFacts {
  /** The call reads weight files (not a tokenizer, processor or config). */
  loadsWeights: boolean;
  /** Passing `use_safetensors=True` keeps the load away from pickle files. */
  honoursUseSafetensors: boolean;
}

/** True when the weights the call reads may be pickle files (false for GGUF, Keras, remote inference). */
export function loadsPickle(reference: { loader: string; library: string; receiver?: string }): boolean {
  return loaderFacts(reference).loadsWeights && loaderOf(reference)?.pickle !== false;
}

export function loaderFacts(reference: { loader: string; library: string; receiver?: string }): LoaderFacts {
  const loader = loaderOf(reference);
  // Loads outside this table (JavaScript, shell, configs) read no pickle files through Python.
  if (!loader) return { loadsWeights: false, honoursUseSafetensors: false };
  const loadsWeights = loader.weights !== false && !loader.noWeights?.test(reference.receiver ?? '');
  return { loadsWeights, honoursUseSafetensors: loadsWeights && !!loader?.useSafetensors?.includes(reference.library) };
}
