// Loads web-tree-sitter and its grammars once per process. The bundles find the .wasm
// files next to themselves (the build copies them); compiled tests find them in node_modules.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree } from 'web-tree-sitter';

function locate(file: string, packagePath: string): string {
  const bundled = join(__dirname, file);
  return existsSync(bundled) ? bundled : require.resolve(packagePath);
}

let runtime: Promise<void> | undefined;
const languages = new Map<string, Promise<Language>>();

function initRuntime(): Promise<void> {
  runtime ??= Parser.init({
    locateFile: () => locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm'),
  });
  return runtime;
}

/** A parser for one grammar of @vscode/tree-sitter-wasm, e.g. "python". */
export async function createParser(grammar: string): Promise<Parser> {
  await initRuntime();
  let language = languages.get(grammar);
  if (!language) {
    const file = `tree-sitter-${grammar}.wasm`;
    language = Language.load(locate(file, `@vscode/tree-sitter-wasm/wasm/${file}`));
    languages.set(grammar, language);
  }
  const parser = new Parser();
  parser.setLanguage(await language);
  return parser;
}
