// "Run ONNX conversion check" offered on a model reference: a command the client runs
// (it asks for confirmation of nothing else: the check itself needs a trusted workspace).
import type { CodeAction, Range } from 'vscode-languageserver';
import { loadsModel } from '../core/model-loads';
import { toRange } from './convert';
import type { AnalysisEntry } from './document-analyses';

export const RUN_ONNX_CHECK_COMMAND = 'ptmLens.runOnnxCheck';

/** The conversion check loads a model with the library the code loads it with. */
const CHECK_LIBRARY: Record<string, 'transformers' | 'sentence-transformers' | 'timm'> = { transformers: 'transformers', sentence_transformers: 'sentence-transformers', timm: 'timm' };

export function onnxCheckActions(entry: AnalysisEntry, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const reference of entry.references) {
    if (!reference.modelId || !loadsModel(reference)) continue;
    const at = toRange(entry.lines, reference.idSpan);
    const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
    if (before(range.end, at.start) || before(at.end, range.start) || seen.has(reference.modelId)) continue;
    seen.add(reference.modelId);
    const revision = reference.revision?.resolved && typeof reference.revision.value === 'string' ? reference.revision.value : undefined;
    actions.push({
      title: `Run ONNX conversion check on '${reference.modelId}'`,
      command: { title: 'Run ONNX Conversion Check', command: RUN_ONNX_CHECK_COMMAND, arguments: [{ modelId: reference.modelId, ...(revision ? { revision } : {}), library: CHECK_LIBRARY[reference.library] ?? 'auto' }] },
    });
  }
  return actions;
}
