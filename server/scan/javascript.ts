// Finds Hugging Face model loads in JavaScript and TypeScript: transformers.js pipelines and
// from_pretrained calls, @huggingface/inference task calls and @huggingface/hub downloads,
// traced to the package they are imported from, with the id resolved where it is certain.
import type { ArgumentValue, Language, ModelReference } from '../core/types';
import { classifyModelId } from './hub-id';
import { JsImports } from './javascript-imports';
import {
  FROM_PRETRAINED, HUB_FUNCTION, HUB_FUNCTIONS, HUB_JS, INFERENCE_CLASSES, INFERENCE_ENDPOINT, INFERENCE_JS, INFERENCE_MODEL_URL,
  INFERENCE_TASK, mightLoadModelsJs, PIPELINE, TRANSFORMERS_JS, type JsLoader,
} from './javascript-loaders';
import { JsValueResolver, propertyNode, unwrap } from './javascript-values';
import { PARSE_BUDGET_MS, RECYCLE_AFTER_CHARS, UnscannableFile, type ScanOptions } from './python';
import { createParser, resetTreeSitter, type Parser, type SyntaxNode } from './tree-sitter';

export type JsGrammar = 'javascript' | 'typescript' | 'tsx';

/** The JS scanners share one WASM runtime of their own: a failure here never touches Python's. */
const POOL = 'javascript';
const parsers = new Map<JsGrammar, Promise<Parser>>();

/** A scanner for one grammar, reporting references in `language`. */
export function javascriptScanner(grammar: JsGrammar, language: Extract<Language, 'javascript' | 'typescript'>) {
  return (text: string, options: ScanOptions = {}) => scanJavaScript(text, grammar, language, options);
}

export async function scanJavaScript(text: string, grammar: JsGrammar, language: Language, options: ScanOptions = {}): Promise<ModelReference[]> {
  if (!mightLoadModelsJs(text)) return [];
  for (;;) {
    let pending = parsers.get(grammar);
    if (!pending) parsers.set(grammar, (pending = createParser(grammar, POOL)));
    let active: Parser | undefined;
    try {
      active = await pending;
      if (parsers.get(grammar) !== pending) continue; // thrown away while this scan waited
      const budget = options.parseBudgetMs ?? PARSE_BUDGET_MS;
      const deadline = Date.now() + budget;
      const tree = active.parse(text, null, { progressCallback: () => Date.now() > deadline });
      if (!tree) {
        active.reset();
        throw new UnscannableFile(`parsing took longer than ${budget / 1000} s`);
      }
      try {
        const references = new JsFileScan(tree.rootNode, language, options).references();
        if (text.length > RECYCLE_AFTER_CHARS) discardParsers();
        return references;
      } finally {
        tree.delete();
      }
    } catch (error) {
      if (error instanceof UnscannableFile) throw error;
      // The WASM heap may be corrupt after a failure: every JS parser starts afresh.
      if (parsers.get(grammar) === pending) discardParsers();
      const reason = (error as Error)?.message ?? String(error);
      throw new UnscannableFile((error as Error)?.name === 'RuntimeError' ? `the parser failed on it (${reason})` : `the scanner failed on it (${reason})`);
    }
  }
}

function discardParsers(): void {
  const old = [...parsers.values()];
  parsers.clear();
  resetTreeSitter(POOL);
  for (const pending of old) {
    pending.then(
      (p) => {
        try {
          p.delete();
        } catch {
          // The runtime is broken; it is dropped with the parser.
        }
      },
      () => undefined,
    );
  }
}

interface Match {
  loader: JsLoader;
  library: string;
  receiver?: string;
}

class JsFileScan {
  private readonly imports: JsImports;
  private readonly values: JsValueResolver;
  private clientNames?: Set<string>;

  constructor(
    private readonly root: SyntaxNode,
    private readonly language: Language,
    private readonly options: ScanOptions,
  ) {
    this.imports = new JsImports(root);
    this.values = new JsValueResolver(root);
  }

  references(): ModelReference[] {
    if (!this.imports.bindings.size) return [];
    const out: ModelReference[] = [];
    for (const call of this.root.descendantsOfType(['call_expression', 'new_expression'])) {
      if (!call) continue;
      const match = this.matchLoader(call);
      const reference = match && this.buildReference(call, match);
      if (reference) out.push(reference);
    }
    return out.sort((a, b) => a.callSpan.start - b.callSpan.start);
  }

