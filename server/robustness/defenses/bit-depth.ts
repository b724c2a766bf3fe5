// Bit-depth squeezing (Xu, Evans & Qi, "Feature Squeezing: Detecting Adversarial Examples in
// Deep Neural Networks", NDSS 2018): each value is rounded to the nearest of 2^bits evenly
// spaced levels in [0,1], removing the fine detail small perturbations live in.

export function squeezeBitDepth(image: Float32Array, bits: number): Float32Array {
  const top = 2 ** bits - 1;
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) {
    const v = image[i] < 0 ? 0 : image[i] > 1 ? 1 : image[i];
    out[i] = Math.round(v * top) / top;
  }
  return out;
}
