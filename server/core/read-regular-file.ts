// Reads a file only when it is a regular file of bounded size. A FIFO, a device such as
// /dev/zero, a socket or a folder is refused with a reason instead of hanging or growing
// without end. Opening with O_NONBLOCK keeps a FIFO from blocking the open itself.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

export class UnreadableFileError extends Error {
  constructor(
    readonly path: string,
    /** Why, in words a user understands ("a folder", "larger than 5 MB", "permission denied"). */
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** What kind of thing a non-regular file is, in words. */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFile()) return 'a file';
  return 'a special file';
}

/** The reason an fs error gives, without the syscall noise ("ENOENT: no such file ..., open '/x'"). */
export function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'EISDIR':
      return 'a folder';
    default:
      return (error as Error).message?.split('\n')[0] ?? String(error);
  }
}

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Opens `path` without blocking (a FIFO cannot hang the open), hands its descriptor and stats
 * to `use`, and closes it. Failures other than UnreadableFileError become one, saying why.
 */
export function withOpenFile<T>(path: string, use: (fd: number, stats: Stats) => T): T {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UnreadableFileError(path, errorReason(error));
  }
  try {
    return use(fd, fstatSync(fd));
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(path, errorReason(error));
  } finally {
    closeSync(fd);
  }
}

/** The file's text (UTF-8), or UnreadableFileError saying why it cannot be read. */
export function readRegularFile(path: string, maxBytes: number): string {
  return readRegularBytes(path, maxBytes).toString('utf8');
}

/** The file's bytes, or UnreadableFileError saying why it cannot be read (scans test bytes before decoding). */
export function readRegularBytes(path: string, maxBytes: number): Buffer {
  return readInto(path, maxBytes, allocate);
}

/**
 * readRegularBytes into one buffer reused from call to call: the bytes are valid only until the
 * next call, so callers search or decode them at once and keep nothing. A scan reads every file
 * of a tree and keeps few: fresh memory for each file cost several times what reading it costs
 * (the pages are new to the process every time), a reused buffer's pages are already there.
 */
export function readRegularScratch(path: string, maxBytes: number): Buffer {
  return readInto(path, maxBytes, scratchOf);
}

/** A reused buffer grows up to this; a larger file gets its own bytes. */
const SCRATCH_LIMIT = 8 * 1024 * 1024;
let scratch = Buffer.allocUnsafe(0);

function scratchOf(size: number): Buffer {
  if (size > SCRATCH_LIMIT) return allocate(size);
  if (scratch.length < size) {
    scratch = Buffer.allocUnsafe(Math.min(SCRATCH_LIMIT, Math.max(size, scratch.length * 2, 256 * 1024)));
    fileBuffers.scratchGrown++;
  }
  return scratch.subarray(0, size);
}

/** Memory handed out for files' bytes (tests count it): bytes given their own memory, and how often the reused buffer grew. */
export const fileBuffers = { allocated: 0, scratchGrown: 0 };

function readInto(path: string, maxBytes: number, allocateFor: (size: number) => Buffer): Buffer {
  return withOpenFile(path, (fd, stats) => {
    if (!stats.isFile()) throw new UnreadableFileError(path, `${fileKind(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw new UnreadableFileError(path, `larger than ${megabytes(maxBytes)}`);
    // A size of 0 may mean "unknown" (files under /proc): read those to their end.
    if (stats.size === 0) return readToEnd(fd, path, maxBytes);
    // The size fstat gave is read and no more (a file growing meanwhile is read as it was):
    // one read call for most files, no second one to see the end.
    const buffer = allocateFor(stats.size);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.subarray(0, length);
  });
}

function readToEnd(fd: number, path: string, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    length += n;
    if (length > maxBytes) throw new UnreadableFileError(path, `larger than ${megabytes(maxBytes)}`);
  }
  return Buffer.concat(chunks, length);
}

/**
 * Small files share 1 MB slabs instead of getting an ArrayBuffer each: a scan reads thousands
 * of files, and one allocation per file costs more than reading it. A slab stays alive while
 * any file's bytes in it do, so only small files go there. Nothing zeroes the bytes: only
 * what was read is handed out.
 */
const SLAB_BYTES = 1024 * 1024;
const SLAB_FILE_LIMIT = 64 * 1024;
let slab = Buffer.allocUnsafe(0);
let slabUsed = 0;

function allocate(size: number): Buffer {
  fileBuffers.allocated += size;
  if (size > SLAB_FILE_LIMIT) return Buffer.allocUnsafe(size);
  if (slabUsed + size > slab.length) {
    slab = Buffer.allocUnsafe(SLAB_BYTES);
    slabUsed = 0;
  }
  // Rounded up to 8 bytes so every file's bytes start aligned.
  const bytes = slab.subarray(slabUsed, slabUsed + size);
  slabUsed += (size + 7) & ~7;
  return bytes;
}
