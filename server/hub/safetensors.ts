// Reading the header of a safetensors file without its weights. The file starts with a
// little-endian u64 giving the header's length, then the header: a JSON object of
// tensor name -> { dtype, shape, data_offsets }, plus an optional "__metadata__" of strings.
// Headers come from the network or a cache folder: every size is checked before it is
// trusted, so a lying or truncated header is a clear problem, never a crash or a huge buffer.
import type { Checked } from './validate';
import { isObject } from './validate';

/** Bytes asked for first: the length prefix and, for nearly every real file, the whole header. */
export const FIRST_READ_BYTES = 64 * 1024;
/** The largest header accepted (real headers of the largest shards are a few MB). */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;
/** More tensors than this in one file is not a real checkpoint (the largest shards hold a few thousand). */
export const MAX_TENSORS = 200_000;
/** Largest rank accepted for one tensor. */
const MAX_RANK = 16;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
}

export interface SafetensorsHeader {
  tensors: TensorInfo[];
  /** Length of the JSON header in bytes. */
  headerBytes: number;
  /** `__metadata__` (e.g. { format: "pt" }), strings only. */
  metadata?: Record<string, string>;
}

/** What the first read gives: the header, or how many bytes it needs (a second read). */
export type HeaderStart = { header: SafetensorsHeader } | { needs: number };

const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1, F4: 1, F6_E2M3: 1, F6_E3M2: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8, C64: 8,
};

/** The header length a file's first 8 bytes announce, checked against the cap. */
export function headerLength(prefix: Buffer): Checked<number> {
  if (prefix.length < 8) return { ok: false, problem: `the safetensors file is truncated (${prefix.length} bytes, fewer than the 8-byte length prefix)` };
  const length = prefix.readBigUInt64LE(0);
  if (length < 2n) return { ok: false, problem: `the safetensors header length is ${length} bytes, too short for a JSON object` };
  if (length > BigInt(MAX_HEADER_BYTES)) {
    return { ok: false, problem: `the safetensors header claims ${length} bytes, more than the ${MAX_HEADER_BYTES / 1024 / 1024} MB accepted; it was not read` };
  }
  return { ok: true, value: Number(length) };
}

/**
 * Reads the start of a file (at most FIRST_READ_BYTES, or the whole file when shorter).
 * `wholeFile` says the bytes end where the file ends, so a header running past them is truncated.
 */
export function parseHeaderStart(bytes: Buffer, wholeFile: boolean): Checked<HeaderStart> {
  const length = headerLength(bytes);
  if (!length.ok) return length;
  if (8 + length.value <= bytes.length) {
    const header = parseHeaderJson(bytes.subarray(8, 8 + length.value));
    return header.ok ? { ok: true, value: { header: header.value } } : header;
  }
  if (wholeFile) return truncated(length.value, bytes.length - 8);
  return { ok: true, value: { needs: length.value } };
}

/** Reads the header bytes fetched on their own (the second read), `length` as the prefix announced. */
export function parseHeaderBytes(bytes: Buffer, length: number): Checked<SafetensorsHeader> {
  if (bytes.length < length) return truncated(length, bytes.length);
  return parseHeaderJson(bytes.subarray(0, length));
}

function truncated(claimed: number, got: number): Checked<never> {
  return { ok: false, problem: `the safetensors header claims ${claimed} bytes but the file holds only ${got} after the length prefix (truncated or lying header)` };
}

