// Finds Hugging Face model loads in Python source: calls that match the loader table,
// traced to the library they are imported from, with the id resolved where it is certain.
import { lineEndAt, lineStartAt } from '../core/positions';
import type { ArgumentValue, ModelReference } from '../core/types';
import { classifyModelId } from './hub-id';
import { CAPTURED_OPTIONS, hubPart, LOADER_HINTS, LOADERS, requestedId, type LoaderSpec } from './loaders';
import { PythonImports } from './python-imports';
import { nestingProblem } from './python-nesting';
import { readsAsPath, UnresolvedReader } from './python-unresolved';
import { guardValues } from './python-guards';
import { MODULE_WALK_TYPES, PythonValueResolver, type Resolution } from './python-values';
import { WrapperCalls } from './python-wrappers';
import { mentionsWorkspaceLoader, type WorkspaceSymbols } from './workspace-symbols';
import { createParser, resetTreeSitter, type Parser, type SyntaxNode } from './tree-sitter';
import { lexPython, rangesToParse, treeSitterRanges, type PythonLexicalFacts, type TextRange } from './lexical-python';
import { TreeCache } from './incremental-trees';
import { dottedPath } from './python-dotted';

export interface ScanOptions {
  /** True when a relative path names a folder of the workspace (then it is not a Hub id). */
  isLocalPath?: (path: string) => boolean;
  /** How long parsing one file may take, all attempts together (default PARSE_BUDGET_MS). */
  parseBudgetMs?: number;
  /** Hub model classes and wrapper functions defined anywhere in the workspace (workspace-symbols.ts). */
  workspace?: WorkspaceSymbols;
  /** This file's path relative to the workspace root, "/" separators (to find its own wrappers in `workspace`). */
  relativePath?: string;
  /** Internal: parse the whole text, without the lexical pre-pass (tests compare both paths). */
  plainParse?: boolean;
  /** Internal: a re-analysis of an edited document (incremental-scan.ts) talking to the scan. */
  partial?: PartialScan;
}

/** What an incremental re-analysis hands the scan, and what the scan reports back. */
export interface PartialScan {
  /** The lexical pass's kept ranges of this text (lone CRs read as LFs), already computed; undefined when its code names no loader. */
  ranges: TextRange[] | undefined;
  /** Scan only the calls in the top-level statements overlapping this stretch; a tree with syntax errors then stops the scan. */
  within?: TextRange;
  /** Set by the scan: the references came from one parse without syntax errors. */
  clean?: boolean;
}

/** Parsing one file may take this long; then the file gets a note instead of holding up the rest. */
export const PARSE_BUDGET_MS = 20_000;
/** WASM memory only grows: after a text this long the runtime is recycled to give back what it took. */
export const RECYCLE_AFTER_CHARS = 1_000_000;

/** Why a file was not scanned (too deeply nested, or the parser failed on it): a note, not a crash. */
export class UnscannableFile extends Error {}

let parser: Promise<Parser> | undefined;
/** Trees of recent texts for incremental re-parsing; off unless keepSyntaxTrees turned it on. */
let trees: TreeCache | undefined;

/** Keeps the trees of the last `count` texts, so an edited version parses incrementally (editors; 0 turns it off). */
export function keepSyntaxTrees(count: number): TreeCache | undefined {
  trees?.clear();
  trees = count > 0 ? new TreeCache(count) : undefined;
  return trees;
}

/** True when the text mentions a loader at all; files without a hint are never parsed. */
export function mightLoadModels(text: string): boolean {
  return ANY_HINT.test(text);
}

