// The last conversion-check verdict per model (id and pinned revision), published as PTM504
// on the references to that model. Kept in memory for the session: a verdict is about the
// user's environment at the time of the check, not a fact about the model. The export a
// check leaves on disk is one, though: it is found again from the checks folder (onnx-exports).
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { CheckOnnxResult } from '../../protocol';
import { ruleDocsUrl } from '../core/links';
import { checksFolder } from '../onnx/check/check';
import { toRange } from './convert';
import type { AnalysisEntry } from './document-analyses';
import { OnnxExports } from './onnx-exports';
import { probeLink, probeTarget } from './probe-actions';

type Ran = Extract<CheckOnnxResult, { ok: true }>;

export class OnnxVerdicts {
  private readonly verdicts = new Map<string, Pick<Ran, 'verdict' | 'message' | 'report'>>();

  /** The ONNX exports checks left behind, for the robustness probe. */
  constructor(readonly exports = new OnnxExports(checksFolder())) {}

  private static key(modelId: string, revision?: string): string {
    return `${modelId}@${revision ?? ''}`;
  }

  record(modelId: string, revision: string | undefined, result: Ran): void {
    this.verdicts.set(OnnxVerdicts.key(modelId, revision), { verdict: result.verdict, message: result.message, report: result.report });
  }

  /** The hover card's row for a reference whose model was checked this session (pass included). */
  /** With a link to the robustness probe when the model's export is on disk (also from an earlier session). */
  hoverRow(modelId: string | null, revision: string | undefined): [string, string] | undefined {
    if (!modelId) return undefined;
    const found = this.verdicts.get(OnnxVerdicts.key(modelId, revision));
    const exported = this.exports.find(modelId, revision);
    const link = exported ? probeLink(probeTarget(modelId, revision, exported)) : undefined;
    if (found) return ['ONNX check', `${found.verdict}: ${found.message}${link ? ` ${link}` : ''}`];
    if (!link) return undefined;
    return ['ONNX export', `${exported!.verdict === 'pass' ? 'matches the model' : `check verdict ${exported!.verdict}`} · ${link}`];
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
