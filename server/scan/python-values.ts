// Resolves the value of an expression statically, following the constants, defaults
// and configuration shapes that ML scripts use to name their models. Anything it
// cannot be sure of stays unresolved: the scanner never guesses an id.
import { decodeEscape, stringPrefix } from './python-strings';
import type { PythonImports } from './python-imports';
import type { SyntaxNode } from './tree-sitter';

export type Constant = string | boolean | number | null;

export interface Resolution {
  value: Constant;
  /** Where the value came from when it was not written at the use site. */
  source?: string;
  /** True when the value is only a default that run time replaces (argparse, dataclass, parameter, environment). */
  overridable?: boolean;
}

const MAX_DEPTH = 12;
/** Longer folded strings are not ids or paths (PATH_MAX is 4096): leave them unresolved. */
export const MAX_FOLDED_LENGTH = 4096;
/** Resolution steps (values followed plus syntax nodes visited) per file; beyond it, unresolved. */
export const STEP_BUDGET = 1_000_000;
const SCOPE_TYPES = new Set(['function_definition', 'lambda']);
const NESTED_SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

export class PythonValueResolver {
  private moduleAssignments?: Map<string, SyntaxNode[]>;
  private argparseDefaults?: Map<string, { value: SyntaxNode; flag: string }>;
  private dataclassFields?: Map<string, { value: SyntaxNode; owner: string }[]>;
  private classes?: Map<string, SyntaxNode>;
  /** Each function body's bindings (see bindingsIn), by the body's node id. */
  private readonly bodies = new Map<number, BodyBinding[]>();
  /** Shared with the walks so one hostile file cannot make resolution quadratic. */
  private readonly budget = { left: STEP_BUDGET };

  /**
   * `callsNamed(name)`: the file's calls of a method of that name, in tree order, when the caller
   * already walked every call (each whole-tree walk costs a pass over every node). `classDefinitions()`:
   * the file's class definitions in tree order, when the caller's walk met them too.
   * `moduleWalk()`: the file's nodes of MODULE_WALK_TYPES in tree order, from the caller's walk too.
   */
  constructor(
    private readonly root: SyntaxNode,
    private readonly imports: PythonImports,
    private readonly callsNamed?: (name: string) => SyntaxNode[],
    private readonly classDefinitions?: () => SyntaxNode[],
    private readonly moduleWalk?: () => SyntaxNode[],
  ) {}

  resolve(node: SyntaxNode, depth = 0): Resolution | undefined {
    if (depth > MAX_DEPTH || --this.budget.left < 0) return undefined;
    switch (node.type) {
      case 'string':
        return this.resolveString(node, depth);
      case 'concatenated_string':
        return this.joinParts(node.namedChildren, depth);
      case 'parenthesized_expression': {
        const inner = node.namedChildren[0];
        return inner ? this.resolve(inner, depth + 1) : undefined;
      }
      case 'true':
        return { value: true };
      case 'false':
        return { value: false };
      case 'none':
        return { value: null };
      case 'integer':
      case 'float': {
        const number = Number(node.text.replace(/_/g, ''));
        return Number.isFinite(number) ? { value: number } : undefined;
      }
      case 'binary_operator':
        return this.resolveConcatenation(node, depth);
      case 'identifier':
        return this.resolveIdentifier(node, depth);
      case 'attribute':
        return this.resolveAttribute(node, depth);
      case 'call':
        return this.resolveEnvironmentDefault(node, depth);
      case 'conditional_expression':
        return this.resolveArgvFallback(node, depth);
      default:
        return undefined;
    }
  }

  /**
   * `sys.argv[1] if len(sys.argv) > 1 else "org/name"`: the written alternative is the default
   * a command-line argument replaces. Other conditionals stay unresolved (the guards reader
   * handles `if name == "...":`).
   */
  private resolveArgvFallback(node: SyntaxNode, depth: number): Resolution | undefined {
    const [body, , alternative] = node.namedChildren;
    if (!body || !alternative) return undefined;
    const written = this.isArgv(body) ? alternative : this.isArgv(alternative) ? body : undefined;
    if (!written) return undefined;
    const resolved = this.follow(written, 'default when no command-line argument is given', depth, true);
    return resolved && typeof resolved.value === 'string' ? resolved : undefined;
  }