/** One search for every hint (a hint containing another is covered by it): a few times faster than one search per hint. */
const ANY_HINT = new RegExp(
  LOADER_HINTS.filter((hint) => !LOADER_HINTS.some((other) => other !== hint && hint.includes(other)))
    .map((hint) => hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
);

/** Extra parses, each with one more broken line blanked out, for files with syntax errors. */
export const MAX_RECOVERY_PARSES = 3;

export async function scanPython(text: string, options: ScanOptions = {}): Promise<ModelReference[]> {
  if (!mightLoadModels(text) && !mentionsWorkspaceLoader(text, options.workspace)) return [];
  const nesting = nestingProblem(text);
  if (nesting) throw new UnscannableFile(nesting);
  // Calls of the workspace's own wrappers and model classes are not in the lexical pass's loader
  // list: a file naming one is parsed whole.
  const plain = options.plainParse || mentionsWorkspaceLoader(text, options.workspace);
  // A loader named only in strings and comments loads nothing.
  const facts = plain || options.partial ? undefined : lexPython(text);
  if (!plain && !(options.partial ? options.partial.ranges : facts!.namesLoader)) return [];
  return parseAndScan(text, plain && !options.plainParse ? { ...options, plainParse: true } : options, facts);
}

/**
 * scanPython without the nesting check (exported so tests can drive the recovery). `facts`: the
 * lexical pass over this text, when already made (lone CRs read as line ends, as in the parsed text).
 */
export async function parseAndScan(text: string, options: ScanOptions = {}, facts?: PythonLexicalFacts): Promise<ModelReference[]> {
  for (;;) {
    const pending = (parser ??= createParser('python'));
    let active: Parser | undefined;
    try {
      active = await pending;
      // Thrown away while this scan waited: take the fresh one.
      if (pending !== parser) continue;
      const references = scanParsed(active, text, options, facts);
      if (text.length > RECYCLE_AFTER_CHARS) discardParser(active);
      return references;
    } catch (error) {
      // A failure inside the WASM runtime can leave its heap corrupt: one bad file must cost
      // only that file, so the next file gets a parser from a fresh runtime.
      if (pending === parser) discardParser(active);
      if (error instanceof UnscannableFile) throw error;
      const reason = (error as Error)?.message ?? String(error);
      throw new UnscannableFile((error as Error)?.name === 'RuntimeError' ? `the parser failed on it (${reason})` : `the scanner failed on it (${reason})`);
    }
  }
}

function discardParser(active: Parser | undefined): void {
  parser = undefined;
  trees?.clear();
  resetTreeSitter();
  try {
    // Deleting now unregisters its finalizer, which would otherwise call into the broken runtime later.
    active?.delete();
  } catch {
    // The runtime is broken; it is dropped with the parser.
  }
}

function scanParsed(active: Parser, text: string, options: ScanOptions, facts: PythonLexicalFacts | undefined): ModelReference[] {
  const found = new Map<string, ModelReference>();
  const budget = options.parseBudgetMs ?? PARSE_BUDGET_MS;
  const deadline = Date.now() + budget;
  // Returning true cancels the parse.
  const progressCallback = () => Date.now() > deadline;
  // Lone CRs end lines in Python, not in the grammar: parse them as LFs (same length, same offsets).
  const full = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  // The parser reads only what the lexical pass kept (same offsets); should that not parse
  // cleanly, the whole text is parsed instead, so error recovery sees what it always saw.
  // Editors keep trees: an edited text then re-parses incrementally, the whole of it.
  const kept = options.plainParse ? undefined : options.partial ? options.partial.ranges : rangesToParse(full, facts);
  let includedRanges = kept && !(kept.length === 1 && kept[0].start === 0 && kept[0].end === full.length) ? treeSitterRanges(full, kept) : undefined;
  let source = full;
  for (let attempt = 0; attempt <= MAX_RECOVERY_PARSES; attempt++) {
    const old = attempt === 0 && !options.plainParse ? trees?.take(source) : undefined;
    let tree;
    try {
      tree = active.parse(includedRanges ? rangeReader(source, kept!) : source, old ?? null, includedRanges ? { progressCallback, includedRanges } : { progressCallback });
    } finally {
      old?.delete();
    }
    if (tree && includedRanges && tree.rootNode.hasError) {
      tree.delete();
      // The kept stretches alone did not parse: what an edit outside them does is no longer known.
      if (options.partial) options.partial.clean = false;
      if (options.partial?.within) return [];
      includedRanges = undefined;
      attempt--;
      continue;
    }
    if (!tree) {
      if (attempt === 0) throw new UnscannableFile(`parsing took longer than ${budget / 1000} s`);
      active.reset();
      break;
    }
    try {
      if (options.partial && attempt === 0) {
        options.partial.clean = options.partial.clean !== false && !tree.rootNode.hasError;
        if (options.partial.within && tree.rootNode.hasError) break;
      }
      // What the tree was parsed from: its statements, calls and import keywords lie in these ranges (undefined: the whole text).
      const parsed = includedRanges ? kept : undefined;
      // The lexical pass found every import keyword of this text: a clean tree's import statements start at or hold one.
      const importKeywords = facts && source === full && !tree.rootNode.hasError ? offsetsWithin(facts.importKeywords, parsed) : undefined;
      for (const reference of new PythonFileScan(tree.rootNode, source, options, importKeywords, parsed).references()) {
        // A guarded call loads one model per compared literal: one reference each.
        const key = `${reference.callSpan.start}|${reference.modelId ?? ''}`;
        if (!found.has(key)) found.set(key, reference);
      }
      const error = tree.rootNode.hasError ? firstTopLevelError(tree.rootNode) : undefined;
      if (!error) break;
      // A half-typed line (`def f(x)` without its colon) can swallow the rest of the file
      // into one error node. Blank that line, keeping offsets, and parse again.
      source = blankLine(source, error.startIndex);
    } finally {
      if (attempt === 0 && trees && !options.plainParse && text.length <= RECYCLE_AFTER_CHARS) trees.put(full, tree);
      else tree.delete();
    }
  }
  return [...found.values()].sort((a, b) => a.callSpan.start - b.callSpan.start);
}

/** The sorted offsets that lie in the ranges (all of them without ranges). */
export function offsetsWithin(offsets: readonly number[], ranges: readonly TextRange[] | undefined): readonly number[] {
  if (!ranges) return offsets;
  const out: number[] = [];
  let r = 0;
  for (const at of offsets) {
    while (r < ranges.length && ranges[r].end <= at) r++;
    if (r === ranges.length) break;
    if (at >= ranges[r].start) out.push(at);
  }
  return out;
}

/** The most a read callback hands the parser at once (its buffer holds 10 KB of UTF-16). */
const READ_CHUNK = 4096;

/**
 * The parser's read callback for a text parsed through included ranges: the text from `index` to
 * the end of its range (a string input is copied 5 KB at a time from wherever the parser jumps,
 * though most kept ranges are a few lines long). Never empty before the text's end.
 */
export function rangeReader(text: string, ranges: readonly TextRange[]): (index: number) => string {
  let at = 0;
  return (index) => {
    // The parser reads forward: the range is found from the last one on (from the start when it went back).
    if (at >= ranges.length || ranges[at].start > index) at = 0;
    while (at < ranges.length && ranges[at].end <= index) at++;
    const range = ranges[at];
    const end = range && range.start <= index ? range.end : index + READ_CHUNK;
    return text.slice(index, Math.min(end, index + READ_CHUNK));
  };
}

export function firstTopLevelError(root: SyntaxNode): SyntaxNode | undefined {
  for (const child of root.children) {
    if (child && (child.type === 'ERROR' || child.hasError)) return child.type === 'ERROR' ? child : (child.descendantsOfType('ERROR')[0] ?? undefined);
  }
  return undefined;
}

/** Blanks the line around `offset`, keeping its line break. */
export function blankLine(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  const end = lineEndAt(text, offset);
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

/** The references of one parsed tree of `text` (an edited document's re-scan drives its own parses). */
export function scanTree(root: SyntaxNode, text: string, options: ScanOptions): ModelReference[] {
  return new PythonFileScan(root, text, options).references();
}

/** Calls that write a model folder (first argument) and keywords that name one. */
export const SAVE_METHODS = new Set(['save_pretrained', 'save_model', 'save', 'save_pretrained_merged']);
export const SAVE_KEYWORDS = new Set(['output_dir', 'save_directory']);
/** The keyword of a download's target folder: ids below it are local. */
export const DOWNLOAD_FOLDER_KEYWORD = 'local_dir';

/**
 * Where each loader sits in LOADERS, by the last name of the call it matches (`m:` method, `f:`
 * function): a call is compared with the few loaders of its name, in table order, not with all.
 */
const LOADERS_BY_NAME = new Map<string, number[]>();
LOADERS.forEach((loader, index) => {
  const key = loader.kind === 'method' ? `m:${loader.method}` : `f:${loader.function}`;
  LOADERS_BY_NAME.set(key, [...(LOADERS_BY_NAME.get(key) ?? []), index]);
});

/** One walk of the tree for the calls, the class definitions and what the resolver reads module-level assignments from. */
const CALL_WALK_TYPES = [...new Set(['call', 'class_definition', ...MODULE_WALK_TYPES])];

/** A call with what its function is: a dotted path (`a.b.c`) or not, and its last name. */
interface CallSite {
  call: SyntaxNode;
  fn: SyntaxNode | null;
  /** The function expression's type ("attribute", "identifier", ...). */
  fnType: string | undefined;
  /** `c` of `a.b.c(...)`, the text of any other function expression. */
  name: string | undefined;
  /** `["a", "b", "c"]`, null when the function is no dotted name; undefined until asked for (see pathOf). */
  path?: string[] | null;
}

/**
 * The call's function as a dotted path, worked out when first asked: most calls are compared by
 * their last name only, and following `a.b.c` down to `a` costs calls into the parser's runtime.
 */
function pathOf(site: CallSite): string[] | undefined {
  if (site.path === undefined) site.path = site.fnType === 'attribute' ? (dottedPath(site.fn) ?? null) : site.fnType === 'identifier' ? [site.name!] : null;
  return site.path ?? undefined;
}

class PythonFileScan {
  private readonly imports: PythonImports;
  private readonly values: PythonValueResolver;
  private readonly wrappers: WrapperCalls;
  private savedFolders?: Set<string>;

  /** Every call of the parsed text, met once and shared by the loader and saved-folder passes. */
  private sites?: CallSite[];

  constructor(
    private readonly root: SyntaxNode,
    private readonly text: string,
    private readonly options: ScanOptions,
    importKeywords?: readonly number[],
    /** The ranges the tree was parsed from (undefined: the whole text): no node lies outside them. */
    private readonly parsed?: readonly TextRange[],
  ) {
    this.imports = new PythonImports(root, importKeywords);
    this.values = new PythonValueResolver(
      root,
      this.imports,
      (name) => this.callSites().filter((site) => site.name === name && site.fnType === 'attribute').map((site) => site.call),
      () => (this.callSites(), this.classes!),
      () => (this.callSites(), this.moduleWalk!),
    );
    this.wrappers = new WrapperCalls(root, this.imports, this.values, options);
  }

  /** The file's class definitions, in tree order: met by the walk over the calls (each whole-tree walk costs a pass over every node). */
  private classes?: SyntaxNode[];
  /** The nodes the resolver's module-level assignments are read from (MODULE_WALK_TYPES), met by the same walk. */
  private moduleWalk?: SyntaxNode[];

  private callSites(): CallSite[] {
    if (!this.sites) {
      this.sites = [];
      this.classes = [];
      this.moduleWalk = [];
      for (const node of this.root.descendantsOfType(CALL_WALK_TYPES)) {
        if (!node) continue;
        const type = node.type;
        if (type !== 'call') {
          if (type === 'class_definition') this.classes.push(node);
          this.moduleWalk.push(node);
          continue;
        }
        const fn = node.childForFieldName('function');
        const fnType = fn?.type;
        const name = fnType === 'attribute' ? fn!.childForFieldName('attribute')?.text : fn?.text;
        this.sites.push({ call: node, fn, fnType, name });
      }
    }
    return this.sites;
  }

  references(): ModelReference[] {
    const out: ModelReference[] = [];
    const workspace = this.options.workspace;
    // A partial scan (an edited document) looks only at the top-level statements the edit touched.
    const within = this.options.partial?.within;
    const scopes = within ? this.root.children.filter((s): s is SyntaxNode => !!s && s.endIndex > within.start && s.startIndex < within.end) : undefined;
    const sites = scopes ? this.callSites().filter(({ call }) => scopes.some((scope) => call.startIndex >= scope.startIndex && call.endIndex <= scope.endIndex)) : this.callSites();
    for (const site of sites) {
      const { call } = site;
      const match = this.matchLoader(site) ?? (site.name === 'from_pretrained' ? this.wrappers.hubClassLoad(call) : undefined);
      if (!match) {
        // A wrapper is called by a dotted name ending in its own name, or by a plain name.
        if (workspace?.wrappers.size && (site.fnType === 'identifier' || (site.name !== undefined && workspace.wrappers.has(site.name) && pathOf(site)))) {
          out.push(...this.wrappers.referencesAt(call).filter((r) => !this.savedHere(r.writtenId ?? r.modelId ?? '')));
        }
        continue;
      }
      const found = this.buildReference(call, match.loader, match.library, match.receiver);
      for (const reference of found) this.wrappers.noteWrapper(reference);
      out.push(...found);
    }
    return out;
  }

  private matchLoader(site: CallSite): { loader: LoaderSpec; library: string; receiver?: string } | undefined {
    const { fn, fnType, name } = site;
    if (!fn || name === undefined) return undefined;
    // Only loaders of the call's name can match: a method's name, or the name a function was imported as.
    const attribute = fnType === 'attribute';
    const methods = attribute ? LOADERS_BY_NAME.get(`m:${name}`) : undefined;
    // `a.b.name` is a function of that name; a plain name is the member it was imported as.
    const functionName = attribute ? name : fnType === 'identifier' ? this.imports.bindings.get(name)?.member : undefined;
    const functions = functionName !== undefined ? LOADERS_BY_NAME.get(`f:${functionName}`) : undefined;
    if (!methods && !(functions && pathOf(site))) return undefined;
    const path = pathOf(site);
    // `a.b` of `a.b.name(...)`: the receiver's dotted path (undefined for `f().name(...)`).
    const object = attribute && path ? path.slice(0, -1) : undefined;
    const indexes = methods && functions ? [...methods, ...functions].sort((a, b) => a - b) : (methods ?? functions)!;
    for (const index of indexes) {
      const loader = LOADERS[index];
      const library = loader.kind === 'method' ? this.matchMethod(fn, attribute, name, object, loader.method, loader.libraries, loader.receiver) : this.matchFunction(path, loader.library, loader.function);
      if (!library) continue;
      const receiver = loader.kind === 'method' ? object : undefined;
      return { loader, library, ...(receiver ? { receiver: this.importedName(receiver) } : {}) };
    }
    return undefined;
  }

  /**
   * `Receiver.method` whose receiver is imported from an accepted library (or is local in a file
   * importing one). `name`: the call's last name; `path`: its receiver's dotted path, if it has one.
   */
  private matchMethod(fn: SyntaxNode, attribute: boolean, name: string, path: string[] | undefined, method: string, libraries: readonly string[], receiver?: RegExp): string | undefined {
    if (!attribute || name !== method || (!path && !fn.childForFieldName('object'))) return undefined;
    if (receiver && !(path && receiver.test(this.importedName(path)))) return undefined;
    const root = path?.[0];
    const imported = root ? this.imports.libraryOf(root) : undefined;
    if (imported) return libraries.includes(imported) ? imported : undefined;
    // A local variable or class (`model_cls`, `cls`): trust it only when the file imports a Hub library.
    return this.imports.topLevelModules.find((module) => libraries.includes(module));
  }

  /** `function` bound by `from library... import function`, or `library.function` / `alias.function`. */
  private matchFunction(path: string[] | undefined, library: string, name: string): string | undefined {
    if (!path) return undefined;
    const binding = this.imports.bindings.get(path[0]);
    if (!binding || binding.module.split('.')[0] !== library) return undefined;
    const qualified = [binding.member, ...path.slice(1)].filter(Boolean);
    return qualified[qualified.length - 1] === name ? library : undefined;
  }

  /** The name a dotted receiver was imported as (`AM` -> `AutoModel`), for receiver patterns. */
  private importedName(path: string[]): string {
    const binding = this.imports.bindings.get(path[0]);
    return [binding?.member ?? path[0], ...path.slice(1)].join('.');
  }

  private buildReference(call: SyntaxNode, loader: LoaderSpec, library: string, receiver?: string): ModelReference[] {
    const argumentList = call.childForFieldName('arguments');
    if (!argumentList || argumentList.type !== 'argument_list') return [];
    // Each argument's type is read once, and only a keyword argument is asked for its name and value (each a call into the parser's runtime).
    const args: SyntaxNode[] = [];
    const positional: SyntaxNode[] = [];
    const keywords = new Map<string, SyntaxNode>();
    for (const arg of argumentList.namedChildren) {
      const type = arg?.type;
      if (!arg || type === 'comment') continue;
      args.push(arg);
      if (type === 'keyword_argument') {
        const name = arg.childForFieldName('name')?.text;
        const value = arg.childForFieldName('value');
        if (name && value) keywords.set(name, value);
      } else if (type !== 'list_splat' && type !== 'dictionary_splat') positional.push(arg);
    }
    for (const [option, position] of Object.entries(loader.positionalOptions ?? {})) {
      if (!keywords.has(option) && positional[position]) keywords.set(option, positional[position]);
    }
    if (loader.repoTypeKeyword) {
      const repoType = keywords.get(loader.repoTypeKeyword);
      const value = repoType && this.values.resolve(repoType)?.value;
      if (typeof value === 'string' && value !== 'model') return [];
    }
    const idNode = loader.id.keywords.map((k) => keywords.get(k)).find(Boolean) ?? positional[loader.id.position];
    if (!idNode) return [];

    const common = {
      loader: loader.name === 'from_pretrained' ? `${library}.from_pretrained` : loader.name,
      library,
      ...(receiver ? { receiver } : {}),
      language: 'python' as const,
      idSpan: { start: idNode.startIndex, end: idNode.endIndex },
      callSpan: { start: call.startIndex, end: call.endIndex },
      argsEnd: args.length ? args[args.length - 1].endIndex : argumentList.startIndex + 1,
      canPin: loader.revisionKeyword !== undefined,
      revision: this.argument(loader.revisionKeyword ? keywords.get(loader.revisionKeyword) : undefined),
      options: this.capturedOptions(keywords),
    };
    const guard = guardValues(idNode, this.values);
    if (guard) return guard.values.flatMap((value) => this.hubReference(loader, { value, source: guard.source }, common));
    const resolved = this.values.resolve(idNode);
    if (!resolved || typeof resolved.value !== 'string') {
      // A model object or a path expression downloads nothing: no reference, as for a literal path.
      const why = new UnresolvedReader(this.values).explain(idNode);
      if (why.kind === 'object' || why.kind === 'path' || why.kind === 'forwarded') return [];
      return [{ modelId: null, unresolved: idNode.text, unresolvedReason: why.reason, ...(why.kind === 'path-name' ? { likelyPath: true } : {}), ...common }];
    }
    return this.hubReference(loader, resolved, common);
  }

  /** The reference for a resolved id string, or none when it names no Hub model for this loader. */
  hubReference(loader: LoaderSpec, resolved: Resolution, common: Omit<ModelReference, 'modelId'>): ModelReference[] {
    if (typeof resolved.value !== 'string' || readsAsLocal(resolved)) return [];
    const hubString = hubPart(loader, resolved.value);
    if (hubString === undefined) return [];
    const id = classifyModelId(hubString, this.options.isLocalPath);
    if (id.kind !== 'hub' || this.savedHere(id.id)) return [];
    const requested = requestedId(loader, id.id);
    return [{
      modelId: requested,
      ...(requested !== id.id ? { writtenId: id.id } : {}),
      ...(resolved.source ? { idSource: resolved.source } : {}),
      ...(resolved.overridable ? { idOverridable: true } : {}),
      ...common,
    }];
  }

  /**
   * True when this file saves a model to that folder (`save_pretrained("out/model")`,
   * `TrainingArguments(output_dir="out/run")`): loading it later reads the local folder.
   */
  private savedHere(id: string): boolean {
    if (!this.savedFolders) {
      this.savedFolders = new Set();
      // Without these words in the text no call can save a folder: the calls are not visited.
      // Where the keywords sit: a call naming one as an argument spans one of these offsets.
      // Only the parsed text holds calls: the rest is not searched.
      const parts = this.parsed ?? [{ start: 0, end: this.text.length }];
      const offsets = parts.flatMap(({ start, end }) => saveKeywordOffsets(this.text.slice(start, end)).map((at) => at + start));
      const keywords = offsets.length > 0;
      const calls = keywords || parts.some(({ start, end }) => this.text.slice(start, end).includes('save')) ? this.callSites() : [];
      for (const { call, name } of calls) {
        if (!(name && SAVE_METHODS.has(name)) && !(keywords && spansAny(offsets, call.startIndex, call.endIndex))) continue;
        const { targets, localDir } = saveTargets(call, name);
        for (const target of targets) {
          const value = target && this.values.resolve(target)?.value;
          if (typeof value === 'string' && value) this.savedFolders.add(value.replace(/\/+$/, ''));
        }
        // A download's local_dir: ids under it (`dir/LLM`) are local; `dir` itself may be the id downloaded. Kept with a trailing `/`.
        const folder = localDir && this.values.resolve(localDir)?.value;
        if (typeof folder === 'string' && folder.replace(/\/+$/, '')) this.savedFolders.add(`${folder.replace(/\/+$/, '')}/`);
      }
    }
    const saved = (folder: string) => (folder.endsWith('/') ? id.startsWith(folder) : id === folder || id.startsWith(`${folder}/`));
    return [...this.savedFolders].some(saved) || [...(this.options.workspace?.savedFolders ?? [])].some(saved);
  }

  private capturedOptions(keywords: Map<string, SyntaxNode>): Record<string, ArgumentValue> {
    const options: Record<string, ArgumentValue> = {};
    for (const key of CAPTURED_OPTIONS) {
      const value = this.argument(keywords.get(key));
      if (value) options[key] = value;
    }
    return options;
  }

  private argument(node: SyntaxNode | undefined): ArgumentValue | undefined {
    if (!node) return undefined;
    const resolved = this.values.resolve(node);
    const base = { text: node.text, span: { start: node.startIndex, end: node.endIndex } };
    if (!resolved) return { ...base, resolved: false };
    return { ...base, value: resolved.value, resolved: true, ...(resolved.source ? { source: resolved.source } : {}) };
  }
}

/**
 * The expressions a call saves to (its first argument for a save method, a save keyword's value)
 * and a download's `local_dir`: what savedHere resolves, and all an edit must leave alone for
 * the folders saved to stay the same (incremental-scan.ts compares them).
 */
export function saveTargets(call: SyntaxNode, name: string | undefined): { targets: (SyntaxNode | null)[]; localDir: SyntaxNode | null | undefined } {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const targets = [
    ...(name && SAVE_METHODS.has(name) && args[0]?.type !== 'keyword_argument' ? [args[0]] : []),
    ...args.filter((a) => a?.type === 'keyword_argument' && SAVE_KEYWORDS.has(a.childForFieldName('name')?.text ?? '')).map((a) => a!.childForFieldName('value')),
  ];
  const localDir = args.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === DOWNLOAD_FOLDER_KEYWORD)?.childForFieldName('value');
  return { targets, localDir };
}

/** What every folder keyword holds: one search for it finds them all. */
const FOLDER_KEYWORD_CORE = '_dir';
const FOLDER_KEYWORDS = [...SAVE_KEYWORDS, DOWNLOAD_FOLDER_KEYWORD].map((word) => ({ word, core: word.indexOf(FOLDER_KEYWORD_CORE) }));

/**
 * Offsets of every occurrence of a save keyword or the download folder keyword in `text`, in
 * order: one search for their common part instead of one pass over the text per keyword.
 */
export function saveKeywordOffsets(text: string): number[] {
  if (FOLDER_KEYWORDS.some(({ core }) => core < 0)) return FOLDER_KEYWORDS.flatMap(({ word }) => occurrences(text, word)).sort((a, b) => a - b);
  const out: number[] = [];
  for (let at = text.indexOf(FOLDER_KEYWORD_CORE); at >= 0; at = text.indexOf(FOLDER_KEYWORD_CORE, at + 1)) {
    // Each keyword is matched at its first `_dir`, so each of its occurrences is found once.
    for (const { word, core } of FOLDER_KEYWORDS) if (at >= core && text.startsWith(word, at - core)) out.push(at - core);
  }
  return out.sort((a, b) => a - b);
}

/** Offsets of every occurrence of `word` in `text`. */
function occurrences(text: string, word: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) out.push(at);
  return out;
}

/** True when a sorted offset lies in [start, end). */
function spansAny(sorted: number[], start: number, end: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] < start) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length && sorted[low] < end;
}

/** Placeholders in examples ("path-to-your-trained-model", "<model>"): not ids anyone can load. */
const PLACEHOLDER = /^(?:path[-_]to[-_]|your[-_]|<)/i;

/**
 * A value that names a local folder though it resolved: a placeholder, or the default of an
 * argparse flag or dataclass field that reads as a path (`--output_dir`, `save_path`).
 */
function readsAsLocal(resolved: Resolution): boolean {
  if (typeof resolved.value === 'string' && PLACEHOLDER.test(resolved.value)) return true;
  const name = resolved.overridable ? /(?:argparse default of -*|dataclass field \w+\.)([\w-]+)/.exec(resolved.source ?? '')?.[1] : undefined;
  return !!name && readsAsPath(name.replace(/-/g, '_'));
}