  private matchLoader(call: SyntaxNode): Match | undefined {
    const callee = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
    if (!callee) return undefined;
    const path = dottedPath(callee);
    const bound = path && this.imports.resolve(path);
    if (call.type === 'new_expression') {
      // `new HfInferenceEndpoint(url)`: a client bound to one hosted model.
      return bound?.module === INFERENCE_JS && !bound.rest.length && /Endpoint$/.test(bound.member) && INFERENCE_CLASSES.has(bound.member) ? { loader: INFERENCE_ENDPOINT, library: INFERENCE_JS } : undefined;
    }
    if (bound && TRANSFORMERS_JS.includes(bound.module)) {
      if (bound.member === 'pipeline' && !bound.rest.length) return { loader: PIPELINE, library: bound.module };
      if (bound.rest.length === 1 && bound.rest[0] === 'from_pretrained') return { loader: FROM_PRETRAINED, library: bound.module, receiver: bound.member };
      return undefined;
    }
    if (bound?.module === HUB_JS) return !bound.rest.length && HUB_FUNCTIONS.has(bound.member) ? { loader: HUB_FUNCTION, library: HUB_JS } : undefined;
    if (bound?.module === INFERENCE_JS) {
      // Standalone task functions: `textGeneration({ model, inputs, accessToken })`.
      return !bound.rest.length && !INFERENCE_CLASSES.has(bound.member) ? { loader: INFERENCE_TASK, library: INFERENCE_JS } : undefined;
    }
    // A method of an inference client: `client.textGeneration({ model })`, `client.endpoint(url)`.
    if (callee.type !== 'member_expression') return undefined;
    const method = callee.childForFieldName('property')?.text;
    const object = callee.childForFieldName('object');
    if (!method || !object || !this.isInferenceClient(object)) return undefined;
    return { loader: method === 'endpoint' ? INFERENCE_ENDPOINT : INFERENCE_TASK, library: INFERENCE_JS };
  }

  /** `new InferenceClient(...)` itself, or a name (or `this.name`) that one is assigned to. */
  private isInferenceClient(object: SyntaxNode): boolean {
    const inner = unwrap(object);
    if (inner.type === 'new_expression') return this.isClientConstruction(inner);
    if (!this.clientNames) {
      this.clientNames = new Set();
      for (const node of this.root.descendantsOfType(['variable_declarator', 'assignment_expression', 'field_definition', 'public_field_definition'])) {
        const value = node?.childForFieldName(node.type === 'assignment_expression' ? 'right' : 'value');
        const target = node?.childForFieldName(node.type === 'variable_declarator' ? 'name' : node.type === 'assignment_expression' ? 'left' : node.type === 'field_definition' ? 'property' : 'name');
        if (value && target && value.type === 'new_expression' && this.isClientConstruction(value)) this.clientNames.add(lastName(target));
      }
    }
    return (inner.type === 'identifier' || inner.type === 'member_expression') && this.clientNames.has(lastName(inner));
  }

  private isClientConstruction(node: SyntaxNode): boolean {
    const constructor = node.childForFieldName('constructor');
    const path = constructor && dottedPath(constructor);
    const bound = path && this.imports.resolve(path);
    return bound?.module === INFERENCE_JS && !bound.rest.length && INFERENCE_CLASSES.has(bound.member);
  }

  private buildReference(call: SyntaxNode, { loader, library, receiver }: Match): ModelReference | undefined {
    const argumentList = call.childForFieldName('arguments');
    if (argumentList?.type !== 'arguments') return undefined;
    const args = argumentList.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== 'comment');
    if (args.some((a) => a.type === 'spread_element')) return undefined;
    const idArgument = args[loader.id.position];
    if (!idArgument) return undefined;
    const idObject = loader.id.property ? this.values.objectOf(idArgument) : undefined;
    if (loader.id.property && !idObject) return undefined;
    let idNode = idObject ? propertyTarget(idObject, loader.id.property!) : idArgument;
    let endpoint = loader === INFERENCE_ENDPOINT;
    if (!idNode && idObject && loader === INFERENCE_TASK) {
      // No `model`: a task call on a hosted endpoint (`endpointUrl`) names its model in the URL.
      idNode = propertyTarget(idObject, 'endpointUrl');
      endpoint = true;
    }
    if (!idNode) return undefined;

    if (loader === HUB_FUNCTION) {
      // `repo: { type: 'model', name: 'org/name' }`: the id is the name; datasets and spaces are no models.
      const repoObject = this.values.objectOf(idNode);
      if (repoObject) {
        const type = propertyTarget(repoObject, 'type');
        const typeValue = type ? this.values.resolve(type)?.value : 'model';
        if (typeValue !== 'model') return undefined;
        idNode = propertyTarget(repoObject, 'name');
        if (!idNode) return undefined;
      }
    }

    const optionsObject = idObject ?? (loader.optionsPosition !== undefined && args[loader.optionsPosition] ? this.values.objectOf(args[loader.optionsPosition]) : undefined);
    const opaqueOptions =
      (loader.optionsPosition !== undefined && args[loader.optionsPosition] && !optionsObject) || !!optionsObject?.namedChildren.some((c) => c?.type === 'spread_element');
    const revisionNode = optionsObject ? propertyTarget(optionsObject, 'revision') : undefined;
    const revision = this.argument(revisionNode);
    const canPin = loader.canPin && !(opaqueOptions && !revision);
    const filename = loader === HUB_FUNCTION && optionsObject ? this.argument(propertyTarget(optionsObject, 'path')) : undefined;

