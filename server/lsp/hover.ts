// The hover card on a model id: what the code says about the load, and what the Hub
// says about the model, compact enough to read at a glance.
import type { ModelReference } from '../core/types';
import type { ModelFacts } from '../core/model-facts';
import type { ModelInfo } from '../hub/types';
import { scoreModelCard } from '../knowledge/card-score';
import { weightFormats } from '../knowledge/weight-files';

const HUB = 'https://huggingface.co';

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

/** `licenseRows` (verdict and base chain, computed by the engine) follow the License row. */
export function hoverMarkdown(reference: ModelReference, facts: ModelFacts | undefined, now: number, licenseRows: [string, string][] = []): string {
  const info = facts?.info.ok ? facts.info.value : undefined;
  const id = info?.canonicalId ?? reference.modelId;
  const title = id
    ? `**[${id}](${HUB}/${id})**${info?.renamed ? ` (written as ${code(reference.modelId!)})` : ''}`
    : `**Model id not known statically**: ${code(reference.unresolved ?? '')}`;
  const rows: [string, string][] = [];
  if (info) rows.push(...hubRows(info, facts!, now));
  else if (facts && !facts.info.ok) rows.push(['Hub', facts.info.error.message]);
  const at = rows.findIndex(([key]) => key === 'License');
  rows.splice(at === -1 ? rows.length : at + 1, 0, ...licenseRows);
  rows.push(...codeRows(reference));
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`)].join('\n');
  const source = facts?.info.ok && facts.info.source !== 'network' ? `\n\n*Hub data from ${sourceLabel(facts.info.source)}.*` : '';
  return `PTM Lens · model reference\n\n${title}\n\n${table}${source}`;
}

function hubRows(info: ModelInfo, facts: ModelFacts, now: number): [string, string][] {
  const rows: [string, string][] = [];
  const task = [info.pipeline_tag, info.library_name].filter(Boolean).join(' · ');
  if (task) rows.push(['Task · library', task]);
  const license = info.cardData?.license_name ?? info.cardData?.license;
  if (license) rows.push(['License', Array.isArray(license) ? license.join(', ') : String(license)]);
  const access = [info.gated ? `gated (${info.gated})` : '', info.private ? 'private' : '', info.disabled ? 'disabled' : ''].filter(Boolean).join(', ');
  if (access) rows.push(['Access', access]);
  const adoption = [
    info.downloads === undefined ? '' : `${compact(info.downloads)} downloads`,
    info.likes === undefined ? '' : `${compact(info.likes)} likes`,
  ].filter(Boolean).join(' · ');
  if (adoption) rows.push(['Adoption', adoption]);
  if (info.lastModified) rows.push(['Last modified', `${info.lastModified.slice(0, 10)} (${age(now - Date.parse(info.lastModified))} ago)`]);
  if (info.safetensors?.total) rows.push(['Parameters', compact(info.safetensors.total)]);
  const formats = [...weightFormats(info.siblings.map((s) => s.rfilename))].filter((f) => f !== 'other');
  if (formats.length) rows.push(['Weights', formats.map((f) => (f === 'pickle' ? 'pickle (.bin/.pt)' : f)).join(', ')]);
  const base = info.cardData?.base_model;
  if (base) rows.push(['Base model', (Array.isArray(base) ? base : [base]).map((b) => code(String(b))).join(', ')]);
  if (facts.readme) {
    const card = scoreModelCard(facts.readme.ok ? facts.readme.value : undefined, { ...(info.cardData ?? {}), pipeline_tag: info.pipeline_tag });
    rows.push(['Model card', card.noCard ? 'none' : `${Math.round(card.score * 100)}/100${card.missing.length ? ` (missing: ${card.missing.join(', ')})` : ''}`]);
  }
  if (info.sha) rows.push(['Commit', code(info.sha.slice(0, 12))]);
  return rows;
}

function codeRows(reference: ModelReference): [string, string][] {
  const rows: [string, string][] = [['Loader', code(reference.loader)]];
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
  return rows;
}

function sourceLabel(source: string): string {
  return source === 'cache' ? 'the PTM Lens cache' : source === 'stale-cache' ? 'the PTM Lens cache (the Hub could not be reached)' : source === 'local-hf-cache' ? 'the local Hugging Face cache' : 'a fixture';
}

function compact(value: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

function age(ms: number): string {
  const days = Math.max(0, Math.floor(ms / 86_400_000));
  if (days < 60) return `${days} days`;
  if (days < 730) return `${Math.round(days / 30)} months`;
  return `${(days / 365).toFixed(1)} years`;
}

function pythonLiteral(value: string | boolean | number | null): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null) return 'None';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
