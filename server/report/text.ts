// Human-readable report: one line per finding, grouped by file, with a summary.
import { escapeForTerminal } from './escape';
import type { ScanOutput } from './records';

export function toText(output: ScanOutput, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const severityColor = { error: '31', warning: '33', info: '36', hint: '2' } as const;
  const lines: string[] = [];
  for (const finding of output.findings) {
    const where = `${escapeForTerminal(finding.file)}${finding.cell === undefined ? '' : `[cell ${finding.cell}]`}:${finding.line}:${finding.column}`;
    lines.push(`${paint('1', where)} ${paint(severityColor[finding.severity], finding.severity)} ${paint('1', finding.code)} ${escapeForTerminal(finding.message)}`);
  }
  const files = new Set(output.references.map((r) => r.file)).size;
  const unresolved = output.references.filter((r) => r.modelId === null).length;
  const counts = (['error', 'warning', 'info', 'hint'] as const)
    .map((s) => [s, output.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`);
  if (lines.length) lines.push('');
  lines.push(
    `${output.references.length} model reference${output.references.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}` +
      (unresolved ? ` (${unresolved} with an id that cannot be resolved statically)` : '') +
      `; ${counts.length ? counts.join(', ') : 'no findings'}.`,
  );
  return lines.join('\n') + '\n';
}
