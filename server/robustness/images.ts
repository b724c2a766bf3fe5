// Images for the probe: PNG and JPEG files decoded with maintained libraries (pngjs,
// jpeg-js), resized to the model's input size, as CHW Float32Arrays in [0,1]; and the
// way back, an 8-bit PNG of an adversarial example. Bad files become one clear ImageError.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export class ImageError extends Error {}

/** A file larger than this is refused before it is read. */
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
/** Decoded images larger than this (width x height) are refused before decoding. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** More images than this in one folder is a mistake, not a probe. */
export const MAX_IMAGES = 10_000;

export type Shape = readonly [channels: number, height: number, width: number];

export interface ProbeImage {
  /** File name inside the folder. */
  name: string;
  /** CHW in [0,1], resized to the model's input. */
  pixels: Float32Array;
}

/** An image as decoded: interleaved RGBA bytes. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** The PNG and JPEG files of a folder, sorted by name; an error when there are none. */
export function listImages(dir: string): string[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new ImageError(`--images must be a folder of PNG or JPEG images: ${dir} is a file`);
    entries = readdirSync(dir);
  } catch (error) {
    if (error instanceof ImageError) throw error;
    throw new ImageError(`cannot read the image folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const names = entries.filter((name) => isImageFile(name) && statSync(join(dir, name)).isFile()).sort();
  if (names.length === 0) throw new ImageError(`no PNG or JPEG images (.png, .jpg, .jpeg) in ${dir}`);
  if (names.length > MAX_IMAGES) throw new ImageError(`${names.length} images in ${dir}: the probe takes at most ${MAX_IMAGES}; use a smaller folder`);
  return names;
}

/** PNG width and height from the IHDR chunk, read before decoding. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Decodes PNG or JPEG bytes (by their signature, not their name) to RGBA. */
export function decodeImage(bytes: Uint8Array, name: string): Rgba {
  const tooLarge = (w: number, h: number) =>
    new ImageError(`${name} is ${w}x${h} pixels, more than the probe decodes (${MAX_IMAGE_PIXELS / 1e6} megapixels); resize it first`);
  if (isPng(bytes)) {
    const size = pngSize(bytes);
    if (size && size.width * size.height > MAX_IMAGE_PIXELS) throw tooLarge(size.width, size.height);
    try {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: png.data };
    } catch (error) {
      throw new ImageError(`${name} is not a readable PNG: ${firstLine(error)}`);
    }
  }
  if (isJpeg(bytes)) {
    try {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
      if (!image.width || !image.height) throw new Error('no image data');
      return { width: image.width, height: image.height, data: image.data };
    } catch (error) {
      const message = firstLine(error);
      if (/maxResolutionInMP/.test(message)) throw new ImageError(`${name} has more than ${MAX_IMAGE_PIXELS / 1e6} megapixels; resize it first`);
      throw new ImageError(`${name} is not a readable JPEG: ${message}`);
    }
  }
  throw new ImageError(`${name} is neither a PNG nor a JPEG (its first bytes say so, whatever its name)`);
}

/** Reads one image file, refusing huge files before reading them. */
export function readImageFile(path: string, name = path): Rgba {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new ImageError(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? firstLine(error)}`);
  }
  if (size > MAX_IMAGE_BYTES) throw new ImageError(`${name} is ${(size / 1e6).toFixed(0)} MB, more than the probe reads (${MAX_IMAGE_BYTES / 1024 / 1024} MiB)`);
  if (size === 0) throw new ImageError(`${name} is empty`);
  return decodeImage(readFileSync(path), name);
}

/**
 * RGBA bytes to CHW floats in [0,1] at the given size: bilinear with half-pixel centres
 * (as PIL and torchvision resize without antialiasing). One channel means luma (BT.601).
 * Alpha is dropped.
 */
export function toChw(image: Rgba, shape: Shape): Float32Array {
  const [channels, height, width] = shape;
  if (channels !== 1 && channels !== 3) throw new ImageError(`models with ${channels} input channels are not image models the probe can feed (1 or 3)`);
  const out = new Float32Array(channels * height * width);
  const sx = image.width / width;
  const sy = image.height / height;
  const plane = height * width;
  const at = (x: number, y: number, c: number) => image.data[(y * image.width + x) * 4 + c];
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), image.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), image.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const wx = fx - x0;
      const sample = (c: number) =>
        (at(x0, y0, c) * (1 - wx) + at(x1, y0, c) * wx) * (1 - wy) + (at(x0, y1, c) * (1 - wx) + at(x1, y1, c) * wx) * wy;
      const r = sample(0);
      const g = sample(1);
      const b = sample(2);
      if (channels === 1) out[y * width + x] = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
      else {
        out[y * width + x] = r / 255;
        out[plane + y * width + x] = g / 255;
        out[2 * plane + y * width + x] = b / 255;
      }
    }
  }
  return out;
}

/** Every image of a folder, decoded and resized for the model. */
export function loadImageFolder(dir: string, shape: Shape): ProbeImage[] {
  return listImages(dir).map((name) => ({ name, pixels: toChw(readImageFile(join(dir, name), name), shape) }));
}

/** The 8-bit rounding a PNG stores, back in [0,1]. */
export function roundTo8Bit(pixels: Float32Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = Math.round(Math.min(Math.max(pixels[i], 0), 1) * 255) / 255;
  return out;
}

/** CHW [0,1] to PNG bytes (8-bit RGBA, opaque). */
export function encodePng(pixels: Float32Array, shape: Shape): Buffer {
  const [channels, height, width] = shape;
  const png = new PNG({ width, height });
  const plane = height * width;
  const byte = (v: number) => Math.round(Math.min(Math.max(v, 0), 1) * 255);
  for (let i = 0; i < plane; i++) {
    const r = byte(pixels[i]);
    const g = channels === 3 ? byte(pixels[plane + i]) : r;
    const b = channels === 3 ? byte(pixels[2 * plane + i]) : r;
    png.data[i * 4] = r;
    png.data[i * 4 + 1] = g;
    png.data[i * 4 + 2] = b;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** |adversarial - original| scaled so that its largest entry is white: where the attack changed pixels. */
export function amplifiedDifference(original: Float32Array, adversarial: Float32Array): Float32Array {
  let max = 0;
  for (let i = 0; i < original.length; i++) max = Math.max(max, Math.abs(adversarial[i] - original[i]));
  const out = new Float32Array(original.length);
  if (max === 0) return out;
  for (let i = 0; i < original.length; i++) out[i] = Math.abs(adversarial[i] - original[i]) / max;
  return out;
}

function firstLine(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0].slice(0, 300);
}
