// Median smoothing (the spatial-smoothing squeezer of Xu, Evans & Qi, NDSS 2018): each value
// becomes the median of the KxK window around it in its own channel. The window spans rows and
// columns from -floor(K/2) to K-1-floor(K/2) (centred for odd K; for even K one more before
// than after). Outside the image the window reads the mirror image including the edge pixel
// (a b c | c b a), and for an even count the median is the upper middle value (rank
// floor(n/2) of n), as scipy.ndimage.median_filter does; every output is an input value.

/** Index reflected into [0, n): -1 -> 0, -2 -> 1, n -> n-1, n+1 -> n-2, periodic beyond. */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - 1 - m;
  return m;
}

export function medianSmooth(image: Float32Array, shape: readonly [number, number, number], size: number): Float32Array {
  const [c, h, w] = shape;
  const out = new Float32Array(image.length);
  const window = new Float32Array(size * size);
  const before = Math.floor(size / 2);
  const rank = Math.floor((size * size) / 2);
  for (let ch = 0; ch < c; ch++) {
    const base = ch * h * w;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let k = 0;
        for (let dy = -before; dy < size - before; dy++) {
          const row = base + reflect(y + dy, h) * w;
          for (let dx = -before; dx < size - before; dx++) window[k++] = image[row + reflect(x + dx, w)];
        }
        window.sort();
        out[base + y * w + x] = window[rank];
      }
  }
  return out;
}
