// `ptm-lens probe MODEL.onnx [MODEL2.onnx ...] --images DIR`: black-box attacks against
// ONNX image classifiers behind preprocessing defences, with a report. Exit 0 when the probe
// ran (whatever the success rates), 2 when it could not (bad usage, no image classifier,
// unreadable images, onnxruntime missing).
import { existsSync, mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RuntimeUnavailableError } from '../onnx/runtime';
import { ImageError } from '../robustness/images';
import { formatDefense, parseDefense } from '../robustness/index';
import { ModelError, parseNormalize, type Normalization } from '../robustness/onnx-classifier';
import { ProbeInputError, runProbe, type LabelEntry } from '../robustness/probe';
import type { ProbeOutput } from '../robustness/probe-output';
import { writeProbeReport } from '../robustness/report-files';
import type { AttackName, DefenseSpec, Norm } from '../robustness/types';
import { UsageError } from './options';

export const ATTACKS: readonly AttackName[] = ['simba', 'simba-dct', 'hopskipjump', 'boundary', 'mga'];

export const PROBE_HELP = `Usage: ptm-lens probe MODEL.onnx [MODEL2.onnx ...] --images DIR [options]

Runs black-box attacks against ONNX image classifiers, behind preprocessing defences,
and reports how often and how cheaply they fool each model. Several models are probed
side by side on the same images (compare mode).

  --images DIR            PNG and JPEG images (resized to the model's input size)
  --labels FILE.json      {"img.png": 3} or {"img.png": {"label": 3, "target": 5}};
                          default: each model's own clean prediction
  --attack NAME           simba, simba-dct, hopskipjump, boundary, mga (repeatable;
                          default: all five)
  --norm l2|linf          what HopSkipJump optimises and --epsilon bounds (default: l2)
  --targeted              aim at a class: the labels file's target, else the class with
                          the second-highest clean score
  --defense SPEC          none, bit-depth:BITS, median:K, jpeg:QUALITY (repeatable;
                          default: none)
  --queries N             query budget per image and attack (default: 1000)
  --epsilon E             success only within E in --norm (pixels in [0,1])
  --seed S                random seed (default: 0)
  --normalize SPEC        none (pixels/255), imagenet, or MEAN/STD; a
                          preprocessor_config.json beside the model wins (default: none)
  --batch N               largest batch sent to the model at once (default: 256)
  --out DIR               adversarial PNGs, probe.json and report/index.html (default: a
                          new folder in ~/.cache/ptm-lens/probes)
  --format text|json      output format (default: text)

Exit codes: 0 the probe ran, 2 it could not (bad usage, not an image classifier,
unreadable images, onnxruntime-node missing).
`;

export interface ProbeCommand {
  models: string[];
  images: string;
  labels?: Record<string, LabelEntry>;
  attacks: AttackName[];
  defenses: { name: string; spec: DefenseSpec }[];
  norm: Norm;
  targeted: boolean;
  queries: number;
  epsilon?: number;
  seed: number;
  normalize: Normalization;
  maxBatch: number;
  out?: string;
  format: 'text' | 'json';
}

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new UsageError(`--${name} must be an integer of at least ${min}, not "${value}"`);
  return parsed;
}

/** The labels file: {"img.png": 3} or {"img.png": {"label": 3, "target": 5}}. */
export function parseLabels(text: string, file: string): Record<string, LabelEntry> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${file} must be a JSON object mapping image file names to labels`);
  const isClass = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  const labels: Record<string, LabelEntry> = {};
  for (const [name, value] of Object.entries(data)) {
    if (isClass(value)) labels[name] = { label: value };
    else if (value && typeof value === 'object' && isClass((value as LabelEntry).label) && ((value as LabelEntry).target === undefined || isClass((value as LabelEntry).target))) {
      labels[name] = { label: (value as LabelEntry).label, ...((value as LabelEntry).target !== undefined ? { target: (value as LabelEntry).target } : {}) };
    } else throw new UsageError(`${file}: "${name}" must be a class index (0, 1, ...) or {"label": N, "target": M}`);
  }
  return labels;
}

export function parseProbe(argv: string[]): ProbeCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        images: { type: 'string' }, labels: { type: 'string' }, attack: { type: 'string', multiple: true }, norm: { type: 'string', default: 'l2' },
        targeted: { type: 'boolean', default: false }, defense: { type: 'string', multiple: true }, queries: { type: 'string' }, epsilon: { type: 'string' },
        seed: { type: 'string' }, normalize: { type: 'string', default: 'none' }, batch: { type: 'string' }, out: { type: 'string' },
        format: { type: 'string', default: 'text' }, debug: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (parsed.positionals.length === 0) throw new UsageError('probe needs at least one MODEL.onnx');
  for (const model of parsed.positionals) if (!existsSync(model)) throw new UsageError(`no such model file: ${model}`);
  if (!v.images) throw new UsageError('probe needs --images DIR (a folder of PNG or JPEG images)');
  if (!existsSync(v.images)) throw new UsageError(`no such image folder: ${v.images}`);
  const format = v.format as string;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  const norm = v.norm as string;
  if (norm !== 'l2' && norm !== 'linf') throw new UsageError(`--norm must be l2 or linf, not "${norm}"`);
  const attacks = (v.attack ?? [...ATTACKS]) as string[];
  for (const attack of attacks) if (!ATTACKS.includes(attack as AttackName)) throw new UsageError(`unknown --attack "${attack}" (one of ${ATTACKS.join(', ')})`);
  const defenses = (v.defense ?? ['none']).map((text) => {
    try {
      const spec = parseDefense(text);
      return { name: formatDefense(spec), spec };
    } catch (error) {
      throw new UsageError(`--defense: ${(error as Error).message}`);
    }
  });
  let epsilon: number | undefined;
  if (v.epsilon !== undefined) {
    epsilon = Number(v.epsilon);
    if (!Number.isFinite(epsilon) || epsilon <= 0) throw new UsageError(`--epsilon must be a positive number, not "${v.epsilon}"`);
  }
  let normalize: Normalization;
  try {
    normalize = parseNormalize(v.normalize as string);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let labels: Record<string, LabelEntry> | undefined;
  if (v.labels) {
    if (!existsSync(v.labels)) throw new UsageError(`no such labels file: ${v.labels}`);
    labels = parseLabels(readFileSync(v.labels, 'utf8'), v.labels);
  }
  return {
    models: parsed.positionals,
    images: v.images,
    ...(labels ? { labels } : {}),
    attacks: [...new Set(attacks)] as AttackName[],
    defenses: defenses.filter((d, i) => defenses.findIndex((e) => e.name === d.name) === i),
    norm,
    targeted: v.targeted as boolean,
    queries: integer('queries', v.queries, 1000, 1),
    ...(epsilon !== undefined ? { epsilon } : {}),
    seed: integer('seed', v.seed, 0, 0),
    normalize,
    maxBatch: integer('batch', v.batch, 256, 1),
    ...(v.out ? { out: v.out } : {}),
    format,
  };
}

/** A new folder for one probe under PTM Lens' cache, when --out is not given. */
function defaultOut(): string {
  const base = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ptm-lens', 'probes');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${new Date().toISOString().replace(/[:.]/g, '-')}-`));
}

