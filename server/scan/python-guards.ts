// Guards: inside `if choice == "roberta-large":` (or `in ("a", "b")`, an `elif`, an `or` of
// such tests, a `case "a" | "b":` of `match choice`) the variable can only hold the compared
// literal(s). A loader called there with that variable loads those models, one reference each.
import type { PythonValueResolver } from './python-values';
import type { SyntaxNode } from './tree-sitter';

export interface GuardValues {
  values: string[];
  /** What the reader sees as the source, e.g. "compared in the if on line 12". */
  source: string;
}

/** How far up from the id argument a guard is looked for. */
const MAX_LEVELS = 200;

const same = (a: SyntaxNode, b: SyntaxNode) => a.text.replace(/\s+/g, '') === b.text.replace(/\s+/g, '');

/**
 * The literals a guard around `idNode` allows, when `idNode` is a name or attribute tested by an
 * enclosing `if`/`elif` condition or `match` case made only of equality tests against string
 * literals. The nearest guard wins. Undefined when there is none (or the branch is an `else`).
 */
export function guardValues(idNode: SyntaxNode, values: PythonValueResolver): GuardValues | undefined {
  const idType = idNode.type;
  if (idType !== 'identifier' && idType !== 'attribute' && idType !== 'subscript') return undefined;
  let child: SyntaxNode = idNode;
  let parent = idNode.parent;
  for (let level = 0; parent && level < MAX_LEVELS; level++, child = parent, parent = parent.parent) {
    // Each `type` and field look-up calls into the parser's runtime: read once, and only for the guarding kinds.
    const type = parent.type;
    if (type === 'function_definition' || type === 'class_definition' || type === 'lambda') return undefined;
    if (type !== 'if_statement' && type !== 'elif_clause' && type !== 'case_clause') continue;
    const inBody = parent.childForFieldName('consequence')?.equals(child);
    if ((type === 'if_statement' || type === 'elif_clause') && inBody) {
      const condition = parent.childForFieldName('condition');
      const found = condition && literalsTested(condition, idNode, values);
      if (found?.length) return { values: found, source: `compared in the ${type === 'if_statement' ? 'if' : 'elif'} on line ${parent.startPosition.row + 1}` };
    }
    if (type === 'case_clause' && inBody) {
      const match = parent.parent?.parent;
      const subject = match?.type === 'match_statement' ? match.childForFieldName('subject') : undefined;
      if (subject && same(subject, idNode)) {
        const found = caseLiterals(parent, values);
        if (found?.length) return { values: found, source: `matched by the case on line ${parent.startPosition.row + 1}` };
      }
    }
  }
  return undefined;
}

/** `x == "a"`, `"a" == x`, `x in ("a", "b")`, and `or` of those; undefined for anything else. */
function literalsTested(condition: SyntaxNode, subject: SyntaxNode, values: PythonValueResolver): string[] | undefined {
  if (condition.type === 'parenthesized_expression') {
    const inner = condition.namedChildren[0];
    return inner ? literalsTested(inner, subject, values) : undefined;
  }
  if (condition.type === 'boolean_operator' && condition.childForFieldName('operator')?.text === 'or') {
    const left = condition.childForFieldName('left');
    const right = condition.childForFieldName('right');
    const a = left && literalsTested(left, subject, values);
    const b = right && literalsTested(right, subject, values);
    return a && b ? [...new Set([...a, ...b])] : undefined;
  }
  if (condition.type !== 'comparison_operator') return undefined;
  const operands = condition.namedChildren.filter((c): c is SyntaxNode => !!c);
  const operators = condition.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
  if (operands.length !== 2 || operators.length !== 1) return undefined;
  const [left, right] = operands;
  if (operators[0] === '==') {
    const other = same(left, subject) ? right : same(right, subject) ? left : undefined;
    const value = other && stringValue(other, values);
    return value === undefined ? undefined : [value];
  }
  if (operators[0] === 'in' && same(left, subject) && ['tuple', 'list', 'set'].includes(right.type)) {
    const items = right.namedChildren.filter((c): c is SyntaxNode => !!c).map((c) => stringValue(c, values));
    return items.length && items.every((v): v is string => v !== undefined) ? items : undefined;
  }
  return undefined;
}

/** The strings of `case "a" | "b":`; undefined when the pattern captures or matches anything else. */
function caseLiterals(clause: SyntaxNode, values: PythonValueResolver): string[] | undefined {
  const patterns = clause.namedChildren.filter((c): c is SyntaxNode => c?.type === 'case_pattern');
  if (!patterns.length || clause.childForFieldName('guard')) return undefined;
  const out: string[] = [];
  for (const pattern of patterns) {
    const inner = pattern.namedChildren[0];
    const alternatives = inner?.type === 'union_pattern' ? inner.namedChildren : [inner];
    for (const alternative of alternatives) {
      if (alternative?.type !== 'string') return undefined;
      const value = stringValue(alternative, values);
      if (value === undefined) return undefined;
      out.push(value);
    }
  }
  return out;
}

function stringValue(node: SyntaxNode, values: PythonValueResolver): string | undefined {
  const resolved = values.resolve(node);
  return typeof resolved?.value === 'string' ? resolved.value : undefined;
}
