// The orthonormal 2-D DCT-II basis SimBA-DCT searches over, one channel at a time, and the
// low-frequency-first order it visits it in (Guo et al. 2019, section 3.2).
import type { Rng } from './rng';

/** cos table for one axis: table[k * n + i] = alpha(k) cos(pi (2i + 1) k / 2n), orthonormal rows. */
function cosineTable(n: number): Float64Array {
  const table = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const alpha = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) table[k * n + i] = alpha * Math.cos((Math.PI * (2 * i + 1) * k) / (2 * n));
  }
  return table;
}

export class DctBasis {
  private readonly rows: Float64Array;
  private readonly cols: Float64Array;

  constructor(readonly shape: readonly [number, number, number]) {
    this.rows = cosineTable(shape[1]);
    this.cols = cosineTable(shape[2]);
  }

  get size(): number {
    return this.shape[0] * this.shape[1] * this.shape[2];
  }

  /** Adds step * (basis vector `index`) to `image` in place; index = (channel * h + u) * w + v. Unit L2 norm. */
  addTo(image: Float32Array, index: number, step: number): void {
    const [, h, w] = this.shape;
    const channel = Math.floor(index / (h * w));
    const u = Math.floor(index / w) % h;
    const v = index % w;
    const base = channel * h * w;
    for (let y = 0; y < h; y++) {
      const ry = step * this.rows[u * h + y];
      for (let x = 0; x < w; x++) image[base + y * w + x] += ry * this.cols[v * w + x];
    }
  }

  /**
   * Visiting order: first a low-frequency square block (about 1/8 of the side) of every
   * channel, then L-shaped bands of growing frequency (about 1/32 of the side wide), each
   * block and band in random order.
   */
  order(rng: Rng): Int32Array {
    const [c, h, w] = this.shape;
    const side = Math.min(h, w);
    const first = Math.max(1, Math.round(side / 8));
    const stride = Math.max(1, Math.round(side / 32));
    const bands = new Map<number, number[]>();
    for (let ch = 0; ch < c; ch++)
      for (let u = 0; u < h; u++)
        for (let v = 0; v < w; v++) {
          const f = Math.max(u, v);
          const band = f < first ? 0 : 1 + Math.floor((f - first) / stride);
          let list = bands.get(band);
          if (!list) bands.set(band, (list = []));
          list.push((ch * h + u) * w + v);
        }
    const out = new Int32Array(c * h * w);
    let at = 0;
    for (const band of [...bands.keys()].sort((a, b) => a - b)) {
      const list = bands.get(band)!;
      rng.shuffle(list);
      for (const index of list) out[at++] = index;
    }
    return out;
  }
}
