// Calls through the workspace index (workspace-symbols.ts), as seen from one file:
// - `MyNet.from_pretrained("org/x")` where MyNet is a Hub model class defined in the workspace;
// - `download("org/x", "f.bin")` where download is a workspace function wrapping a loader: a
//   reference at the call site, with the id written there;
// - and, in the wrapper's own file, whether its inner `parameter` reference is covered by its
//   call sites (then the loads are reported where the ids are written, not once more inside).
import type { ModelReference } from '../core/types';
import { classifyModelId } from './hub-id';
import { hubPart, LOADERS, requestedId, type LoaderSpec } from './loaders';
import { guardValues } from './python-guards';
import type { PythonImports } from './python-imports';
import type { PythonValueResolver } from './python-values';
import type { SyntaxNode } from './tree-sitter';
import { wrapperAt, type WorkspaceSymbols } from './workspace-symbols';
import { dottedPath } from './python-dotted';

interface ScanContext {
  workspace?: WorkspaceSymbols;
  relativePath?: string;
  isLocalPath?: (path: string) => boolean;
}

export class WrapperCalls {
  private relativeImports?: Map<string, string>;

  constructor(
    private readonly root: SyntaxNode,
    private readonly imports: PythonImports,
    private readonly values: PythonValueResolver,
    private readonly context: ScanContext,
  ) {}

  /** `X.from_pretrained(...)` where X is a workspace class that inherits from_pretrained from the Hub. */
  hubClassLoad(call: SyntaxNode): { loader: LoaderSpec; library: string; receiver: string } | undefined {
    const classes = this.context.workspace?.hubClasses;
    const fn = call.childForFieldName('function');
    if (!classes?.size || fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'from_pretrained') return undefined;
    const path = dottedPath(fn.childForFieldName('object'));
    if (!path) return undefined;
    const target = this.target(path);
    const hub = target && classes.get(target.name);
    if (!hub || !(target.modules === 'here' ? hub.files.includes(this.context.relativePath ?? '') : target.modules === 'relative' || target.modules.some((m) => hub.modules.includes(m)))) return undefined;
    const loader = LOADERS.find((l) => l.name === 'from_pretrained')!;
    return { loader, library: hub.library, receiver: target.name };
  }

  /** References for a call to a workspace wrapper, one per id the call site can pass. */
  referencesAt(call: SyntaxNode): ModelReference[] {
    const wrappers = this.context.workspace?.wrappers;
    if (!wrappers?.size) return [];
    const path = dottedPath(call.childForFieldName('function'));
    const target = path && this.target(path);
    if (!target) return [];
    const candidates = wrappers.get(target.name);
    const spec = candidates?.find((w) => (target.modules === 'here' ? w.file === this.context.relativePath : target.modules === 'relative' ? candidates.length === 1 : target.modules.some((m) => w.modules.includes(m))));
    if (!spec) return [];
    const argumentList = call.childForFieldName('arguments');
    const args = argumentList?.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== 'comment') ?? [];
    const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === spec.parameter)?.childForFieldName('value');
    const positional = args.filter((a) => !['keyword_argument', 'list_splat', 'dictionary_splat'].includes(a.type));
    const idNode = keyword ?? (spec.position >= 0 ? positional[spec.position] : undefined);
    // No argument: the parameter's default, which the wrapper's own reference already reports.
    if (!idNode) return [];
    const guard = guardValues(idNode, this.values);
    const resolved = guard ? guard.values.map((value) => ({ value, source: guard.source })) : [this.values.resolve(idNode)];
    const known = resolved.filter((r): r is { value: string; source?: string; overridable?: boolean } => typeof r?.value === 'string');
    if (!known.length) {
      this.context.workspace!.unresolvedCalls.add(spec.key);
      return [];
    }
    this.context.workspace!.resolvedCalls.add(spec.key);
    const loader = LOADERS.find((l) => l.name === spec.loaderSpec)!;
    const out: ModelReference[] = [];
    for (const value of known) {
      const hubString = hubPart(loader, value.value);
      const id = hubString === undefined ? undefined : classifyModelId(hubString, this.context.isLocalPath);
      if (id?.kind !== 'hub') continue;
      const requested = requestedId(loader, id.id);
      const via = `passed to ${spec.name}() (${spec.file}:${spec.line})`;
      out.push({
        modelId: requested,
        ...(requested !== id.id ? { writtenId: id.id } : {}),
        idSource: value.source ? `${value.source}, ${via}` : via,
        ...(value.overridable ? { idOverridable: true } : {}),
        loader: spec.loader,
        library: spec.library,
        ...(spec.receiver ? { receiver: spec.receiver } : {}),
        language: 'python',
        idSpan: { start: idNode.startIndex, end: idNode.endIndex },
        callSpan: { start: call.startIndex, end: call.endIndex },
        argsEnd: args.length ? args[args.length - 1].endIndex : (argumentList?.startIndex ?? call.endIndex - 1) + 1,
        // The call site has no revision argument of the loader's own: nothing to pin here.
        canPin: false,
        options: {},
      });
    }
    return out;
  }

  /** Adds the enclosing top-level function to the index when this reference's id is its parameter. */
  noteWrapper(reference: ModelReference): void {
    const workspace = this.context.workspace;
    const file = this.context.relativePath;
    if (!workspace || file === undefined) return;
    if (reference.unresolvedReason !== 'parameter' && !reference.idSource?.startsWith('default of parameter ')) return;
    const spec = wrapperAt(this.root, file, reference);
    if (!spec) return;
    const known = workspace.wrappers.get(spec.name) ?? [];
    if (!known.some((w) => w.key === spec.key)) workspace.wrappers.set(spec.name, [...known, spec]);
  }

  /**
   * What a called name refers to: its original name and the modules it may come from
   * ("here" for a name defined in this file, "relative" for `from .m import name`).
   */
  private target(path: string[]): { name: string; modules: string[] | 'here' | 'relative' } | undefined {
    const binding = this.imports.bindings.get(path[0]);
    if (binding) {
      // `from pkg.m import f` -> f in pkg.m; `import pkg.m as m; m.f` -> f in pkg.m.
      const qualified = [binding.module, ...(binding.member ? [binding.member] : []), ...path.slice(1)];
      const name = qualified.pop()!;
      return { name, modules: [qualified.join('.')] };
    }
    if (path.length !== 1) return undefined;
    const relative = this.getRelativeImports().get(path[0]);
    if (relative !== undefined) return { name: relative, modules: 'relative' };
    return { name: path[0], modules: 'here' };
  }

  /** Names bound by `from .m import name` (PythonImports binds no library for them). */
  private getRelativeImports(): Map<string, string> {
    if (this.relativeImports) return this.relativeImports;
    const map = new Map<string, string>();
    // The statements PythonImports met: one walk of the tree fewer.
    for (const node of this.imports.relativeImports) {
      for (const name of node.childrenForFieldName('name')) {
        if (!name) continue;
        const member = name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text;
        const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name.text;
        if (member && local) map.set(local, member);
      }
    }
    this.relativeImports = map;
    return map;
  }
}

