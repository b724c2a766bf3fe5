// The name against the model: one check per naming rule (PTM201-205). A false alarm costs
// more than a miss, so a check says nothing when the evidence is unclear, reports `info`
// when one fact contradicts the name, and `warning` only when config.json and the weights
// agree with each other and not with the name. Each message states both sides in one sentence.
import type { ModelEvidence } from './evidence';
import {
  acceptedModelTypes,
  sizeReference,
  TASK_LABEL,
  taskConsistent,
  taskKindOfHead,
  taskKindOfPipeline,
  taskKindOfWord,
  type TaskKind,
} from './mismatch-knowledge';

/** What a name claims (the shape of naming's NameClaims this module reads). */
export interface Claims {
  architecture?: string;
  architectureText?: string;
  size?: string;
  parameters?: number;
  tasks: string[];
  layers?: number;
  heads?: number;
  hidden?: number;
  formats: string[];
  precisions: string[];
}

export interface Mismatch {
  severity: 'warning' | 'info';
  message: string;
}

/** "config.json and the weights say", "config.json says", "the weights say". */
function who(config: boolean, weights: boolean): string {
  return config && weights ? 'config.json and the weights say' : config ? 'config.json says' : 'the weights say';
}

function dims(layers: number | undefined, hidden: number | undefined): string {
  return [layers ? `${layers} layers` : '', hidden ? `${hidden} hidden` : ''].filter(Boolean).join(', ');
}

/** PTM201: the architecture the name claims against config.json's model_type and the weight layout's family. */
export function architectureMismatch(claims: Claims, ev: ModelEvidence): Mismatch | undefined {
  const claimed = claims.architecture;
  const accepts = claimed ? acceptedModelTypes(claimed) : undefined;
  if (!claimed || !accepts) return undefined;
  const fits = (type: string) => accepts.includes(type) || variantOf(type, claimed);
  const configType = ev.config?.modelType;
  const configOff = configType !== undefined && !fits(configType);
  const weightTypes = ev.weights?.modelTypes;
  const weightsOff = weightTypes !== undefined && !weightTypes.some(fits);
  const written = claims.architectureText ?? claimed;
  if (configOff) {
    const head = ev.config?.architectures[0];
    const config = `${configType}${head ? ` (${head})` : ''}`;
    if (weightsOff && weightTypes!.includes(configType!)) {
      return { severity: 'warning', message: `name says ${written}; config.json and the weights say ${config}, with a ${ev.weights!.family.id}-style weight layout.` };
    }
    if (weightTypes && !weightsOff) {
      return { severity: 'info', message: `name says ${written}; config.json says ${config}, though the weight layout (${ev.weights!.family.id}-style) fits both.` };
    }
    return { severity: 'info', message: `name says ${written}; config.json says ${config} (the weights were not read).` };
  }
  if (!configType && weightsOff) {
    return { severity: 'info', message: `name says ${written}; the weights have a ${ev.weights!.family.id}-style layout (config.json gives no model type).` };
  }
  return undefined;
}

/** A model type that extends the claimed one: mllama of llama, qwen2_vl of qwen2, phi3_v of phi3, mt5 of t5. */
function variantOf(type: string, claimed: string): boolean {
  return type.startsWith(`${claimed}_`) || type.startsWith(`${claimed}-`) || type === `m${claimed}`;
}

/** PTM202: a size word (base, large) against the family's reference size, or a parameter count off by more than 25%. */
export function sizeMismatch(claims: Claims, ev: ModelEvidence): Mismatch | undefined {
  return sizeWordMismatch(claims, ev) ?? parameterMismatch(claims, ev);
}

function sizeWordMismatch(claims: Claims, ev: ModelEvidence): Mismatch | undefined {
  const family = claims.architecture && sizeReference(claims.architecture, claims.size) ? claims.architecture : ev.config?.modelType;
  const expected = sizeReference(family, claims.size);
  if (!expected || !claims.size) return undefined;
  const config = ev.fullConfig ? ev.config : undefined;
  const weights = ev.weights;
  // The hidden size defines a size class; depth alone varies (distilled models keep "base").
  const configOff = config?.hidden !== undefined && config.hidden !== expected.hidden;
  const weightsOff = weights?.hidden !== undefined && weights.hidden !== expected.hidden;
  if (!configOff && !weightsOff) return undefined;
  const agree = configOff && weightsOff && config!.hidden === weights!.hidden && (!config!.layers || config!.layers === weights!.layers);
  const actualType = config?.modelType ?? family;
  const layers = config?.layers ?? weights?.layers;
  const hidden = configOff ? config!.hidden : weights!.hidden;
  const name = `${claims.architectureText ?? family}-${claims.size}`;
  const message = `name says ${name} (${dims(expected.layers, expected.hidden)}); ${who(configOff, weightsOff)} ${actualType} with ${dims(layers, hidden)}.`;
  // Config and weights disagreeing with each other is unclear evidence: said softly.
  return { severity: agree ? 'warning' : 'info', message };
}

