// The hover card on a model id: what the code says about the load.
import type { ModelReference } from '../core/types';

const HUB = 'https://huggingface.co';

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

export function hoverMarkdown(reference: ModelReference): string {
  const rows: [string, string][] = [];
  rows.push(['Loader', code(reference.loader)]);
  if (reference.modelId && reference.idSource) rows.push(['Id from', reference.idSource]);
  const revision = reference.revision;
  rows.push([
    'Revision',
    !reference.canPin ? 'this loader cannot pin a revision'
    : !revision ? 'not pinned (latest on the default branch)'
    : revision.resolved ? code(String(revision.value))
    : `${code(revision.text)} (not resolved statically)`,
  ]);
  const options = Object.entries(reference.options).map(([key, arg]) => code(`${key}=${arg.resolved ? pythonLiteral(arg.value!) : arg.text}`));
  if (options.length) rows.push(['Options', options.join(' ')]);

  const title = reference.modelId
    ? `**${reference.modelId}** · [Hub page](${HUB}/${reference.modelId})`
    : `**Model id not known statically**: ${code(reference.unresolved ?? '')}`;
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)].join('\n');
  return `PTM Lens · model reference\n\n${title}\n\n${table}`;
}

function pythonLiteral(value: string | boolean | number | null): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null) return 'None';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
