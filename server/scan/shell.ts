// Finds `huggingface-cli download ORG/NAME` and `hf download ORG/NAME` commands in shell
// scripts, Dockerfile RUN lines, Makefile recipes and CI YAML `run:` blocks. A careful line
// scanner, the same for all four: the command must stand where a command starts (line start,
// after `;`, `&&`, `|`, `RUN`, `run:`, `sudo`, ...), never inside a comment or an echo'd string.
import type { ArgumentValue, Language, ModelReference, UnresolvedReason } from '../core/types';
import { looksLikeHubId } from './config-model-id';
import { classifyModelId } from './hub-id';
import type { ScanOptions } from './python';

/** Cheap substring test: files without it are not read further. */
export function mightDownloadModels(text: string): boolean {
  return text.includes(' download') || MODEL_FLAG_HINT.test(text);
}

/**
 * Flags of training and inference scripts (the transformers / diffusers / PEFT example scripts,
 * LLaMA-Factory) whose value the script hands to `from_pretrained`; `-` and `_` alike. `--model`
 * alone is left out: too many tools take other things under it.
 */
const MODEL_FLAGS = new Set([
  'model_name_or_path', 'pretrained_model_name_or_path', 'base_model', 'model_id', 'tokenizer_name', 'tokenizer_name_or_path',
  'adapter_name_or_path', 'pretrained_vae_model_name_or_path', 'controlnet_model_name_or_path',
]);
const MODEL_FLAG_HINT = /--(?:pretrained[_-])?(?:model|base|tokenizer|adapter|controlnet|vae)[_-]/;
const FLAG = /(?<![\w-])--([A-Za-z][\w-]*)(?=[= \t\\])/g;

const COMMAND = /(?<![\w.\/])(?<!\w-)(huggingface-cli|hf)[ \t]+download(?![\w-])/g;
/** What may stand before the command in its segment: instruction keywords, wrappers, `VAR=x` assignments. */
const PREFIX =
  /^\s*(?:(?:RUN|run:|script:|command:|-|@|@-|-@|\+|sudo(?:\s+-\S+)*|exec|time|nohup|env|command|uv\s+run|uvx|pipx\s+run|poetry\s+run|pdm\s+run|--mount=\S+|--network=\S+|[A-Za-z_][A-Za-z0-9_]*=\S*)\s+)*(?:RUN|run:|script:|command:|-|@|@-|-@|\+)?\s*$/;
