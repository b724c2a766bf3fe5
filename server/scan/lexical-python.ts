// A linear lexical pass over Python source that knows strings, comments, brackets and
// line continuations, so the parser only sees what can matter for a model load:
// - a file whose code (not its strings or comments) names no loader loads nothing;
// - a top-level `def`/`class` (with its decorators) that names no loader and nothing the
//   resolver reads from elsewhere in the file (imports that matter: importsMatter; a save;
//   dataclasses; a class whose attribute kept code reads; argparse defaults kept code reads)
//   is left out: the parser reads only the other ranges (tree-sitter's included ranges), so
//   every offset, span and node text stays what it was.
// - a top-level assignment (`NAME = value`, one logical line) that names no loader and binds
//   only names kept code never mentions is left out the same way: the resolver looks module
//   constants up by name, so an assignment of a name no kept code uses cannot change a result
//   (big data tables are common at module level).
// - a top-level expression statement (one logical line that binds nothing: a docstring, a bare
//   call such as `table.update({...})`) that names no loader is left out too: the resolver reads
//   only bindings, imports and the calls its words name (argparse, saves), never such a statement.
// - a class kept code reads an attribute of (`Config.MODEL`) is kept only when some class of that
//   name could define the attribute (its text contains the name): otherwise the lookup finds
//   nothing with or without it.
// - a module-level block (`if`/`try`/`for`/`while`/`with` and its clauses) is left out as one
//   piece under the same rules, kept only when kept code names a class it defines or a module
//   constant it assigns (sortBlock).
// Other module-level statements (`del`, `assert`, augmented assignments) are always kept.
import type { Range } from 'web-tree-sitter';
import { HUB_LIBRARIES, LOADER_HINTS, LOADERS } from './loaders';
import { AT, BACKSLASH, CR, DOUBLE_QUOTE, EQUALS, HASH, LF, SEMICOLON, SINGLE_QUOTE } from './char-codes';

/** Methods whose call saves a model folder (python.ts SAVE_METHODS): a folder saved here is not a Hub id. */
export const SAVE_CALL_NAMES = ['save_pretrained', 'save_model', 'save', 'save_pretrained_merged'];
/** Keyword arguments naming a saved folder (python.ts SAVE_KEYWORDS), and a download's folder (ids below it are local). */
export const FOLDER_KEYWORD_NAMES = ['output_dir', 'save_directory', 'local_dir'];
/** Identifiers whose presence in a statement means the resolver may read it. */
const RESOLVER_NAMES = [
  'add_argument', // argparse defaults are looked up by attribute name across the file
  ...SAVE_CALL_NAMES,
  ...FOLDER_KEYWORD_NAMES,
];
const SAVE_CALLS = new Set(SAVE_CALL_NAMES);
const FOLDER_KEYWORDS = new Set(FOLDER_KEYWORD_NAMES);

/** Names through which code reads the environment (`os.environ.get`, `os.getenv`). */
const ENVIRONMENT_NAMES = ['environ', 'getenv'];

/** Words the pass must notice, by length (compared in place: no string per identifier). */
const NOTICED = new Map<number, string[]>();
for (const word of [...LOADER_HINTS, ...RESOLVER_NAMES, ...ENVIRONMENT_NAMES, 'class', 'def', 'as', 'import', 'from']) {
  NOTICED.set(word.length, [...(NOTICED.get(word.length) ?? []), word]);
}
const LOADER_NAMES = new Set(LOADER_HINTS);
/**
 * Names of loaders whose hint is another word (`LLM` of vllm, `load` of mlx_lm and flair), with
 * those hints: such a call loads only in a file whose code names one of them.
 */
export const HINTED_CALLS = new Map<string, string[]>();
for (const loader of LOADERS) {
  const name = loader.kind === 'method' ? loader.method : loader.function;
  if (loader.hint && loader.hint !== name) HINTED_CALLS.set(name, [...(HINTED_CALLS.get(name) ?? []), loader.hint]);
}
for (const word of HINTED_CALLS.keys()) NOTICED.set(word.length, [...(NOTICED.get(word.length) ?? []), word]);
/**
 * Modules whose import statement (anywhere) is kept whatever names it binds: a local receiver's
 * `from_pretrained` is trusted when the file imports one of them (python.ts matchMethod).
 * Any other import statement matters only through the names it binds (`os` through the roots of
 * `os.environ.get`).
 */
const RECEIVER_MODULES = new Set([...HUB_LIBRARIES, ...LOADERS.flatMap((loader) => (loader.kind === 'method' ? loader.libraries : []))]);

/** One top-level group of lines: a statement, or a definition with its decorators. */
interface Segment {
  start: number;
  end: number;
  /** A def/class (possibly decorated): the only kind that may be blanked. */
  definition: boolean;
  /** Names a loader, or something the resolver reads. */
  keep: boolean;
  /** Classes defined inside (for `Name.attr` lookups). */
  classes: string[];
  /** Names on import lines inside (imports bind names for the whole file). */
  imports: string[];
  /** Names of hinted loaders called inside (`LLM`, `load`): they count once the file names the hint. */
  hintedCalls?: string[];
  /** Decorators seen, their definition not yet. */
  awaitingDefinition?: boolean;
  /**
   * A plain assignment statement (one logical line, no `;`, no augmented operator): where its
   * last top-level `=` is, so the names before it are what it binds. Undefined otherwise.
   */
  targetEnd?: number;
  /** A statement of one logical line that binds nothing (no top-level `=`, `:` or `;`): a docstring, a bare call. */
  expression?: boolean;
  /** An import statement alone on its logical line (no `;`). */
  importStatement?: boolean;
  /** Names a word the resolver reads (argparse, a save): rangesToParse decides whether that keeps it. */
  resolverWords?: boolean;
}

/** Words that start a statement other than an assignment (soft keywords `match`/`case` included). */
const STATEMENT_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'match', 'case',
]);

