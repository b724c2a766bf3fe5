// The workspace symbol index: what one file's scan needs to know about the others.
// - Hub model classes: classes that subclass ModelHubMixin / PyTorchModelHubMixin /
//   PreTrainedModel (directly or through other workspace classes), so `MyNet.from_pretrained("org/x")`
//   is a load wherever MyNet is imported from.
// - Wrappers: top-level functions whose parameter reaches a loader's id argument, so a call
//   `download("org/x", "file.bin")` is a load with the id written at the call site. One level deep:
//   a wrapper of a wrapper is not followed.
// The engine builds the index once per workspace scan and passes it in the scan options; without
// it (a single file in the editor) every file is scanned on its own, as before.
import { createParser, type Parser, type SyntaxNode } from './tree-sitter';
import { LOADERS } from './loaders';
import { scanPython } from './python';

export interface WrapperSpec {
  /** "relative/path.py:name", unique in the workspace. */
  key: string;
  name: string;
  /** File that defines it, relative to the workspace root. */
  file: string;
  /** Dotted module names the file can be imported as ("pkg.utils", "utils"). */
  modules: string[];
  /** 1-based line of the definition, for messages. */
  line: number;
  /** The parameter that reaches the id, and its position among positional parameters (-1: keyword-only). */
  parameter: string;
  position: number;
  /** Registry entry (LoaderSpec.name) of the inner call, and the reference fields it gives. */
  loaderSpec: string;
  loader: string;
  library: string;
  receiver?: string;
  /** Offset of the inner call's id argument in `file`. */
  innerIdStart: number;
}

export interface HubClass {
  library: string;
  /** Modules of the files that define a class of that name. */
  modules: string[];
  files: string[];
}

export interface WorkspaceSymbols {
  hubClasses: Map<string, HubClass>;
  wrappers: Map<string, WrapperSpec[]>;
  /** Wrapper keys with at least one call site whose id resolved. */
  resolvedCalls: Set<string>;
  /** Wrapper keys with a call site whose id is decided at run time: their inner reference stays. */
  unresolvedCalls: Set<string>;
}

export interface SourceText {
  relativePath: string;
  text: string;
}

/** Base classes (last dotted segment) that give a class `from_pretrained` from the Hub, and the library that loads. */
const HUB_BASES: [RegExp, string][] = [
  [/^(PyTorchModelHubMixin|ModelHubMixin|KerasModelHubMixin)$/, 'huggingface_hub'],
  [/PreTrainedModel$/, 'transformers'],
  [/^ModelMixin$/, 'diffusers'],
];

const CLASS_HEADER = /^[ \t]*class[ \t]+(\w+)[ \t]*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*:/gm;

/** True when the text names a workspace wrapper or Hub class (then it is worth parsing even without a loader hint). */
export function mentionsWorkspaceLoader(text: string, symbols: WorkspaceSymbols | undefined): boolean {
  if (!symbols) return false;
  for (const name of symbols.wrappers.keys()) if (text.includes(name)) return true;
  for (const name of symbols.hubClasses.keys()) if (text.includes(name)) return true;
  return false;
}

export function emptySymbols(): WorkspaceSymbols {
  return { hubClasses: new Map(), wrappers: new Map(), resolvedCalls: new Set(), unresolvedCalls: new Set() };
}

/** The dotted names a Python file can be imported as: every suffix of its path ("src.pkg.m", "pkg.m", "m"). */
export function moduleNames(relativePath: string): string[] {
  const parts = relativePath.replace(/\.py$/i, '').split('/').filter(Boolean);
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.map((_, i) => parts.slice(i).join('.')).filter(Boolean);
}

/** Builds the index from the workspace's Python files: classes by a text pass, wrappers by parsing files that load models. */
export async function buildWorkspaceSymbols(files: SourceText[]): Promise<WorkspaceSymbols> {
  const symbols = emptySymbols();
  collectHubClasses(files, symbols);
  for (const file of files) {
    if (!file.relativePath.toLowerCase().endsWith('.py') || !/\bdef\b/.test(file.text)) continue;
    let references;
    try {
      references = await scanPython(file.text, { relativePath: file.relativePath });
    } catch {
      continue; // a file the scanner cannot read gets its note in the main scan
    }
    const candidates = references.filter((r) => r.unresolvedReason === 'parameter' || r.idSource?.startsWith('default of parameter '));
    if (!candidates.length) continue;
    // A parser per file: the scanner may recycle the WASM runtime between files, which would break a kept one.
    const parser: Parser = await createParser('python');
    const tree = parser.parse(file.text);
    try {
      for (const reference of tree ? candidates : []) {
        const spec = wrapperAt(tree!.rootNode, file.relativePath, reference);
        if (spec) push(symbols.wrappers, spec.name, spec);
      }
    } finally {
      tree?.delete();
      parser.delete();
    }
  }
  // Call sites: a scan of each file naming a wrapper records which wrappers are called with ids it can resolve.
  const names = [...symbols.wrappers.keys()];
  for (const file of files) {
    if (!names.some((name) => file.text.includes(name))) continue;
    try {
      await scanPython(file.text, { relativePath: file.relativePath, workspace: symbols });
    } catch {
      // reported by the main scan
    }
  }
  return symbols;
}

