// Raw little-endian arrays written by the Python helper, read as onnxruntime tensors or
// as numbers for comparison.

export type ArrayDtype = 'float32' | 'float64' | 'float16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

export interface ArrayFile {
  file: string;
  dtype: ArrayDtype;
  shape: number[];
}

export type TypedData = Float32Array | Float64Array | Uint16Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

/** The typed array onnxruntime expects for a dtype, over a copy of the bytes (aligned). */
export function typedArray(dtype: ArrayDtype, bytes: Uint8Array): TypedData {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  switch (dtype) {
    case 'float32': return new Float32Array(buffer);
    case 'float64': return new Float64Array(buffer);
    case 'float16': return new Uint16Array(buffer);
    case 'int64': return new BigInt64Array(buffer);
    case 'int32': return new Int32Array(buffer);
    case 'int8': return new Int8Array(buffer);
    case 'uint8': case 'bool': return new Uint8Array(buffer);
  }
}

/** onnxruntime-node's tensor type name for a dtype. */
export function ortType(dtype: ArrayDtype): string {
  return dtype;
}

/** Numbers for comparison; float16 is decoded, int64 converted (exact below 2^53). */
export function toNumbers(data: unknown, type: string): ArrayLike<number> {
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, (v) => Number(v));
  if (type === 'float16' && data instanceof Uint16Array) return Float64Array.from(data, halfToFloat);
  if (ArrayBuffer.isView(data)) return data as unknown as ArrayLike<number>;
  if (Array.isArray(data)) return data.map(Number);
  return [];
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
