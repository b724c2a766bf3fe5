// Loads web-tree-sitter and its grammars. The bundles find the .wasm files and the runtime's
// JavaScript next to themselves (the build copies them); compiled tests find them in node_modules.
//
// A hostile file can make the WASM runtime fail mid-parse ("memory access out of bounds"),
// after which its heap is not trustworthy. resetTreeSitter() throws the whole runtime away:
// the next parser comes from a freshly evaluated copy of web-tree-sitter with its own WASM
// instance (web-tree-sitter keeps one module per loaded copy, so Parser.init alone reuses it).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import type * as TreeSitter from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree, Parser } from 'web-tree-sitter';

type Runtime = typeof TreeSitter;

const load = createRequire(__filename);

function locate(file: string, packagePath: string): string {
  const bundled = join(__dirname, file);
  return existsSync(bundled) ? bundled : load.resolve(packagePath);
}

interface LoadedRuntime {
  runtime: Promise<Runtime>;
  languages: Map<string, Promise<TreeSitter.Language>>;
}

/** One runtime per pool: a failure in one language's parser does not touch another's heap. */
const runtimes = new Map<string, LoadedRuntime>();
let generation = 0;

/**
 * A fresh evaluation of web-tree-sitter, so its WASM module is a new instance. Evaluated
 * directly rather than through require: the module cache and the parent's list of children
 * would keep every discarded runtime (and its WASM memory) alive.
 */
function evaluateRuntime(): Runtime {
  const path = locate('web-tree-sitter.cjs', 'web-tree-sitter');
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${readFileSync(path, 'utf8')}\n})`, { filename: path });
  const module = { exports: {} };
  wrapper(module.exports, load, module, path, dirname(path));
  return module.exports as Runtime;
}

async function freshRuntime(): Promise<Runtime> {
  const runtime = evaluateRuntime();
  await runtime.Parser.init({
    locateFile: () => locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm'),
  });
  return runtime;
}

/** A parser for one grammar of @vscode/tree-sitter-wasm, e.g. "python", from the runtime of `pool`. */
export async function createParser(grammar: string, pool = 'default'): Promise<TreeSitter.Parser> {
  const { runtime, language } = await loaded(grammar, pool);
  const parser = new runtime.Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * Loads the runtime and a grammar ahead of the first parse (a scan worker does it while it waits
 * for its first file); the next createParser of that grammar and pool finds them ready.
 */
export async function preloadGrammar(grammar: string, pool = 'default'): Promise<void> {
  await loaded(grammar, pool);
}

async function loaded(grammar: string, pool: string): Promise<{ runtime: Runtime; language: TreeSitter.Language }> {
  let current = runtimes.get(pool);
  if (!current) runtimes.set(pool, (current = { runtime: freshRuntime(), languages: new Map() }));
  const { runtime: loading, languages } = current;
  const runtime = await loading;
  let language = languages.get(grammar);
  if (!language) {
    const file = `tree-sitter-${grammar}.wasm`;
    // Given as bytes: for a path it would use a dynamic import, which code evaluated this way cannot.
    language = runtime.Language.load(readFileSync(locate(file, `@vscode/tree-sitter-wasm/wasm/${file}`)));
    languages.set(grammar, language);
  }
  return { runtime, language: await language };
}

/** Forgets the runtime and every grammar loaded into it; the next createParser starts afresh. */
export function resetTreeSitter(pool = 'default'): void {
  runtimes.delete(pool);
  generation++;
}

/** How many times the runtime was thrown away (tests count recoveries with it). */
export function treeSitterResets(): number {
  return generation;
}