    // The range stays inside the call: an id read from an object declared elsewhere
    // (`downloadFile(params)`) is shown at the argument that passes it.
    const inCall = idNode.startIndex >= call.startIndex && idNode.endIndex <= call.endIndex;
    const shownAt = inCall ? idNode : idArgument;
    const common = {
      loader: loader.name,
      library,
      ...(receiver ? { receiver } : {}),
      language: this.language,
      idSpan: { start: shownAt.startIndex, end: shownAt.endIndex },
      callSpan: { start: call.startIndex, end: call.endIndex },
      argsEnd: args.length ? args[args.length - 1].endIndex : argumentList.startIndex + 1,
      canPin,
      revision,
      ...(canPin && !revision && inCall ? revisionInsert(args, loader, optionsObject, idArgument) : {}),
      options: (filename ? { filename } : {}) as Record<string, ArgumentValue>,
    };
    const resolved = this.values.resolve(idNode);
    if (!resolved || typeof resolved.value !== 'string') {
      if (resolved) return undefined; // a number, boolean or null is no id
      const why = this.values.explain(idNode);
      return { modelId: null, unresolved: idNode.text, unresolvedReason: why.reason, ...(why.likelyPath ? { likelyPath: true } : {}), ...common };
    }
    let written = resolved.value;
    // Where the id is part of a longer string, a fix must not replace the whole string with it.
    let source = resolved.source ?? (inCall ? undefined : `property of ${idArgument.text}`);
    if (endpoint) {
      const url = INFERENCE_MODEL_URL.exec(written.trim());
      if (!url) return undefined;
      written = url[1];
      source ??= 'endpoint URL';
    }
    if (loader === INFERENCE_TASK && /^[^:/]+\/[^:/]+:[\w-]+$/.test(written)) {
      // `org/name:provider` (`:fastest`, `:hf-inference`) routes the Hub model org/name.
      written = written.slice(0, written.lastIndexOf(':'));
      source ??= 'model with a provider suffix';
    }
    if (loader === HUB_FUNCTION) {
      // A string repo designation: "datasets/org/name" and "spaces/org/name" are not models.
      if (/^(?:datasets|spaces)\//.test(written)) return undefined;
      if (written.startsWith('models/')) {
        written = written.slice('models/'.length);
        source ??= 'repo designation';
      }
    }
    const id = classifyModelId(written, this.options.isLocalPath);
    if (id.kind !== 'hub') return undefined;
    if (loader.ownerRequired && !id.id.includes('/')) return undefined;
    return {
      modelId: id.id,
      ...(source ? { idSource: source } : {}),
      ...(resolved.overridable ? { idOverridable: true } : {}),
      ...common,
    };
  }

  private argument(node: SyntaxNode | undefined): ArgumentValue | undefined {
    if (!node) return undefined;
    const resolved = this.values.resolve(node);
    const base = { text: node.text, span: { start: node.startIndex, end: node.endIndex } };
    if (!resolved) return { ...base, resolved: false };
    return { ...base, value: resolved.value, resolved: true, ...(resolved.source ? { source: resolved.source } : {}) };
  }
}

/** How the pin fix writes `revision` into this call: a new property, or a new options argument. */
function revisionInsert(args: SyntaxNode[], loader: JsLoader, options: SyntaxNode | undefined, idArgument: SyntaxNode): Pick<ModelReference, 'revisionInsert'> {
  if (options) {
    // Only an object written in the call: a shared options constant is not this call's to edit.
    if (options.type !== 'object' || !args.some((a) => a.startIndex <= options.startIndex && options.endIndex <= a.endIndex)) return {};
    const properties = options.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
    const last = properties[properties.length - 1];
    return { revisionInsert: last ? { offset: last.endIndex, prefix: ', revision: ', suffix: '' } : { offset: options.startIndex + 1, prefix: ' revision: ', suffix: ' ' } };
  }
  // No options argument yet: one goes right after the id.
  if (loader.optionsPosition === undefined || args[loader.optionsPosition] || args[loader.optionsPosition - 1] !== idArgument) return {};
  return { revisionInsert: { offset: idArgument.endIndex, prefix: ', { revision: ', suffix: ' }' } };
}

/** The node holding a property's value: the value of `key: value`, or the name of shorthand `{ key }`. */
function propertyTarget(object: SyntaxNode, name: string): SyntaxNode | undefined {
  const pair = propertyNode(object, name);
  if (!pair) return undefined;
  return pair.type === 'shorthand_property_identifier' ? pair : (pair.childForFieldName('value') ?? undefined);
}

/** `a.b.c` as ["a", "b", "c"]; undefined for anything else. Iterative: chains can be long. */
function dottedPath(node: SyntaxNode): string[] | undefined {
  const parts: string[] = [];
  let current: SyntaxNode | null = unwrap(node);
  for (; current?.type === 'member_expression'; current = current.childForFieldName('object')) {
    const property = current.childForFieldName('property');
    if (property?.type !== 'property_identifier') return undefined;
    parts.push(property.text);
  }
  if (current?.type !== 'identifier') return undefined;
  parts.push(current.text);
  return parts.reverse();
}

/** The last name of `client`, `this.client`, `app.hf`. */
function lastName(node: SyntaxNode): string {
  return node.type === 'member_expression' ? (node.childForFieldName('property')?.text ?? '') : node.text;
}
