// The CLI's scan progress line: only on a terminal, only for scans over a second, cleared at the end.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScanProgress } from '../../server/cli/scan-progress';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('scan progress', () => {
  it('shows nothing during the first second, then done/total in place, and clears the line at the end', () => {
    let now = 0;
    const out = stream(true);
    const progress = new ScanProgress(out, () => now);
    now = 500;
    progress.update(1, 10);
    assert.equal(out.written.length, 0);
    now = 1200;
    progress.update(5, 10);
    assert.equal(out.written.length, 1);
    assert.match(out.written[0], /^\r\x1b\[2Kptm-lens: scanning: 5\/10 files \(50 %\)$/);
    progress.stop();
    assert.equal(out.written.at(-1), '\r\x1b[2K');
  });

  it('writes nothing on a pipe', () => {
    let now = 0;
    const out = stream(false);
    const progress = new ScanProgress(out, () => now);
    now = 5000;
    progress.update(5, 10);
    progress.stop();
    assert.deepEqual(out.written, []);
  });
});