/** Separators after which a new command starts. */
const SEGMENT = /;|&&|\|\||\||\$\(|\(|`|\{|\b(?:then|do|else)\b/g;
/** Options of `download` that take a value (the rest are flags). */
const VALUE_OPTIONS = new Set(['--revision', '--repo-type', '--local-dir', '--cache-dir', '--token', '--include', '--exclude', '--max-workers', '--local-dir-use-symlinks']);
/** `--include`/`--exclude` take several values: every word up to the next option. */
const LIST_OPTIONS = new Set(['--include', '--exclude']);
const MAX_TOKENS = 200;

interface Token {
  start: number;
  end: number;
  /** The word after quote removal; undefined when it holds an expansion (`$X`, `$(...)`). */
  value?: string;
  /** The variable when the whole word is one (`$MODEL`, `"${MODEL}"`, `$(MODEL)`, `${{ env.MODEL }}`). */
  variable?: string;
  /** The default of `${X:-default}`. */
  fallback?: string;
}

export interface Variables {
  /** The value of a variable assigned once in the file; overridable when a build arg, `?=` or `${X:-default}`. */
  get(name: string): { value: string; overridable: boolean } | undefined;
  /** Names of `for NAME in ...` loops. */
  loops: Set<string>;
}

/** Scans text of `language` for download commands. */
export function scanShellText(text: string, language: Language, options: ScanOptions = {}): ModelReference[] {
  if (!mightDownloadModels(text)) return [];
  const variables = variablesWhenAsked(text, language);
  const out: ModelReference[] = [];
  COMMAND.lastIndex = 0;
  for (let match = COMMAND.exec(text); match; match = COMMAND.exec(text)) {
    if (!atCommandStart(text, match.index)) continue;
    const reference = readCommand(text, match.index, match.index + match[0].length, match[1], language, variables, options);
    if (reference) out.push(reference);
  }
  if (language !== 'yaml') out.push(...scanModelFlags(text, language, variables, options));
  return out.sort((a, b) => a.idSpan.start - b.idSpan.start);
}

/** `python train.py --model_name_or_path org/name` (or `=org/name`, or `$MODEL` set in the file): only Hub-shaped values. */
function scanModelFlags(text: string, language: Language, variables: Variables, options: ScanOptions): ModelReference[] {
  const out: ModelReference[] = [];
  FLAG.lastIndex = 0;
  for (let match = FLAG.exec(text); match; match = FLAG.exec(text)) {
    const flag = match[1].replace(/-/g, '_');
    if (!MODEL_FLAGS.has(flag)) continue;
    const line = text.slice(text.lastIndexOf('\n', match.index) + 1, match.index);
    if (/(?:^|\s)#/.test(line) || /(?:^|[\s;&|(])(?:echo|printf)\s/.test(line)) continue; // a comment, or text printed
    const after = match.index + match[0].length;
    const token = tokenize(text, text[after] === '=' ? after + 1 : after)[0];
    if (!token || (token.value ?? '').startsWith('-')) continue;
    const resolved = resolveToken(token, variables);
    if (!resolved || !looksLikeHubId(flag, resolved.value, options.isLocalPath)) continue;
    const id = classifyModelId(resolved.value, options.isLocalPath);
    if (id.kind !== 'hub') continue;
    out.push({
      modelId: id.id,
      loader: `script.--${flag}`,
      library: 'script',
      language,
      idSpan: { start: token.start, end: token.end },
      callSpan: { start: match.index, end: token.end },
      argsEnd: token.end,
      canPin: false, // whether the script takes a revision flag is the script's business
      ...(token.variable ? { idSource: `variable ${token.variable}` } : {}),
      ...(resolved.overridable ? { idOverridable: true } : {}),
      options: {},
    });
  }
  return out;
}

export const scanShell = (language: Language) => async (text: string, options: ScanOptions = {}) => scanShellText(text, language, options);

/** How far back on its line a command's context is read: keeps a long one-line script linear. */
const LOOKBACK = 512;

function atCommandStart(text: string, offset: number): boolean {
  const window = text.slice(Math.max(0, offset - LOOKBACK), offset);
  const before = window.slice(window.lastIndexOf('\n') + 1);
  if (/(?:^|\s)#/.test(before)) return false; // a comment
  const pieces = before.split(SEGMENT);
  return PREFIX.test(pieces[pieces.length - 1]);
}

function readCommand(text: string, start: number, end: number, tool: string, language: Language, variables: Variables, options: ScanOptions): ModelReference | undefined {
  const tokens = tokenize(text, end);
  const positional: Token[] = [];
  const values = new Map<string, Token>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const word = token.value ?? '';
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      if (eq > 0) {
        const name = word.slice(0, eq);
        const prefix = text.slice(token.start, token.end).indexOf('=') + 1;
        values.set(name, { start: token.start + prefix, end: token.end, value: word.slice(eq + 1) });
      } else if (VALUE_OPTIONS.has(word) && tokens[i + 1]) {
        values.set(word, tokens[++i]);
        if (LIST_OPTIONS.has(word)) while (tokens[i + 1] && !(tokens[i + 1].value ?? '').startsWith('-')) i++;
      }
    } else if (word.startsWith('-') && word.length > 1) {
      continue; // a short flag (-h, -q)
    } else positional.push(token);
  }
  const repoType = values.get('--repo-type');
  if (repoType && repoType.value !== 'model') return undefined;
  const idToken = positional[0];
  if (!idToken) return undefined;
  const last = tokens[tokens.length - 1];
  const revisionToken = values.get('--revision');
  const revision = revisionToken ? argument(text, revisionToken, variables) : undefined;
  const filename = positional.length === 2 ? argument(text, positional[1], variables) : undefined;
  const common = {
    loader: `${tool}.download`,
    library: 'huggingface_hub',
    language,
    idSpan: { start: idToken.start, end: idToken.end },
    callSpan: { start, end: last.end },
    argsEnd: last.end,
    canPin: true,
    revision,
    ...(revision ? {} : { revisionInsert: { offset: last.end, prefix: ' --revision ', suffix: '' } }),
    options: (filename ? { filename } : {}) as Record<string, ArgumentValue>,
  };
  const resolved = resolveToken(idToken, variables);
  if (!resolved) {
    return { modelId: null, unresolved: text.slice(idToken.start, idToken.end), unresolvedReason: unresolvedReason(idToken, variables), ...common };
  }
  const id = classifyModelId(resolved.value, options.isLocalPath);
  if (id.kind !== 'hub') return undefined;
  return {
    modelId: id.id,
    ...(idToken.variable ? { idSource: `variable ${idToken.variable}` } : {}),
    ...(resolved.overridable ? { idOverridable: true } : {}),
    ...common,
  };
}

function resolveToken(token: Token, variables: Variables): { value: string; overridable: boolean } | undefined {
  if (token.value !== undefined) return { value: token.value, overridable: false };
  if (!token.variable) return undefined;
  return variables.get(token.variable) ?? (token.fallback ? { value: token.fallback, overridable: true } : undefined);
}

function argument(text: string, token: Token, variables: Variables): ArgumentValue {
  const resolved = resolveToken(token, variables);
  const base = { text: text.slice(token.start, token.end), span: { start: token.start, end: token.end } };
  return resolved ? { ...base, value: resolved.value, resolved: true, ...(token.variable ? { source: `variable ${token.variable}` } : {}) } : { ...base, resolved: false };
}

function unresolvedReason(token: Token, variables: Variables): UnresolvedReason {
  const variable = token.variable ?? '';
  if (/^matrix\./.test(variable) || variables.loops.has(variable)) return 'loop';
  if (/^inputs\.|^github\.event\.inputs\./.test(variable)) return 'parameter';
  if (token.variable) return 'environment';
  return 'other';
}

/** The words of one command from `offset` to its end (newline, `;`, `&&`, `|`, `)`, a comment). */
function tokenize(text: string, offset: number): Token[] {
  const tokens: Token[] = [];
  let i = offset;
  while (tokens.length < MAX_TOKENS) {
    while (i < text.length) {
      if (text[i] === ' ' || text[i] === '\t') i++;
      else if (text[i] === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) i += text[i + 1] === '\n' ? 2 : 3;
      else break;
    }
    if (i >= text.length || /[\n\r;&|)`#]/.test(text[i])) break;
    const start = i;
    let value: string | undefined = '';
    while (i < text.length && !/[\s;&|)`]/.test(text[i])) {
      const c = text[i];
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0 || text.slice(i, close).includes('\n')) return tokens; // unbalanced: stop here
        if (value !== undefined) value += text.slice(i + 1, close);
        i = close + 1;
      } else if (c === '"') {
        let j = i + 1;
        let inner = '';
        for (; j < text.length && text[j] !== '"' && text[j] !== '\n'; j++) {
          if (text[j] === '\\' && j + 1 < text.length) inner += text[++j];
          else if (text[j] === '$') value = undefined;
          else inner += text[j];
        }
        if (text[j] !== '"') return tokens;
        if (value !== undefined) value += inner;
        i = j + 1;
      } else if (c === '$') {
        value = undefined;
        // Skip a whole `$(...)`, `${...}` or `${{ ... }}` so its spaces do not split the word.
        const open = text[i + 1];
        const close = open === '(' ? ')' : open === '{' ? '}' : undefined;
        const stop = close ? text.indexOf(text[i + 2] === '{' ? '}}' : close, i + 2) : -1;
        i = close && stop > 0 && !text.slice(i, stop).includes('\n') ? stop + (text[i + 2] === '{' ? 2 : 1) : i + 1;
      } else if (c === '\\' && i + 1 < text.length && text[i + 1] !== '\n') {
        if (value !== undefined) value += text[i + 1];
        i += 2;
      } else {
        if (value !== undefined) value += c;
        i++;
      }
    }
    if (i === start) break;
    tokens.push({ start, end: i, ...(value !== undefined ? { value } : variableOf(text.slice(start, i))) });
  }
  return tokens;
}

/** The variable a word consists of (`$X`, `"${X}"`, `${X:-default}`, `$(X)`, `${{ env.X }}`), if it is one. */
function variableOf(word: string): Pick<Token, 'variable' | 'fallback'> {
  const match = /^"?\$(?:\{\{\s*([\w.-]+)\s*\}\}|\{(\w+)(?::?-([^}$`\s'"]*))?\}|\((\w+)\)|(\w+))"?$/.exec(word);
  if (!match) return {};
  return { variable: match[1] ?? match[2] ?? match[4] ?? match[5], ...(match[3] ? { fallback: match[3] } : {}) };
}

/**
 * The file's variables, read at the first question: most files that pass the hint test (a
 * Makefile's `--base-directory`) hold no command or flag that needs one, and a large Makefile's
 * assignments took longer to read than the rest of its scan.
 */
function variablesWhenAsked(text: string, language: Language): Variables {
  let read: Variables | undefined;
  const variables = () => (read ??= fileVariables(text, language));
  return {
    get: (name) => variables().get(name),
    get loops() {
      return variables().loops;
    },
  };
}

/** Variables assigned exactly once: `X=v` / `export X=v` (shell), `ARG`/`ENV` (Dockerfile), `X := v` (make). */
function fileVariables(text: string, language: Language): Variables {
  const found = new Map<string, { value: string; overridable: boolean }[]>();
  const add = (name: string, raw: string, overridable: boolean) => {
    const value = unquote(raw.trim());
    if (value === undefined) return;
    const assignments = found.get(name);
    if (assignments) assignments.push({ value, overridable });
    else found.set(name, [{ value, overridable }]);
  };
  const patterns: [RegExp, (m: RegExpExecArray) => void][] =
    language === 'dockerfile'
      ? [[/^[ \t]*(ARG|ENV)[ \t]+(\w+)[ \t]*[= ][ \t]*(\S.*?)[ \t]*$/gim, (m) => add(m[2], m[3], m[1].toUpperCase() === 'ARG')]]
      : language === 'makefile'
        ? [[/^(?:export[ \t]+)?(\w+)[ \t]*([:?+]?=|::=)[ \t]*(.*?)[ \t]*$/gm, (m) => (m[2] === '+=' ? add(m[1], '$', false) : add(m[1], m[3], m[2] === '?='))]]
        : [[/^[ \t]*(?:export[ \t]+|readonly[ \t]+|local[ \t]+|declare[ \t]+(?:-\w+[ \t]+)?)?(\w+)=(\S*)[ \t]*(?:#.*)?$/gm, (m) => add(m[1], m[2], false)]];
  for (const [pattern, onMatch] of patterns) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) onMatch(m);
  }
  const loops = new Set([...text.matchAll(/\bfor[ \t]+(\w+)[ \t]+in\b/g)].map((m) => m[1]));
  return {
    loops,
    get(name) {
      const all = found.get(name);
      return all?.length === 1 && !loops.has(name) ? all[0] : undefined;
    },
  };
}

/** A plain word or a quoted one without expansions; undefined for anything dynamic. */
function unquote(raw: string): string | undefined {
  const quoted = /^(['"])(.*)\1$/.exec(raw);
  const value = quoted ? quoted[2] : raw;
  if ((!quoted || quoted[1] === '"') && /[$`\\]/.test(value)) return undefined;
  if (!quoted && /[\s'"]/.test(value)) return undefined;
  return value;
}
