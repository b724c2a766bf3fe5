// Seeded randomness for the attacks, so the same seed gives the same attack run.
// Marsaglia's xorshift128 (2003) over four 32-bit words, seeded through an integer mix so
// nearby seeds give unrelated streams; normals by Marsaglia's polar method.

function mix32(x: number): number {
  // An avalanche mix (multiply-xorshift) so seeds 1, 2, 3 start far apart.
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}

const TABLE_BITS = 16;
let quantiles: Float64Array | undefined;

/** Normal quantiles at (k + 1/2) / 2^16 for k < 2^16, by bisection on the CDF; built once. */
function normalQuantiles(): Float64Array {
  if (quantiles) return quantiles;
  const n = 1 << TABLE_BITS;
  const table = new Float64Array(n);
  for (let k = 0; k < n / 2; k++) {
    const p = (k + 0.5) / n;
    let lo = -10;
    let hi = 0;
    for (let it = 0; it < 44; it++) {
      const mid = (lo + hi) / 2;
      if (0.5 * (1 + erf(mid / Math.SQRT2)) < p) lo = mid;
      else hi = mid;
    }
    table[k] = (lo + hi) / 2;
    table[n - 1 - k] = -table[k];
  }
  return (quantiles = table);
}

export class Rng {
  private x: number;
  private y: number;
  private z: number;
  private w: number;
  private spare: number | undefined;

  constructor(seed: number) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    this.x = mix32(lo ^ 0x9e3779b9);
    this.y = mix32(hi ^ 0x85ebca6b ^ this.x);
    this.z = mix32(this.y ^ 0xc2b2ae35);
    this.w = mix32(this.z ^ 0x27d4eb2f) || 1;
  }

  /** A 32-bit unsigned integer. */
  uint32(): number {
    const t = this.x ^ (this.x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = this.w;
    this.w = (this.w ^ (this.w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return this.w;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal sample (Marsaglia's polar form of Box-Muller, both values used; no trigonometry). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[] | Int32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
  }

  /**
   * Fills `out` with normal samples quickly: each 16-bit half of a random word picks one of
   * 2^16 equally likely normal quantiles (a discretised normal, ample for random directions),
   * several times faster than computing each sample.
   */
  fillNormal(out: Float64Array): Float64Array {
    const table = normalQuantiles();
    const n = out.length;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const r = this.uint32();
      out[i] = table[r & 0xffff];
      out[i + 1] = table[r >>> 16];
    }
    if (i < n) out[i] = table[this.uint32() & 0xffff];
    return out;
  }

  /** A fresh vector of n standard normal samples. */
  normalVector(n: number): Float32Array {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = this.normal();
    return v;
  }
}