export interface PythonLexicalFacts {
  /** True when a loader name occurs in code (outside plain strings and comments). */
  namesLoader: boolean;
  segments: Segment[];
  /** Names bound by `import x as alias` / `from m import x as alias`. */
  aliases: Set<string>;
  /**
   * Signs of a syntax error (an unclosed bracket or string, a stray closing bracket, a
   * `def`/`class` line without its colon): then the whole text is parsed, as without this pass.
   */
  suspicious: boolean;
  /** First names of the dotted paths that end in a loader name or an environment lookup (`os` of `os.environ.get`). */
  roots: Set<string>;
  /** Offsets of every `import` and `from` in code, in order (import statements start at one of them). */
  importKeywords: number[];
  /** Loader hints met in code (a hinted call is kept once its file names one: incremental-lex.ts merges them). */
  hints: Set<string>;
  /** Comments and strings other than formatted ones, as start and end offsets in turn, in order: text that names nothing. */
  quiet: number[];
}

/** A byte-order mark (U+FEFF) is no part of a name: the parser skips a leading one, and `\uFEFFimport x` is an import. */
const BOM = 0xfeff;
/** ASCII characters by what they are in a name: 1 may start one, 2 may only continue one (digits). */
const NAME_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) NAME_CHARS[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 ? 1 : c >= 48 && c <= 57 ? 2 : 0;
const isIdentifierStart = (c: number) => (c < 128 ? NAME_CHARS[c] === 1 : c !== BOM);
const isIdentifierPart = (c: number) => (c < 128 ? NAME_CHARS[c] !== 0 : c !== BOM);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 92;
const STRING_PREFIX = /^(?:[rRuUbBfFtT]|[rR][bBfFtT]|[bBfFtT][rR])$/;
/** Words that join operands in an expression (`a if b else c`, `a not in b`). */
const OPERATOR_WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'await', 'lambda']);
/** Characters before `=` that make it an augmented assignment (`+=`, `>>=`, `//=`...) or `:=`. */
const AUGMENTING = new Set([...'+-*/%@&|^<>:'].map((c) => c.charCodeAt(0)));

/**
 * The noticed words by length and first character (`NOTICED_BY_START[length * 128 + first]`):
 * most names are ruled out by one array read, without comparing any text.
 */
const LONGEST_NOTICED = Math.max(...NOTICED.keys());
const NOTICED_BY_START: (string[] | undefined)[] = new Array((LONGEST_NOTICED + 1) * 128).fill(undefined);
for (const [length, words] of NOTICED) {
  for (const word of words) (NOTICED_BY_START[length * 128 + word.charCodeAt(0)] ??= []).push(word);
}
/** Roots every text starts with (a loader name is its own root). */
const FIRST_ROOTS: ReadonlySet<string> = new Set([...LOADER_HINTS, ...ENVIRONMENT_NAMES]);

/**
 * The lexer's state while it reads one text. One class, so every function below sees objects of
 * one shape (module-level functions over it, not closures: V8 keeps their optimized code, where
 * closures made anew for each text threw it away).
 */
class Lexer {
  readonly n: number;
  readonly segments: Segment[] = [];
  readonly aliases = new Set<string>();
  readonly roots = new Set<string>(FIRST_ROOTS);
  namesLoader = false;
  readonly keywordsAt: number[] = [];
  readonly quiet: number[] = [];
  /** Loader hints met in code. */
  readonly hintsSeen = new Set<string>();
  /** Names being read are in a formatted string's body (brackets there are not counted in `depth`). */
  interpolating = false;
  depth = 0;
  /** A sign of a syntax error: the parser's error recovery must then see the whole text. */
  suspicious = false;
  /** A `def`/`class` line still waiting for its colon. */
  needColon = false;
  /** A string ran into its line's end (or the text's end) without its closing quote. */
  unterminated = false;
  current: Segment;
  atLogicalLineStart = true;
  /** The current logical line is an import; the previous token was `class`, `as` after a loader name, a loader name. */
  importLine = false;
  lineHasToken = false;
  afterClass = false;
  asAfterLoader = false;
  lastWasLoader = false;
  seenStatement = false;
  /** The current segment may still be a plain assignment (its first logical line is being read). */
  assignable = false;
  /** The current segment may still be an expression statement (its first logical line is being read). */
  expressible = false;
  /** The current segment may still be an import statement alone on its line. */
  importing = false;
  /**
   * While a bare expression is read, what its last token at bracket depth 0 was: an operator or
   * nothing (0), a name (1), a string (2), a closing bracket (3). Two operands in a row (`xmport
   * os`, `print "x"`) are a syntax error the parser must see: such a statement is kept.
   */
  lastOperand = 0;

  constructor(readonly text: string) {
    this.n = text.length;
    this.current = newSegment(0, text.length, false, undefined, false, false);
    this.segments.push(this.current);
  }
}

/** A segment, every field present (one shape for all of them). */
function newSegment(start: number, end: number, definition: boolean, awaitingDefinition: boolean | undefined, expression: boolean, importStatement: boolean): Segment {
  return {
    start,
    end,
    definition,
    keep: false,
    classes: [],
    imports: [],
    hintedCalls: undefined,
    awaitingDefinition,
    targetEnd: undefined,
    expression: expression ? true : undefined,
    importStatement: importStatement ? true : undefined,
    resolverWords: undefined,
  };
}

/** Lexes the text once; linear in its length. Lone CRs count as line ends, as in Python. */
export function lexPython(text: string): PythonLexicalFacts {
  const s = new Lexer(text);
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (s.atLogicalLineStart) {
      i = lineStart(s, i);
      continue;
    }
    if (c === LF || c === CR) {
      i++;
      if (s.depth === 0) {
        s.atLogicalLineStart = true;
        if (s.needColon) s.suspicious = true;
        s.needColon = false;
      }
      continue;
    }
    if (c === HASH) {
      i = skipComment(s, i);
      continue;
    }
    if (c === BACKSLASH) {
      // A continuation joins the next line to this logical line.
      i += text.charCodeAt(i + 1) === CR && text.charCodeAt(i + 2) === LF ? 3 : 2;
      continue;
    }
    if (c === SINGLE_QUOTE || c === DOUBLE_QUOTE) {
      if (s.expressible && s.depth === 0) operand(s, 2);
      const start = i;
      i = skipString(s, i, false);
      s.quiet.push(start, i);
      continue;
    }
    if (isIdentifierStart(c)) {
      i = name(s, i);
      continue;
    }
    if (c === 32) {
      i++;
      continue;
    }
    i = punctuation(s, c, i);
  }
  return finish(s);
}

