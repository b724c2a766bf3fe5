// The table of known model loaders. Adding a loader is adding an entry here: the
// scanner reads the call shape, where the id sits, and whether the call can pin a revision.

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
    kind: 'method',
    name: 'from_pretrained',
    method: 'from_pretrained',
    libraries: HUB_LIBRARIES,
    id: { position: 0, keywords: ['pretrained_model_name_or_path', 'model_name_or_path', 'model_id'] },
    revisionKeyword: PIN,
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
  },
  {
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
  ...new Set(LOADERS.map((loader) => (loader.kind === 'method' ? loader.method : loader.function))),
];
