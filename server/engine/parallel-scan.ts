// Spreads the parsing of a workspace scan over worker threads, one per core. Workers only
// find references (parse and resolve); the caller keeps file order, Hub facts and rules on
// its own thread. Small scans never pay for starting workers: the first candidate bytes
// are scanned on the calling thread, workers start only once a scan proves big.
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelReference } from '../core/types';
import type { SymbolsLearnt, WorkspaceSymbols } from '../scan/workspace-symbols';

export interface ScanJob {
  /** Folder relative ids are checked against (local folders are not Hub ids). */
  root: string;
  file: string;
  relativePath: string;
  text: string;
  /** Internal: parse whole files, without the lexical pre-pass. */
  plainParse?: boolean;
  /** Hub model classes and wrappers of the workspace so far (a copy travels to a worker). */
  workspace?: WorkspaceSymbols;
}

/** The references found, or the message of the error that stopped the scan of this file. */
export type ScanOutcome = { references: ModelReference[]; symbols?: SymbolsLearnt } | { error: string };

export type ScanWorkerMessage = { id: number; outcome: ScanOutcome };

export interface ScanPoolOptions {
  /** Worker threads at most; 0 or 1 scans everything on the calling thread. Default: the core count. */
  workers?: number;
  /** Candidate text scanned on the calling thread before workers start (default 1 MB). */
  inlineChars?: number;
  /** The worker script (default scan-worker.js next to this file). */
  workerFile?: string;
}

export const SCAN_WORKER_FILE = join(__dirname, 'scan-worker.js');
const DEFAULT_INLINE_CHARS = 1_000_000;

interface Pending {
  id: number;
  job: ScanJob;
  resolve(outcome: ScanOutcome): void;
}

interface Slot {
  worker: Worker;
  pending?: Pending;
}

export class ScanPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private readonly maxWorkers: number;
  private readonly inlineChars: number;
  private readonly workerFile: string;
  private inlineSoFar = 0;
  private nextId = 0;
  private closed = false;
  /** Workers started (tests read it). */
  started = 0;

  constructor(
    private readonly inline: (job: ScanJob) => Promise<ScanOutcome>,
    options: ScanPoolOptions = {},
  ) {
    this.workerFile = options.workerFile ?? SCAN_WORKER_FILE;
    const cores = typeof availableParallelism === 'function' ? availableParallelism() : 1;
    this.maxWorkers = existsSync(this.workerFile) ? (options.workers ?? cores) : 0;
    this.inlineChars = options.inlineChars ?? DEFAULT_INLINE_CHARS;
  }

  scan(job: ScanJob): Promise<ScanOutcome> {
    if (this.closed || this.maxWorkers <= 1 || this.inlineSoFar < this.inlineChars) {
      this.inlineSoFar += job.text.length;
      return this.inline(job);
    }
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, job, resolve });
      this.dispatch();
    });
  }

  /** Ends the workers; jobs still queued are scanned on the calling thread. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) void this.inline(pending.job).then(pending.resolve);
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.pending);
      if (!slot && this.slots.length < this.maxWorkers) slot = this.spawn();
      if (!slot) return;
      const pending = this.queue.shift()!;
      slot.pending = pending;
      slot.worker.postMessage({ id: pending.id, job: pending.job });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerFile);
    this.started++;
    const slot: Slot = { worker };
    this.slots.push(slot);
    worker.on('message', (message: ScanWorkerMessage) => {
      const pending = slot.pending;
      if (!pending || pending.id !== message.id) return;
      slot.pending = undefined;
      pending.resolve(message.outcome);
      this.dispatch();
    });
    const lost = (reason: string) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      void worker.terminate();
      // The file that took the worker down costs only itself; the rest go on.
      slot.pending?.resolve({ error: reason });
      this.dispatch();
    };
    worker.on('error', (error) => lost(`the scan worker failed on it (${error.message})`));
    worker.on('exit', () => lost('the scan worker stopped on it'));
    return slot;
  }
}
