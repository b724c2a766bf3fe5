// One file through the pipeline: scan -> rules -> settings and suppressions.
import type { Note } from '../core/notes';
import type { Finding, ModelReference } from '../core/types';
import { isSuppressed } from '../core/suppressions';
import { effectiveSeverity, type RuleSettings } from '../config/settings';
import { RULES } from '../rules';
import { scanPython } from '../scan/python';
import type { FactsProvider, ModelFacts } from '../core/model-facts';
import type { ProjectFacts } from '../core/project-facts';

export interface AnalysisContext {
  /** Path relative to the project root, "/" separators (for per-file ignores). */
  relativePath: string;
  settings: RuleSettings;
  localCommit(modelId: string): string | undefined;
  isLocalPath?(path: string): boolean;
  /** Hub lookups; without it, rules that need metadata stay silent. */
  facts?: FactsProvider;
  /** The workspace folder's license and intended use, for the license rules. */
  project?: ProjectFacts;
  now?: number;
}

export interface FileAnalysis {
  references: ModelReference[];
  findings: Finding[];
  /** What the user should know about this file that is not a finding (e.g. it could not be parsed). */
  notes?: Note[];
  /** Hub facts by reference key (see factsKey), for hovers. */
  facts?: Map<string, ModelFacts>;
}

export async function analyzeText(text: string, context: AnalysisContext): Promise<FileAnalysis> {
  const references = await scanPython(text, { isLocalPath: context.isLocalPath });
  const facts = await gatherFacts(references, context.facts);
  return { references, findings: runRules(references, text, context, facts), facts };
}

/** Facts per reference key (id and pinned revision), looked up concurrently. */
export async function gatherFacts(references: ModelReference[], provider: FactsProvider | undefined): Promise<Map<string, ModelFacts>> {
  const facts = new Map<string, ModelFacts>();
  if (!provider) return facts;
  const keys = new Map<string, [string, string | undefined]>();
  for (const reference of references) {
    if (reference.modelId) keys.set(factsKey(reference), [reference.modelId, pinnedRevision(reference)]);
  }
  await Promise.all(
    [...keys].map(async ([key, [id, revision]]) => {
      const found = await provider.get(id, revision);
      if (found) facts.set(key, found);
    }),
  );
  return facts;
}

export function factsKey(reference: ModelReference): string {
  return `${reference.modelId}@${pinnedRevision(reference) ?? ''}`;
}

function pinnedRevision(reference: ModelReference): string | undefined {
  const value = reference.revision?.resolved ? reference.revision.value : undefined;
  return typeof value === 'string' && value ? value : undefined;
}

export function runRules(references: ModelReference[], text: string, context: AnalysisContext, facts = new Map<string, ModelFacts>()): Finding[] {
  const now = context.now ?? Date.now();
  const findings: Finding[] = [];
  for (const reference of references) {
    const lines = [reference.callSpan.start, reference.idSpan.start];
    for (const rule of RULES) {
      const severity = effectiveSeverity(context.settings, rule.code, rule.defaultSeverity, context.relativePath);
      if (!severity || isSuppressed(text, lines, rule.code)) continue;
      const ruleContext = { reference, text, localCommit: context.localCommit, facts: facts.get(factsKey(reference)), thresholds: context.settings.thresholds, now, project: context.project };
      for (const report of rule.check(ruleContext)) {
        findings.push({
          code: rule.code,
          severity: report.severity && severity === rule.defaultSeverity && !context.settings.severity[rule.code] ? report.severity : severity,
          message: report.message,
          modelId: reference.modelId,
          span: report.span ?? reference.idSpan,
          fixes: report.fixes ?? [],
          reference,
        });
      }
    }
  }
  return findings.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
}
