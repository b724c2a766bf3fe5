// Delay before retry number `attempt` (0-based): capped exponential with jitter, so many
// clients that failed together do not come back together.

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, { baseMs, capMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  // "Equal jitter": at least half the step, so retries never come back instantly.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
