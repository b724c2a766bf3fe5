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
  return withOpenFile(path, (fd, stats) => {
    if (!stats.isFile()) throw new UnreadableFileError(path, `${fileKind(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw new UnreadableFileError(path, `larger than ${megabytes(maxBytes)}`);
    // Read at most one byte past the cap, in case the file grows while we read it.
    // Only the bytes read are handed out, so the buffer need not be zeroed first.
    const buffer = Buffer.allocUnsafe(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw new UnreadableFileError(path, `larger than ${megabytes(maxBytes)}`);
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  });
}
