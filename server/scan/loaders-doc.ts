// docs/loaders.md, written from the loader registry so the page and the scanner never disagree
// (scripts/generate-docs.ts writes it; a unit test checks the committed page is current).
import { LOADERS, type LoaderSpec } from './loaders';

function callShape(loader: LoaderSpec): string {
  if (loader.kind === 'function') return `\`${loader.function}(...)\` from \`${loader.library}\``;
  const receiver = loader.receiver ? ` (receiver matching \`${loader.receiver.source}\`)` : '';
  return `\`X.${loader.method}(...)\`, X from ${loader.libraries.map((l) => `\`${l}\``).join(', ')}${receiver}`;
}

function idArgument(loader: LoaderSpec): string {
  const parts = [...(loader.id.position >= 0 ? [`position ${loader.id.position}`] : []), ...loader.id.keywords.map((k) => `\`${k}=\``)];
  const pattern = loader.idPattern ? `; only strings matching \`${loader.idPattern.source}\`` : '';
  const prefix = loader.idPrefix ? `; bare names get \`${loader.idPrefix.namespace}/\`` : '';
  return parts.join(', ') + pattern + prefix;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function loadersPage(): string {
  const rows = new Map<string, string>();
  for (const loader of LOADERS) {
    const library = loader.kind === 'function' ? loader.library : loader.libraries.join(', ');
    const key = `${loader.name}|${loader.kind === 'method' ? loader.method : loader.function}`;
    const existing = rows.get(key);
    const pin = loader.revisionKeyword ? `\`${loader.revisionKeyword}=\`` : 'no';
    const pickle = loader.weights === false ? 'no (reads no weights)' : loader.pickle === false ? 'no' : 'yes';
    const row = [loader.name, library, callShape(loader), idArgument(loader), pin, pickle, loader.source ?? ''];
    if (existing) rows.set(key, existing.replace(/^\| ([^|]+) \| ([^|]+) \|/, (_, name, libs) => `| ${name} | ${libs}, ${library} |`));
    else rows.set(key, `| ${row.map(cell).join(' | ')} |`);
  }
  return [
    '# Loaders PTM Lens recognises',
    '',
    'Generated from `server/scan/loaders.ts` and `server/scan/loaders-more.ts` by `npm run docs`; do not edit by hand.',
    '',
    'A call is a model reference when its callee is imported from the library named (directly, through an alias, or as',
    '`library.function`), or, for `X.method(...)` loaders, when X is a local object in a file that imports the library.',
    'Classes defined anywhere in the workspace that subclass `ModelHubMixin`, `PyTorchModelHubMixin` or `PreTrainedModel`',
    'load like `from_pretrained` (see "Workspace classes and wrappers" below).',
    '',
    '| Loader | Library | Call shape | Id argument | Pin | Can load pickle | Checked against |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.values(),
    '',
    '## Workspace classes and wrappers',
    '',
    'Before a workspace scan, the engine builds a symbol index of its Python files (`server/scan/workspace-symbols.ts`):',
    '',
    '- **Hub model classes**: classes that subclass `ModelHubMixin`, `PyTorchModelHubMixin`, `KerasModelHubMixin`, `PreTrainedModel`',
    '  (or a `...PreTrainedModel`), diffusers\' `ModelMixin`, or another such class of the workspace. `MyNet.from_pretrained("org/x")` is a',
    '  reference wherever `MyNet` is imported from the file that defines it (by module path or a relative import).',
    '- **Wrappers**: a top-level function whose parameter reaches a loader\'s id argument (`def download(repo, filename): return',
    '  hf_hub_download(repo, filename)`) is a loader itself. A call to it, in any file, is a reference whose range is the id argument at',
    '  the call site and whose `idSource` says `passed to download() (hub_io.py:6)`; the loader is the inner call\'s. The call site cannot',
    '  pin a revision (no `revision=` of the loader\'s own there), so PTM402 is not reported at it.',
    '- The wrapper\'s own inner reference (an id decided at run time, `unresolvedReason: "parameter"`) is **left out when every call site',
    '  in the workspace passes an id the scanner resolves**: the loads are then reported where the ids are written. When a call site',
    '  passes something decided at run time (`download(args.repo, ...)`), or no call site is found, the inner reference stays.',
    '- Limits: one level deep (a wrapper of a wrapper is not followed); methods are not wrappers (they are called through objects);',
    '  `from . import module` followed by `module.f(...)` is not followed.',
    '- In the editor, the language server keeps the index of each workspace folder (from its workspace scan, or built in the',
    '  background when a document is opened without one) and updates it as Python files are edited, saved, created or deleted;',
    '  open documents that call a changed wrapper or class are analysed again. A file opened outside any workspace folder is',
    '  scanned on its own.',
    '',
    '## Guards',
    '',
    'Inside `if choice == "org/a":`, `elif choice in ("org/b", "org/c"):`, `if choice == "org/d" or choice == "org/e":`, or',
    '`case "org/f" | "org/g":` of `match choice`, a loader called with `choice` loads the compared literal(s): one reference each,',
    'with `idSource` naming the guard\'s line. `else` branches, `!=`, capture patterns and guarded cases give no value.',
    '',
    '## Not Hub loads',
    '',
    '- `torch.hub.load("owner/repo", ...)` names a GitHub repository, not a Hub model: never a reference, never PTM1xx.',
    '- timm and open_clip names without `hf-hub:` come from the libraries\' own tables; keras-hub presets without `hf://` from Kaggle or the library.',
    '- flair short names (`"ner"`, `"de-pos"`, `"sentiment"`) are flair\'s own; only `org/name` is a Hub id.',
    '- Local paths (`./x`, `/x`, `~/x`, `C:\\x`, a folder of the workspace, a folder the same file saves a model to) are never Hub ids.',
    '',
  ].join('\n');
}
