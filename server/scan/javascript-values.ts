// Reads the value of a JavaScript/TypeScript expression where it is certain: string and
// template literals without substitutions, constants declared once and never reassigned,
// properties of constant object literals, `this.x` class fields, `process.env.X ?? 'default'`.
// For the rest it says why not (a parameter, an attribute, the environment, a call, ...).
import type { UnresolvedReason } from '../core/types';
import type { SyntaxNode } from './tree-sitter';

export interface JsValue {
  value: string | boolean | number | null;
  /** Where the value came from when it was not written at the use (e.g. "constant MODEL"). */
  source?: string;
  /** The value is a default another value replaces at run time (an environment variable). */
  overridable?: boolean;
}

const MAX_DEPTH = 8;
const WRAPPERS = new Set(['parenthesized_expression', 'as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion']);
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0' };
/** Names that read as a filesystem location (`modelPath`, `local_dir`); `nameOrPath` stays an id. */
const PATH_NAME = /(?:^|_)(?:path|dir|directory|folder|file)$|[a-z0-9](?:Path|Dir|Directory|Folder|File)$/;
const ID_OR_PATH = /name_?or_?path$/i;

export class JsValueResolver {
  private declared?: Map<string, SyntaxNode[]>;
  private parameters?: Set<string>;
  private loopNames?: Set<string>;
  private reassigned?: Set<string>;

  constructor(private readonly root: SyntaxNode) {}