/** At a logical line's start: measures its indentation; a statement at column 0 starts a segment. Returns where to go on. */
function lineStart(s: Lexer, i: number): number {
  const text = s.text;
  const n = s.n;
  let j = i;
  while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 12)) j++;
  const d = text.charCodeAt(j);
  if (j >= n || d === LF || d === CR || d === HASH) {
    // Blank or comment-only line: not a statement.
    let k = j;
    if (j < n && d === HASH) k = skipComment(s, j);
    return k < n ? k + 1 : k;
  }
  s.atLogicalLineStart = false;
  s.importLine = false;
  s.lineHasToken = false;
  s.afterClass = false;
  s.asAfterLoader = false;
  s.lastWasLoader = false;
  if (j === i && d !== BACKSLASH) startSegment(s, i);
  else {
    // A second logical line in the segment (an indented block): not a one-line assignment.
    if (s.seenStatement) notAssignment(s);
    s.seenStatement = true;
  }
  return j;
}

/** Skips a comment from its `#` to its line's end (a quiet stretch); returns where it ends. */
function skipComment(s: Lexer, start: number): number {
  const text = s.text;
  const n = s.n;
  let i = start;
  while (i < n && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
  s.quiet.push(start, i);
  return i;
}

/** Reads a name (or a prefixed string: `f"..."`, `rb'...'`) starting at `i`; returns where it ends. */
function name(s: Lexer, i: number): number {
  const text = s.text;
  const n = s.n;
  let j = i + 1;
  while (j < n && isIdentifierPart(text.charCodeAt(j))) j++;
  const q = text.charCodeAt(j);
  if ((q === SINGLE_QUOTE || q === DOUBLE_QUOTE) && j - i <= 2 && STRING_PREFIX.test(text.slice(i, j))) {
    const prefix = text.slice(i, j);
    const formatted = prefix.includes('f') || prefix.includes('F') || prefix.includes('t') || prefix.includes('T');
    if (s.expressible && s.depth === 0) operand(s, 2);
    const end = skipString(s, j, formatted);
    if (!formatted) s.quiet.push(j, end);
    return end;
  }
  if (s.expressible && s.depth === 0) operand(s, j - i <= 6 && OPERATOR_WORDS.has(text.slice(i, j)) ? 0 : 1);
  noteIdentifier(s, i, j);
  return j;
}

/** Reads a character that is no name, string, comment, line break or continuation; returns where to go on. */
function punctuation(s: Lexer, c: number, i: number): number {
  const text = s.text;
  const depth = s.depth;
  if (s.expressible && depth === 0 && c !== 32 && c !== 9 && c !== 12) s.lastOperand = 0;
  if (c === 40 || c === 91 || c === 123) s.depth = depth + 1;
  else if (c === 41 || c === 93 || c === 125) {
    if (depth > 0) s.depth = depth - 1;
    else s.suspicious = true;
    if (s.depth === 0) s.lastOperand = 3;
  } else if (c === 58 && depth === 0) {
    s.needColon = false;
    // An annotation, a compound statement's header or a lambda: not a bare expression.
    if (s.expressible) notExpression(s);
  } else if (c === EQUALS && depth === 0 && (s.assignable || s.expressible)) {
    // `==` compares: it may sit in the value.
    if (text.charCodeAt(i + 1) === EQUALS) return i + 2;
    const p = text.charCodeAt(i - 1);
    // `<=`, `>=`, `!=` compare; `>>=`, `<<=`, `+=` and the like (and `:=`) are not plain assignments.
    const comparison = p === 33 || ((p === 60 || p === 62) && text.charCodeAt(i - 2) !== p);
    if (!comparison) {
      if (s.expressible) notExpression(s);
      if (!s.assignable) {
        // Not an assignment this pass reads (it opens with a string or a bracket): kept whole.
      } else if (AUGMENTING.has(p)) notAssignment(s);
      else s.current.targetEnd = i;
    }
  } else if (c === SEMICOLON && depth === 0 && (s.assignable || s.expressible || s.importing)) notAssignment(s);
  return i + 1;
}

/** The facts, once the whole text is read. */
function finish(s: Lexer): PythonLexicalFacts {
  s.current.end = s.n;
  if (s.depth > 0 || s.needColon || s.unterminated) s.suspicious = true;
  const hintsSeen = s.hintsSeen;
  for (const segment of s.segments) {
    if (segment.hintedCalls?.some((name) => HINTED_CALLS.get(name)!.some((hint) => hintsSeen.has(hint)))) segment.keep = true;
  }
  return { namesLoader: s.namesLoader, segments: s.segments, aliases: s.aliases, roots: s.roots, suspicious: s.suspicious, importKeywords: s.keywordsAt, hints: hintsSeen, quiet: s.quiet };
}

function notAssignment(s: Lexer): void {
  s.assignable = false;
  s.current.targetEnd = undefined;
  notExpression(s);
  s.importing = false;
  s.current.importStatement = undefined;
}

function notExpression(s: Lexer): void {
  s.expressible = false;
  s.current.expression = undefined;
}

/** A statement at column 0 starts at `start`: a segment of its own, or its decorators' definition. */
function startSegment(s: Lexer, start: number): void {
  const text = s.text;
  const n = s.n;
  const first = text.charCodeAt(start);
  const decorator = first === AT;
  let j = start;
  while (j < n && isIdentifierPart(text.charCodeAt(j))) j++;
  const word = text.slice(start, j);
  const definition = decorator || word === 'def' || word === 'class' || word === 'async';
  const mayAssign = !definition && j > start && isIdentifierStart(first) && !STATEMENT_KEYWORDS.has(word);
  // A statement opening with a name, a string or a bracket may be a bare expression (an ASCII
  // name: a byte-order mark reads as part of the first word here, not to the parser).
  const mayExpress = (mayAssign && first < 128) || first === SINGLE_QUOTE || first === DOUBLE_QUOTE || first === 40 || first === 91 || first === 123;
  const mayImport = word === 'import' || word === 'from';
  if (!s.seenStatement) {
    // The first statement opens the first segment (at 0, so leading comments belong to it).
    s.seenStatement = true;
    const current = s.current;
    current.definition = definition;
    current.awaitingDefinition = decorator;
    if (mayExpress) current.expression = true;
    if (mayImport) current.importStatement = true;
  } else if (definition && s.current.awaitingDefinition) {
    // A definition after its decorators joins their group.
    if (!decorator) s.current.awaitingDefinition = false;
    return;
  } else {
    s.current.end = start;
    s.current = newSegment(start, n, definition, decorator, mayExpress, mayImport);
    s.segments.push(s.current);
  }
  s.assignable = mayAssign;
  s.expressible = mayExpress;
  s.importing = mayImport;
  s.lastOperand = 0;
}

/** Notes a name in code: a loader, a word the resolver reads, a keyword that shapes the statement. */
function noteIdentifier(s: Lexer, start: number, end: number): void {
  const first = !s.lineHasToken;
  s.lineHasToken = true;
  const text = s.text;
  if (s.afterClass || s.importLine) {
    const word = text.slice(start, end);
    if (s.afterClass) s.current.classes.push(word);
    if (s.importLine) {
      s.current.imports.push(word);
      // `import pipeline as make`: calls of `make` are loader calls too.
      if (s.asAfterLoader) s.aliases.add(word);
    }
  }
  s.afterClass = false;
  const wasLoader = s.lastWasLoader;
  s.asAfterLoader = false;
  s.lastWasLoader = false;
  const length = end - start;
  const c = text.charCodeAt(start);
  if (length > LONGEST_NOTICED || c >= 128) return;
  const candidates = NOTICED_BY_START[length * 128 + c];
  if (candidates === undefined) return;
  for (const word of candidates) {
    if (!text.startsWith(word, start)) continue;
    noteWord(s, word, start, end, first, wasLoader);
    return;
  }
}

/** What a noticed word does (`word` is the text at [start, end)). */
function noteWord(s: Lexer, word: string, start: number, end: number, first: boolean, wasLoader: boolean): void {
  if (LOADER_NAMES.has(word)) {
    s.namesLoader = true;
    s.hintsSeen.add(word);
    s.current.keep = true;
    s.lastWasLoader = true;
    s.roots.add(rootBefore(s.text, end));
  } else if (HINTED_CALLS.has(word)) {
    (s.current.hintedCalls ??= []).push(word);
    s.lastWasLoader = true;
    s.roots.add(rootBefore(s.text, end));
  } else if (ENVIRONMENT_NAMES.includes(word)) s.roots.add(rootBefore(s.text, end));
  else if (word === 'class') {
    s.afterClass = true;
    s.needColon ||= first;
    notExpression(s);
  } else if (word === 'def') {
    s.needColon ||= first;
    notExpression(s);
  } else if (word === 'as') {
    s.asAfterLoader = wasLoader;
    notExpression(s);
  } else if (word === 'import' || word === 'from') {
    s.importLine ||= first;
    s.keywordsAt.push(start);
    // `yield from` aside, these words make no expression: a statement holding one is kept (a misspelt import's error stays seen).
    notExpression(s);
  } else if (saves(s, word, end)) s.current.keep = true;
  else s.current.resolverWords = true;
}

/**
 * True when a save word ending at `end` may save a folder: a save method's name before `(`, a
 * folder keyword before a lone `=` inside brackets (a keyword argument; a parameter's default
 * reads as one). Blanks and continued lines between are skipped; a comment there counts as a save.
 */
function saves(s: Lexer, word: string, end: number): boolean {
  const text = s.text;
  // Line breaks join only inside brackets (or a formatted string's body), or after a backslash.
  const joined = s.depth > 0 || s.interpolating;
  let k = end;
  for (let c = text.charCodeAt(k); ; c = text.charCodeAt(++k)) {
    if (c === BACKSLASH) k += text.charCodeAt(k + 1) === CR && text.charCodeAt(k + 2) === LF ? 2 : 1;
    else if (!(c === 32 || c === 9 || c === 12 || (joined && (c === LF || c === CR)))) break;
  }
  const next = text.charCodeAt(k);
  if (next === HASH) return true;
  if (SAVE_CALLS.has(word)) return next === 40;
  if (FOLDER_KEYWORDS.has(word)) return next === EQUALS && text.charCodeAt(k + 1) !== EQUALS && (s.depth > 0 || s.interpolating);
  return false;
}

/** Notes a token of a bare expression at depth 0: an operand right after an operand is no expression. */
function operand(s: Lexer, kind: number): void {
  // Strings in a row are one (implicit concatenation); a word operator after an operand is fine.
  if (kind !== 0 && s.lastOperand !== 0 && !(kind === 2 && s.lastOperand === 2)) notExpression(s);
  s.lastOperand = kind;
}

/** The first name of the dotted path that ends at `end` (`a` of `a.b.c`); spaces and line breaks may surround the dots. */
function rootBefore(text: string, end: number): string {
  let root = '';
  let k = end;
  for (;;) {
    let j = k;
    while (j > 0 && isIdentifierPart(text.charCodeAt(j - 1))) j--;
    if (j === k) return root;
    root = text.slice(j, k);
    let d = j;
    while (d > 0 && isSpace(text.charCodeAt(d - 1))) d--;
    if (text.charCodeAt(d - 1) !== 46) return root;
    d--;
    while (d > 0 && isSpace(text.charCodeAt(d - 1))) d--;
    k = d;
  }
}

/** The body of an f-string or t-string holds code: its identifiers count (over-approximated). */
function noteInterpolated(s: Lexer, start: number, end: number): void {
  const text = s.text;
  s.interpolating = true;
  for (let k = start; k < end; ) {
    if (isIdentifierStart(text.charCodeAt(k))) {
      let j = k + 1;
      while (j < end && isIdentifierPart(text.charCodeAt(j))) j++;
      noteIdentifier(s, k, j);
      k = j;
    } else k++;
  }
  s.interpolating = false;
}

/**
 * Skips a string literal starting at its opening quote; returns the offset after it. The body of
 * a formatted string is read for names. An unterminated single-quoted string ends at the line
 * break; an unterminated triple-quoted one at the end of the text.
 */
function skipString(s: Lexer, quoteAt: number, formatted: boolean): number {
  const text = s.text;
  const quote = text.charCodeAt(quoteAt);
  const triple = text.charCodeAt(quoteAt + 1) === quote && text.charCodeAt(quoteAt + 2) === quote;
  const n = s.n;
  let i = quoteAt + (triple ? 3 : 1);
  const bodyStart = i;
  let bodyEnd = n;
  let closed = false;
  if (triple) {
    // Long strings (docstrings) are searched for their quote natively; a quote after an odd run
    // of backslashes is escaped (a backslash takes the character after it, as read one by one).
    const quoteChar = quote === SINGLE_QUOTE ? "'" : '"';
    for (let at = text.indexOf(quoteChar, i); at >= 0; at = text.indexOf(quoteChar, at + 1)) {
      let slashes = 0;
      while (at - slashes - 1 >= bodyStart && text.charCodeAt(at - slashes - 1) === BACKSLASH) slashes++;
      if (slashes % 2 === 1) continue;
      if (text.charCodeAt(at + 1) === quote && text.charCodeAt(at + 2) === quote) {
        bodyEnd = at;
        i = at + 3;
        closed = true;
        break;
      }
    }
    if (!closed) i = n;
  } else {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === LF || c === CR) {
        bodyEnd = i;
        break;
      }
      if (c === quote) {
        bodyEnd = i;
        i += 1;
        closed = true;
        break;
      }
      i++;
    }
    if (i > n) i = n;
  }
  if (!closed) s.unterminated = true;
  if (formatted) noteInterpolated(s, bodyStart, Math.min(bodyEnd, n));
  return i;
}