function collectHubClasses(files: SourceText[], symbols: WorkspaceSymbols): void {
  const bases = new Map<string, { bases: string[]; file: string }[]>();
  for (const file of files) {
    if (!file.text.includes('class')) continue;
    for (const match of file.text.matchAll(CLASS_HEADER)) {
      const names = match[2]
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b && !b.includes('='))
        .map((b) => b.replace(/\[.*$/s, '').split('.').pop()!.trim());
      push(bases, match[1], { bases: names, file: file.relativePath });
    }
  }
  // Fixed point: a class is a Hub class when one of its bases is a Hub base or a Hub class.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, definitions] of bases) {
      if (symbols.hubClasses.has(name)) continue;
      for (const definition of definitions) {
        const library = definition.bases.map((base) => HUB_BASES.find(([pattern]) => pattern.test(base))?.[1] ?? symbols.hubClasses.get(base)?.library).find(Boolean);
        if (!library) continue;
        const hub = symbols.hubClasses.get(name) ?? { library, modules: [], files: [] };
        hub.files.push(definition.file);
        hub.modules.push(...moduleNames(definition.file));
        symbols.hubClasses.set(name, hub);
        changed = true;
      }
    }
  }
}

/** The wrapper a reference makes of its enclosing top-level function, when its id is that function's parameter. */
function wrapperAt(root: SyntaxNode, file: string, reference: { idSpan: { start: number; end: number }; loader: string; library: string; receiver?: string }): WrapperSpec | undefined {
  const idNode = root.descendantForIndex(reference.idSpan.start, reference.idSpan.end);
  if (idNode?.type !== 'identifier') return undefined;
  let fn: SyntaxNode | null = idNode.parent;
  while (fn && fn.type !== 'function_definition') {
    if (fn.type === 'lambda' || fn.type === 'class_definition') return undefined;
    fn = fn.parent;
  }
  // Top level only (possibly under a decorator): methods are called through objects the index does not follow.
  const holder = fn?.parent?.type === 'decorated_definition' ? fn.parent : fn;
  if (!fn || holder?.parent?.type !== 'module') return undefined;
  const name = fn.childForFieldName('name')?.text;
  if (!name) return undefined;
  const parameter = parameterPosition(fn, idNode.text);
  if (!parameter) return undefined;
  const loaderSpec = LOADERS.find((l) => reference.loader === l.name || (l.name === 'from_pretrained' && reference.loader === `${reference.library}.from_pretrained`))?.name;
  if (!loaderSpec) return undefined;
  return {
    key: `${file}:${name}`,
    name,
    file,
    modules: moduleNames(file),
    line: fn.startPosition.row + 1,
    parameter: idNode.text,
    position: parameter.position,
    loaderSpec,
    loader: reference.loader,
    library: reference.library,
    ...(reference.receiver ? { receiver: reference.receiver } : {}),
    innerIdStart: reference.idSpan.start,
  };
}

/** Where `name` sits among the function's parameters; undefined when it is not one (or is *args / **kwargs). */
function parameterPosition(fn: SyntaxNode, name: string): { position: number } | undefined {
  let position = 0;
  let keywordOnly = false;
  for (const parameter of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!parameter) continue;
    if (parameter.type === 'list_splat_pattern' || parameter.type === 'keyword_separator' || parameter.text === '*') {
      keywordOnly = true;
      continue;
    }
    if (parameter.type === 'dictionary_splat_pattern' || parameter.type === 'positional_separator') continue;
    const own = parameter.type === 'identifier' ? parameter.text : (parameter.childForFieldName('name')?.text ?? parameter.namedChildren[0]?.text);
    if (own === name) return { position: keywordOnly ? -1 : position };
    position++;
  }
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