  resolve(node: SyntaxNode, depth = 0): JsValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const inner = unwrap(node);
    switch (inner.type) {
      case 'string':
      case 'template_string': {
        const value = literalText(inner);
        return value === undefined ? undefined : { value };
      }
      case 'number':
        return { value: Number(inner.text.replace(/_/g, '')) };
      case 'true':
        return { value: true };
      case 'false':
        return { value: false };
      case 'null':
        return { value: null };
      case 'identifier':
      case 'shorthand_property_identifier': {
        const value = this.declaredValue(inner.text);
        const found = value && this.resolve(value, depth + 1);
        return found ? { ...found, source: found.source ?? `constant ${inner.text}` } : undefined;
      }
      case 'member_expression': {
        const value = this.memberValue(inner, depth);
        const found = value && this.resolve(value, depth + 1);
        if (!found) return undefined;
        const overridable = found.overridable || (isThisMember(inner) && this.isAssignedProperty(inner.childForFieldName('property')?.text ?? ''));
        return { ...found, source: found.source ?? `${isThisMember(inner) ? 'class field' : 'property'} ${inner.text}`, ...(overridable ? { overridable } : {}) };
      }
      case 'binary_expression': {
        const operator = inner.childForFieldName('operator')?.text;
        const left = inner.childForFieldName('left');
        const right = inner.childForFieldName('right');
        if (!left || !right) return undefined;
        if (operator === '+') {
          const a = this.resolve(left, depth + 1);
          const b = a && this.resolve(right, depth + 1);
          return typeof a?.value === 'string' && typeof b?.value === 'string' ? { value: a.value + b.value, ...(a.overridable || b.overridable ? { overridable: true } : {}) } : undefined;
        }
        if ((operator === '??' || operator === '||') && isEnvironment(unwrap(left))) {
          const fallback = this.resolve(right, depth + 1);
          return fallback ? { ...fallback, source: `default of ${unwrap(left).text}`, overridable: true } : undefined;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** Why an id expression cannot be read statically, and whether its name reads as a path. */
  explain(node: SyntaxNode, depth = 0): { reason: UnresolvedReason; likelyPath: boolean } {
    const inner = unwrap(node);
    switch (inner.type) {
      case 'identifier':
      case 'shorthand_property_identifier': {
        // A constant set from something unknowable: say what that is (`const m = process.env.M`).
        const value = depth < MAX_DEPTH ? this.declaredValue(inner.text) : undefined;
        if (value) return { ...this.explain(value, depth + 1), likelyPath: readsAsPath(inner.text) || this.explain(value, depth + 1).likelyPath };
        const reason: UnresolvedReason = this.parameters!.has(inner.text) ? 'parameter' : this.loopNames!.has(inner.text) ? 'loop' : 'other';
        return { reason, likelyPath: readsAsPath(inner.text) };
      }
      case 'member_expression': {
        const property = inner.childForFieldName('property')?.text ?? '';
        return { reason: isEnvironment(inner) ? 'environment' : 'attribute', likelyPath: readsAsPath(property) };
      }
      case 'subscript_expression':
        return { reason: isEnvironment(inner) ? 'environment' : 'subscript', likelyPath: false };
      case 'call_expression':
      case 'await_expression':
      case 'new_expression':
        return { reason: 'call', likelyPath: false };
      case 'binary_expression': {
        const left = inner.childForFieldName('left');
        return left && ['??', '||'].includes(inner.childForFieldName('operator')?.text ?? '') ? this.explain(left, depth + 1) : { reason: 'other', likelyPath: false };
      }
      default:
        return { reason: 'other', likelyPath: false };
    }
  }

  /** The object literal an expression stands for (`CONFIG`, `CONFIG.models`), for `{ model }` lookups. */
  objectOf(node: SyntaxNode, depth = 0): SyntaxNode | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const inner = unwrap(node);
    if (inner.type === 'object') return inner;
    if (inner.type === 'identifier') {
      const value = this.declaredValue(inner.text);
      return value ? this.objectOf(value, depth + 1) : undefined;
    }
    if (inner.type === 'member_expression') {
      const value = this.memberValue(inner, depth);
      return value ? this.objectOf(value, depth + 1) : undefined;
    }
    return undefined;
  }

  /** The value of `object.property` when the object is a constant object literal or `this` in a class. */
  private memberValue(node: SyntaxNode, depth: number): SyntaxNode | undefined {
    const property = node.childForFieldName('property');
    const object = node.childForFieldName('object');
    if (!property || !object || property.type !== 'property_identifier') return undefined;
    if (object.type === 'this') return classField(node, property.text);
    const literal = this.objectOf(object, depth + 1);
    return literal ? propertyValue(literal, property.text) : undefined;
  }

  /** The initial value of a name declared once in the file and never assigned again. */
  private declaredValue(name: string): SyntaxNode | undefined {
    this.index();
    const declarations = this.declared!.get(name);
    if (declarations?.length !== 1 || this.parameters!.has(name) || this.loopNames!.has(name) || this.reassigned!.has(name)) return undefined;
    return declarations[0].childForFieldName('value') ?? undefined;
  }

  private isAssignedProperty(name: string): boolean {
    this.index();
    return this.reassigned!.has(`.${name}`);
  }

  private index(): void {
    if (this.declared) return;
    this.declared = new Map();
    this.parameters = new Set();
    this.loopNames = new Set();
    this.reassigned = new Set();
    for (const declarator of this.root.descendantsOfType('variable_declarator')) {
      const name = declarator?.childForFieldName('name');
      if (name?.type !== 'identifier') continue;
      const list = this.declared.get(name.text) ?? [];
      list.push(declarator!);
      this.declared.set(name.text, list);
    }
    for (const params of this.root.descendantsOfType('formal_parameters')) {
      for (const param of params?.namedChildren ?? []) if (param) parameterNames(param, this.parameters);
    }
    for (const arrow of this.root.descendantsOfType('arrow_function')) {
      const param = arrow?.childForFieldName('parameter');
      if (param) this.parameters.add(param.text);
    }
    for (const loop of this.root.descendantsOfType('for_in_statement')) {
      const left = loop?.childForFieldName('left');
      if (left?.type === 'identifier') this.loopNames.add(left.text);
      else for (const id of left?.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']) ?? []) if (id) this.loopNames.add(id.text);
    }
    for (const assignment of this.root.descendantsOfType(['assignment_expression', 'augmented_assignment_expression', 'update_expression'])) {
      const left = assignment?.childForFieldName('left') ?? assignment?.childForFieldName('argument');
      if (left?.type === 'identifier') this.reassigned.add(left.text);
      else if (left?.type === 'member_expression') this.reassigned.add(`.${left.childForFieldName('property')?.text ?? ''}`);
      else for (const id of left?.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern']) ?? []) if (id) this.reassigned.add(id.text);
    }
  }
}

function parameterNames(param: SyntaxNode, into: Set<string>): void {
  const pattern = param.childForFieldName('pattern') ?? param.childForFieldName('left') ?? param;
  if (pattern.type === 'identifier') into.add(pattern.text);
  else for (const id of pattern.descendantsOfType(['identifier', 'shorthand_property_identifier_pattern'])) if (id) into.add(id.text);
}

export function unwrap(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let i = 0; i < MAX_DEPTH && WRAPPERS.has(current.type); i++) {
    const inner = current.namedChildren[0];
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** The value of a string or substitution-free template literal; undefined when it cannot be known. */
export function literalText(node: SyntaxNode): string | undefined {
  let out = '';
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (part.type === 'string_fragment') out += part.text;
    else if (part.type === 'escape_sequence') {
      const decoded = decodeEscape(part.text);
      if (decoded === undefined) return undefined;
      out += decoded;
    } else return undefined; // a substitution or anything unexpected
  }
  return out;
}

function decodeEscape(sequence: string): string | undefined {
  const body = sequence.slice(1);
  if (body in ESCAPES) return ESCAPES[body];
  const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\})$/.exec(body);
  if (hex) {
    const code = parseInt(hex[1] ?? hex[2] ?? hex[3], 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  if (/^[\r\n\u2028\u2029]/.test(body)) return '';
  return body.length === 1 ? body : undefined;
}

/** The value of `name: value` (or `'name': value`) in an object literal; undefined for shorthand or computed keys. */
export function propertyValue(object: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const pair of object.namedChildren) {
    if (pair?.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const keyName = key?.type === 'property_identifier' ? key.text : key?.type === 'string' ? literalText(key) : undefined;
    if (keyName === name) return pair.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** The pair node for `name` in an object literal, shorthand `{ name }` included. */
export function propertyNode(object: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const pair of object.namedChildren) {
    if (pair?.type === 'shorthand_property_identifier' && pair.text === name) return pair;
    if (pair?.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const keyName = key?.type === 'property_identifier' ? key.text : key?.type === 'string' ? literalText(key) : undefined;
    if (keyName === name) return pair;
  }
  return undefined;
}

/** The initializer of field `name` in the class around `node` (`static model = '...'`). */
function classField(node: SyntaxNode, name: string): SyntaxNode | undefined {
  let current: SyntaxNode | null = node.parent;
  while (current && current.type !== 'class_body') current = current.parent;
  for (const member of current?.namedChildren ?? []) {
    if (member?.type !== 'field_definition' && member?.type !== 'public_field_definition') continue;
    const key = member.childForFieldName('property') ?? member.childForFieldName('name');
    if (key?.text === name) return member.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

function isThisMember(node: SyntaxNode): boolean {
  return node.childForFieldName('object')?.type === 'this';
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Deno.env.get(...)` is a call. */
function isEnvironment(node: SyntaxNode): boolean {
  const object = node.childForFieldName('object');
  return !!object && /^(?:process\.env|import\.meta\.env)$/.test(object.text.replace(/\s+/g, ''));
}

function readsAsPath(name: string): boolean {
  return !ID_OR_PATH.test(name) && PATH_NAME.test(name);
}
