// On a terminal, a scan that takes longer than a second shows how far it is, in place on
// stderr, and clears that line when done. Pipes and CI logs get nothing: no noise in logs.
import type { CountdownStream } from './countdown';

const CLEAR_LINE = '\r\x1b[2K';
/** A scan quicker than this shows no progress at all. */
export const PROGRESS_AFTER_MS = 1000;
const REDRAW_MS = 100;

export class ScanProgress {
  private readonly started: number;
  private lastDrawn = -Infinity;
  private shown = false;

  constructor(
    private readonly stream: CountdownStream,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** After each file: `done` of `total` files. */
  update(done: number, total: number): void {
    if (!this.stream.isTTY) return;
    const time = this.now();
    if (time - this.started < PROGRESS_AFTER_MS || (time - this.lastDrawn < REDRAW_MS && done < total)) return;
    this.lastDrawn = time;
    this.stream.write(`${CLEAR_LINE}ptm-lens: scanning: ${done}/${total} files (${Math.floor((done / Math.max(total, 1)) * 100)} %)`);
    this.shown = true;
  }

  /** Clears the progress line; called before the report is written. */
  stop(): void {
    if (this.shown) this.stream.write(CLEAR_LINE);
    this.shown = false;
  }
}
