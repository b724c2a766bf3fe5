import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Countdown } from '../../server/cli/countdown';
import { NoteList } from '../../server/cli/notes';

/** A stream that records what is written, as a terminal (isTTY) or a pipe would receive it. */
function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a wait announced on a terminal counts down in place', () => {
  it('rewrites one line with the seconds left, then clears it', async () => {
    let now = 0;
    const tty = stream(true);
    const countdown = new Countdown(tty, () => now, 10);
    countdown.start(3000, 'waiting for the Hub');
    assert.deepEqual(tty.written, ['\r\x1b[2Kptm-lens: waiting for the Hub: 3 s left']);
    now = 1500;
    await sleep(40);
    assert.equal(tty.written.at(-1), '\r\x1b[2Kptm-lens: waiting for the Hub: 2 s left');
    now = 3000;
    await sleep(40);
    assert.equal(tty.written.at(-1), '\r\x1b[2K', 'the line is cleared when the wait is over');
    const count = tty.written.length;
    await sleep(40);
    assert.equal(tty.written.length, count, 'nothing more is written after the wait');
  });

  it('writes nothing extra to a pipe: the note line says how long', () => {
    const pipe = stream(false);
    const notes = new NoteList(pipe);
    notes.add({ level: 'info', message: 'waiting 30 s for it to reset.', waitUntil: Date.now() + 30_000 });
    notes.close();
    assert.deepEqual(pipe.written, ['ptm-lens: info: waiting 30 s for it to reset.\n']);
  });

  it('clears the countdown before the next note and at the end, and keeps waitUntil out of the recorded notes', () => {
    const tty = stream(true);
    const notes = new NoteList(tty);
    notes.add({ level: 'info', message: 'waiting 30 s for it to reset.', waitUntil: Date.now() + 30_000 });
    assert.match(tty.written.at(-1)!, /^\r\x1b\[2Kptm-lens: waiting for the Hub: (30|29) s left$/);
    notes.warn('another thing');
    assert.deepEqual(tty.written.slice(-2), ['\r\x1b[2K', 'ptm-lens: warning: another thing\n']);
    notes.close();
    assert.deepEqual(notes.notes, [
      { level: 'info', message: 'waiting 30 s for it to reset.' },
      { level: 'warning', message: 'another thing' },
    ]);
  });
});