  /** `sys.argv[i]` (or `argv[i]` imported from sys). */
  private isArgv(node: SyntaxNode): boolean {
    if (node.type !== 'subscript') return false;
    const value = node.childForFieldName('value');
    if (!value) return false;
    if (value.type === 'attribute') return value.text === 'sys.argv' && this.imports.bindings.get('sys')?.module === 'sys';
    const binding = value.type === 'identifier' ? this.imports.bindings.get(value.text) : undefined;
    return binding?.module === 'sys' && binding.member === 'argv';
  }

  private resolveString(node: SyntaxNode, depth: number): Resolution | undefined {
    let prefix = '';
    let out = '';
    for (const child of node.children) {
      if (!child) continue;
      switch (child.type) {
        case 'string_start':
          prefix = stringPrefix(child.text);
          if (prefix.includes('b')) return undefined;
          break;
        case 'string_content':
          out += this.decodeContent(child, prefix.includes('r'));
          break;
        case 'escape_sequence': {
          const decoded = prefix.includes('r') ? child.text : decodeEscape(child.text);
          if (decoded === undefined) return undefined;
          out += decoded;
          break;
        }
        case 'interpolation': {
          const expression = child.childForFieldName('expression');
          if (!expression || child.childForFieldName('format_specifier')) return undefined;
          const conversion = child.childForFieldName('type_conversion')?.text;
          if (conversion && conversion !== '!s') return undefined;
          const value = this.resolve(expression, depth + 1);
          if (!value || value.value === null) return undefined;
          out += String(value.value);
          if (out.length > MAX_FOLDED_LENGTH) return undefined;
          break;
        }
        case 'string_end':
          break;
        default:
          if (child.type === 'ERROR') return undefined;
      }
    }
    return { value: out };
  }

  private decodeContent(content: SyntaxNode, raw: boolean): string {
    let out = '';
    let cursor = content.startIndex;
    for (const escape of content.namedChildren) {
      if (!escape || escape.type !== 'escape_sequence') continue;
      out += content.text.slice(cursor - content.startIndex, escape.startIndex - content.startIndex);
      out += raw ? escape.text : (decodeEscape(escape.text) ?? escape.text);
      cursor = escape.endIndex;
    }
    return out + content.text.slice(cursor - content.startIndex);
  }

  private joinParts(parts: (SyntaxNode | null)[], depth: number): Resolution | undefined {
    let out = '';
    for (const part of parts) {
      const value = part && this.resolve(part, depth + 1);
      if (!value || typeof value.value !== 'string') return undefined;
      out += value.value;
      if (out.length > MAX_FOLDED_LENGTH) return undefined;
    }
    return { value: out };
  }

  private resolveConcatenation(node: SyntaxNode, depth: number): Resolution | undefined {
    if (node.childForFieldName('operator')?.text !== '+') return undefined;
    const joined = this.joinParts([node.childForFieldName('left'), node.childForFieldName('right')], depth);
    return joined && { value: joined.value, source: 'string built from constants' };
  }

  private resolveIdentifier(node: SyntaxNode, depth: number): Resolution | undefined {
    const name = node.text;
    const ancestors = this.ancestors(node);
    if (!ancestors) return undefined;
    for (const scope of ancestors) {
      if (!SCOPE_TYPES.has(scope.type)) continue;
      const bound = this.lookupInFunction(scope, name, node.startIndex);
      if (bound === null) return undefined;
      if (bound) return this.follow(bound.value, bound.source, depth, bound.source.startsWith('default of parameter'));
    }
    const assignments = this.getModuleAssignments().get(name);
    if (!assignments?.length) return undefined;
    const insideFunction = ancestors.some((a) => SCOPE_TYPES.has(a.type));
    const before = insideFunction ? assignments : assignments.filter((value) => value.startIndex < node.startIndex);
    const value = before[before.length - 1];
    return value ? this.follow(value, `constant ${name}`, depth) : undefined;
  }

