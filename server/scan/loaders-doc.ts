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
    '## Not Hub loads',
    '',
    '- `torch.hub.load("owner/repo", ...)` names a GitHub repository, not a Hub model: never a reference, never PTM1xx.',
    '- timm and open_clip names without `hf-hub:` come from the libraries\' own tables; keras-hub presets without `hf://` from Kaggle or the library.',
    '- flair short names (`"ner"`, `"de-pos"`, `"sentiment"`) are flair\'s own; only `org/name` is a Hub id.',
    '- Local paths (`./x`, `/x`, `~/x`, `C:\\x`, a folder of the workspace, a folder the same file saves a model to) are never Hub ids.',
    '',
  ].join('\n');
}
