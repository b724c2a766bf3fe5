// The two reads that get a safetensors header: the first FIRST_READ_BYTES (length prefix
// and, nearly always, the whole header), then the rest of the header when it is longer.
// `read` fetches a byte range through whatever the caller uses (the Hub client's lookup,
// with its cache, budget and breaker; or a fixture); the local HF cache is read the same way.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { localSnapshotDir } from './local-cache';
import {
  FIRST_READ_BYTES,
  checkIndex,
  parseHeaderBytes,
  parseHeaderStart,
  reviveHeader,
  reviveHeaderStart,
  type SafetensorsHeader,
  type SafetensorsIndex,
} from './safetensors';
import type { Env } from './settings';
import { hubOk, type HubResult } from './types';
import type { Checked } from './validate';
import { isObject } from './validate';

export interface ByteRange {
  start: number;
  length: number;
}

/** Fetches `range` of the file and checks it; `local` reads the same range from the local HF cache. */
export type RangedRead = <T>(range: ByteRange, parse: (bytes: Buffer) => Checked<T>, revive: (stored: unknown) => Checked<T>, local: () => T | undefined) => Promise<HubResult<T>>;

/** The header of one safetensors file; `localBytes` reads a range of the locally cached copy, if any. */
export async function readSafetensorsHeader(read: RangedRead, localBytes: (range: ByteRange) => Buffer | undefined): Promise<HubResult<SafetensorsHeader>> {
  const first: ByteRange = { start: 0, length: FIRST_READ_BYTES };
  // A first read shorter than asked for is the whole file: a header running past it is truncated.
  const parseStart = (bytes: Buffer) => parseHeaderStart(bytes, bytes.length < FIRST_READ_BYTES);
  const start = await read(first, parseStart, reviveHeaderStart, () => okValue(localBytes(first), parseStart));
  if (!start.ok) return start;
  if ('header' in start.value) return hubOk(start.value.header, start.source);
  const length = start.value.needs;
  const rest: ByteRange = { start: 8, length };
  const parseRest = (bytes: Buffer) => parseHeaderBytes(bytes, length);
  return read(rest, parseRest, reviveHeader, () => okValue(localBytes(rest), parseRest));
}

function okValue<T>(bytes: Buffer | undefined, parse: (bytes: Buffer) => Checked<T>): T | undefined {
  if (!bytes) return undefined;
  const checked = parse(bytes);
  return checked.ok ? checked.value : undefined;
}

/** Bytes `range` of a file in the local HF cache snapshot, or undefined when it is not there. */
export function readLocalBytes(modelId: string, file: string, revision: string | undefined, env: Env, range: ByteRange): Buffer | undefined {
  const snap = localSnapshotDir(modelId, revision, env);
  if (!snap || file.split('/').includes('..')) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(join(snap, ...file.split('/')), 'r');
    const buffer = Buffer.alloc(range.length);
    const n = readSync(fd, buffer, 0, range.length, range.start);
    return buffer.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Parses an index file's text (network body or local copy). */
export function parseIndex(text: string): Checked<SafetensorsIndex> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `model.safetensors.index.json is not valid JSON (${(e as Error).message.slice(0, 120)})` };
  }
  return checkIndex(raw);
}

/** Re-checks an index read back from the disk cache. */
export function reviveIndex(stored: unknown): Checked<SafetensorsIndex> {
  if (!isObject(stored)) return { ok: false, problem: 'not a safetensors index' };
  return checkIndex({ weight_map: stored.weightMap, metadata: { total_size: stored.totalSize } });
}

/** The `Range` header value for a byte range. */
export function rangeHeader(range: ByteRange): string {
  return `bytes=${range.start}-${range.start + range.length - 1}`;
}