  /** Follows a binding; the reported source is the first hop (what the reader sees at the call). */
  private follow(value: SyntaxNode, source: string, depth: number, overridable = false): Resolution | undefined {
    const resolved = this.resolve(value, depth + 1);
    if (!resolved) return undefined;
    const result: Resolution = { value: resolved.value, source: resolved.source ? `${source}, ${resolved.source}` : source };
    return overridable || resolved.overridable ? { ...result, overridable: true } : result;
  }

  /**
   * Looks a name up in one function: the last assignment before `before`, else a parameter.
   * Returns null when the name is bound there to something unknown (a parameter without
   * default, a loop variable), undefined when the function does not bind it.
   */
  private lookupInFunction(fn: SyntaxNode, name: string, before: number): { value: SyntaxNode; source: string } | null | undefined {
    const body = fn.childForFieldName('body');
    let last: SyntaxNode | null | undefined;
    if (body) {
      for (const binding of this.bindingsIn(body, name, before)) {
        // The right side of `x = f(x)` still sees the previous binding of x.
        const boundAt = binding.type === 'for_statement' ? binding.childForFieldName('left')!.endIndex : binding.endIndex;
        if (boundAt > before) continue;
        last = binding.type === 'assignment' ? binding.childForFieldName('right') : null;
      }
    }
    // An unfinished walk may have missed a later binding: unknown, not a guess.
    if (this.budget.left < 0) return null;
    if (last !== undefined) return last && { value: last, source: `variable ${name}` };
    const parameters = fn.childForFieldName('parameters');
    for (const parameter of parameters?.namedChildren ?? []) {
      if (!parameter) continue;
      if (parameter.type === 'identifier' && parameter.text === name) return null;
      if (parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter') {
        if (parameter.childForFieldName('name')?.text !== name) continue;
        const value = parameter.childForFieldName('value');
        return value ? { value, source: `default of parameter ${name}` } : null;
      }
      if (parameter.type === 'typed_parameter' && parameter.namedChildren[0]?.text === name) return null;
      if (/splat_pattern$/.test(parameter.type) && parameter.namedChildren[0]?.text === name) return null;
    }
    return undefined;
  }

  /**
   * What localBindings(body, name, before) yields, from an index of the body's bindings built in
   * one walk inside the parser's runtime: a function's body is walked once, not once per name looked up in it.
   */
  bindingsIn(body: SyntaxNode, name: string, before = Infinity): SyntaxNode[] {
    let index = this.bodies.get(body.id);
    if (!index) this.bodies.set(body.id, (index = bodyBindings(body, this.budget)));
    const out: SyntaxNode[] = [];
    for (const binding of index) {
      if (binding.start >= before || --this.budget.left < 0) break;
      if (binding.names.includes(name)) out.push(binding.node);
    }
    return out;
  }

  private resolveAttribute(node: SyntaxNode, depth: number): Resolution | undefined {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute')?.text;
    if (!object || !attribute) return undefined;
    if (object.type === 'identifier') {
      const owner = object.text === 'self' || object.text === 'cls' ? this.ancestors(node)?.find((a) => a.type === 'class_definition') : this.getClasses().get(object.text);
      if (owner) {
        const value = classAttribute(owner, attribute);
        const className = owner.childForFieldName('name')?.text ?? '';
        if (value) return this.follow(value, `class attribute ${className}.${attribute}`, depth);
        if (object.text === 'self' || object.text === 'cls') return undefined;
      }
    }
    const argparse = this.getArgparseDefaults().get(attribute);
    if (argparse) return this.follow(argparse.value, `argparse default of ${argparse.flag}`, depth, true);
    const fields = this.getDataclassFields().get(attribute);
    if (fields?.length === 1) return this.follow(fields[0].value, `dataclass field ${fields[0].owner}.${attribute}`, depth, true);
    return undefined;
  }

