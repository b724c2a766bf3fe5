// Small image classifiers for the probe's tests and bench: a CNN trained here with Debian's
// PyTorch on generated stripes (class 0: bright left band, class 1: bright right band) and
// exported to ONNX, and the same kind of images written as PNG and JPEG files.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { SYSTEM_PYTHON } from './python';

const TRAIN = String.raw`
import sys, torch
out, depth, seed, size, layout, contrast, width, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
torch.manual_seed(seed)
torch.set_num_threads(1)

def stripes(n):
    x = torch.rand(n, 3, size, size) * 0.4
    y = torch.randint(0, 2, (n,))
    band = size * 3 // 8
    for i in range(n):
        if y[i] == 0:
            x[i, :, :, :band] += contrast
        else:
            x[i, :, :, size - band:] += contrast
    return x.clamp(0, 1), y

layers, channels = [], 3
for d in range(depth):
    layers += [torch.nn.Conv2d(channels, width, 3, padding=1), torch.nn.ReLU()]
    if d < 2:
        layers.append(torch.nn.MaxPool2d(2))
    channels = width
reduced = size // (2 ** min(depth, 2))
net = torch.nn.Sequential(*layers, torch.nn.Flatten(), torch.nn.Linear(width * reduced * reduced, 2))
optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
for step in range(steps):
    x, y = stripes(64)
    loss = torch.nn.functional.cross_entropy(net(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
x, y = stripes(256)
accuracy = (net(x).argmax(1) == y).float().mean().item()

class Channels_last(torch.nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner
    def forward(self, x):
        return self.inner(x.permute(0, 3, 1, 2))

model = net if layout == 'NCHW' else Channels_last(net)
example = torch.rand(1, 3, size, size) if layout == 'NCHW' else torch.rand(1, size, size, 3)
model.eval()
torch.onnx.export(model, example, out, input_names=['pixel_values'], output_names=['logits'],
                  dynamic_axes={'pixel_values': {0: 'batch'}, 'logits': {0: 'batch'}}, opset_version=13)
print(accuracy)
`;

export interface TrainedModel {
  path: string;
  /** Accuracy on 256 fresh generated images, as the training script measured it. */
  accuracy: number;
}

/**
 * Trains and exports the stripes CNN (a few seconds of CPU); throws with Python's stderr on
 * failure. `depth` 3x3 convolutions of `width` channels (default 8), the first two pooled;
 * `steps` Adam steps on batches of 64 (default 150).
 */
export function trainStripesCnn(path: string, options: { depth?: number; seed?: number; size?: number; layout?: 'NCHW' | 'NHWC'; contrast?: number; width?: number; steps?: number } = {}): TrainedModel {
  const args = ['-c', TRAIN, path, String(options.depth ?? 2), String(options.seed ?? 0), String(options.size ?? 32), options.layout ?? 'NCHW', String(options.contrast ?? 0.25), String(options.width ?? 8), String(options.steps ?? 150)];
  const result = spawnSync(SYSTEM_PYTHON, args, { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (result.status !== 0) throw new Error(`training the stripes CNN failed (${SYSTEM_PYTHON}):\n${result.stderr}`);
  return { path, accuracy: Number(result.stdout.trim().split('\n').pop()) };
}

/** A small deterministic generator (mulberry32) so the images are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RGBA bytes of one stripes image of class 0 (left band) or 1 (right band). */
export function stripesRgba(label: 0 | 1, width: number, height: number, seed: number, contrast = 0.25): Uint8Array {
  const next = random(seed);
  const data = new Uint8Array(width * height * 4);
  const band = Math.floor((width * 3) / 8);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const lit = label === 0 ? x < band : x >= width - band;
      for (let c = 0; c < 3; c++) data[(y * width + x) * 4 + c] = Math.round(Math.min(1, next() * 0.4 + (lit ? contrast : 0)) * 255);
      data[(y * width + x) * 4 + 3] = 255;
    }
  }
  return data;
}

/**
 * Writes `count` stripes images to `dir`, alternating classes; every third one is a JPEG and
 * some are larger than the model's input (they are resized). A low `contrast` puts them near
 * the decision boundary. Returns name -> class.
 */
export function writeStripesImages(dir: string, count: number, options: { size?: number; seed?: number; contrast?: number } = {}): Record<string, number> {
  const { size = 32, seed = 1, contrast = 0.25 } = options;
  const labels: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const label = (i % 2) as 0 | 1;
    const side = i % 4 === 3 ? size * 2 : size;
    const rgba = stripesRgba(label, side, side, seed * 1000 + i, contrast);
    const stem = `img${String(i).padStart(2, '0')}`;
    if (i % 3 === 2) {
      const name = `${stem}.jpg`;
      writeFileSync(join(dir, name), jpeg.encode({ data: rgba, width: side, height: side }, 95).data);
      labels[name] = label;
    } else {
      const png = new PNG({ width: side, height: side });
      png.data.set(rgba);
      const name = `${stem}.png`;
      writeFileSync(join(dir, name), PNG.sync.write(png));
      labels[name] = label;
    }
  }
  return labels;
}