/** A stretch of the text, as offsets. */
export interface TextRange {
  start: number;
  end: number;
}

/**
 * The parts of `text` the parser must see, in order: everything except the top-level
 * definitions that cannot matter. Undefined when the code names no loader at all.
 */
export function rangesToParse(text: string, facts: PythonLexicalFacts = lexPython(text)): TextRange[] | undefined {
  if (!facts.namesLoader) return undefined;
  if (facts.suspicious) return [{ start: 0, end: text.length }];
  const { segments } = facts;
  // Dataclass fields are looked up across the file (decorator text, strings included).
  for (let at = text.indexOf('dataclass'); at >= 0; at = text.indexOf('dataclass', at + 9)) segments[segmentAt(segments, at)].keep = true;
  const reach = new Reach(text, facts);
  // A statement naming argparse or a save word that saves nothing (a save keeps it: lexPython) is
  // kept, but for a definition or block: the resolver reads its argparse defaults only by the
  // names kept code reads (sortCandidate, sortBlock).
  for (let index = 0; index < segments.length; index++) {
    const s = segments[index];
    if (s.resolverWords && !s.keep && !s.definition && reach.blockHead[index] < 0) s.keep = true;
  }
  let candidates = 0;
  for (let index = 0; index < segments.length; index++) if (isCandidate(segments[index]) || reach.blockEnd[index]) candidates++;
  if (!candidates) return [{ start: 0, end: text.length }];
  // A candidate is kept when kept code names what it defines: a class whose attribute kept code
  // reads (`Config.MODEL`), a name an assignment binds. Kept segments are read once each, in a
  // worklist, so chains of constants cost one pass.
  for (let index = 0; index < segments.length; index++) {
    if (reach.blockEnd[index]) sortBlock(reach, index);
    else if (isCandidate(segments[index])) sortCandidate(reach, index);
  }
  if (reach.byClass.size || reach.byName.size) {
    // A kept block is read through its first segment.
    for (let index = 0; index < segments.length; index++) if (!reach.waiting[index] && !(reach.blockHead[index] >= 0 && reach.blockHead[index] !== index)) reach.queue.push(index);
  }
  for (let next = reach.queue.pop(); next !== undefined && (reach.byClass.size || reach.byName.size); next = reach.queue.pop()) readKept(reach, next);
  const ranges: TextRange[] = [];
  for (let index = 0; index < segments.length; index++) {
    const s = segments[index];
    // A block's clauses (`else:`, `except:`) go with its first segment.
    const head = reach.blockHead[index];
    if (head >= 0 ? reach.waiting[head] && !segments[head].keep : reach.waiting[index] && !s.keep) continue;
    const last = ranges[ranges.length - 1];
    if (last && last.end === s.start) last.end = s.end;
    else ranges.push({ start: s.start, end: s.end });
  }
  return ranges;
}