/** Quantised or adapter checkpoints count packed or partial weights: their counts say nothing about the model's size. */
function countsUnreliable(claims: Claims, ev: ModelEvidence): boolean {
  if (claims.precisions.length || claims.formats.some((f) => f !== 'safetensors' && f !== 'hf')) return true;
  if (ev.config?.quantized) return true;
  if (ev.files.some((f) => /(^|\/)adapter_config\.json$/.test(f))) return true;
  return Object.keys(ev.dtypes).some((d) => /^(I32|U8|I8|U32|F8|F4|F6)/.test(d));
}

function parameterMismatch(claims: Claims, ev: ModelEvidence): Mismatch | undefined {
  const claimed = claims.parameters;
  // "1_6b" writes 1.6B with an underscore; read as 6B it would be a false alarm.
  if (!claimed || countsUnreliable(claims, ev) || /\d_\d+(?:\.\d+)?[bmBM](?![a-z])/.test(ev.modelId)) return undefined;
  const fromWeights = ev.weights?.complete ? ev.weights.parameters : undefined;
  const fromHub = ev.hubParameters;
  const off = (n: number) => Math.abs(n - claimed) / Math.max(n, claimed) > 0.25;
  const weightsOff = fromWeights !== undefined && off(fromWeights);
  const hubOff = fromHub !== undefined && off(fromHub);
  if (!weightsOff && !hubOff) return undefined;
  // The other count, when there is one, must say the same; counts that disagree are unclear.
  if ((fromWeights !== undefined && !weightsOff) || (fromHub !== undefined && !hubOff)) return undefined;
  const actual = fromWeights ?? fromHub!;
  const both = weightsOff && hubOff;
  const source = both ? "the weights and the Hub's count say" : weightsOff ? 'the weights say' : "the Hub's count says";
  return { severity: both ? 'warning' : 'info', message: `name says ${count(claimed)} parameters; ${source} ${count(actual)}, ${Math.round((Math.abs(actual - claimed) / Math.max(actual, claimed)) * 100)}% off.` };
}