  /** `os.environ.get("X", default)` and `os.getenv("X", default)` resolve to the default. */
  private resolveEnvironmentDefault(node: SyntaxNode, depth: number): Resolution | undefined {
    const fn = node.childForFieldName('function');
    if (!fn || !this.isEnvironmentGetter(fn)) return undefined;
    const args = node.childForFieldName('arguments')?.namedChildren.filter((a): a is SyntaxNode => !!a) ?? [];
    const positional = args.filter((a) => a.type !== 'keyword_argument');
    const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default');
    const fallback = positional[1] ?? keyword?.childForFieldName('value');
    if (!fallback) return undefined;
    const variable = positional[0] ? this.resolve(positional[0], depth + 1)?.value : undefined;
    const label = typeof variable === 'string' ? ` ${variable}` : '';
    return this.follow(fallback, `default of environment variable${label}`, depth, true);
  }

  /** The expression last assigned to `name` at module level, for explaining unresolved ids. */
  moduleValue(name: string): SyntaxNode | undefined {
    const values = this.getModuleAssignments().get(name);
    return values?.[values.length - 1];
  }

  /** True when `fn` is `os.environ.get` or `os.getenv` as this file imports them. */
  isEnvironmentGetter(fn: SyntaxNode): boolean {
    const path = fn.text.replace(/\s+/g, '');
    const [head, ...rest] = path.split('.');
    const binding = this.imports.bindings.get(head);
    if (!binding || binding.module !== 'os') return false;
    const qualified = [binding.member, ...rest].filter(Boolean).join('.');
    return qualified === 'environ.get' || qualified === 'getenv';
  }

  /**
   * Ancestors of `node`, nearest first, found from the root down: each `parent` step costs the
   * node's depth, so walking up is quadratic in deep trees. Undefined when the budget runs out.
   */
  private ancestors(node: SyntaxNode): SyntaxNode[] | undefined {
    const path: SyntaxNode[] = [];
    for (let current: SyntaxNode | null = this.root; current && !current.equals(node); current = current.childWithDescendant(node)) {
      if (--this.budget.left < 0) return undefined;
      path.push(current);
    }
    return path.reverse();
  }

