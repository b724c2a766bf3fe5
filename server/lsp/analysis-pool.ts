// Runs analyses on worker threads so one big file never blocks hovers, code actions or
// other documents. A superseded analysis is stopped by ending its worker; a worker whose
// analysis failed is replaced too, since a crashed parser may leave its heap corrupted.
// Files read from disk (a workspace scan) are queued two deep on each worker, so that a
// worker starts its next file without waiting for this thread to take the last one's result.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FactsProvider } from '../core/model-facts';
import type { AnalysisOutcome, AnalysisRequest, FromWorker, ToWorker } from './analysis-messages';
import { runAnalysis } from './analysis-worker';
import type { WorkspaceSymbols } from '../scan/workspace-symbols';

/** A folder's workspace index as the pool sees it: sent to a worker again only when `version` moved. */
export interface IndexSource {
  version: number;
  symbols(): WorkspaceSymbols;
  /**
   * A worker that holds an older version gets the new one at most this often (a workspace scan:
   * files that name a wrapper found later are analysed again when it ends, as in the CLI).
   */
  resendAfterMs?: number;
}

interface Job {
  id: number;
  request: AnalysisRequest;
  signal?: AbortSignal;
  resolve(outcome: AnalysisOutcome | undefined): void;
}

interface Slot {
  worker: Worker;
  /** Jobs posted to this worker, in the order it runs them (the first is running). */
  jobs: Job[];
  /** Ends once its jobs are done (it analysed enough from disk). */
  draining?: boolean;
  /** Version of each folder's workspace index this worker holds, and when it was sent. */
  indexVersions: Map<string, { version: number; at: number }>;
  /** Characters of files from disk this worker has analysed (a workspace scan). */
  diskChars: number;
  idleTimer?: NodeJS.Timeout;
}

/** Jobs of files read from disk posted to one worker at a time; open documents only go to an idle worker. */
export const DISK_JOBS_PER_WORKER = 2;

const fromDisk = (job: Job) => job.request.text === undefined;

/** Extra workers (beyond one kept warm) end after this long without work, to give memory back. */
const EXTRA_WORKER_IDLE_MS = 30_000;

/**
 * A worker is replaced after analysing this much text from disk: a workspace scan otherwise
 * leaves each worker's heap and tree-sitter's WASM memory (which only grows) at the high-water
 * mark of everything it parsed. A fresh worker costs about a tenth of a second.
 */
export const RECYCLE_AFTER_DISK_CHARS = 4_000_000;

export const WORKER_FILE = join(__dirname, 'analysis-worker.js');

/**
 * A worker's young generation: V8's default (tens of MB per thread) made each worker's heap about
 * 30 MB; an analysis's short-lived objects fit in much less (measured: 16-25 MB per worker, same CPU time).
 */
const WORKER_YOUNG_GENERATION_MB = 6;