/** A segment the parser may be spared: a definition, a plain assignment, a bare expression or an import, that names nothing kept. */
function isCandidate(s: Segment): boolean {
  return !s.keep && (s.definition || s.targetEnd !== undefined || s.expression === true || s.importStatement === true);
}

/** What rangesToParse's worklist knows (one object of one shape, read by module-level functions). */
class Reach {
  readonly segments: Segment[];
  /** Candidates by the classes they define, and by the names they bind (segment indexes). */
  readonly byClass = new Map<string, number[]>();
  readonly byName = new Map<string, number[]>();
  /** Candidates not kept when first looked at (by index): left out unless kept code names them. */
  readonly waiting: Uint8Array;
  /** Kept segments still to read. */
  readonly queue: number[] = [];
  /** Segments by the classes they define (any class, kept or not), and the answers of classMayDefine. */
  classSegments: Map<string, Segment[]> | undefined = undefined;
  readonly defines = new Map<string, boolean>();
  /** Whether the text holds the word `argv` (readsArgv), once asked. */
  argv: boolean | undefined = undefined;

  /**
   * Module-level blocks (`if`/`try`/`for`/`while`/`with` with their `elif`/`else`/`except`/
   * `finally` segments): for each segment of one, the index of its first segment (-1 elsewhere);
   * for a first segment, one past the index of its last (0 elsewhere).
   */
  readonly blockHead: Int32Array;
  readonly blockEnd: Int32Array;

