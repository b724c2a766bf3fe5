// The hover card on a model id. What the code says (loader, id as written, revision,
// options) comes first and compact, so it is visible without scrolling; what the Hub
// says about the model follows as a table.
import type { ModelReference } from '../core/types';
import type { ModelFacts } from '../core/model-facts';
import type { ModelInfo } from '../hub/types';
import { cardScoreOf, nameVsModel, weightFormats } from '../engine/model-facts';
import { nameHoverRow } from '../engine/model-name';

const HUB = 'https://huggingface.co';

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

/**
 * Markdown for the hover on `reference`. `idText` is the id argument as written in the
 * source (a literal with its quotes, or a name), shown when it says more than the id.
 * `licenseRows` (verdict and base chain, computed by the engine) follow the License row.
 */
export function hoverMarkdown(reference: ModelReference, facts: ModelFacts | undefined, now: number, idText?: string, licenseRows: [string, string][] = []): string {
  const info = facts?.info.ok ? facts.info.value : undefined;
  const id = info?.canonicalId ?? reference.modelId;
  const title = id
    ? `**[${id}](${HUB}/${id})**${reference.modelId && reference.modelId !== id ? ` · written as ${code(reference.modelId)}` : ''}`
    : `**Model id not known statically**: ${code(reference.unresolved ?? idText ?? '')}`;
  const lines = [title, codeLine(reference, idText)];
  const rows: [string, string][] = [];
  if (info) rows.push(...hubRows(info, facts!, now));
  else if (facts && !facts.info.ok) rows.push(['Hub', facts.info.error.message]);
  const at = rows.findIndex(([key]) => key === 'License');
  rows.splice(at === -1 ? rows.length : at + 1, 0, ...licenseRows);
  const name = reference.modelId ? nameHoverRow(reference.modelId) : undefined;
  if (name) rows.unshift(name);
  if (rows.length) lines.push(['| Hub | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`)].join('\n'));
  if (facts?.info.ok && facts.info.source !== 'network') lines.push(`*Hub data from ${sourceLabel(facts.info.source)}.*`);
  lines.push('*PTM Lens · model reference*');
  return lines.join('\n\n');
}

/** One line: loader · id as written (and where it came from) · revision · options. */
function codeLine(reference: ModelReference, idText: string | undefined): string {
  const parts = [code(reference.loader)];
  if (reference.modelId) {
    const written = idText && idText !== JSON.stringify(reference.modelId) && idText !== `'${reference.modelId}'` ? ` as ${code(idText)}` : '';
    const from = reference.idSource ? ` (${reference.idSource})` : '';
    if (written || from) parts.push(`id${written}${from}`);
  }
  const revision = reference.revision;
  parts.push(
    !reference.canPin ? 'this loader cannot pin a revision'
    : !revision ? 'revision not pinned (latest on the default branch)'
    : revision.resolved ? `revision ${code(String(revision.value))}`
    : `revision ${code(revision.text)} (not resolved statically)`,
  );
  const options = Object.entries(reference.options).map(([key, arg]) => code(`${key}=${arg.resolved ? pythonLiteral(arg.value!) : arg.text}`));
  if (options.length) parts.push(options.join(' '));
  return parts.join(' · ');
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
  const naming = nameVsModel(facts);
  if (naming) rows.push(['Name vs model', naming]);
  const formats = [...weightFormats(info.siblings.map((s) => s.rfilename))].filter((f) => f !== 'other');
  if (formats.length) rows.push(['Weights', formats.map((f) => (f === 'pickle' ? 'pickle (.bin/.pt)' : f)).join(', ')]);
  const base = info.cardData?.base_model;
  if (base) rows.push(['Base model', (Array.isArray(base) ? base : [base]).map((b) => code(String(b))).join(', ')]);
  const card = cardScoreOf(facts);
  if (card) {
    rows.push(['Model card', card.noCard ? 'none' : `${Math.round(card.score * 100)}/100${card.missing.length ? ` (missing: ${card.missing.join(', ')})` : ''}`]);
  }
  if (info.sha) rows.push(['Commit', code(info.sha.slice(0, 12))]);
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
