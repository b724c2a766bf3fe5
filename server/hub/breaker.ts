// The circuit breaker: once the Hub is known to be unreachable (its name does not resolve,
// it refuses connections, or it accepts them and never answers), every further lookup is
// answered at once as "not looked up" instead of each one finding out again. A name that
// does not resolve or a refused connection is proof enough; a timeout or a reset needs a
// second one with no answer from the Hub in between, so one slow answer does not trip it.

export type HubReachability = 'ok' | 'unreachable';

/** Connection-level failures, by the error code Node and undici give them. */
const DEFINITE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const SUSPECT = new Set(['ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'timeout']);

export class CircuitBreaker {
  private suspicions = 0;
  private open = false;
  private why = '';

  constructor(private readonly onChange: (state: HubReachability, reason: string) => void = () => undefined) {}

  get state(): HubReachability {
    return this.open ? 'unreachable' : 'ok';
  }

  /** What made it trip, for messages. */
  get reason(): string {
    return this.why;
  }

  /** The Hub answered (any HTTP status): it is reachable. */
  answered(): void {
    this.suspicions = 0;
    if (this.open) this.close();
  }

  /** An attempt failed below HTTP; `code` is the error code (or "timeout"). */
  failed(code: string | undefined, reason: string): void {
    if (this.open || code === undefined) return;
    if (DEFINITE.has(code) || (SUSPECT.has(code) && ++this.suspicions >= 2)) {
      this.open = true;
      this.why = reason;
      this.onChange('unreachable', reason);
    }
  }

  /** Lets lookups try the network again (the editor's background retry). */
  close(): void {
    const was = this.open;
    this.open = false;
    this.suspicions = 0;
    this.why = '';
    if (was) this.onChange('ok', '');
  }
}
