// One file through the pipeline: scan -> rules -> settings and suppressions.
import type { Finding, ModelReference } from '../core/types';
import { isSuppressed } from '../core/suppressions';
import { effectiveSeverity, type RuleSettings } from '../config/settings';
import { RULES } from '../rules';
import { scanPython } from '../scan/python';

export interface AnalysisContext {
  /** Path relative to the project root, "/" separators (for per-file ignores). */
  relativePath: string;
  settings: RuleSettings;
  localCommit(modelId: string): string | undefined;
  isLocalPath?(path: string): boolean;
}

export interface FileAnalysis {
  references: ModelReference[];
  findings: Finding[];
}

export async function analyzeText(text: string, context: AnalysisContext): Promise<FileAnalysis> {
  const references = await scanPython(text, { isLocalPath: context.isLocalPath });
  return { references, findings: runRules(references, text, context) };
}

export function runRules(references: ModelReference[], text: string, context: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  for (const reference of references) {
    const lines = [reference.callSpan.start, reference.idSpan.start];
    for (const rule of RULES) {
      const severity = effectiveSeverity(context.settings, rule.code, rule.defaultSeverity, context.relativePath);
      if (!severity || isSuppressed(text, lines, rule.code)) continue;
      for (const report of rule.check({ reference, text, localCommit: context.localCommit })) {
        findings.push({
          code: rule.code,
          severity,
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
