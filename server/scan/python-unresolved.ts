// Explains an id argument the resolver could not read: why (a parameter, an attribute,
// the environment, ...) and what it most likely is. A model object or a path expression is
// no Hub download at all; a name that reads as a path is probably a local checkpoint.
import type { UnresolvedReason } from '../core/types';
import { classAttribute, enclosingClass, type PythonValueResolver } from './python-values';
import type { SyntaxNode } from './tree-sitter';

export type UnresolvedKind =
  /** A model object loaded elsewhere (`pipeline("ner", model=model)`): not a load by id. */
  | 'object'
  /** A parameter of a `from_pretrained` override passed on: the load happens where the override is called. */
  | 'forwarded'
  /** A path expression (`Path(...)`, `os.path.join(...)`, a glob, an f-string of folders): a local load. */
  | 'path'
  /** A name that reads as a path (`ckpt_dir`, `args.output_dir`): probably local, not certain. */
  | 'path-name'
  /** Anything else: an id decided at run time. */
  | 'id';

export interface UnresolvedExplanation {
  reason: UnresolvedReason;
  kind: UnresolvedKind;
}

const MAX_HOPS = 8;

/** Hugging Face's convention for "an id or a folder": these names stay ids. */
const ID_OR_PATH_NAME = /name_or_path$/i;
/** Names that read as a filesystem location. */
const PATH_NAME = /(^|_)(path|dir|directory|folder|file)$|^(tmp|temp)_?dir|^(ckpt|checkpoint)|(^|_)(ckpt|checkpoint)s?(_|$)|^(output|save|cache|local)_?(dir|path|folder)?$/i;
/** Calls whose result is a path (last segment of the called name). */
const PATH_CALLS = new Set(['TemporaryDirectory', 'Path', 'PurePath', 'PosixPath', 'WindowsPath', 'abspath', 'realpath', 'expanduser', 'dirname', 'normpath', 'joinpath', 'resolve', 'absolute', 'with_name', 'with_suffix', 'glob', 'rglob', 'iglob', 'iterdir', 'listdir', 'scandir', 'walk', 'mkdtemp', 'gettempdir', 'getcwd', 'cwd', 'home']);
/** Calls whose result is (made of) their first argument. */
const PASS_THROUGH_CALLS = new Set(['str', 'fspath', 'sorted', 'list', 'reversed', 'tuple', 'iter', 'filter', 'max', 'min']);
/** Methods that return the model object they are called on. */
const OBJECT_METHODS = new Set(['from_pretrained', 'from_config', 'to', 'cuda', 'cpu', 'eval', 'train', 'half', 'float', 'bfloat16', 'merge_and_unload', 'get_peft_model']);
/** Annotations that say a parameter holds an id or a path, not an object. */
const TEXT_ANNOTATION = /\b(str|PathLike|Path|Any)\b|^['"]/;

export class UnresolvedReader {
  constructor(private readonly values: PythonValueResolver) {}

  explain(node: SyntaxNode, hops = 0): UnresolvedExplanation {
    if (hops > MAX_HOPS) return { reason: 'other', kind: 'id' };
    switch (node.type) {
      case 'parenthesized_expression':
      case 'conditional_expression':
      case 'boolean_operator': {
        // `a if cond else b`, `a or b`: read as the first alternative.
        const inner = node.namedChildren[0];
        return inner ? this.explain(inner, hops + 1) : { reason: 'other', kind: 'id' };
      }
      case 'identifier':
        return this.explainName(node, hops);
      case 'attribute': {
        const name = node.childForFieldName('attribute')?.text ?? '';
        const own = this.ownAttribute(node, name);
        if (own && hops < MAX_HOPS) {
          const inner = this.explain(own, hops + 1);
          if (inner.kind === 'object' || inner.kind === 'path') return { reason: 'attribute', kind: inner.kind };
        }
        return { reason: 'attribute', kind: readsAsPath(name) ? 'path-name' : 'id' };
      }
      case 'subscript': {
        const value = node.childForFieldName('value');
        const environment = value && /^os\.environ$|^environ$/.test(value.text.replace(/\s+/g, ''));
        return { reason: environment ? 'environment' : 'subscript', kind: 'id' };
      }
      case 'call':
        return this.explainCall(node);
      case 'binary_operator':
        // pathlib: `Path(root) / "best"`, `output_dir / name`
        if (node.childForFieldName('operator')?.text === '/') return { reason: 'other', kind: 'path' };
        return { reason: 'other', kind: 'id' };
      case 'string':
        return this.explainString(node, hops);
      default:
        return { reason: 'other', kind: 'id' };
    }
  }

  private explainName(node: SyntaxNode, hops: number): UnresolvedExplanation {
    const name = node.text;
    const binding = this.binding(node);
    const byName: UnresolvedKind = readsAsPath(name) ? 'path-name' : 'id';
    if (!binding) return { reason: 'other', kind: byName };
    if (binding.kind === 'parameter') {
      const annotation = binding.annotation?.replace(/\s+/g, '');
      const isObject = annotation !== undefined && !TEXT_ANNOTATION.test(annotation);
      if (binding.owner === 'from_pretrained') return { reason: 'parameter', kind: 'forwarded' };
      return { reason: 'parameter', kind: isObject ? 'object' : byName };
    }
    if (binding.kind === 'loop') {
      const overPaths = binding.iterable && this.explain(binding.iterable, hops + 1).kind === 'path';
      return { reason: 'loop', kind: overPaths ? 'path' : byName };
    }
    const inner = this.explain(binding.value, hops + 1);
    return { reason: inner.reason, kind: inner.kind === 'id' ? byName : inner.kind };
  }

  private explainCall(node: SyntaxNode): UnresolvedExplanation {
    const fn = node.childForFieldName('function');
    if (!fn) return { reason: 'call', kind: 'id' };
    if (this.values.isEnvironmentGetter(fn)) return { reason: 'environment', kind: 'id' };
    const last = fn.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : fn.text;
    // `os.path.join(...)` is a path; `"/".join([org, name])` builds an id.
    if (PATH_CALLS.has(last) || /^(os\.)?path\./.test(fn.text) || (last === 'join' && fn.type === 'attribute' && fn.childForFieldName('object')?.type !== 'string')) {
      return { reason: 'call', kind: 'path' };
    }
    if (PASS_THROUGH_CALLS.has(last)) {
      // `str(path)`, `sorted(Path(d).glob("*"))`: what the first argument is.
      const inner = node.childForFieldName('arguments')?.namedChildren[0];
      return { reason: 'call', kind: inner && this.explain(inner, MAX_HOPS - 1).kind === 'path' ? 'path' : 'id' };
    }
    // A class instantiated (`MyModel(config)`) or a loaded model moved around: an object.
    if (OBJECT_METHODS.has(last) || (fn.type === 'identifier' && /^[A-Z]/.test(last) && !/^[A-Z0-9_]+$/.test(last))) return { reason: 'call', kind: 'object' };
    return { reason: 'call', kind: 'id' };
  }

  /** f-strings: folders when the literal parts say so (more than one "/", a leading "/" or "./", "checkpoint") or the first part is a path name. */
  private explainString(node: SyntaxNode, hops: number): UnresolvedExplanation {
    const interpolations = node.children.filter((c): c is SyntaxNode => c?.type === 'interpolation');
    const literal = node.children.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('\u0000');
    const first = interpolations[0]?.childForFieldName('expression');
    const inner = first ? this.explain(first, hops + 1) : { reason: 'other' as UnresolvedReason, kind: 'id' as UnresolvedKind };
    const head = node.children.find((c) => c?.type === 'string_content' || c?.type === 'interpolation');
    const startsWithFirst = !!first && head?.type === 'interpolation';
    const slashes = (literal.match(/\//g) ?? []).length;
    const folder =
      slashes > 1 ||
      (head?.type === 'string_content' && /^(\.{0,2}\/|~)/.test(head.text)) ||
      /checkpoint|ckpt|\.(bin|pt|pth|ckpt|safetensors|json)(\u0000|$)/i.test(literal) ||
      (startsWithFirst && (inner.kind === 'path' || inner.kind === 'path-name'));
    return { reason: inner.reason, kind: folder ? 'path' : 'id' };
  }

  /** `self.model` inside a class that assigns it: the assigned expression. */
  private ownAttribute(node: SyntaxNode, name: string): SyntaxNode | undefined {
    const object = node.childForFieldName('object')?.text;
    if (object !== 'self' && object !== 'cls') return undefined;
    const cls = enclosingClass(node);
    return cls ? classAttribute(cls, name) : undefined;
  }

  /** What a name is bound to where it is used: a value, a parameter or a loop variable. */
  private binding(node: SyntaxNode): Binding | undefined {
    const name = node.text;
    for (let scope = node.parent; scope; scope = scope.parent) {
      if (scope.type === 'with_statement') {
        // `with tempfile.TemporaryDirectory() as tmp:` binds tmp to what the context manager gives.
        const clause = scope.namedChildren.find((c) => c?.type === 'with_clause');
        for (const item of clause?.namedChildren ?? []) {
          const pattern = item?.childForFieldName('value');
          const alias = pattern?.type === 'as_pattern' ? pattern.childForFieldName('alias') : undefined;
          const value = pattern?.namedChildren[0];
          if (alias?.text === name && value) return { kind: 'value', value };
        }
      }
      if (scope.type === 'for_statement' || scope.type === 'list_comprehension' || scope.type === 'generator_expression') {
        const loop = scope.type === 'for_statement' ? scope : scope.namedChildren.find((c) => c?.type === 'for_in_clause');
        if (loop && loop.childForFieldName('left')?.descendantsOfType('identifier').some((i) => i?.text === name)) {
          return { kind: 'loop', iterable: loop.childForFieldName('right') ?? undefined };
        }
      }
      if (scope.type !== 'function_definition') continue;
      let last: Binding | undefined;
      const body = scope.childForFieldName('body');
      for (const bound of body ? this.values.bindingsIn(body, name) : []) {
        if (bound.startIndex >= node.startIndex) break;
        if (bound.type === 'assignment') {
          const value = bound.childForFieldName('right');
          last = value ? { kind: 'value', value } : undefined;
        } else if (bound.type === 'for_statement' || bound.type === 'for_in_clause') {
          last = { kind: 'loop', iterable: bound.childForFieldName('right') ?? undefined };
        } else {
          last = undefined; // unpacking: unknown
        }
      }
      if (last) return last;
      for (const parameter of scope.childForFieldName('parameters')?.namedChildren ?? []) {
        if (!parameter) continue;
        const parameterName = parameter.type === 'identifier' ? parameter.text : (parameter.childForFieldName('name')?.text ?? parameter.namedChildren[0]?.text);
        if (parameterName !== name) continue;
        return { kind: 'parameter', annotation: parameter.childForFieldName('type')?.text, owner: scope.childForFieldName('name')?.text };
      }
    }
    const value = this.values.moduleValue(name);
    return value ? { kind: 'value', value } : undefined;
  }
}

type Binding = { kind: 'value'; value: SyntaxNode } | { kind: 'parameter'; annotation?: string; owner?: string } | { kind: 'loop'; iterable?: SyntaxNode };

/** `ckpt_dir`, `output_dir`, `save_path` read as paths; `model_name_or_path` is an id by convention. */
export function readsAsPath(name: string): boolean {
  return !ID_OR_PATH_NAME.test(name) && PATH_NAME.test(name);
}