export async function probeCommand(argv: string[]): Promise<number> {
  const command = parseProbe(argv);
  if (command === 'help') {
    process.stdout.write(PROBE_HELP);
    return 0;
  }
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let output: ProbeOutput;
  try {
    const out = command.out ? resolve(command.out) : defaultOut();
    output = await runProbe({
      models: command.models,
      imagesDir: command.images,
      ...(command.labels ? { labels: command.labels } : {}),
      attacks: command.attacks,
      defenses: command.defenses,
      norm: command.norm,
      targeted: command.targeted,
      queries: command.queries,
      ...(command.epsilon !== undefined ? { epsilon: command.epsilon } : {}),
      seed: command.seed,
      normalize: command.normalize,
      maxBatch: command.maxBatch,
      out,
      signal: controller.signal,
      onProgress: (message, done, total) => process.stderr.write(`ptm-lens: probe [${done}/${total}] ${message}\n`),
    });
    writeProbeReport(output);
  } catch (error) {
    if (error instanceof ModelError || error instanceof ImageError || error instanceof ProbeInputError || error instanceof RuntimeUnavailableError) {
      process.stderr.write(`ptm-lens: probe could not run: ${error.message.split('\n')[0]}\n`);
      return 2;
    }
    if (controller.signal.aborted) {
      process.stderr.write('ptm-lens: probe interrupted\n');
      return 2;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
  for (const note of output.notes) process.stderr.write(`ptm-lens: ${note.message}\n`);
  process.stdout.write(command.format === 'json' ? JSON.stringify(output, null, 2) + '\n' : probeText(output));
  return 0;
}

const pct = (v: number) => `${Math.round(v * 100)}%`;
const num = (v: number | null) => (v === null ? '-' : Number(v.toPrecision(3)).toString());

export function probeText(output: ProbeOutput): string {
  const s = output.settings;
  const lines = [`probe: ${output.models.length} model(s), ${output.images.length} images, ${s.targeted ? 'targeted' : 'untargeted'}, norm ${s.norm}, ${s.queries} queries per image${s.epsilon !== null ? `, epsilon ${s.epsilon}` : ''}, seed ${s.seed}`];
  for (const m of output.models) {
    lines.push(`${m.model}: ${m.inputShape.join('x')} ${m.layout}, ${m.classes} classes, normalisation ${m.normalization}${m.cleanAccuracy !== null ? `, clean accuracy ${pct(m.cleanAccuracy)}` : ''}, ${m.queries} queries`);
  }
  const header = ['model', 'attack', 'defence', 'success', 'median L2', 'median Linf', 'median queries', 'clean agreement', 'ms'];
  const rows = output.runs.map((r) => [r.model, r.attack, r.defense, pct(r.successRate), num(r.medianL2), num(r.medianLinf), num(r.medianQueries), pct(r.cleanAgreement), String(r.wallMs)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  lines.push('', line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), '');
  const t = output.timings;
  lines.push(`${t.queries} queries in ${(t.totalMs / 1000).toFixed(1)} s (inference ${Math.round(t.inferenceMs)} ms, defences ${Math.round(t.defenseMs)} ms, image I/O ${Math.round(t.imageIoMs)} ms)`);
  lines.push(`report: ${join(output.out, output.report)}`);
  return lines.join('\n') + '\n';
}