  constructor(
    readonly text: string,
    readonly facts: PythonLexicalFacts,
  ) {
    this.segments = facts.segments;
    this.waiting = new Uint8Array(facts.segments.length);
    this.blockHead = new Int32Array(facts.segments.length).fill(-1);
    this.blockEnd = new Int32Array(facts.segments.length);
    findBlocks(this);
  }
}

/** Words that open a compound statement whose body runs at module level. */
const BLOCK_OPENERS = new Set(['if', 'try', 'for', 'while', 'with']);
/** Words that open a further clause of the compound statement before them. */
const BLOCK_CLAUSES = new Set(['elif', 'else', 'except', 'finally']);

/** The word a segment's statement opens with ('' when it opens with anything else). */
function firstWord(text: string, s: Segment): string {
  let j = s.start;
  while (j < s.end && j - s.start < 8 && isIdentifierPart(text.charCodeAt(j))) j++;
  return j - s.start < 8 ? text.slice(s.start, j) : '';
}

/** Groups each module-level block's segments (Reach.blockHead, Reach.blockEnd). */
function findBlocks(reach: Reach): void {
  const { segments, text } = reach;
  let head = -1;
  for (let index = 0; index < segments.length; index++) {
    const s = segments[index];
    const word = s.definition ? '' : firstWord(text, s);
    if (head >= 0 && BLOCK_CLAUSES.has(word)) {
      reach.blockHead[index] = head;
      reach.blockEnd[head] = index + 1;
      continue;
    }
    head = -1;
    // The first segment also holds the comments before the text's first statement: it opens with no word then.
    if (!BLOCK_OPENERS.has(word)) continue;
    head = index;
    reach.blockHead[index] = index;
    reach.blockEnd[index] = index + 1;
  }
}

/** Keeps a candidate that matters whatever else is kept, or files it under the names it binds. */
function sortCandidate(reach: Reach, index: number): void {
  const { text, facts } = reach;
  const { aliases } = facts;
  const s = reach.segments[index];
  if (s.definition) {
    if (mattersAlone(reach, s)) s.keep = true;
    else {
      for (const name of s.classes) push(reach.byClass, name, index);
      if (s.resolverWords) for (const name of argumentNames(text, s.start, s.end)) push(reach.byName, name, index);
    }
  } else if (s.importStatement) {
    // Kept when kept code names a name it binds (the scanner looks imports up by name).
    const imported = importedNames(text, s.start, s.end);
    if (!imported || imported.modules.some((module) => RECEIVER_MODULES.has(module)) || imported.names.some((name) => facts.roots.has(name) || aliases.has(name))) s.keep = true;
    else for (const name of imported.names) push(reach.byName, name, index);
  } else if (aliases.size > 0 && hasWord(text.slice(s.start, s.end), aliases)) s.keep = true;
  else if (s.targetEnd !== undefined) for (const match of text.slice(s.start, s.targetEnd).matchAll(WORD)) push(reach.byName, match[0], index);
  if (!s.keep) reach.waiting[index] = 1;
}

/**
 * Keeps a module-level block that matters whatever else is kept, or files it under every name it
 * may bind. The resolver reads a block only through names: module constants assigned in it (at
 * any depth outside definitions), imports (bindings by name; the libraries a file imports), classes
 * by name. What it reads whatever the names (a loader, argparse, a save, a dataclass, a loader
 * alias, an import of a Hub library or of a name a loader call starts from) keeps it.
 */
function sortBlock(reach: Reach, head: number): void {
  const { segments } = reach;
  const last = reach.blockEnd[head];
  let keep = false;
  for (let index = head; index < last; index++) keep ||= segments[index].keep;
  const start = segments[head].start;
  const end = segments[last - 1].end;
  const names = keep || importsMatter(reach, start, end) ? undefined : blockNames(reach, start, end);
  if (!names) {
    segments[head].keep = true;
    return;
  }
  for (let index = head; index < last; index++) {
    if (segments[index].resolverWords) for (const name of argumentNames(reach.text, segments[index].start, segments[index].end)) names.add(name);
  }
  for (const name of names) push(reach.byName, name, head);
  for (let index = head; index < last; index++) reach.waiting[index] = 1;
}

