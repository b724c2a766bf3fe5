// On a terminal, a note that announces a wait (a Hub rate limit resetting) gets a line that
// counts down in place, so a quiet CLI does not look hung. Not on pipes or in CI logs: there
// the note's own line says how long the wait is.
export interface CountdownStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const CLEAR_LINE = '\r\x1b[2K';

export class Countdown {
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(
    private readonly stream: CountdownStream,
    private readonly now: () => number = Date.now,
    private readonly tickMs = 1000,
  ) {}

  /** Counts down to `until` (epoch ms); a later wait replaces an earlier one. */
  start(until: number, what: string): void {
    if (!this.stream.isTTY) return;
    this.stop();
    const tick = () => {
      const left = Math.ceil((until - this.now()) / 1000);
      if (left <= 0) return this.stop();
      this.stream.write(`${CLEAR_LINE}ptm-lens: ${what}: ${left} s left`);
      this.shown = true;
    };
    tick();
    this.timer = setInterval(tick, this.tickMs);
    // The countdown never keeps the process alive.
    this.timer.unref();
  }

  /** Clears the countdown line; called before any other line is written and at the end. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) this.stream.write(CLEAR_LINE);
    this.shown = false;
  }
}
