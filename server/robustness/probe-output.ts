// The probe's JSON output (`ptm-lens probe --format json`, probe.json under --out, and
// what the report draws). Fields are added, never renamed: docs/probe.schema.json.
import type { Note } from '../core/notes';

export interface ProbeModel {
  /** The model as named on the command line: the key of its runs. */
  model: string;
  path: string;
  layout: 'NCHW' | 'NHWC';
  /** [channels, height, width] the images are resized to. */
  inputShape: [number, number, number];
  classes: number;
  /** "preprocessor_config.json", "none", "imagenet" or the MEAN/STD given. */
  normalization: string;
  /** Share of images whose clean prediction equals the given label; null when labels are the model's own. */
  cleanAccuracy: number | null;
  /** Images classified by this model in the whole probe (attacks, checks, clean runs). */
  queries: number;
}

export interface ProbeImageResult {
  image: string;
  label: number;
  /** The class the attack aimed at (targeted runs only). */
  target?: number;
  adversarialLabel: number | null;
  success: boolean;
  l2: number | null;
  linf: number | null;
  queries: number;
  /** Whether the saved 8-bit PNG still fools the (defended) model; null without an example. */
  roundedStillAdversarial: boolean | null;
  /** The adversarial PNG, relative to the output folder; null without an example. */
  output: string | null;
}

export interface ProbeRun {
  model: string;
  attack: string;
  norm: 'l2' | 'linf';
  targeted: boolean;
  defense: string;
  successRate: number;
  medianL2: number | null;
  medianLinf: number | null;
  medianQueries: number | null;
  /** Share of clean images the defended model classifies as the undefended model does. */
  cleanAgreement: number;
  wallMs: number;
  /** Queries of the attacks plus the rounded-PNG checks. */
  queries: number;
  images: ProbeImageResult[];
}

export interface ProbeTriple {
  model: string;
  attack: string;
  defense: string;
  image: string;
  label: number;
  adversarialLabel: number;
  l2: number;
  linf: number;
  /** PNG paths relative to the output folder. */
  original: string;
  adversarial: string;
  difference: string;
}

export interface ProbeTimings {
  totalMs: number;
  /** Inside onnxruntime, including packing tensors. */
  inferenceMs: number;
  /** Applying defences to queries (bit-depth, median, JPEG). */
  defenseMs: number;
  /** Decoding, resizing and writing images and the report. */
  imageIoMs: number;
  /** Opening the models in onnxruntime. */
  loadMs: number;
  /** Model queries in the whole probe. */
  queries: number;
}

export interface ProbeOutput {
  version: 1;
  models: ProbeModel[];
  images: string[];
  settings: { attacks: string[]; defenses: string[]; norm: 'l2' | 'linf'; targeted: boolean; queries: number; epsilon: number | null; seed: number };
  runs: ProbeRun[];
  triples: ProbeTriple[];
  /** Absolute output folder; `report` and every `output` are relative to it. */
  out: string;
  report: string;
  timings: ProbeTimings;
  notes: Note[];
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
