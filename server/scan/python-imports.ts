// What each local name in a Python file was imported as, so a loader call can be
// traced back to the library it claims to come from.
import type { SyntaxNode } from './tree-sitter';

export interface ImportBinding {
  /** Full module path, e.g. "transformers.pipelines". */
  module: string;
  /** Imported member for `from m import name`; absent for `import m`. */
  member?: string;
}

export class PythonImports {
  readonly bindings = new Map<string, ImportBinding>();
  /** Top-level modules in import order. */
  readonly topLevelModules: string[] = [];
  /** `from .m import name` statements, in source order: they bind no library (python-wrappers.ts reads them). */
  readonly relativeImports: SyntaxNode[] = [];

  /**
   * `keywordsAt`: offsets of the text's `import`/`from` keywords (lexical-python.ts), to find the
   * statements without a walk over every node; only for a tree without syntax errors.
   */
  constructor(root: SyntaxNode, keywordsAt?: readonly number[]) {
    for (const node of keywordsAt ? importStatementsAt(root, keywordsAt) : root.descendantsOfType(['import_statement', 'import_from_statement'])) {
      if (node) this.add(node);
    }
  }

  /** The top-level library a local name comes from, e.g. "transformers". */
  libraryOf(localName: string): string | undefined {
    return this.bindings.get(localName)?.module.split('.')[0];
  }

  private add(node: SyntaxNode): void {
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        if (!name) continue;
        if (name.type === 'aliased_import') {
          const module = name.childForFieldName('name')?.text;
          const alias = name.childForFieldName('alias')?.text;
          if (module && alias) this.bind(alias, { module });
        } else {
          // `import a.b` binds `a` to the package a.
          const top = name.text.split('.')[0];
          this.bind(top, { module: top });
          if (name.text !== top) this.noteModule(name.text);
        }
      }
      return;
    }
    const moduleNode = node.childForFieldName('module_name');
    if (moduleNode?.type === 'relative_import') this.relativeImports.push(node);
    if (!moduleNode || moduleNode.type === 'relative_import') return;
    const module = moduleNode.text.replace(/\s+/g, '');
    for (const name of node.childrenForFieldName('name')) {
      if (!name) continue;
      if (name.type === 'aliased_import') {
        const member = name.childForFieldName('name')?.text;
        const alias = name.childForFieldName('alias')?.text;
        if (member && alias) this.bind(alias, { module, member });
      } else {
        const member = name.text;
        this.bind(member, { module, member });
      }
    }
  }

  private bind(local: string, binding: ImportBinding): void {
    this.bindings.set(local, binding);
    this.noteModule(binding.module);
  }

  private noteModule(module: string): void {
    const top = module.split('.')[0];
    if (!this.topLevelModules.includes(top)) this.topLevelModules.push(top);
  }
}

/** The import statements starting at or holding those keywords, in source order, each once. */
function importStatementsAt(root: SyntaxNode, keywordsAt: readonly number[]): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  let last = -1;
  for (const at of keywordsAt) {
    // The keywords are unnamed nodes: the smallest named node around one is its statement.
    const node = root.namedDescendantForIndex(at, at + 1);
    // A statement's second keyword (`from m import x`) finds it again: told by where it starts, before asking its type.
    if (!node || node.startIndex <= last) continue;
    const type = node.type;
    if (type !== 'import_statement' && type !== 'import_from_statement') continue;
    last = node.startIndex;
    found.push(node);
  }
  return found;
}
