// Where the conversion check left the ONNX export of a Hub model, so the robustness probe can
// run on it later. Each check folder describes itself (spec.json: what was exported;
// report.json: the verdict and the export's path), so exports from an earlier session or from
// `ptm-lens check-onnx --model` are found too, with no index of our own to keep in step.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export interface OnnxExport {
  /** Absolute path of the .onnx file. */
  onnx: string;
  verdict: string;
  /** When the check finished (ms since the epoch): the newest export of a model wins. */
  checkedAt: number;
}

/** Verdicts whose export onnxruntime loads and runs, so a probe of it can run. */
const PROBEABLE = new Set(['pass', 'mismatch']);

type Parsed = { key: string; export: OnnxExport } | 'other';

export class OnnxExports {
  /** Finished check folders by name (a finished folder never changes); unfinished ones are read again. */
  private readonly folders = new Map<string, Parsed>();

  constructor(private readonly root: string) {}

  static key(modelId: string, revision: string | undefined): string {
    return `${modelId}@${revision ?? ''}`;
  }

  /** The newest probeable export of a model at a revision whose file still exists. */
  find(modelId: string, revision: string | undefined): OnnxExport | undefined {
    const wanted = OnnxExports.key(modelId, revision);
    let best: OnnxExport | undefined;
    for (const name of this.list()) {
      const parsed = this.folders.get(name) ?? this.read(name);
      if (!parsed || parsed === 'other' || parsed.key !== wanted) continue;
      if (best && best.checkedAt >= parsed.export.checkedAt) continue;
      if (existsSync(parsed.export.onnx)) best = parsed.export;
    }
    return best;
  }

  private list(): string[] {
    try {
      return readdirSync(this.root);
    } catch {
      return []; // no check has run on this machine yet
    }
  }

  /** A check folder's export, 'other' for a finished check that left none to probe, undefined while it runs. */
  private read(name: string): Parsed | undefined {
    const folder = join(this.root, name);
    let report: { verdict?: unknown; onnx?: unknown };
    let checkedAt: number;
    try {
      const file = join(folder, 'report.json');
      checkedAt = statSync(file).mtimeMs;
      report = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return undefined; // not finished, or not a check folder: looked at again next time
    }
    let parsed: Parsed = 'other';
    try {
      const source = (JSON.parse(readFileSync(join(folder, 'spec.json'), 'utf8')) as { source?: { kind?: unknown; id?: unknown; revision?: unknown } }).source;
      const onnx = report.onnx;
      if (source?.kind === 'model' && typeof source.id === 'string' && typeof onnx === 'string' && isAbsolute(onnx) && PROBEABLE.has(String(report.verdict))) {
        parsed = { key: OnnxExports.key(source.id, typeof source.revision === 'string' ? source.revision : undefined), export: { onnx, verdict: String(report.verdict), checkedAt } };
      }
    } catch {
      // A finished folder without a readable spec is no export to offer.
    }
    this.folders.set(name, parsed);
    return parsed;
  }
}