/** The JSON header, every entry checked: known dtype, sane shape, offsets matching the shape. */
export function parseHeaderJson(json: Buffer): Checked<SafetensorsHeader> {
  // Counted before parsing: JSON.parse of an object with a million keys takes seconds.
  const entries = countOccurrences(json, '"dtype"');
  if (entries > MAX_TENSORS) return { ok: false, problem: `the safetensors header lists ${entries} tensors, more than the ${MAX_TENSORS} accepted` };
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch (e) {
    return { ok: false, problem: `the safetensors header is not valid JSON (${(e as Error).message.slice(0, 120)})` };
  }
  if (!isObject(raw)) return { ok: false, problem: 'the safetensors header is not a JSON object' };
  const names = Object.keys(raw);
  const count = names.length - ('__metadata__' in raw ? 1 : 0);
  if (count > MAX_TENSORS) return { ok: false, problem: `the safetensors header lists ${count} tensors, more than the ${MAX_TENSORS} accepted` };
  const tensors: TensorInfo[] = [];
  let metadata: Record<string, string> | undefined;
  for (const name of names) {
    const entry = raw[name];
    if (name === '__metadata__') {
      if (isObject(entry)) metadata = Object.fromEntries(Object.entries(entry).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      continue;
    }
    const checked = checkTensor(name, entry);
    if (!checked.ok) return checked;
    tensors.push(checked.value);
  }
  return { ok: true, value: metadata ? { tensors, headerBytes: json.length, metadata } : { tensors, headerBytes: json.length } };
}

function checkTensor(name: string, entry: unknown): Checked<TensorInfo> {
  const bad = (why: string): Checked<TensorInfo> => ({ ok: false, problem: `the safetensors header entry "${name.slice(0, 80)}" ${why}` });
  if (!isObject(entry)) return bad('is not an object');
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) return bad(`has an unknown dtype (${String(dtype).slice(0, 20)})`);
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return bad('has no valid shape');
  let elements = 1;
  for (const d of shape as number[]) elements *= d;
  if (!Number.isSafeInteger(elements)) return bad(`claims ${shape.join(' x ')} elements, more than any real tensor`);
  if (offsets !== undefined) {
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) return bad('has no valid data_offsets');
    const [begin, end] = offsets as number[];
    // Sub-byte dtypes (F4, F6) pack several values per byte: only their order is checked.
    const expected = elements * DTYPE_BYTES[dtype];
    if (end < begin || (!/^F[46]/.test(dtype) && end - begin !== expected)) return bad(`has data_offsets ${begin}-${end} that do not match its shape (lying header)`);
  }
  return { ok: true, value: { name, dtype, shape: shape as number[] } };
}

/** Re-checks a header read back from the disk cache. */
export function reviveHeader(stored: unknown): Checked<SafetensorsHeader> {
  if (!isObject(stored) || !Array.isArray(stored.tensors) || typeof stored.headerBytes !== 'number') return { ok: false, problem: 'not a safetensors header' };
  const ok = stored.tensors.length <= MAX_TENSORS && stored.tensors.every((t) => isObject(t) && typeof t.name === 'string' && typeof t.dtype === 'string' && Array.isArray(t.shape) && t.shape.every((d) => Number.isSafeInteger(d)));
  return ok ? { ok: true, value: stored as unknown as SafetensorsHeader } : { ok: false, problem: 'not a safetensors header' };
}

export function reviveHeaderStart(stored: unknown): Checked<HeaderStart> {
  if (isObject(stored) && typeof stored.needs === 'number' && stored.needs <= MAX_HEADER_BYTES) return { ok: true, value: { needs: stored.needs } };
  if (!isObject(stored)) return { ok: false, problem: 'not a safetensors header' };
  const header = reviveHeader(stored.header);
  return header.ok ? { ok: true, value: { header: header.value } } : header;
}

/** Elements in a tensor (its parameter count). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The sharded checkpoint's index: tensor name -> shard file. */
export interface SafetensorsIndex {
  weightMap: Record<string, string>;
  /** `metadata.total_size` (bytes of all shards), when given. */
  totalSize?: number;
}

/** Checks a `model.safetensors.index.json`; shard names must be plain .safetensors files beside it. */
export function checkIndex(raw: unknown): Checked<SafetensorsIndex> {
  if (!isObject(raw) || !isObject(raw.weight_map)) return { ok: false, problem: 'model.safetensors.index.json has no "weight_map" object' };
  const entries = Object.entries(raw.weight_map);
  if (entries.length > MAX_TENSORS) return { ok: false, problem: `model.safetensors.index.json maps ${entries.length} tensors, more than the ${MAX_TENSORS} accepted` };
  for (const [, file] of entries) {
    if (typeof file !== 'string' || !/^[\w.-]+\.safetensors$/.test(file) || file.includes('..')) {
      return { ok: false, problem: `model.safetensors.index.json maps a tensor to "${String(file).slice(0, 60)}", not a .safetensors file beside it` };
    }
  }
  const total = isObject(raw.metadata) ? raw.metadata.total_size : undefined;
  const weightMap = raw.weight_map as Record<string, string>;
  return { ok: true, value: typeof total === 'number' && Number.isFinite(total) ? { weightMap, totalSize: total } : { weightMap } };
}

function countOccurrences(buffer: Buffer, text: string): number {
  let count = 0;
  for (let at = buffer.indexOf(text); at !== -1; at = buffer.indexOf(text, at + text.length)) count++;
  return count;
}