function count(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toFixed(n >= 1e10 ? 0 : 2)}B`;
  if (n >= 1e6) return `${+(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  return String(n);
}

/** PTM203: a task the name claims against the model's head (config.json) and pipeline tag. */
export function taskMismatch(claims: Claims, ev: ModelEvidence): Mismatch | undefined {
  const claimed = claims.tasks.map((t) => [t, taskKindOfWord(t)] as const).find(([, k]) => k !== undefined) as [string, TaskKind] | undefined;
  if (!claimed) return undefined;
  const [word, kind] = claimed;
  const head = ev.config?.architectures[0];
  const headKind = head ? taskKindOfHead(head) : undefined;
  const tagKind = ev.pipelineTag ? taskKindOfPipeline(ev.pipelineTag) : undefined;
  const headOff = headKind !== undefined && !taskConsistent(kind, headKind);
  const tagOff = tagKind !== undefined && !taskConsistent(kind, tagKind);
  if (!headOff && !tagOff) return undefined;
  // A head and a tag that disagree with each other, or one that fits the name, leave it unclear.
  if ((headKind !== undefined && !headOff) || (tagKind !== undefined && !tagOff)) return undefined;
  if (headOff && tagOff && headKind !== tagKind && !taskConsistent(headKind!, tagKind!)) return undefined;
  const actual = TASK_LABEL[(headKind ?? tagKind)!];
  const sides = headOff && tagOff ? `its head (${head}) and pipeline tag (${ev.pipelineTag}) say ${actual}` : headOff ? `its head (${head}) says ${actual}` : `its pipeline tag (${ev.pipelineTag}) says ${actual}`;
  return { severity: headOff && tagOff ? 'warning' : 'info', message: `name says ${word} (${TASK_LABEL[kind]}); ${sides}.` };
}

/** PTM204: layer, hidden-size and head counts written in the name (L6, H-768, A-12) against config.json and the weights. */
export function structureClaimMismatch(claims: Claims, ev: ModelEvidence): Mismatch | undefined {
  const config = ev.fullConfig ? ev.config : undefined;
  const weights = ev.weights;
  const parts: { claim: string; actual: string; agree: boolean; config: boolean; weights: boolean }[] = [];
  const check = (what: string, claimed: number | undefined, fromConfig: number | undefined, fromWeights: number | undefined) => {
    if (claimed === undefined) return;
    const configOff = fromConfig !== undefined && fromConfig !== claimed;
    const weightsOff = fromWeights !== undefined && fromWeights !== claimed;
    // One source fitting the claim makes it unclear: no finding for that count.
    if ((fromConfig !== undefined && !configOff) || (fromWeights !== undefined && !weightsOff) || (!configOff && !weightsOff)) return;
    const actual = configOff ? fromConfig! : fromWeights!;
    parts.push({ claim: `${claimed} ${what}`, actual: `${actual} ${what}`, agree: configOff && weightsOff && fromConfig === fromWeights, config: configOff, weights: weightsOff });
  };
  check('layers', claims.layers, config?.layers, weights?.layers);
  check('hidden', claims.hidden, config?.hidden, weights?.hidden);
  check('heads', claims.heads, config?.heads, undefined);
  if (!parts.length) return undefined;
  const config2 = parts.some((p) => p.config);
  const weights2 = parts.some((p) => p.weights);
  return {
    severity: parts.every((p) => p.agree) ? 'warning' : 'info',
    message: `name says ${parts.map((p) => p.claim).join(', ')}; ${who(config2, weights2)} ${parts.map((p) => p.actual).join(', ')}.`,
  };
}

const FORMAT_FILES: Record<string, { test: RegExp; label: string }> = {
  gguf: { test: /\.gguf$/i, label: '.gguf' },
  onnx: { test: /\.onnx$/i, label: '.onnx' },
  openvino: { test: /openvino.*\.xml$|\.xml$/i, label: 'OpenVINO .xml/.bin' },
  tf: { test: /(^|\/)(tf_model\.h5|saved_model\.pbt?)$/i, label: 'TensorFlow (tf_model.h5, saved_model.pb)' },
  tensorflow: { test: /(^|\/)(tf_model\.h5|saved_model\.pbt?)$/i, label: 'TensorFlow (tf_model.h5, saved_model.pb)' },
  safetensors: { test: /\.safetensors$/i, label: '.safetensors' },
  coreml: { test: /\.(mlpackage|mlmodel)(\/|$)/i, label: 'Core ML' },
  tflite: { test: /\.tflite$/i, label: '.tflite' },
};

/** Precision words -> the safetensors dtypes that back them. */
const PRECISION_DTYPES: Record<string, readonly string[]> = {
  fp16: ['F16'], f16: ['F16'], half: ['F16'], bf16: ['BF16'], fp32: ['F32'], f32: ['F32'],
  fp8: ['F8_E4M3', 'F8_E5M2'],
};

/** PTM205: formats (gguf, onnx) and precisions (fp16, bf16) the name claims, against the files present and the weights' dtypes. */
export function formatMismatch(claims: Claims, ev: ModelEvidence): Mismatch | undefined {
  if (!ev.filesComplete) return undefined;
  for (const format of claims.formats) {
    const known = FORMAT_FILES[format];
    if (!known || ev.files.some((f) => known.test.test(f))) continue;
    const have = describeWeightFiles(ev.files);
    return { severity: 'info', message: `name says ${format}; the repository has no ${known.label} file${have ? ` (its weights: ${have})` : ''}.` };
  }
  // Precision is judged on safetensors weights only: GGUF and ONNX files carry their own.
  if (!Object.keys(ev.dtypes).length || ev.files.some((f) => /\.(gguf|onnx)$/i.test(f)) || ev.config?.quantized) return undefined;
  for (const precision of claims.precisions) {
    const backing = PRECISION_DTYPES[precision.toLowerCase()];
    if (!backing) continue;
    const total = Object.values(ev.dtypes).reduce((a, b) => a + b, 0);
    const backed = backing.reduce((sum, d) => sum + (ev.dtypes[d] ?? 0), 0);
    if (backed >= total / 2) continue;
    const main = Object.entries(ev.dtypes).sort((a, b) => b[1] - a[1])[0][0];
    const configDtype = ev.config?.dtype;
    const configAgrees = configDtype !== undefined && DTYPE_NAMES[configDtype] === main;
    return {
      severity: configAgrees ? 'warning' : 'info',
      message: `name says ${precision}; ${configAgrees ? `the weights and config.json (torch_dtype ${configDtype}) say` : 'the weights say'} ${main}.`,
    };
  }
  return undefined;
}

const DTYPE_NAMES: Record<string, string> = { float16: 'F16', bfloat16: 'BF16', float32: 'F32' };

function describeWeightFiles(files: readonly string[]): string {
  const kinds = new Set<string>();
  for (const f of files) {
    if (/\.safetensors$/i.test(f)) kinds.add('safetensors');
    else if (/\.(bin|pt|pth|ckpt)$/i.test(f) && !/training_args/.test(f)) kinds.add('pickle');
    else if (/\.gguf$/i.test(f)) kinds.add('gguf');
    else if (/\.onnx$/i.test(f)) kinds.add('onnx');
  }
  return [...kinds].join(', ');
}
