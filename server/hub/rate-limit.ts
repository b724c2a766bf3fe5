// Reads the Hub's rate-limit headers (IETF draft "RateLimit" fields) and paces requests so
// that a client which has spent its window's budget waits for the reset instead of
// collecting 429s.
//   RateLimit: "api";r=0;t=12                    r = requests left, t = seconds to reset
//   RateLimit-Policy: "fixed window";"api";q=500;w=300   q = budget, w = window seconds

export interface RateLimitState {
  /** The bucket the header names ("api", "resolvers", ...), when it names one. */
  bucket?: string;
  remaining: number;
  resetSeconds: number;
  /** Window length from RateLimit-Policy, when sent. */
  windowSeconds?: number;
}

type HeaderValue = string | string[] | undefined;

function first(h: HeaderValue): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}

function param(text: string, name: string): number | undefined {
  const m = new RegExp(`(?:^|[;,\\s])${name}=(\\d+(?:\\.\\d+)?)`).exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Parses RateLimit and RateLimit-Policy; undefined when the answer carries no RateLimit. */
export function parseRateLimit(headers: Record<string, HeaderValue>): RateLimitState | undefined {
  const rl = first(headers['ratelimit']);
  if (!rl) return undefined;
  const remaining = param(rl, 'r');
  const resetSeconds = param(rl, 't');
  if (remaining === undefined || resetSeconds === undefined) return undefined;
  const policy = first(headers['ratelimit-policy']);
  const windowSeconds = policy ? param(policy, 'w') : undefined;
  const bucket = /^\s*"([^"]*)"/.exec(rl)?.[1];
  const state: RateLimitState = { remaining, resetSeconds };
  if (windowSeconds !== undefined) state.windowSeconds = windowSeconds;
  // Kept off the object when absent so older callers comparing shapes still match.
  return bucket ? { bucket, ...state } : state;
}

/** Retry-After in seconds (delta form only; the Hub does not send dates). */
export function parseRetryAfter(headers: Record<string, HeaderValue>): number | undefined {
  const v = first(headers['retry-after']);
  return v !== undefined && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined;
}

/**
 * Keeps a local estimate of the requests left in the current window and, once it reaches
 * zero, makes new requests wait for the reset. The estimate is the server's latest count
 * minus the requests sent after the one that count answers (the server may not have seen
 * them yet), so it errs low rather than high. With no headers seen it never delays anything.
 */
export class RatePacer {
  private remaining: number | undefined;
  private resetAt = 0;
  private windowMs: number | undefined;
  /** Tickets handed out so far; a ticket is the request's place in sending order. */
  private issued = 0;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Waits until a request may be sent, counts it, and returns its ticket for observe(). */
  async acquire(): Promise<number> {
    for (;;) {
      const now = this.now();
      if (now >= this.resetAt) this.remaining = undefined; // new window: the next answer tells us
      if (this.remaining === undefined || this.remaining > 0) {
        if (this.remaining !== undefined) this.remaining--;
        return ++this.issued;
      }
      // Wake at the reset (a few ms past it, to land in the new window), or earlier when an
      // answer raises the estimate.
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, this.resetAt - now + 5);
        this.waiters.add(wake);
      });
    }
  }

  /** Takes in the RateLimit state of the answer to the request holding `ticket`. */
  observe(state: RateLimitState, ticket = this.issued): void {
    const now = this.now();
    const reset = now + state.resetSeconds * 1000;
    if (state.windowSeconds) this.windowMs = state.windowSeconds * 1000;
    const estimate = Math.max(0, state.remaining - (this.issued - ticket));
    // Reset times jitter by the header's rounding; a later reset by more than that is a new window.
    const tolerance = Math.min(1000, (this.windowMs ?? 2000) / 2);
    if (reset > this.resetAt + tolerance || now >= this.resetAt) this.resetAt = reset;
    this.remaining = estimate;
    for (const wake of [...this.waiters]) wake();
  }

  /** Holds every request back for `ms` (a 429's Retry-After), whatever the window said. */
  pause(ms: number): void {
    this.remaining = 0;
    this.resetAt = this.now() + ms;
    for (const wake of [...this.waiters]) wake();
  }

  /** Time until the current window resets, when its budget is spent; 0 otherwise. */
  blockedForMs(): number {
    const now = this.now();
    return this.remaining === 0 && now < this.resetAt ? this.resetAt - now : 0;
  }
}
