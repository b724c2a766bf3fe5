// The data that flows scan -> resolve -> rules -> surfaces. Plain data only, so the
// CLI, the language server and the tests all share it.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** Zero-based offsets into the scanned text (UTF-16 code units, like JS strings and LSP). */
export interface Span {
  start: number;
  end: number;
}

/** A value the code passes to a loader, as far as static reading can tell. */
export interface ArgumentValue {
  /** Source text of the argument expression. */
  text: string;
  span: Span;
  /** The constant value when it could be resolved (string, boolean, number or null). */
  value?: string | boolean | number | null;
  /** True when `value` is known. */
  resolved: boolean;
  /** Where a resolved value came from when it was not written at the call (e.g. "variable revision"). */
  source?: string;
}

/** The language of the file a reference sits in (JSON `language`; notebooks report python). */
export type Language = 'python' | 'javascript' | 'typescript' | 'shell' | 'yaml' | 'json' | 'toml' | 'dockerfile' | 'makefile';

export type UnresolvedReason = 'parameter' | 'attribute' | 'call' | 'loop' | 'subscript' | 'environment' | 'other';

export interface ModelReference {
  /**
   * The Hub id the library requests: as the code gives it, except where the library rewrites
   * it (sentence-transformers prefixes bare names); null when it cannot be resolved statically.
   */
  modelId: string | null;
  /** The id as the code writes it, when the library requests another one (see modelId). */
  writtenId?: string;
  /** Expression text when the id could not be resolved. */
  unresolved?: string;
  /** Why the id could not be resolved (JSON `unresolvedReason`). */
  unresolvedReason?: UnresolvedReason;
  /** Where a resolved id came from when it was not a literal at the call (e.g. "constant MODEL_NAME"). */
  idSource?: string;
  /**
   * True when the resolved id is only a default that another value replaces at run time
   * (argparse or dataclass default, parameter default, environment variable default).
   */
  idOverridable?: boolean;
  /** Unresolved ids only: the expression reads as a local path (`ckpt_dir`, `args.output_dir`). */
  likelyPath?: boolean;
  /** Loader name from the loader table, e.g. "transformers.from_pretrained". */
  loader: string;
  /** Library the call was imported from. */
  library: string;
  /** For `Receiver.from_pretrained(...)`: the receiver as imported (e.g. "AutoTokenizer"). */
  receiver?: string;
  language: Language;
  /** Range of the id argument. */
  idSpan: Span;
  /** Range of the whole call expression. */
  callSpan: Span;
  /** Offset just after the last argument (where a new keyword argument goes). */
  argsEnd: number;
  /**
   * Other languages than Python: how the pin fix adds a revision where the call has none
   * (`prefix` + quoted sha + `suffix` inserted at `offset`); absent there: no pin fix.
   */
  revisionInsert?: { offset: number; prefix: string; suffix: string };
  /** The revision argument, when given. */
  revision?: ArgumentValue;
  /** True when the loader has a way to pin a revision. */
  canPin: boolean;
  /** Keyword options the rules care about (trust_remote_code, use_safetensors, ...). */
  options: Record<string, ArgumentValue>;
  /** Notebook cell index when the reference sits in a notebook. */
  cell?: number;
}

/** A text edit, offsets into the scanned text. */
export interface TextEditData {
  span: Span;
  newText: string;
}

export interface FixData {
  title: string;
  edits: TextEditData[];
  /** True when the fix is the one an editor should offer first. */
  preferred?: boolean;
  /** True when newText contains snippet placeholders (${1:...}). */
  snippet?: boolean;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  modelId: string | null;
  span: Span;
  fixes: FixData[];
  /** The reference that produced the finding. */
  reference: ModelReference;
  /** Model-level findings: the other references to the same model in the file. */
  related?: Span[];
}
