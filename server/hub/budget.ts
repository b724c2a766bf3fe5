// The Hub time budget: how long one run may spend waiting on the Hub (retry pauses,
// rate-limit resets, attempts that timed out or failed). Time spent on answers that came
// back is not waiting. Overlapping waits count once, so sixteen lookups waiting for the
// same reset cost that reset once. Once spent, lookups go to the caches only.

export const DEFAULT_TIME_BUDGET_MS = 20_000;

export class TimeBudget {
  private spent = 0;
  /** End of the latest wait counted; waits overlapping it count only past it. */
  private coveredUntil = 0;

  constructor(
    readonly totalMs: number = DEFAULT_TIME_BUDGET_MS,
    private readonly now: () => number = Date.now,
  ) {}

  remainingMs(): number {
    return Math.max(0, this.totalMs - this.spent);
  }

  /** Spent: some waiting happened and it used up the allowance (a budget of 0 still lets each lookup ask once). */
  exhausted(): boolean {
    return this.spent > 0 && this.spent >= this.totalMs;
  }

  /** True when a wait of `ms` fits in what is left. */
  fits(ms: number): boolean {
    return ms <= this.remainingMs();
  }

  /** Counts a wait that ran from `startedAt` until now. */
  charge(startedAt: number): void {
    const end = this.now();
    const from = Math.max(startedAt, this.coveredUntil);
    if (end > from) this.spent += end - from;
    this.coveredUntil = Math.max(this.coveredUntil, end);
  }

  /** What is left is too little for the wait at hand: count the budget as spent. */
  spendAll(): void {
    this.spent = Math.max(this.spent, this.totalMs, 1);
  }

  /** A new allowance (the editor, when it tries the Hub again later). */
  renew(): void {
    this.spent = 0;
    this.coveredUntil = 0;
  }
}
