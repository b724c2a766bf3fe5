// The conversion check: the source model (plain torch module or Hugging Face model, loaded
// by the helper in the user's Python) against its ONNX export run in onnxruntime-node at two
// graph optimisation levels. Everything after loading is shared by both kinds of source.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { OnnxReadError, readOnnxFile } from '../read-model';
import { loadOnnxRuntime, RuntimeUnavailableError } from '../runtime';
import { toNumbers, typedArray } from './arrays';
import { DiffAccumulator, diffHistogram, type OutputComparison, type Tolerances } from './compare';
import { HelperFailure, runHelper, type HelperSpec } from './python-helper';
import { runAtLevel, type LevelRun, type OptimizationLevel } from './run-onnx';

export type Verdict = 'pass' | 'mismatch' | 'export-crash' | 'load-crash' | 'run-crash';

export interface CheckOptions {
  source: HelperSpec['source'];
  /** Verify this export instead of exporting. */
  onnx?: string;
  python: string;
  opset: number;
  tolerances: Tolerances;
  /** Number of inputs the source model and the export are compared on. */
  inputs: number;
  /** Folder for the export, arrays and report; a new temporary folder by default. */
  out?: string;
  seed?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  onProgress?(message: string): void;
}

/** The JSON of `ptm-lens check-onnx` (docs/check-onnx.schema.json). */
export interface CheckResult {
  version: 1;
  verdict: Verdict;
  message: string;
  opset: number;
  onnx?: string;
  tolerances: Tolerances;
  inputs: number;
  outputs: OutputComparison[];
  optimization: { maxDiffBetweenLevels: number; levels: Record<OptimizationLevel, Verdict> };
  timings: { exportMs?: number; referenceMs?: number; ortMs?: number; ortLoadMs?: number; pythonStartupMs?: number; pythonWallMs?: number; totalMs: number };
  /** Absolute-difference histogram per output (log10 bins), for the report page. */
  histograms: Record<string, { from: number; to: number; count: number }[]>;
  report: string;
  notes: { level: 'info' | 'warning'; message: string }[];
}

/**
 * A new folder for one check's export, arrays and report, under PTM Lens' cache
 * ($XDG_CACHE_HOME/ptm-lens/checks): kept after the run (the report and the export are its
 * results), in a place the user can find and clean, not scattered over the temp folder.
 */
function newCheckFolder(): string {
  const base = checksFolder();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, 'check-'));
}

/** Where checks keep their folders by default; the editor looks for earlier exports here. */
export function checksFolder(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ptm-lens', 'checks');
}

/** The check could not run: no Python, torch, transformers or onnxruntime, or the user's factory failed (exit 2). */
export class CheckCannotRun extends Error {}

const ORDER: Verdict[] = ['pass', 'mismatch', 'run-crash', 'load-crash', 'export-crash'];
const worse = (a: Verdict, b: Verdict): Verdict => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);

