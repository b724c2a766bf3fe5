// Diagnostics on the .onnx files of the workspace (PTM502, PTM503). A binary file has no
// text positions, so every finding sits on its first line; the message names the nodes.
import { stat } from 'node:fs/promises';
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { RuleSettings } from '../config/settings';
import { ruleDocsUrl } from '../core/links';
import type { Severity } from '../core/types';
import { inspectOnnxFile, listOnnxFiles, type OnnxFinding } from '../engine/onnx-file';
import { toRelative } from '../engine/workspace';
import { OnnxReadError } from '../onnx/read-model';

/** Larger models are left to the Inspect command, so a scan never stalls on decoding one. */
const MAX_SCAN_BYTES = 100 * 1024 * 1024;
const FIRST_LINE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

export function onnxDiagnostic(finding: OnnxFinding): Diagnostic {
  const nodes = finding.nodes.length ? ` Nodes: ${finding.nodes.slice(0, 10).join(', ')}${finding.nodes.length > 10 ? `, +${finding.nodes.length - 10} more` : ''}.` : '';
  return { range: FIRST_LINE, severity: SEVERITY[finding.severity], code: finding.code, codeDescription: { href: ruleDocsUrl(finding.code) }, source: 'PTM Lens', message: finding.message + nodes, data: { nodes: finding.nodes } };
}

export class OnnxFileDiagnostics {
  private readonly published = new Set<string>();

  constructor(private readonly connection: Connection) {}

  /** Checks every .onnx file of a folder and publishes its diagnostics; returns the number of findings. */
  async scan(folder: { root: string; rules: RuleSettings; editor: { enable: boolean } }): Promise<number> {
    if (!folder.editor.enable) return 0;
    let findings = 0;
    for (const path of await listOnnxFiles(folder.root, folder.rules)) {
      const uri = URI.file(path).toString();
      let diagnostics: Diagnostic[];
      try {
        if ((await stat(path)).size > MAX_SCAN_BYTES) {
          this.connection.console.info(`Skipped ${path} in the workspace scan (over 100 MB); use PTM Lens: Inspect ONNX Model.`);
          continue;
        }
        const inspection = inspectOnnxFile(path, { settings: folder.rules, relativePath: toRelative(folder.root, path) });
        diagnostics = inspection.findings.map(onnxDiagnostic);
        findings += diagnostics.length;
      } catch (error) {
        if (!(error instanceof OnnxReadError)) throw error;
        diagnostics = [{ range: FIRST_LINE, severity: DiagnosticSeverity.Warning, source: 'PTM Lens', message: `PTM Lens cannot read this ONNX model: ${error.message}` }];
      }
      if (diagnostics.length || this.published.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics });
      if (diagnostics.length) this.published.add(uri);
      else this.published.delete(uri);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return findings;
  }
}
