// Elementwise comparison of an onnxruntime output with the source model's, the way
// Polygraphy and optimum judge exports: |ort - torch| <= atol + rtol * |torch|.

export interface Tolerances {
  atol: number;
  rtol: number;
}

export interface OutputComparison {
  name: string;
  shape: number[];
  maxAbsDiff: number;
  meanAbsDiff: number;
  medianAbsDiff: number;
  /** Largest |ort - torch| / |torch| over elements where torch is not 0. */
  maxRelDiff: number;
  /** Elements where one side is NaN or infinite and the other is not the same value. */
  nanOrInf: number;
  /** Elements beyond tolerance. */
  failing: number;
  elements: number;
  pass: boolean;
  /** Why it failed when it is not about values (missing output, other shape). */
  problem?: string;
}

/** Accumulates one output's differences over several inputs. */
export class DiffAccumulator {
  private readonly diffs: number[] = [];
  private maxAbs = 0;
  private maxRel = 0;
  private sum = 0;
  private nanOrInf = 0;
  private failing = 0;
  private problem?: string;
  shape: number[] = [];

  constructor(readonly name: string, private readonly tolerances: Tolerances) {}

  add(actual: ArrayLike<number>, expected: ArrayLike<number>, actualShape: readonly number[], expectedShape: readonly number[]): void {
    if (!this.shape.length) this.shape = [...expectedShape];
    if (actualShape.length !== expectedShape.length || actualShape.some((d, i) => d !== expectedShape[i])) {
      this.problem ??= `shape [${actualShape.join(', ')}] where the source model gives [${expectedShape.join(', ')}]`;
      return;
    }
    const { atol, rtol } = this.tolerances;
    for (let i = 0; i < expected.length; i++) {
      const a = actual[i];
      const e = expected[i];
      if (!Number.isFinite(a) || !Number.isFinite(e)) {
        if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) {
          this.nanOrInf++;
          this.failing++;
        }
        continue;
      }
      const diff = Math.abs(a - e);
      this.diffs.push(diff);
      this.sum += diff;
      if (diff > this.maxAbs) this.maxAbs = diff;
      if (e !== 0 && diff / Math.abs(e) > this.maxRel) this.maxRel = diff / Math.abs(e);
      if (diff > atol + rtol * Math.abs(e)) this.failing++;
    }
  }

  missing(reason: string): void {
    this.problem ??= reason;
  }

  /** The raw absolute differences (for the report's histogram). */
  differences(): readonly number[] {
    return this.diffs;
  }

  result(): OutputComparison {
    const sorted = Float64Array.from(this.diffs).sort();
    const n = sorted.length;
    const median = n === 0 ? 0 : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return {
      name: this.name,
      shape: this.shape,
      maxAbsDiff: this.maxAbs,
      meanAbsDiff: n ? this.sum / n : 0,
      medianAbsDiff: median,
      maxRelDiff: this.maxRel,
      nanOrInf: this.nanOrInf,
      failing: this.failing,
      elements: n + this.nanOrInf,
      pass: !this.problem && this.failing === 0,
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }
}

/** Histogram of log10 absolute differences, for the report. */
export function diffHistogram(diffs: readonly number[], bins = 12): { from: number; to: number; count: number }[] {
  const low = -12;
  const high = 0;
  const width = (high - low) / bins;
  const counts = new Array<number>(bins + 1).fill(0);
  for (const d of diffs) {
    const exponent = d > 0 ? Math.log10(d) : low;
    counts[Math.min(bins, Math.max(0, Math.floor((exponent - low) / width)))]++;
  }
  return counts.map((count, i) => ({ from: i === 0 ? 0 : 10 ** (low + i * width), to: i === bins ? Infinity : 10 ** (low + (i + 1) * width), count }));
}
