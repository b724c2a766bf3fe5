// JPEG filtering (Dziugaite, Ghahramani & Roy, "A study of the effect of JPG compression on
// adversarial images", 2016; Guo et al., "Countering Adversarial Images using Input
// Transformations", ICLR 2018): the image goes through the lossy half of baseline JPEG at a
// given quality, which wipes out small high-frequency perturbations.
//
// The lossy steps are computed directly, as a baseline encoder followed by a decoder would
// (ITU-T T.81): 8-bit rounding; RGB to YCbCr (JFIF); 8x8 blocks, the image's last row and
// column repeated to fill them; DCT-II; division by the Annex K luminance and chrominance
// tables scaled to the quality the IJG way, rounding, and multiplication back; inverse DCT;
// rounding to 8 bits; YCbCr to RGB; rounding to 8 bits (YCbCr samples are 8-bit too). Entropy coding is lossless and left
// out, so this equals an encode/decode round trip with no chroma subsampling (4:4:4, as
// jpeg-js writes) up to +-1 rounding, at a fraction of the cost: jpeg-js builds its coding
// tables on every encode. One-channel images use the luminance path alone.

/** ITU-T T.81 Annex K, table K.1 (luminance), in row order. */
const LUMINANCE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109,
  103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
/** ITU-T T.81 Annex K, table K.2 (chrominance), in row order. */
const CHROMINANCE = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** The IJG quality scaling: 50 keeps the tables, 100 makes every step 1. */
function scaledTable(base: readonly number[], quality: number): Float64Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  return Float64Array.from(base, (t) => Math.min(255, Math.max(1, Math.floor((t * scale + 50) / 100))));
}

/** Orthonormal 8-point DCT-II matrix: C[u * 8 + x]. */
const C = (() => {
  const m = new Float64Array(64);
  for (let u = 0; u < 8; u++) for (let x = 0; x < 8; x++) m[u * 8 + x] = (u === 0 ? Math.SQRT1_2 : 1) * 0.5 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  return m;
})();

const byte = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** One 8x8 block in place (values level-shifted by -128): DCT, quantise, dequantise, inverse DCT. */
function lossyBlock(block: Float64Array, table: Float64Array, tmp: Float64Array): void {
  // Forward: F = C B C^T.
  for (let u = 0; u < 8; u++)
    for (let x = 0; x < 8; x++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s += C[u * 8 + k] * block[k * 8 + x];
      tmp[u * 8 + x] = s;
    }
  for (let u = 0; u < 8; u++)
    for (let v = 0; v < 8; v++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s += tmp[u * 8 + k] * C[v * 8 + k];
      const q = table[u * 8 + v];
      block[u * 8 + v] = Math.round(s / q) * q;
    }
  // Inverse: B = C^T F C.
  for (let y = 0; y < 8; y++)
    for (let v = 0; v < 8; v++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s += C[k * 8 + y] * block[k * 8 + v];
      tmp[y * 8 + v] = s;
    }
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) {
      let s = 0;
      for (let k = 0; k < 8; k++) s += tmp[y * 8 + k] * C[k * 8 + x];
      block[y * 8 + x] = s;
    }
}

/** Runs every 8x8 block of one h x w plane (values 0-255) through the lossy steps; returns 8-bit values. */
function lossyPlane(plane: Float64Array, h: number, w: number, table: Float64Array): Float64Array {
  const out = new Float64Array(h * w);
  const block = new Float64Array(64);
  const tmp = new Float64Array(64);
  for (let by = 0; by < h; by += 8)
    for (let bx = 0; bx < w; bx += 8) {
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) block[y * 8 + x] = plane[Math.min(by + y, h - 1) * w + Math.min(bx + x, w - 1)] - 128;
      lossyBlock(block, table, tmp);
      for (let y = 0; y < 8 && by + y < h; y++) for (let x = 0; x < 8 && bx + x < w; x++) out[(by + y) * w + bx + x] = byte(block[y * 8 + x] + 128);
    }
  return out;
}

export function jpegRoundTrip(image: Float32Array, shape: readonly [number, number, number], quality: number): Float32Array {
  const [c, h, w] = shape;
  if (c !== 1 && c !== 3) throw new Error(`the JPEG defence needs 1 or 3 channels, not ${c}`);
  const n = h * w;
  const pixel = (k: number) => byte((image[k] < 0 ? 0 : image[k] > 1 ? 1 : image[k]) * 255);
  const luma = scaledTable(LUMINANCE, quality);
  const out = new Float32Array(image.length);
  if (c === 1) {
    const y = lossyPlane(Float64Array.from({ length: n }, (_, k) => pixel(k)), h, w, luma);
    for (let k = 0; k < n; k++) out[k] = y[k] / 255;
    return out;
  }
  const chroma = scaledTable(CHROMINANCE, quality);
  const Y = new Float64Array(n);
  const Cb = new Float64Array(n);
  const Cr = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const [r, g, b] = [pixel(k), pixel(n + k), pixel(2 * n + k)];
    // Encoders store the converted samples as 8-bit integers.
    Y[k] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    Cb[k] = Math.round(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
    Cr[k] = Math.round(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
  }
  const y = lossyPlane(Y, h, w, luma);
  const cb = lossyPlane(Cb, h, w, chroma);
  const cr = lossyPlane(Cr, h, w, chroma);
  for (let k = 0; k < n; k++) {
    out[k] = byte(y[k] + 1.402 * (cr[k] - 128)) / 255;
    out[n + k] = byte(y[k] - 0.344136 * (cb[k] - 128) - 0.714136 * (cr[k] - 128)) / 255;
    out[2 * n + k] = byte(y[k] + 1.772 * (cb[k] - 128)) / 255;
  }
  return out;
}
