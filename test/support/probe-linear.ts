// A two-class linear image classifier written directly as ONNX (Flatten, MatMul, Add):
// score(class 1) = mean of the right half - mean of the left half, score(class 0) its
// negative. Fast to build, exact to reason about; NCHW, NHWC and fixed-batch variants.
import { buildModel, floatTensor } from './onnx-models';

export const LINEAR_SIZE = 8;

export function linearImageModel(options: { layout?: 'NCHW' | 'NHWC'; batch?: number | string; channels?: number } = {}): Uint8Array {
  const layout = options.layout ?? 'NCHW';
  const c = options.channels ?? 3;
  const s = LINEAR_SIZE;
  const per = c * s * s;
  const weights: number[] = [];
  // Row-major [per, 2]: the flattened input index walks the graph's own layout.
  for (let i = 0; i < per; i++) {
    const x = layout === 'NCHW' ? i % s : Math.floor(i / c) % s;
    const w = (x >= s / 2 ? 1 : -1) / (per / 2);
    weights.push(-w, w);
  }
  const batch = options.batch ?? 'batch';
  return buildModel({
    nodes: [
      { op: 'Flatten', inputs: ['image'], outputs: ['flat'], attributes: [{ name: 'axis', type: 2, i: 1 }] },
      { op: 'MatMul', inputs: ['flat', 'W'], outputs: ['h'] },
      { op: 'Add', inputs: ['h', 'b'], outputs: ['scores'] },
    ],
    inputs: [{ name: 'image', shape: layout === 'NCHW' ? [batch, c, s, s] : [batch, s, s, c] }],
    outputs: [{ name: 'scores', shape: [batch, 2] }],
    initializers: [floatTensor('W', [per, 2], weights), floatTensor('b', [2], [0, 0])],
  });
}

/** CHW [0,1] image whose left half is `left` and right half `right`. */
export function halvesImage(left: number, right: number, channels = 3): Float32Array {
  const s = LINEAR_SIZE;
  const image = new Float32Array(channels * s * s);
  for (let c = 0; c < channels; c++) for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) image[c * s * s + y * s + x] = x >= s / 2 ? right : left;
  return image;
}
