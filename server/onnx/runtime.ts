// Loads onnxruntime-node only when an action needs it: it is a native, optional
// dependency, so activation and plain scans never pay for it and its absence is a clear
// message, not a crash.
import type * as Ort from 'onnxruntime-node';

export type OnnxRuntime = typeof Ort;

export class RuntimeUnavailableError extends Error {}

let cached: OnnxRuntime | undefined;

export function loadOnnxRuntime(): OnnxRuntime {
  if (cached) return cached;
  try {
    // A plain require so bundlers leave the native module outside the bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = require('onnxruntime-node') as OnnxRuntime;
    return cached;
  } catch (error) {
    throw new RuntimeUnavailableError(
      `onnxruntime-node is not installed or does not load here (${(error as Error).message.split('\n')[0]}). ` +
        'Install it next to PTM Lens: npm install onnxruntime-node@1.30.0',
    );
  }
}

/** Only errors and fatal messages from the runtime's own log. */
export const QUIET = 3;
/** Not even errors: for probes that expect to fail. */
export const SILENT = 4;
