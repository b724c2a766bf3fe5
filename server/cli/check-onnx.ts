// `ptm-lens check-onnx`: exports a model with the user's Python, runs the export in
// onnxruntime and compares. Exit 0 pass, 1 any other verdict, 2 the check could not run.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CheckCannotRun, runConversionCheck, type CheckOptions, type CheckResult } from '../onnx/check/check';
import { UsageError } from './options';
import { MODEL_LIBRARIES, type ModelLibrary } from '../onnx/check/python-helper';

export const CHECK_ONNX_HELP = `Usage: ptm-lens check-onnx (--model HF_ID [--revision R] | --module FILE.py:NAME) [options]

Exports the model with torch.onnx.export in your Python (or takes --onnx), runs the
source model and the export in onnxruntime (optimisation disabled and all) on the same
inputs and compares every output: |ort - torch| <= atol + rtol * |torch|.
This runs your Python code: use it on code you trust.

  --module FILE.py:NAME   NAME() returns (torch.nn.Module, example_input)
  --model HF_ID           load from the local Hugging Face cache or the Hub in your Python
  --revision R            revision of --model
  --library NAME          how --model is loaded: auto (default: sentence-transformers when the
                          repository has modules.json, timm for timm configs, else transformers),
                          transformers (AutoModel, AutoTokenizer), sentence-transformers, timm
  --onnx FILE             verify this existing export instead of exporting
  --python PATH           interpreter with torch (default: python3)
  --opset N               ONNX opset for the export (default: 17)
  --atol X, --rtol X      tolerances (default: 1e-5 each)
  --inputs N              number of inputs compared (default: 5; seeded, plus edge values)
  --out DIR               keep the export, arrays and report.json here (default: a new folder in ~/.cache/ptm-lens/checks)
  --timeout SECONDS       stop the Python side after this long (default: 600)
  --format text|json      output format (default: text)

Verdicts: pass, mismatch, export-crash, load-crash, run-crash.
Exit codes: 0 pass, 1 any other verdict, 2 the check could not run (no Python, torch,
the model's library or onnxruntime; the model factory failed; bad usage).
`;

function positiveNumber(name: string, value: string | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || (integer && (!Number.isInteger(parsed) || parsed < 1))) throw new UsageError(`--${name} must be ${integer ? 'a positive integer' : 'a non-negative number'}, not "${value}"`);
  return parsed;
}

export function parseCheckOnnx(argv: string[]): (CheckOptions & { format: 'text' | 'json' }) | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        model: { type: 'string' }, revision: { type: 'string' }, library: { type: 'string' }, module: { type: 'string' }, onnx: { type: 'string' }, python: { type: 'string' },
        opset: { type: 'string' }, atol: { type: 'string' }, rtol: { type: 'string' }, inputs: { type: 'string' }, out: { type: 'string' },
        timeout: { type: 'string' }, format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (!!v.model === !!v.module) throw new UsageError('check-onnx needs exactly one of --model HF_ID and --module FILE.py:NAME');
  if (v.revision && !v.model) throw new UsageError('--revision goes with --model');
  if (v.library && !v.model) throw new UsageError('--library goes with --model');
  const library = (v.library ?? 'auto') as ModelLibrary;
  if (!MODEL_LIBRARIES.includes(library)) throw new UsageError(`--library must be one of ${MODEL_LIBRARIES.join(', ')}, not "${v.library}"`);
  const format = v.format as string;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  let source: CheckOptions['source'];
  if (v.module) {
    const match = /^(.+\.py):([A-Za-z_][A-Za-z0-9_]*)$/.exec(v.module);
    if (!match) throw new UsageError(`--module must look like FILE.py:NAME, not "${v.module}"`);
    if (!existsSync(match[1])) throw new UsageError(`no such file: ${match[1]}`);
    source = { kind: 'module', file: match[1], name: match[2] };
  } else {
    source = { kind: 'model', id: v.model!, ...(v.revision ? { revision: v.revision } : {}), library };
  }
  if (v.onnx && !existsSync(v.onnx)) throw new UsageError(`no such file: ${v.onnx}`);
  return {
    source,
    onnx: v.onnx,
    python: v.python ?? process.env.PTM_LENS_PYTHON ?? 'python3',
    opset: positiveNumber('opset', v.opset, 17, true),
    tolerances: { atol: positiveNumber('atol', v.atol, 1e-5), rtol: positiveNumber('rtol', v.rtol, 1e-5) },
    inputs: positiveNumber('inputs', v.inputs, 5, true),
    out: v.out,
    timeoutMs: positiveNumber('timeout', v.timeout, 600) * 1000,
    format,
  };
}

export async function checkOnnxCommand(argv: string[]): Promise<number> {
  const options = parseCheckOnnx(argv);
  if (options === 'help') {
    process.stdout.write(CHECK_ONNX_HELP);
    return 0;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  let result: CheckResult;
  try {
    result = await runConversionCheck({ ...options, signal: controller.signal, onProgress: (message) => process.stderr.write(`ptm-lens: ${message}\n`) });
  } catch (error) {
    if (error instanceof CheckCannotRun) {
      process.stderr.write(`ptm-lens: check-onnx could not run: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', stop);
  }
  for (const note of result.notes) process.stderr.write(`ptm-lens: ${note.message}\n`);
  if (options.format === 'json') {
    const { histograms: _histograms, ...rest } = result;
    process.stdout.write(JSON.stringify(rest, null, 2) + '\n');
  } else {
    process.stdout.write(checkText(result));
  }
  return result.verdict === 'pass' ? 0 : 1;
}

const ms = (value: number | undefined) => (value === undefined ? '-' : `${Math.round(value)} ms`);
const num = (value: number) => (value === 0 ? '0' : value.toExponential(2));

export function checkText(result: CheckResult): string {
  const lines = [`verdict: ${result.verdict}`, result.message];
  for (const o of result.outputs) {
    lines.push(`  ${o.name} [${o.shape.join(', ')}]: max |diff| ${num(o.maxAbsDiff)}, mean ${num(o.meanAbsDiff)}, median ${num(o.medianAbsDiff)}, max rel ${num(o.maxRelDiff)}, NaN/Inf ${o.nanOrInf}: ${o.pass ? 'pass' : 'FAIL'}`);
  }
  lines.push(`optimisation: disabled ${result.optimization.levels.disabled}, all ${result.optimization.levels.all}; max difference between levels ${num(result.optimization.maxDiffBetweenLevels)}`);
  const t = result.timings;
  lines.push(`timings: export ${ms(t.exportMs)}, reference ${ms(t.referenceMs)}, onnxruntime ${ms(t.ortMs)}, python start-up ${ms(t.pythonStartupMs)}, total ${ms(t.totalMs)}`);
  lines.push(`report: ${result.report}`);
  return lines.join('\n') + '\n';
}
