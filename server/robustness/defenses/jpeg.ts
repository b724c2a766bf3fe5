// JPEG filtering (Dziugaite, Ghahramani & Roy, "A study of the effect of JPG compression on
// adversarial images", 2016; Guo et al., "Countering Adversarial Images using Input
// Transformations", ICLR 2018): the image is rounded to 8 bits, encoded as a baseline JPEG at
// the given quality with jpeg-js, and decoded again; the lossy quantisation of DCT
// coefficients tends to wipe out small high-frequency perturbations. Works on 3-channel
// (RGB) and 1-channel images (encoded as equal R, G and B; the decoded channels are averaged).
import { decode, encode } from 'jpeg-js';

export function jpegRoundTrip(image: Float32Array, shape: readonly [number, number, number], quality: number): Float32Array {
  const [c, h, w] = shape;
  if (c !== 1 && c !== 3) throw new Error(`the JPEG defence needs 1 or 3 channels, not ${c}`);
  const plane = h * w;
  const rgba = new Uint8Array(plane * 4);
  for (let p = 0; p < plane; p++) {
    for (let k = 0; k < 3; k++) {
      const v = image[(c === 1 ? 0 : k) * plane + p];
      rgba[p * 4 + k] = Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255);
    }
    rgba[p * 4 + 3] = 255;
  }
  const encoded = encode({ data: rgba, width: w, height: h }, quality);
  const decoded = decode(encoded.data, { useTArray: true, formatAsRGBA: true });
  const out = new Float32Array(image.length);
  for (let p = 0; p < plane; p++) {
    if (c === 1) out[p] = (decoded.data[p * 4] + decoded.data[p * 4 + 1] + decoded.data[p * 4 + 2]) / (3 * 255);
    else for (let k = 0; k < 3; k++) out[k * plane + p] = decoded.data[p * 4 + k] / 255;
  }
  return out;
}