export async function runConversionCheck(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const out = resolve(options.out ?? newCheckFolder());
  mkdirSync(out, { recursive: true });
  const base = {
    version: 1 as const,
    opset: options.opset,
    tolerances: options.tolerances,
    inputs: 0,
    outputs: [] as OutputComparison[],
    histograms: {},
    report: join(out, 'report.json'),
    notes: [] as CheckResult['notes'],
  };
  const finish = (result: Omit<CheckResult, 'report' | 'version' | 'tolerances' | 'histograms' | 'notes' | 'inputs' | 'outputs' | 'opset'> & Partial<CheckResult>): CheckResult => {
    const full: CheckResult = { ...base, ...result, timings: { ...result.timings, totalMs: performance.now() - started } };
    writeFileSync(full.report, JSON.stringify(full, null, 2) + '\n');
    return full;
  };
  const noLevels = (verdict: Verdict) => ({ maxDiffBetweenLevels: 0, levels: { disabled: verdict, all: verdict } });

  let varyBatch = true;
  if (options.onnx) {
    try {
      const graph = readOnnxFile(resolve(options.onnx));
      varyBatch = graph.inputs.every((i) => i.shape && i.shape.length > 0 && typeof i.shape[0] !== 'number');
    } catch (error) {
      if (!(error instanceof OnnxReadError)) throw error;
      return finish({ verdict: 'load-crash', message: `onnxruntime cannot load it: ${error.message}`, onnx: resolve(options.onnx), optimization: noLevels('load-crash'), timings: { totalMs: 0 } });
    }
  }
  let ort;
  const ortLoadStarted = performance.now();
  try {
    ort = loadOnnxRuntime();
  } catch (error) {
    if (error instanceof RuntimeUnavailableError) throw new CheckCannotRun(error.message);
    throw error;
  }

  const ortLoadMs = performance.now() - ortLoadStarted;
  const spec: HelperSpec = { source: options.source, onnx: options.onnx ? resolve(options.onnx) : null, out, opset: options.opset, inputs: options.inputs, seed: options.seed ?? 0, varyBatch };
  let run;
  try {
    run = await runHelper(options.python, spec, { signal: options.signal, timeoutMs: options.timeoutMs, onProgress: options.onProgress });
  } catch (error) {
    if (error instanceof HelperFailure) throw new CheckCannotRun(error.message);
    throw error;
  }
  const helper = run.result;
  if (helper.status === 'export-crash') {
    return finish({ verdict: 'export-crash', message: `torch.onnx.export failed: ${helper.message}`, optimization: noLevels('export-crash'), timings: { exportMs: helper.timings?.exportMs, pythonStartupMs: run.wallMs - (helper.timings?.exportMs ?? 0), totalMs: 0 } });
  }
  if (helper.status !== 'ok') {
    const what = helper.status === 'missing' ? helper.message
      : helper.status === 'not-cached' ? `the model is not in the local Hugging Face cache and the Hub cannot be reached (${helper.message}); download it once online or unset HF_HUB_OFFLINE`
      : helper.status === 'reference-error' ? helper.message
      : `the source model could not be built: ${helper.message}`;
    throw new CheckCannotRun(what);
  }
  base.inputs = helper.cases.length;
  for (const note of helper.notes) base.notes.push({ level: 'warning', message: note });
  const pythonStartupMs = run.wallMs - (helper.timings.exportMs ?? 0) - helper.timings.referenceMs;

  options.onProgress?.('running the export in onnxruntime (optimisation disabled and all)');
  const ortStarted = performance.now();
  const levels: Record<OptimizationLevel, LevelRun> = {
    disabled: await runAtLevel(ort, helper.onnx, out, helper.cases, 'disabled'),
    all: await runAtLevel(ort, helper.onnx, out, helper.cases, 'all'),
  };
  const ortMs = performance.now() - ortStarted;
  const timings = { exportMs: helper.timings.exportMs, referenceMs: helper.timings.referenceMs, ortMs, ortLoadMs, pythonStartupMs, pythonWallMs: run.wallMs, totalMs: 0 };

  const verdicts = {} as Record<OptimizationLevel, Verdict>;
  const comparisons = {} as Record<OptimizationLevel, DiffAccumulator[]>;
  for (const level of ['disabled', 'all'] as const) {
    const levelRun = levels[level];
    if (levelRun.status !== 'ran') {
      verdicts[level] = levelRun.status;
      continue;
    }
    const accumulators = helper.cases[0].outputs.map((_, i) => new DiffAccumulator(levelRun.outputNames[i] ?? `output ${i}`, options.tolerances));
    helper.cases.forEach((testCase, c) => {
      testCase.outputs.forEach((expected, i) => {
        const actual = levelRun.cases[c][i];
        if (!actual) {
          accumulators[i].missing(`the graph has ${levelRun.outputNames.length} outputs, the source model ${testCase.outputs.length}`);
          return;
        }
        const reference = toNumbers(typedArray(expected.dtype, readFileSync(join(out, expected.file))), expected.dtype);
        accumulators[i].add(actual.data, reference, actual.shape, expected.shape);
      });
    });
    comparisons[level] = accumulators;
    verdicts[level] = accumulators.every((a) => a.result().pass) && levelRun.outputNames.length === helper.cases[0].outputs.length ? 'pass' : 'mismatch';
  }
  const verdict = worse(verdicts.disabled, verdicts.all);
  const shown = comparisons.all && verdicts.all === verdict ? comparisons.all : comparisons.disabled ?? comparisons.all ?? [];
  const outputs = shown.map((a) => a.result());
  const histograms = Object.fromEntries(shown.map((a) => [a.name, diffHistogram(a.differences())]));
  const optimization = { maxDiffBetweenLevels: diffBetweenLevels(levels.disabled, levels.all), levels: verdicts };
  return finish({ verdict, message: verdictMessage(verdict, levels, outputs, options, helper.cases.length), onnx: helper.onnx, outputs, histograms, optimization, timings });
}

function diffBetweenLevels(a: LevelRun, b: LevelRun): number {
  if (a.status !== 'ran' || b.status !== 'ran') return 0;
  let max = 0;
  a.cases.forEach((outputs, c) => outputs.forEach((output, i) => {
    const other = b.cases[c]?.[i];
    if (!other || other.data.length !== output.data.length) return;
    for (let k = 0; k < output.data.length; k++) {
      const d = Math.abs(output.data[k] - other.data[k]);
      if (d > max) max = d;
    }
  }));
  return max;
}

function verdictMessage(verdict: Verdict, levels: Record<OptimizationLevel, LevelRun>, outputs: OutputComparison[], options: CheckOptions, cases: number): string {
  const tolerance = `|ort - torch| <= ${options.tolerances.atol} + ${options.tolerances.rtol} * |torch|`;
  if (verdict === 'pass') return `The export matches the source model on ${cases} inputs (${tolerance}) at optimisation levels disabled and all.`;
  const crashed = (['disabled', 'all'] as const).find((l) => levels[l].status === verdict);
  if (crashed) {
    const levelRun = levels[crashed] as Exclude<LevelRun, { status: 'ran' }>;
    return verdict === 'load-crash'
      ? `onnxruntime refused the graph (optimisation ${crashed}): ${levelRun.message}`
      : `onnxruntime failed on input ${(levelRun as { caseIndex: number }).caseIndex} (optimisation ${crashed}): ${levelRun.message}`;
  }
  const failing = outputs.filter((o) => !o.pass).map((o) => (o.problem ? `${o.name}: ${o.problem}` : `${o.name}: ${o.failing} of ${o.elements} elements beyond ${tolerance}, max |diff| ${o.maxAbsDiff.toPrecision(3)}`));
  return `The export computes something else: ${failing.join('; ') || 'outputs differ between optimisation levels'}.`;
}
