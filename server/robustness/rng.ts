// Seeded randomness for the attacks, so the same seed gives the same attack run.
// Marsaglia's xorshift128 (2003) over four 32-bit words, seeded through an integer mix so
// nearby seeds give unrelated streams; normals by the Box-Muller transform.

function mix32(x: number): number {
  // An avalanche mix (multiply-xorshift) so seeds 1, 2, 3 start far apart.
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
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

  /** Standard normal sample (Box-Muller, both values used). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
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

  /** A fresh vector of n standard normal samples. */
  normalVector(n: number): Float32Array {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = this.normal();
    return v;
  }
}
