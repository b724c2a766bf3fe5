// Reading a scan's files: the bytes exactly, in as few calls and allocations as possible.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readRegularBytes, readRegularFile, UnreadableFileError } from '../../server/core/read-regular-file';
import { tempDir } from '../support/temp';

function countingReads<T>(run: () => T): { value: T; reads: number } {
  const original = fs.readSync;
  let reads = 0;
  (fs as { readSync: typeof fs.readSync }).readSync = ((...args: Parameters<typeof fs.readSync>) => {
    reads++;
    return original(...args);
  }) as typeof fs.readSync;
  try {
    return { value: run(), reads };
  } finally {
    (fs as { readSync: typeof fs.readSync }).readSync = original;
  }
}

describe('readRegularBytes', () => {
  it('reads a file in one call, and many small files each exactly, sharing slabs', () => {
    const dir = tempDir('ptm-read-');
    try {
      const contents = Array.from({ length: 300 }, (_, i) => `# file ${i}\n${'x = "é"\n'.repeat(i * 7)}`);
      contents.forEach((text, i) => fs.writeFileSync(join(dir.path, `f${i}.py`), text));
      const { value: read, reads } = countingReads(() => contents.map((_, i) => readRegularBytes(join(dir.path, `f${i}.py`), 1e6)));
      assert.equal(reads, contents.length, 'one read call a file');
      read.forEach((bytes, i) => assert.equal(bytes.toString('utf8'), contents[i]));
      assert.equal(new Set(read.map((bytes) => bytes.buffer)).size < contents.length / 10, true, 'small files share their memory');
      const big = 'y'.repeat(200_000);
      fs.writeFileSync(join(dir.path, 'big.py'), big);
      assert.equal(readRegularFile(join(dir.path, 'big.py'), 1e6), big);
      assert.throws(() => readRegularBytes(join(dir.path, 'big.py'), 100_000), (e: unknown) => e instanceof UnreadableFileError && /larger than/.test(e.reason));
      fs.writeFileSync(join(dir.path, 'empty.py'), '');
      assert.equal(readRegularBytes(join(dir.path, 'empty.py'), 10).length, 0);
    } finally {
      dir.remove();
    }
  });

  it('reads a file whose size says 0 to its end (/proc), within the cap', () => {
    const text = readRegularFile('/proc/self/status', 1e6);
    assert.match(text, /^Name:/);
    assert.throws(() => readRegularBytes('/proc/self/status', 10), (e: unknown) => e instanceof UnreadableFileError && /larger than/.test(e.reason));
  });
});