export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextJob = 0;
  /** Workers started so far (replacements included); tests read it. */
  started = 0;
  /** Workers replaced after a lot of text from disk; tests read it. */
  recycled = 0;
  /** Jobs posted to a worker that was still busy; tests read it. */
  queuedBehind = 0;
  /** Workspace indexes posted to workers; tests read it. */
  indexesSent = 0;
  /** Workers being ended for recycling (they count against the size until gone). */
  private ending = 0;

  /** Analyses that may usefully be asked for at once: enough to keep every worker's queue full. */
  get capacity(): number {
    return this.size * DISK_JOBS_PER_WORKER;
  }

  constructor(
    private readonly facts: FactsProvider,
    private readonly log: (message: string) => void,
    readonly size = 2,
    private readonly workerFile = WORKER_FILE,
    /** The workspace index of the folder at `root`, when the server keeps one. */
    private readonly indexOf: (root: string) => IndexSource | undefined = () => undefined,
  ) {}

  /** The outcome, or undefined when `signal` aborted the analysis first. */
  analyze(request: AnalysisRequest, signal?: AbortSignal): Promise<AnalysisOutcome | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (!existsSync(this.workerFile)) return runAnalysis(request, this.facts, this.indexOf(request.root)?.symbols()); // unbundled runs (unit tests)
    return new Promise((resolve) => {
      const job: Job = { id: this.nextJob++, request, signal, resolve };
      signal?.addEventListener('abort', () => this.cancel(job), { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  close(): Promise<unknown> {
    for (const job of this.queue.splice(0)) job.resolve(undefined);
    return Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      const job = this.queue[0];
      let slot = this.slots.find((s) => !s.jobs.length && !s.draining);
      if (!slot && this.slots.length + this.ending < this.size) slot = this.spawn();
      // Behind another file from disk, never behind (or in front of) an open document.
      slot ??= fromDisk(job) ? this.slots.filter((s) => !s.draining && s.jobs.length < DISK_JOBS_PER_WORKER && s.jobs.every(fromDisk)).sort((a, b) => a.jobs.length - b.jobs.length)[0] : undefined;
      if (!slot) return;
      this.queue.shift();
      clearTimeout(slot.idleTimer);
      if (slot.jobs.push(job) > 1) this.queuedBehind++;
      this.sendIndex(slot, job.request.root);
      this.post(slot, { type: 'analyze', job: job.id, request: job.request });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerFile, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    worker.unref();
    this.started++;
    const slot: Slot = { worker, jobs: [], indexVersions: new Map(), diskChars: 0 };
    this.slots.push(slot);
    worker.on('message', (message: FromWorker) => void this.receive(slot, message));
    worker.on('error', (error) => this.replace(slot, `analysis worker failed: ${error.message}`));
    worker.on('exit', () => this.replace(slot, 'analysis worker stopped'));
    return slot;
  }

  private async receive(slot: Slot, message: FromWorker): Promise<void> {
    if (message.type === 'facts') {
      const facts = await this.facts.get(message.modelId, message.revision).catch(() => undefined);
      try {
        slot.worker.postMessage({ type: 'facts', call: message.call, facts } satisfies ToWorker);
      } catch {
        // Facts that cannot be copied to the worker count as not known yet.
        this.post(slot, { type: 'facts', call: message.call });
      }
      return;
    }
    const at = slot.jobs.findIndex((j) => j.id === message.job);
    if (message.type === 'done' && 'result' in message.outcome && slot.jobs[at] && fromDisk(slot.jobs[at])) slot.diskChars += message.outcome.textLeftOut?.chars ?? message.outcome.result.text.length;
    // A job cancelled while it waited behind another: its answer is not wanted.
    if (at < 0) return;
    const [job] = slot.jobs.splice(at, 1);
    if (message.type === 'done') {
      job.resolve(message.outcome);
      if (slot.diskChars > RECYCLE_AFTER_DISK_CHARS) slot.draining = true;
      if (slot.draining && !slot.jobs.length) return this.recycle(slot);
      this.dispatch();
      if (!slot.jobs.length) this.retireWhenIdle(slot);
    } else {
      this.log(`Analysis of ${job.request.file} failed: ${message.message}`);
      job.resolve({ skipped: `analysis failed (${message.message})` });
      this.retire(slot);
    }
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.jobs.includes(job));
    if (slot) {
      const running = slot.jobs[0] === job;
      slot.jobs.splice(slot.jobs.indexOf(job), 1);
      // Only a running analysis needs its worker ended; one still waiting is dropped when it answers.
      if (running) this.retire(slot);
    }
    job.resolve(undefined);
  }

  /** A worker that exited or failed mid-job: its job gets a skip reason, a new worker takes over. */
  private replace(slot: Slot, reason: string): void {
    const job = slot.jobs.shift();
    this.retire(slot);
    if (job) {
      this.log(`${reason} while analysing ${job.request.file}`);
      job.resolve({ skipped: reason });
    }
  }

  private retireWhenIdle(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (!slot.jobs.length && this.slots.length > 1) this.retire(slot);
    }, EXTRA_WORKER_IDLE_MS);
    slot.idleTimer.unref();
  }

  /** Ends the worker and only then lets a new one start, so that the two never hold memory at once. */
  private recycle(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    this.recycled++;
    this.ending++;
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate().finally(() => {
      this.ending--;
      this.dispatch();
    });
  }

  /** Ends the worker; the jobs still waiting on it go back to the front of the queue. */
  private retire(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    this.queue.unshift(...slot.jobs.splice(0));
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    this.dispatch();
  }

  /** The folder's index, when this worker's copy is older than the server's. */
  private sendIndex(slot: Slot, root: string): void {
    const index = this.indexOf(root);
    const held = slot.indexVersions.get(root);
    if (!index || held?.version === index.version) return;
    if (held && index.resendAfterMs !== undefined && Date.now() - held.at < index.resendAfterMs) return;
    slot.indexVersions.set(root, { version: index.version, at: Date.now() });
    this.indexesSent++;
    this.post(slot, { type: 'workspace', root, symbols: index.symbols() });
  }

  private post(slot: Slot, message: ToWorker): void {
    try {
      slot.worker.postMessage(message);
    } catch (error) {
      this.replace(slot, `analysis worker unreachable: ${(error as Error).message}`);
    }
  }
}