  private getModuleAssignments(): Map<string, SyntaxNode[]> {
    if (this.moduleAssignments) return this.moduleAssignments;
    const map = new Map<string, SyntaxNode[]>();
    for (const statement of moduleLevelAssignmentStatements(this.root, this.moduleWalk?.() ?? this.root.descendantsOfType(MODULE_WALK_TYPES))) {
      const assignment = statement.firstNamedChild;
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type === 'identifier' && right) push(map, left.text, right);
    }
    this.moduleAssignments = map;
    return map;
  }

  private getClasses(): Map<string, SyntaxNode> {
    if (!this.classes) {
      this.classes = new Map();
      for (const cls of this.classDefinitions?.() ?? this.root.descendantsOfType('class_definition')) {
        const name = cls?.childForFieldName('name')?.text;
        if (cls && name) this.classes.set(name, cls);
      }
    }
    return this.classes;
  }

  private getArgparseDefaults(): Map<string, { value: SyntaxNode; flag: string }> {
    if (this.argparseDefaults) return this.argparseDefaults;
    const map = new Map<string, { value: SyntaxNode; flag: string }>();
    for (const call of this.callsNamed?.('add_argument') ?? this.root.descendantsOfType('call')) {
      const fn = call?.childForFieldName('function');
      if (!call || fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'add_argument') continue;
      const args = call.childForFieldName('arguments')?.namedChildren ?? [];
      const flags = args.filter((a) => a?.type === 'string').map((a) => unquote(a!.text));
      let dest: string | undefined;
      let value: SyntaxNode | undefined;
      for (const arg of args) {
        if (arg?.type !== 'keyword_argument') continue;
        const key = arg.childForFieldName('name')?.text;
        const argValue = arg.childForFieldName('value') ?? undefined;
        if (key === 'default') value = argValue;
        if (key === 'dest' && argValue?.type === 'string') dest = unquote(argValue.text);
      }
      const flag = flags.find((f) => f.startsWith('--')) ?? flags[0];
      if (!value || !flag) continue;
      map.set(dest ?? flag.replace(/^-+/, '').replace(/-/g, '_'), { value, flag });
    }
    this.argparseDefaults = map;
    return map;
  }

  private getDataclassFields(): Map<string, { value: SyntaxNode; owner: string }[]> {
    if (this.dataclassFields) return this.dataclassFields;
    const map = new Map<string, { value: SyntaxNode; owner: string }[]>();
    for (const decorated of this.root.descendantsOfType('decorated_definition')) {
      const cls = decorated?.childForFieldName('definition');
      if (!decorated || cls?.type !== 'class_definition') continue;
      const isDataclass = decorated.namedChildren.some((d) => d?.type === 'decorator' && /dataclass/.test(d.text));
      if (!isDataclass) continue;
      const owner = cls.childForFieldName('name')?.text ?? '';
      for (const assignment of classBodyAssignments(cls)) {
        const name = assignment.childForFieldName('left')?.text;
        let value = assignment.childForFieldName('right');
        if (!name || !value) continue;
        if (value.type === 'call' && /(^|\.)field$/.test(value.childForFieldName('function')?.text ?? '')) {
          value = keywordValue(value, 'default');
        }
        if (value) push(map, name, { value, owner });
      }
    }
    this.dataclassFields = map;
    return map;
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unquote(literal: string): string {
  return literal.replace(/^[A-Za-z]*(['"]{1,3})([\s\S]*)\1$/, '$2');
}

export function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'class_definition') return p;
  return undefined;
}

export function keywordValue(call: SyntaxNode, keyword: string): SyntaxNode | null {
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg?.type === 'keyword_argument' && arg.childForFieldName('name')?.text === keyword) {
      return arg.childForFieldName('value');
    }
  }
  return null;
}

/** Pushes a node's named children so that popping yields them in source order (walks are iterative: trees can be deep). */
function pushChildren(stack: SyntaxNode[], node: SyntaxNode): void {
  const children = node.namedChildren;
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i];
    if (child) stack.push(child);
  }
}

/** What moduleLevelAssignmentStatements reads of a walk: the statements, their assignments, and what to leave out. */
export const MODULE_WALK_TYPES = ['expression_statement', 'assignment', ...NESTED_SCOPES, 'decorated_definition', 'ERROR'];

/**
 * Expression statements that run at module level (top level and inside top-level if/try/with/for
 * blocks) and hold an assignment, in source order; not those in functions, classes, lambdas or
 * syntax errors. `walked`: the nodes of MODULE_WALK_TYPES in tree order (one walk inside the
 * parser's runtime, no node made of other statements). An
 * expression statement sits only in a block, the module or an error, so leaving out nested
 * scopes and errors leaves the module-level ones.
 */
function moduleLevelAssignmentStatements(root: SyntaxNode, walked: (SyntaxNode | null)[]): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  // Nodes come in tree order (pre-order): those starting before this end lie in something left out
  // (a `lambda` keyword matches too, and lies inside its lambda).
  let skippedEnd = -1;
  let statement: SyntaxNode | undefined;
  for (const node of walked) {
    if (!node || node.startIndex < skippedEnd) continue;
    const type = node.type;
    if (type === 'expression_statement') statement = node;
    else if (type === 'assignment') {
      // An assignment inside the module-level statement last met: the statement may be one.
      if (statement && node.endIndex <= statement.endIndex && out[out.length - 1] !== statement) out.push(statement);
      // A tree that is one syntax error has the error as its root: its statements are still module level.
    } else if (!node.equals(root)) skippedEnd = Math.max(skippedEnd, node.endIndex);
  }
  return out;
}

