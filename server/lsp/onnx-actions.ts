// "Run ONNX conversion check" offered on a model reference: a command the client runs
// (it asks for confirmation of nothing else: the check itself needs a trusted workspace).
import type { CodeAction, Range } from 'vscode-languageserver';
import { loadsModel } from '../core/model-loads';
import type { ModelReference } from '../core/types';
import { toRange } from './convert';
import type { AnalysisEntry } from './document-analyses';

export const RUN_ONNX_CHECK_COMMAND = 'ptmLens.runOnnxCheck';

/** The conversion check loads a model with the library the code loads it with. */
const CHECK_LIBRARY: Record<string, 'transformers' | 'sentence-transformers' | 'timm'> = { transformers: 'transformers', sentence_transformers: 'sentence-transformers', timm: 'timm' };

/** References in the range that load a model with a known id, one per model, with their pinned revision. */
export function modelLoadsIn(entry: AnalysisEntry, range: Range): { reference: ModelReference; modelId: string; revision?: string }[] {
  const found: { reference: ModelReference; modelId: string; revision?: string }[] = [];
  const seen = new Set<string>();
  for (const reference of entry.references) {
    // timm.create_model always builds a model, and the check loads timm models too.
    if (!reference.modelId || !(loadsModel(reference) || reference.library === 'timm')) continue;
    const at = toRange(entry.lines, reference.idSpan);
    const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
    if (before(range.end, at.start) || before(at.end, range.start) || seen.has(reference.modelId)) continue;
    seen.add(reference.modelId);
    const revision = reference.revision?.resolved && typeof reference.revision.value === 'string' ? reference.revision.value : undefined;
    found.push({ reference, modelId: reference.modelId, ...(revision ? { revision } : {}) });
  }
  return found;
}

export function onnxCheckActions(entry: AnalysisEntry, range: Range): CodeAction[] {
  return modelLoadsIn(entry, range).map(({ reference, modelId, revision }) => ({
    title: `Run ONNX conversion check on '${modelId}'`,
    command: { title: 'Run ONNX Conversion Check', command: RUN_ONNX_CHECK_COMMAND, arguments: [{ modelId, ...(revision ? { revision } : {}), library: CHECK_LIBRARY[reference.library] ?? 'auto' }] },
  }));
}
