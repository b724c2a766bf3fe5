// The plain-text view of an ONNX inspection, shared by the CLI and the editor command.
import type { OnnxValue } from '../onnx/graph';
import type { OnnxInspection } from './onnx-file';

function shapeText(value: OnnxValue): string {
  return value.shape ? `[${value.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : '[rank unknown]';
}

export function inspectionText(inspection: OnnxInspection): string {
  const opsets = Object.entries(inspection.opsets).map(([domain, version]) => `${domain || 'ai.onnx'} ${version}`).join(', ');
  const producer = inspection.producer.name ? `, producer ${inspection.producer.name} ${inspection.producer.version}`.trimEnd() : '';
  const lines = [`${inspection.file}: ONNX IR ${inspection.irVersion}, opsets ${opsets || 'none'}${producer}`];
  lines.push(`${inspection.nodeCount} nodes: ${Object.entries(inspection.ops).map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}`);
  for (const [label, values] of [['input', inspection.inputs], ['output', inspection.outputs]] as const) {
    for (const value of values) lines.push(`${label} ${value.name}: ${value.type} ${shapeText(value)}`);
  }
  const { count, bytes, external } = inspection.initializers;
  lines.push(`initializers: ${count} (${bytes} bytes in the file${external.count ? `; ${external.count} external, ${external.bytes} bytes in ${external.files.join(', ')}` : ''})`);
  if (!inspection.findings.length) lines.push('no findings');
  for (const finding of inspection.findings) {
    lines.push(`${finding.severity} ${finding.code}: ${finding.message}${finding.nodes.length ? ` (nodes: ${finding.nodes.slice(0, 5).join(', ')}${finding.nodes.length > 5 ? `, +${finding.nodes.length - 5} more` : ''})` : ''}`);
  }
  return lines.join('\n') + '\n';
}
