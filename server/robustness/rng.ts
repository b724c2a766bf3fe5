// Seeded randomness for the attacks, so the same seed gives the same attack run.
// Marsaglia's xorshift128 (2003) over four 32-bit words, seeded through an integer mix so
// nearby seeds give unrelated streams; normals by Marsaglia's polar method, or in bulk from a
// table of normal quantiles.

function mix32(x: number): number {
  // An avalanche mix (multiply-xorshift) so seeds 1, 2, 3 start far apart.
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

// Acklam's rational approximation of the normal quantile (relative error below 1.2e-9): the
// table below is built in milliseconds.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671010739305, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** The standard normal quantile of p in (0, 1/2]. */
function lowerQuantile(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

const TABLE_BITS = 16;
let quantiles: Float64Array | undefined;

/** Normal quantiles at (k + 1/2) / 2^16 for k < 2^16 (symmetric); built once. */
function normalQuantiles(): Float64Array {
  if (quantiles) return quantiles;
  const n = 1 << TABLE_BITS;
  const table = new Float64Array(n);
  for (let k = 0; k < n / 2; k++) {
    table[k] = lowerQuantile((k + 0.5) / n);
    table[n - 1 - k] = -table[k];
  }
  return (quantiles = table);
}

export class Rng {
  /** The four state words x, y, z, w as int32 (a typed array keeps them unboxed). */
  private readonly s = new Int32Array(4);
  private spare: number | undefined;

  constructor(seed: number) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const x = mix32(lo ^ 0x9e3779b9);
    const y = mix32(hi ^ 0x85ebca6b ^ x);
    const z = mix32(y ^ 0xc2b2ae35);
    this.s.set([x | 0, y | 0, z | 0, mix32(z ^ 0x27d4eb2f) || 1]);
  }

  /** A 32-bit unsigned integer. */
  uint32(): number {
    const s = this.s;
    const t = s[0] ^ (s[0] << 11);
    s[0] = s[1];
    s[1] = s[2];
    s[2] = s[3];
    const w = s[3];
    s[3] = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
    return s[3] >>> 0;
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
    this.fillNormalSquares(out);
    return out;
  }

  /** fillNormal, returning the sum of the squares of the samples (their squared L2 norm) from the same pass. */
  fillNormalSquares(out: Float64Array): number {
    const table = normalQuantiles();
    const s = this.s;
    // The generator inlined on local words (what uint32() does, without the state round trips).
    let x = s[0];
    let y = s[1];
    let z = s[2];
    let w = s[3];
    const n = out.length;
    let squares = 0;
    for (let i = 0; i < n; i += 2) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
      const a = table[w & 0xffff];
      out[i] = a;
      squares += a * a;
      if (i + 1 < n) {
        const b = table[w >>> 16];
        out[i + 1] = b;
        squares += b * b;
      }
    }
    s[0] = x;
    s[1] = y;
    s[2] = z;
    s[3] = w;
    return squares;
  }

  /** Fills `out` with uniform samples in [lo, hi). */
  fillUniform(out: Float64Array, lo: number, hi: number): Float64Array {
    const scale = (hi - lo) / 4294967296;
    const s = this.s;
    let x = s[0];
    let y = s[1];
    let z = s[2];
    let w = s[3];
    for (let i = 0; i < out.length; i++) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
      out[i] = lo + (w >>> 0) * scale;
    }
    s[0] = x;
    s[1] = y;
    s[2] = z;
    s[3] = w;
    return out;
  }

  /** A fresh vector of n standard normal samples. */
  normalVector(n: number): Float32Array {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = this.normal();
    return v;
  }
}
