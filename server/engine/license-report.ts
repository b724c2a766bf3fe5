// The license report: every model the workspace loads, its license, its base chain and the
// verdict against the project license (docs/license-report.schema.json), as data, text and Markdown.
import { LineIndex } from '../core/positions';
import type { Note } from '../core/notes';
import type { ProjectFacts } from '../core/project-facts';
import { factsKey } from './analyze';
import type { FileResult } from './workspace';
import { leaves } from '../license/expression';
import { assessModel, type BaseChainEntry, type ModelLicense } from '../license/model-license';
import type { Verdict } from '../license/verdict';

export interface LicenseReport {
  version: 1;
  project: { license: string | null; spdx: string | null; source: string | null; intendedUse: string | null };
  models: ModelRow[];
  notes: Note[];
}

export interface ModelRow {
  modelId: string;
  /** As the card states it; null when it states none or the Hub could not be asked. */
  license: string | null;
  spdx: string | null;
  kind: string | null;
  baseModels: { modelId: string; depth: number; license: string | null; spdx: string | null; note?: string }[];
  /** null when the Hub facts are missing (lookups off or failed). */
  verdict: Verdict | null;
  codes: string[];
  reasons: string[];
  references: { file: string; line: number; cell?: number }[];
  /** Why the model was not judged, when the Hub answered about it (not found, gated, revision missing). */
  note?: string;
}

export function buildLicenseReport(results: FileResult[], project: ProjectFacts, notes: Note[] = []): LicenseReport {
  const rows = new Map<string, ModelRow>();
  let unresolved = 0;
  for (const result of results) {
    const lines = new LineIndex(result.text);
    for (const reference of result.references) {
      if (!reference.modelId) {
        unresolved++;
        continue;
      }
      const key = reference.modelId.toLowerCase();
      let row = rows.get(key);
      if (!row) {
        row = judgeRow(reference.modelId, result.facts?.get(factsKey(reference)), project);
        rows.set(key, row);
      }
      row.references.push({ file: result.relativePath, line: lines.positionAt(reference.idSpan.start).line + 1 });
    }
  }
  const all = [...notes];
  if (unresolved) all.push({ level: 'info', message: `${unresolved} model load${unresolved === 1 ? '' : 's'} whose id is not known statically ${unresolved === 1 ? 'was' : 'were'} not judged.` });
  const missing = [...rows.values()].filter((r) => r.verdict === null && !r.note).length;
  if (missing) all.push({ level: 'warning', message: `no Hub metadata for ${missing} model${missing === 1 ? '' : 's'}: their licenses are not known (Hub lookups off or failed).` });
  if (!project.license) all.push({ level: 'warning', message: 'the project license is not known: set project-license in ptm-lens.toml, or add a LICENSE file; copyleft models cannot be judged without it.' });
  return {
    version: 1,
    project: { license: project.license?.license ?? null, spdx: project.license?.spdx ?? null, source: project.license?.source ?? null, intendedUse: project.intendedUse ?? null },
    models: [...rows.values()].sort((a, b) => a.modelId.localeCompare(b.modelId)),
    notes: all,
  };
}

function judgeRow(modelId: string, facts: Parameters<typeof assessModel>[0], project: ProjectFacts): ModelRow {
  const assessment = assessModel(facts, project);
  if (!assessment) {
    const row: ModelRow = { modelId, license: null, spdx: null, kind: null, baseModels: [], verdict: null, codes: [], reasons: [], references: [] };
    if (facts && !facts.info.ok) row.note = facts.info.error.message;
    else if (facts?.info.ok) row.note = 'the Hub metadata at hand (local cache) does not include the license';
    return row;
  }
  const { license, bases, judgement } = assessment;
  return {
    modelId,
    license: license.declared ?? null,
    spdx: license.spdx ?? null,
    kind: kindOf(license),
    baseModels: bases.map(baseRow),
    verdict: judgement.verdict,
    codes: judgement.codes,
    reasons: judgement.reasons,
    references: [],
  };
}

function kindOf(license: ModelLicense): string | null {
  if (!license.tree) return null;
  const parts = leaves(license.tree);
  return parts.length === 1 ? parts[0].entry.kind : 'expression';
}

function baseRow(base: BaseChainEntry): ModelRow['baseModels'][number] {
  return { modelId: base.modelId, depth: base.depth, license: base.license?.declared ?? null, spdx: base.license?.spdx ?? null, ...(base.note ? { note: base.note } : {}) };
}

export function licenseReportText(report: LicenseReport): string {
  const lines = [`Project license: ${report.project.spdx ? `${report.project.spdx} (from ${report.project.source})` : 'not known'}; intended use: ${report.project.intendedUse ?? 'not set'}`, ''];
  for (const row of report.models) {
    const codes = row.codes.length ? ` (${row.codes.join(', ')})` : '';
    lines.push(`${row.modelId}: ${row.verdict ?? 'not judged'}${codes} · ${row.note ?? row.spdx ?? row.license ?? 'no license'}${row.kind ? ` [${row.kind}]` : ''}`);
    for (const base of row.baseModels) lines.push(`  ${'  '.repeat(base.depth - 1)}base ${base.modelId}: ${base.spdx ?? base.license ?? base.note ?? 'no license'}`);
    for (const reason of row.reasons) lines.push(`  - ${reason}`);
    lines.push(`  loaded at ${row.references.map((r) => `${r.file}:${r.line}`).join(', ')}`);
  }
  if (!report.models.length) lines.push('No model loads found.');
  const counts = countVerdicts(report);
  lines.push('', `${report.models.length} model${report.models.length === 1 ? '' : 's'}${counts ? `: ${counts}` : ''}.`);
  return lines.join('\n') + '\n';
}

export function licenseReportMarkdown(report: LicenseReport): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# License report',
    '',
    `Project license: ${report.project.spdx ? `\`${report.project.spdx}\` (from ${cell(report.project.source ?? '')})` : '**not known**'}; intended use: ${report.project.intendedUse ?? 'not set'}.`,
    '',
    '| Model | License | Base models | Verdict | Codes | Loaded at |',
    '|---|---|---|---|---|---|',
    ...report.models.map((row) =>
      `| [${cell(row.modelId)}](https://huggingface.co/${row.modelId}) | ${cell(row.spdx ?? row.license ?? '—')} | ${cell(row.baseModels.map((b) => `${b.modelId} (${b.spdx ?? b.license ?? b.note ?? '?'})`).join(', ') || '—')} | ` +
      `${row.verdict ?? `not judged${row.note ? `: ${cell(row.note)}` : ''}`} | ${row.codes.map((c) => `[${c}](https://github.com/ptm-lens/ptm-lens/blob/main/docs/rules/${c}.md)`).join(' ')} | ${cell(row.references.map((r) => `${r.file}:${r.line}`).join(', '))} |`,
    ),
    '',
  ];
  const reasons = report.models.filter((r) => r.reasons.length && r.verdict !== 'compatible');
  if (reasons.length) {
    lines.push('## Why', '');
    for (const row of reasons) lines.push(`- **${cell(row.modelId)}**: ${row.reasons.map(cell).join(' ')}`);
    lines.push('');
  }
  return lines.join('\n');
}

function countVerdicts(report: LicenseReport): string {
  const counts = new Map<string, number>();
  for (const row of report.models) counts.set(row.verdict ?? 'not judged', (counts.get(row.verdict ?? 'not judged') ?? 0) + 1);
  return [...counts].map(([verdict, n]) => `${n} ${verdict}`).join(', ');
}
