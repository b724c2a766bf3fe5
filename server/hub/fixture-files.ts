// Repository files of fixture models beyond config.json and README.md: safetensors files
// (a real header followed by zeroed data, made up on demand so no weights are stored) and
// other files served as they are (model.safetensors.index.json, or raw bytes a test writes).
//   <dir>/<org>--<name>/<file>.safetensors.header.json   the header JSON of <file>.safetensors
//   <dir>/<org>--<name>/files/<file>                       any other file, served as is
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type FixtureFile =
  /** A safetensors file: the header JSON, then `dataBytes` zero bytes of weights. */
  | { kind: 'safetensors'; header: Buffer; dataBytes: number }
  | { kind: 'raw'; bytes: Buffer };

/** Total size of a fixture file in bytes. */
export function fixtureFileSize(file: FixtureFile): number {
  return file.kind === 'raw' ? file.bytes.length : 8 + file.header.length + file.dataBytes;
}

/** Bytes [start, start + length) of a fixture file (shorter at the end of the file). */
export function fixtureFileBytes(file: FixtureFile, start: number, length: number): Buffer {
  const size = fixtureFileSize(file);
  const end = Math.min(size, start + length);
  if (start >= end) return Buffer.alloc(0);
  if (file.kind === 'raw') return file.bytes.subarray(start, end);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(file.header.length));
  const known = Buffer.concat([head, file.header]);
  const out = Buffer.alloc(end - start);
  if (start < known.length) known.copy(out, 0, start, Math.min(known.length, end));
  return out;
}

/** A safetensors fixture file from its header object; the data size follows from the largest offset. */
export function safetensorsFixture(header: Record<string, unknown>): FixtureFile {
  let dataBytes = 0;
  for (const [name, entry] of Object.entries(header)) {
    const offsets = name === '__metadata__' ? undefined : (entry as { data_offsets?: unknown }).data_offsets;
    if (Array.isArray(offsets) && typeof offsets[1] === 'number') dataBytes = Math.max(dataBytes, offsets[1]);
  }
  return { kind: 'safetensors', header: Buffer.from(JSON.stringify(header)), dataBytes };
}

/** Reads a fixture model folder's extra files. */
export function loadFixtureFiles(folder: string): Map<string, FixtureFile> {
  const files = new Map<string, FixtureFile>();
  for (const name of readdirSync(folder)) {
    const match = /^(.+\.safetensors)\.header\.json$/.exec(name);
    if (match) files.set(match[1], safetensorsFixture(JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>));
  }
  const raw = join(folder, 'files');
  if (existsSync(raw)) for (const name of readdirSync(raw)) files.set(name, { kind: 'raw', bytes: readFileSync(join(raw, name)) });
  return files;
}
