// Runs an ONNX file in onnxruntime-node on the helper's inputs, at one graph optimisation
// level, and returns the outputs as numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnnxRuntime } from '../runtime';
import { QUIET } from '../runtime';
import { typedArray, toNumbers, type ArrayFile } from './arrays';

export type OptimizationLevel = 'disabled' | 'all';

export interface RunOutput {
  name: string;
  data: ArrayLike<number>;
  shape: number[];
}

export type LevelRun =
  | { status: 'ran'; outputNames: string[]; cases: RunOutput[][] }
  | { status: 'load-crash'; message: string }
  | { status: 'run-crash'; message: string; caseIndex: number };

export async function runAtLevel(ort: OnnxRuntime, onnxFile: string, dir: string, cases: { inputs: ArrayFile[] }[], level: OptimizationLevel): Promise<LevelRun> {
  let session;
  try {
    session = await ort.InferenceSession.create(onnxFile, { graphOptimizationLevel: level, logSeverityLevel: QUIET, executionProviders: ['cpu'] });
  } catch (error) {
    return { status: 'load-crash', message: firstLine(error) };
  }
  try {
    const results: RunOutput[][] = [];
    for (const [index, testCase] of cases.entries()) {
      const positions = inputPositions(session.inputNames, testCase.inputs.length);
      if (!positions) {
        return { status: 'run-crash', message: `the graph takes ${session.inputNames.length} inputs, the source model ${testCase.inputs.length}`, caseIndex: index };
      }
      const feeds: Record<string, InstanceType<OnnxRuntime['Tensor']>> = {};
      session.inputNames.forEach((name, i) => {
        const input = testCase.inputs[positions[i]];
        const data = typedArray(input.dtype, readFileSync(join(dir, input.file)));
        feeds[name] = new ort.Tensor(input.dtype as 'float32', data as Float32Array, input.shape);
      });
      let outputs;
      try {
        outputs = await session.run(feeds);
      } catch (error) {
        return { status: 'run-crash', message: firstLine(error), caseIndex: index };
      }
      results.push(session.outputNames.map((name) => {
        const tensor = outputs[name];
        return { name, data: toNumbers(tensor.data, tensor.type), shape: tensor.dims.map(Number) };
      }));
    }
    return { status: 'ran', outputNames: [...session.outputNames], cases: results };
  } finally {
    await session.release();
  }
}

/**
 * Which source input feeds each graph input. Our own exports name inputs input_N, and the
 * exporter drops inputs the model never reads (an unused attention mask), so match by N;
 * other graphs are fed in order and must take as many inputs as the source model.
 */
function inputPositions(names: readonly string[], count: number): number[] | undefined {
  const numbered = names.map((n) => /^input_(\d+)$/.exec(n)?.[1]);
  if (numbered.every((n) => n !== undefined) && numbered.every((n) => Number(n) < count)) return numbered.map(Number);
  return names.length === count ? names.map((_, i) => i) : undefined;
}

function firstLine(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  return message.split('\n')[0].slice(0, 500);
}
