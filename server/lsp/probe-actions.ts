// "Run robustness probe" offered on a model reference whose ONNX export exists (the
// conversion check made it): the client's probe command runs on that file. The probe runs
// the model, so the command itself asks for a trusted workspace.
import type { CodeAction, Range } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { AnalysisEntry } from './document-analyses';
import { modelLoadsIn } from './onnx-actions';
import type { OnnxExport, OnnxExports } from './onnx-exports';

export const RUN_PROBE_COMMAND = 'ptmLens.runProbe';

/** What ptmLens.runProbe takes from a model reference: the export's file URI and the model it is of. */
export interface ProbeTarget {
  uri: string;
  modelId: string;
  revision?: string;
}

export function probeTarget(modelId: string, revision: string | undefined, exported: OnnxExport): ProbeTarget {
  return { uri: URI.file(exported.onnx).toString(), modelId, ...(revision ? { revision } : {}) };
}

export function probeActions(entry: AnalysisEntry, range: Range, exports: OnnxExports): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const { modelId, revision } of modelLoadsIn(entry, range)) {
    const exported = exports.find(modelId, revision);
    if (!exported) continue;
    actions.push({
      title: `Run robustness probe on '${modelId}' (ONNX export from the conversion check)`,
      command: { title: 'Run Robustness Probe', command: RUN_PROBE_COMMAND, arguments: [probeTarget(modelId, revision, exported)] },
    });
  }
  return actions;
}

/** A hover link that runs the probe on the export (the client trusts this one command in hovers). */
export function probeLink(target: ProbeTarget): string {
  return `[Run robustness probe](command:${RUN_PROBE_COMMAND}?${encodeURIComponent(JSON.stringify([target]))} "Attack the ONNX export behind preprocessing defences")`;
}