/** A string's whole body made of name characters and dashes (`"--model-name"`), its closing quote not taken. */
const ARGUMENT_STRING = /(['"])(-*[\w\u0080-\uffff][\w\u0080-\uffff-]*)(?=\1)/g;

/**
 * At least the attribute names argparse calls in [start, end) can define: an `add_argument` default
 * is looked up by its `dest="..."`, or by its flag without leading dashes, dashes read as `_`
 * (python-values.ts getArgparseDefaults). Both are string literals whose whole body is such a name.
 */
function argumentNames(text: string, start: number, end: number): string[] {
  const names: string[] = [];
  for (const match of text.slice(start, end).matchAll(ARGUMENT_STRING)) {
    // A dest with a dash names no attribute: its dashes read as `_` count all the same.
    names.push(match[2].replace(/^-+/, '').replace(/-/g, '_'));
  }
  return names;
}

/**
 * At least the names code in [start, end) binds that the resolver looks up by name (undefined when
 * it holds a loader alias): classes (at any depth), and, outside the bodies of definitions (whose
 * bindings are no module constants), module constants: a name before a lone `=` or an annotation's
 * `:` where a statement starts. Imports matter through what they bind (importsMatter), not by name.
 * Comments and plain strings bind nothing.
 */
function blockNames(reach: Reach, start: number, end: number): Set<string> | undefined {
  const { text, facts } = reach;
  const { quiet, aliases } = facts;
  const names = new Set<string>();
  let q = firstEndingAfter(quiet, start);
  let previous = '';
  // The indentation of the current physical line (-1 when tabs or form feeds make it uncertain),
  // where that line ends, and the indentation of the definition whose body is read (-1: none).
  let indent = -1;
  let lineEnd = -1;
  let body = -1;
  WORDS.lastIndex = start;
  for (let match = WORDS.exec(text); match && match.index < end; match = WORDS.exec(text)) {
    while (q < quiet.length && quiet[q + 1] <= match.index) q += 2;
    if (q < quiet.length && quiet[q] <= match.index) {
      WORDS.lastIndex = quiet[q + 1];
      continue;
    }
    const word = match[0];
    const at = match.index;
    const after = WORDS.lastIndex;
    const named = previous === 'def' || previous === 'class';
    // A class is looked up by name; a function is not (the resolver reads only those around a call).
    if (previous === 'class') names.add(word);
    previous = word;
    if (at > lineEnd) {
      // A new line: a body ends at a line indented no deeper than its definition (a line
      // continued less deep ends it too early, which only counts more words).
      let lineStart = at;
      while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== LF && text.charCodeAt(lineStart - 1) !== CR) lineStart--;
      let k = lineStart;
      while (text.charCodeAt(k) === 32) k++;
      indent = text.charCodeAt(k) === 9 || text.charCodeAt(k) === 12 ? -1 : k - lineStart;
      for (lineEnd = after; lineEnd < text.length && text.charCodeAt(lineEnd) !== LF && text.charCodeAt(lineEnd) !== CR; ) lineEnd++;
      if (indent <= body) body = -1;
    }
    if (body < 0 && (word === 'def' || word === 'class')) body = indent;
    if (aliases.has(word)) return undefined;
    if (named || body >= 0 || KEYWORDS.has(word)) continue;
    // A module constant: `NAME = ...` or `NAME: T = ...` where a statement starts (its line's
    // start, or after `;` or a one-line compound's `:`), `NAME \` continued to either.
    const next = charAfter(text, after);
    const assigned = (next === EQUALS && text.charCodeAt(charAfterAt(text, after) + 1) !== EQUALS) || next === 58 || next === BACKSLASH;
    if (assigned && STATEMENT_START.has(charBefore(text, at))) names.add(word);
  }
  return names;
}

/** Python's keywords (not the soft ones, which may be names). */
const KEYWORDS = new Set([...STATEMENT_KEYWORDS].filter((word) => word !== 'match' && word !== 'case'));

/** What may come right before a statement (spaces and tabs aside): a line break, `;`, a one-line compound's `:`, the text's start (0). */
const STATEMENT_START = new Set([0, LF, CR, SEMICOLON, 58, 11, 12]);

/** The character before `at`, spaces and tabs skipped (0 at the text's start). */
function charBefore(text: string, at: number): number {
  let k = at - 1;
  while (k >= 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
  return k >= 0 ? text.charCodeAt(k) : 0;
}

/** Where the first character at or after `at` that is no space or tab is. */
function charAfterAt(text: string, at: number): number {
  let k = at;
  while (k < text.length && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
  return k;
}

/** The character at or after `at`, spaces and tabs skipped (NaN at the text's end). */
function charAfter(text: string, at: number): number {
  return text.charCodeAt(charAfterAt(text, at));
}

/**
 * Where the simple statement starting at `start` ends, at most at `end`: the first `;` or line
 * break outside brackets and not continued (a bracket left open runs on to `end`: more words, never fewer).
 */
function statementEnd(text: string, start: number, end: number): number {
  let depth = 0;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 40 || c === 91 || c === 123) depth++;
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
    else if (c === BACKSLASH) k += text.charCodeAt(k + 1) === CR && text.charCodeAt(k + 2) === LF ? 2 : 1;
    else if (c === HASH) {
      // A comment's brackets are no brackets.
      while (k + 1 < end && text.charCodeAt(k + 1) !== LF && text.charCodeAt(k + 1) !== CR) k++;
    } else if (depth === 0 && (c === LF || c === CR || c === SEMICOLON)) return k;
  }
  return end;
}

/** What keeps a definition whatever else is kept: imports that matter, a loader alias. */
function mattersAlone(reach: Reach, s: Segment): boolean {
  const { aliases } = reach.facts;
  if (aliases.size > 0 && hasWord(reach.text.slice(s.start, s.end), aliases)) return true;
  return importsMatter(reach, s.start, s.end);
}

/** Names whose import the resolver reads whatever kept code names: `sys.argv[1] if ... else "id"`. */
const ARGV_NAMES = new Set(['sys', 'argv']);

/** True when the text may read `argv` (the word anywhere, strings too): else no import of sys or argv matters. */
function readsArgv(reach: Reach): boolean {
  return (reach.argv ??= reach.text.includes('argv'));
}

/**
 * True when an import statement in [start, end) (at any depth: the scanner reads every import
 * statement of the file) may change a result: it names a Hub or loader library (a local receiver's
 * `from_pretrained` counts once the file imports one), a name a loader call or an environment
 * lookup starts from, a loader alias, or `sys`/`argv`. Imports bind nothing else the resolver reads.
 */
function importsMatter(reach: Reach, start: number, end: number): boolean {
  const { text } = reach;
  const { importKeywords, roots, aliases } = reach.facts;
  let low = 0;
  let high = importKeywords.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (importKeywords[mid] < start) low = mid + 1;
    else high = mid;
  }
  for (let k = low; k < importKeywords.length && importKeywords[k] < end; k++) {
    const at = importKeywords[k];
    for (const match of text.slice(at, statementEnd(text, at, end)).matchAll(WORD)) {
      const name = match[0];
      if (RECEIVER_MODULES.has(name) || roots.has(name) || aliases.has(name) || (ARGV_NAMES.has(name) && readsArgv(reach))) return true;
    }
  }
  return false;
}

/**
 * Reads a kept segment's code for the names candidates bind and the classes they define, keeping
 * those it names. Only code names what the resolver reads: comments and plain strings are skipped
 * (formatted strings are read whole, over-approximated); a word never runs past its segment's end.
 */
