// Engine data -> LSP shapes.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import { ruleDocsUrl } from '../core/links';
import type { LineIndex } from '../core/positions';
import type { Finding, Severity, Span } from '../core/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'PTM Lens';

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

/** `uri` (the document's) lets a model-level finding point at the model's other references. */
export function toDiagnostic(lines: LineIndex, finding: Finding, uri?: string): Diagnostic {
  const related = uri && finding.related?.length
    ? { relatedInformation: finding.related.map((span) => ({ location: { uri, range: toRange(lines, span) }, message: RELATED_MESSAGE })) }
    : {};
  return {
    range: toRange(lines, finding.span),
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: ruleDocsUrl(finding.code) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...related,
  };
}

export const RELATED_MESSAGE = 'Another reference to the same model';
