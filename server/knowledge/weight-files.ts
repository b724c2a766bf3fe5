// Which weight formats a repository ships, read from its file list.
export type WeightFormat = 'safetensors' | 'pickle' | 'onnx' | 'gguf' | 'other';

const FORMATS: [RegExp, WeightFormat][] = [
  [/\.safetensors$/i, 'safetensors'],
  [/\.(bin|pt|pth|ckpt|pkl|pickle)$/i, 'pickle'],
  [/\.onnx$/i, 'onnx'],
  [/\.gguf$/i, 'gguf'],
  [/\.(h5|msgpack|tflite|mlmodel|keras)$/i, 'other'],
];

/** Files that are clearly not weights even with a weight-like extension. */
const NOT_WEIGHTS = /(^|\/)(training_args|optimizer|scheduler|rng_state[^/]*|scaler)\.(bin|pt|pth)$/i;
/** OpenVINO and Core ML keep raw tensors in .bin files: not pickle. */
const NON_PICKLE_BIN = /(^|\/)(openvino[^/]*|coreml|[^/]+\.mlpackage)\/|openvino_model\.bin$/i;

export function weightFormat(file: string): WeightFormat | undefined {
  if (NOT_WEIGHTS.test(file)) return undefined;
  if (NON_PICKLE_BIN.test(file) && /\.bin$/i.test(file)) return 'other';
  return FORMATS.find(([pattern]) => pattern.test(file))?.[1];
}

export function weightFormats(files: readonly string[]): Set<WeightFormat> {
  const formats = new Set<WeightFormat>();
  for (const file of files) {
    const format = weightFormat(file);
    if (format) formats.add(format);
  }
  return formats;
}
