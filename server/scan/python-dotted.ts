// Dotted names in the Python syntax tree (`a.b.c`), shared by the scanner and its wrapper finder.
import type { SyntaxNode } from './tree-sitter';

/** `a.b.c` as ["a", "b", "c"]; undefined for anything that is not a plain dotted name. Iterative: chains can be thousands long. */
export function dottedPath(node: SyntaxNode | null | undefined): string[] | undefined {
  const parts: string[] = [];
  let current = node ?? null;
  for (; current?.type === 'attribute'; current = current.childForFieldName('object')) {
    const attribute = current.childForFieldName('attribute');
    if (!attribute) return undefined;
    parts.push(attribute.text);
  }
  if (current?.type !== 'identifier') return undefined;
  parts.push(current.text);
  return parts.reverse();
}