/**
 * Assignments and other bindings of `name` in a function body, in source order, not entering
 * nested scopes, up to the first one at or after `before` (nodes come in source order, so none
 * after it can bind earlier). Stops when the budget runs out (the caller checks it).
 */
export function* localBindings(block: SyntaxNode, name: string, before = Infinity, budget: { left: number } = { left: 100_000 }): Generator<SyntaxNode> {
  const stack: SyntaxNode[] = [];
  pushChildren(stack, block);
  for (let child = stack.pop(); child; child = stack.pop()) {
    if (--budget.left < 0) return;
    if (child.startIndex >= before) return;
    if (NESTED_SCOPES.has(child.type) || child.type === 'decorated_definition') continue;
    if (child.type === 'assignment' || child.type === 'augmented_assignment') {
      const left = child.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === name) yield child;
      else if (left && left.type !== 'identifier' && left.descendantsOfType('identifier').some((i) => i?.text === name)) yield left;
    } else if ((child.type === 'for_statement' || child.type === 'for_in_clause') && child.childForFieldName('left')?.descendantsOfType('identifier').some((i) => i?.text === name)) {
      yield child;
    }
    pushChildren(stack, child);
  }
}

/** A binding in a function body: the node localBindings yields for it, where it starts, the names it binds. */
interface BodyBinding {
  node: SyntaxNode;
  start: number;
  names: string[];
}

/** What bodyBindings asks the parser's runtime for: the binding nodes, and the nested scopes to leave out. */
const BINDING_WALK_TYPES = ['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', ...NESTED_SCOPES, 'decorated_definition'];

/**
 * Every binding localBindings(block, name) would yield for some name, in source order: one walk
 * of the block inside the parser's runtime, leaving nested scopes out, instead of a walk in
 * JavaScript over every node for each name.
 */
function bodyBindings(block: SyntaxNode, budget: { left: number }): BodyBinding[] {
  const out: BodyBinding[] = [];
  // Nodes come in tree order (pre-order): those starting before this end lie in a nested scope
  // (a `lambda` keyword matches too, and lies inside its lambda).
  let nestedEnd = -1;
  for (const node of block.descendantsOfType(BINDING_WALK_TYPES)) {
    if (!node || node.startIndex < nestedEnd) continue;
    if (--budget.left < 0) break;
    const type = node.type;
    if (NESTED_SCOPES.has(type) || type === 'decorated_definition') {
      nestedEnd = node.endIndex;
      continue;
    }
    const left = node.childForFieldName('left');
    if (!left) continue;
    if (type === 'assignment' || type === 'augmented_assignment') {
      if (left.type === 'identifier') out.push({ node, start: node.startIndex, names: [left.text] });
      else out.push({ node: left, start: left.startIndex, names: identifierNames(left) });
    } else {
      out.push({ node, start: node.startIndex, names: identifierNames(left) });
    }
  }
  return out;
}

function identifierNames(node: SyntaxNode): string[] {
  return node.descendantsOfType('identifier').map((identifier) => identifier?.text ?? '');
}

/** Assignment nodes directly in a class body. */
function classBodyAssignments(cls: SyntaxNode): SyntaxNode[] {
  const body = cls.childForFieldName('body');
  const out: SyntaxNode[] = [];
  for (const statement of body?.namedChildren ?? []) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type === 'assignment') out.push(assignment);
  }
  return out;
}

/** `NAME = value` in a class body, else `self.NAME = value` in one of its methods. */
export function classAttribute(cls: SyntaxNode, name: string): SyntaxNode | undefined {
  const direct = classBodyAssignments(cls).filter((a) => a.childForFieldName('left')?.text === name);
  if (direct.length) return direct[direct.length - 1].childForFieldName('right') ?? undefined;
  for (const assignment of cls.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    if (left?.type === 'attribute' && left.text.replace(/\s+/g, '') === `self.${name}`) {
      return assignment!.childForFieldName('right') ?? undefined;
    }
  }
  return undefined;
}
