// Tells the user about bad settings and config files: every problem goes to the log,
// and each batch of new problems gets ONE notification that names what is wrong.
// Problems are batched while the settings are being read (they arrive in several requests,
// whose answers may take any time on a busy machine), and for a moment after.
import type { SettingProblem } from './editor-settings';

const BATCH_MS = 150;

export class ProblemReporter {
  private readonly seen = new Set<string>();
  private pending: SettingProblem[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Settings reads in progress: no notification until they are all done. */
  private reading = 0;

  constructor(
    private readonly log: (line: string) => void,
    private readonly notify: (message: string) => void,
  ) {}

  report(problems: SettingProblem[]): void {
    for (const problem of problems) {
      if (this.seen.has(problem.message)) continue;
      this.seen.add(problem.message);
      this.log(`Settings: ${problem.message}`);
      this.pending.push(problem);
    }
    if (this.pending.length && !this.reading) this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  /** Runs a read of settings; the problems found meanwhile are shown together once every such read is done. */
  async batch<T>(read: () => Promise<T>): Promise<T> {
    this.reading++;
    try {
      return await read();
    } finally {
      this.reading--;
      this.report([]);
    }
  }

  private flush(): void {
    this.timer = undefined;
    if (this.reading) return;
    const batch = this.pending.splice(0);
    if (batch.length) this.notify(summary(batch));
  }
}

/** One sentence for a batch: the problem itself when alone, else the names of the settings. */
export function summary(batch: SettingProblem[]): string {
  if (batch.length === 1) return `PTM Lens: ${batch[0].message}`;
  const names = [...new Set(batch.map((p) => p.setting))];
  return `PTM Lens: ${batch.length} problems in ${names.join(', ')}; defaults are used where a value is invalid. See "PTM Lens: Show Output" for details.`;
}