function readKept(reach: Reach, index: number): void {
  const { text, byName, byClass, segments } = reach;
  const quiet = reach.facts.quiet;
  const start = segments[index].start;
  // A block's first segment stands for all of its segments.
  const end = reach.blockEnd[index] ? segments[reach.blockEnd[index] - 1].end : segments[index].end;
  let q = firstEndingAfter(quiet, start);
  WORDS.lastIndex = start;
  for (let match = WORDS.exec(text); match && match.index < end; match = WORDS.exec(text)) {
    while (q < quiet.length && quiet[q + 1] <= match.index) q += 2;
    if (q < quiet.length && quiet[q] <= match.index) {
      WORDS.lastIndex = quiet[q + 1];
      continue;
    }
    const word = match[0];
    if (byName.size) {
      const found = byName.get(word);
      if (found !== undefined) {
        keepAll(reach, found);
        byName.delete(word);
      }
    }
    if (byClass.size) {
      const found = byClass.get(word);
      if (found === undefined) continue;
      ATTRIBUTE_AFTER.lastIndex = WORDS.lastIndex;
      const attribute = ATTRIBUTE_AFTER.exec(text);
      // No name right after the dot (a line continuation): kept, as the attribute is not known.
      if (attribute && (attribute[1] === undefined || classMayDefine(reach, word, attribute[1]))) {
        keepAll(reach, found);
        byClass.delete(word);
      }
    }
  }
}

/** Keeps the segments (indexes) not kept yet, and queues them to be read. */
function keepAll(reach: Reach, found: number[]): void {
  for (const index of found) {
    const s = reach.segments[index];
    if (s.keep) continue;
    s.keep = true;
    reach.queue.push(index);
  }
}

/**
 * True when a class named `name` may define `attribute`: the resolver takes the last class of
 * that name in the file, wherever it is, and reads only an assignment to the attribute in it
 * (python-values.ts classAttribute); methods and other uses of the name define nothing it reads.
 */
function classMayDefine(reach: Reach, name: string, attribute: string): boolean {
  const key = `${name}.${attribute}`;
  let found = reach.defines.get(key);
  if (found === undefined) {
    let classSegments = reach.classSegments;
    if (!classSegments) {
      classSegments = reach.classSegments = new Map();
      for (const s of reach.segments) for (const defined of s.classes) push(classSegments, defined, s);
    }
    // An assignment to it (`NAME = ...`, `self.NAME: T = ...`, continued lines too); `==` compares.
    const assigned = new RegExp(`${attribute}[\\s\\\\]*(?:=(?!=)|:)`);
    found = (classSegments.get(name) ?? []).some((s) => assigned.test(reach.text.slice(s.start, s.end)));
    reach.defines.set(key, found);
  }
  return found;
}

/**
 * What an import statement alone on its line binds, and the top-level modules it imports from
 * (none for a relative import): `import a.b` binds `a`, `import a.b as c` binds `c`,
 * `from m import x as y` binds `y`. Undefined for a star import or anything not read with
 * certainty (then the statement is kept).
 */
export function importedNames(text: string, start: number, end: number): { names: string[]; modules: string[] } | undefined {
  const tokens: string[] = [];
  for (let i = start; i < end; ) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 40 || c === 41) i++;
    else if (c === HASH) while (i < end && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
    else if (c === 44 || c === 46) {
      tokens.push(c === 44 ? ',' : '.');
      i++;
    } else if (isIdentifierStart(c)) {
      let j = i + 1;
      while (j < end && isIdentifierPart(text.charCodeAt(j))) j++;
      tokens.push(text.slice(i, j));
      i = j;
    } else return undefined;
  }
  const names: string[] = [];
  const modules: string[] = [];
  const at = tokens.indexOf('import');
  if (tokens[0] === 'from') {
    if (at < 2) return undefined;
    if (tokens[1] !== '.') modules.push(tokens[1]);
  } else if (at !== 0) return undefined;
  // The items after `import`, separated by commas: a dotted name, or a name, then `as alias`.
  let item: string[] = [];
  for (const token of [...tokens.slice(at + 1), ',']) {
    if (token !== ',') {
      item.push(token);
      continue;
    }
    if (!item.length) {
      // A trailing comma inside parentheses.
      continue;
    }
    const alias = item.length >= 3 && item[item.length - 2] === 'as' ? item[item.length - 1] : undefined;
    const named = item.filter((t) => t !== '.');
    if (named.some((t) => t === 'import' || t === 'from') || (alias === undefined && named.includes('as'))) return undefined;
    if (tokens[0] === 'from') {
      if (named.length !== (alias === undefined ? 1 : 3)) return undefined;
      names.push(alias ?? named[0]);
    } else {
      modules.push(named[0]);
      names.push(alias ?? named[0]);
    }
    item = [];
  }
  return names.length ? { names, modules } : undefined;
}

/** The index of the first span of `spans` (start and end offsets in turn, in order) that ends after `offset`. */
function firstEndingAfter(spans: readonly number[], offset: number): number {
  let low = 0;
  let high = spans.length >> 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (spans[2 * mid + 1] <= offset) low = mid + 1;
    else high = mid;
  }
  return 2 * low;
}

/** The index of the segment holding `offset`. */
function segmentAt(segments: Segment[], offset: number): number {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (segments[mid].start <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

const WORD = /[A-Za-z_\u0080-\ufefe\uff00-\uffff][\w\u0080-\ufefe\uff00-\uffff]*/g;
/** The same, read with `exec` from a given offset. */
const WORDS = new RegExp(WORD.source, 'g');
/** A dot after a word and the name after it (`Config.MODEL`), spaces and line breaks allowed before the dot. */
const ATTRIBUTE_AFTER = /\s*\.(?:[ \t]*([A-Za-z_\u0080-\ufefe\uff00-\uffff][\w\u0080-\ufefe\uff00-\uffff]*))?/y;

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function hasWord(text: string, words: Set<string>): boolean {
  for (const match of text.matchAll(WORD)) if (words.has(match[0])) return true;
  return false;
}

/** Tree-sitter's form of ranges (rows and columns too), in one pass over the text. */
export function treeSitterRanges(text: string, ranges: readonly TextRange[]): Range[] {
  const out: Range[] = [];
  let row = 0;
  let lineStart = 0;
  let cursor = 0;
  const pointAt = (offset: number) => {
    for (let at = text.indexOf('\n', cursor); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
      row++;
      lineStart = at + 1;
    }
    cursor = offset;
    return { row, column: offset - lineStart };
  };
  for (const range of ranges) {
    const startPosition = pointAt(range.start);
    out.push({ startIndex: range.start, endIndex: range.end, startPosition, endPosition: pointAt(range.end) });
  }
  return out;
}
