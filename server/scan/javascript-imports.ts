// What each name of a JavaScript/TypeScript file is bound to among the Hugging Face packages:
// ESM imports (named, default, namespace), `require(...)` and `await import(...)`.
import { JS_PACKAGES } from './javascript-loaders';
import type { SyntaxNode } from './tree-sitter';

export interface JsBinding {
  module: string;
  /** The exported name; '*' for the whole module (namespace, default or require of it). */
  member: string;
}

export class JsImports {
  readonly bindings = new Map<string, JsBinding>();

  constructor(root: SyntaxNode) {
    for (const statement of root.descendantsOfType('import_statement')) if (statement) this.addImport(statement);
    for (const declarator of root.descendantsOfType('variable_declarator')) if (declarator) this.addRequire(declarator);
  }

  /** The module and member a dotted path starts from: `t.AutoModel` with `t` a namespace -> AutoModel. */
  resolve(path: string[]): { module: string; member: string; rest: string[] } | undefined {
    const binding = this.bindings.get(path[0]);
    if (!binding) return undefined;
    if (binding.member !== '*') return { module: binding.module, member: binding.member, rest: path.slice(1) };
    // `hf.default.X` (CommonJS interop) reads as `hf.X`.
    const rest = path[1] === 'default' ? path.slice(2) : path.slice(1);
    if (!rest.length) return undefined;
    return { module: binding.module, member: rest[0], rest: rest.slice(1) };
  }

  private addImport(statement: SyntaxNode): void {
    const module = stringValue(statement.childForFieldName('source'));
    if (!module || !JS_PACKAGES.includes(module)) return;
    const clause = statement.namedChildren.find((c) => c?.type === 'import_clause');
    for (const part of clause?.namedChildren ?? []) {
      if (!part) continue;
      if (part.type === 'identifier') this.bindings.set(part.text, { module, member: '*' });
      else if (part.type === 'namespace_import') {
        const name = part.namedChildren.find((c) => c?.type === 'identifier');
        if (name) this.bindings.set(name.text, { module, member: '*' });
      } else if (part.type === 'named_imports') {
        for (const specifier of part.namedChildren) {
          if (specifier?.type !== 'import_specifier') continue;
          const name = specifier.childForFieldName('name');
          const alias = specifier.childForFieldName('alias') ?? name;
          if (name && alias) this.bindings.set(alias.text, { module, member: stringValue(name) ?? name.text });
        }
      }
    }
  }

  /** `const x = require('m')`, `const { a, b: c } = require('m')`, the same with `await import('m')`. */
  private addRequire(declarator: SyntaxNode): void {
    let value = declarator.childForFieldName('value');
    while (value && (value.type === 'await_expression' || value.type === 'parenthesized_expression')) value = value.namedChildren[0] ?? null;
    if (value?.type !== 'call_expression') return;
    const fn = value.childForFieldName('function');
    if (!fn || !(fn.type === 'import' || (fn.type === 'identifier' && fn.text === 'require'))) return;
    const module = stringValue(value.childForFieldName('arguments')?.namedChildren[0] ?? null);
    if (!module || !JS_PACKAGES.includes(module)) return;
    const target = declarator.childForFieldName('name');
    if (target?.type === 'identifier') this.bindings.set(target.text, { module, member: '*' });
    if (target?.type !== 'object_pattern') return;
    for (const property of target.namedChildren) {
      if (property?.type === 'shorthand_property_identifier_pattern') this.bindings.set(property.text, { module, member: property.text });
      else if (property?.type === 'pair_pattern') {
        const key = property.childForFieldName('key');
        const alias = property.childForFieldName('value');
        if (key && alias?.type === 'identifier') this.bindings.set(alias.text, { module, member: stringValue(key) ?? key.text });
      }
    }
  }
}

/** The text of a plain string literal (no escapes), else undefined. */
function stringValue(node: SyntaxNode | null): string | undefined {
  if (node?.type !== 'string') return undefined;
  if (node.namedChildren.some((c) => c?.type !== 'string_fragment')) return undefined;
  return node.text.slice(1, -1);
}
