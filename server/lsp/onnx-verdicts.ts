// The last conversion-check verdict per model (id and pinned revision), published as PTM504
// on the references to that model. Kept in memory for the session: a verdict is about the
// user's environment at the time of the check, not a fact about the model.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { CheckOnnxResult } from '../../protocol';
import { ruleDocsUrl } from '../core/links';
import { toRange } from './convert';
import type { AnalysisEntry } from './document-analyses';

type Ran = Extract<CheckOnnxResult, { ok: true }>;

export class OnnxVerdicts {
  private readonly verdicts = new Map<string, Pick<Ran, 'verdict' | 'message' | 'report'>>();

  private static key(modelId: string, revision?: string): string {
    return `${modelId}@${revision ?? ''}`;
  }

  record(modelId: string, revision: string | undefined, result: Ran): void {
    this.verdicts.set(OnnxVerdicts.key(modelId, revision), { verdict: result.verdict, message: result.message, report: result.report });
  }

  /** The hover card's row for a reference whose model was checked this session (pass included). */
  hoverRow(modelId: string | null, revision: string | undefined): [string, string] | undefined {
    const found = modelId ? this.verdicts.get(OnnxVerdicts.key(modelId, revision)) : undefined;
    return found && ['ONNX check', `${found.verdict}: ${found.message}`];
  }

  /** PTM504 per reference with a verdict other than pass (rule settings are not applied yet). */
  diagnosticsFor(entry: AnalysisEntry): Diagnostic[] {
    if (!this.verdicts.size) return [];
    const diagnostics: Diagnostic[] = [];
    for (const reference of entry.references) {
      if (!reference.modelId) continue;
      const revision = reference.revision?.resolved && typeof reference.revision.value === 'string' ? reference.revision.value : undefined;
      const found = this.verdicts.get(OnnxVerdicts.key(reference.modelId, revision));
      if (!found || found.verdict === 'pass') continue;
      diagnostics.push({
        range: toRange(entry.lines, reference.idSpan),
        severity: found.verdict === 'mismatch' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
        code: 'PTM504',
        codeDescription: { href: ruleDocsUrl('PTM504') },
        source: 'PTM Lens',
        message: `ONNX conversion check: ${found.verdict}. ${found.message} Report: ${found.report}`,
      });
    }
    return diagnostics;
  }
}
