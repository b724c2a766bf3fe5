// Spreads the parsing of a workspace scan over worker threads, one per core. Workers only
// find references (parse and resolve); the caller keeps file order, Hub facts and rules on
// its own thread. Small scans never pay for starting workers: the first candidate bytes
// are scanned on the calling thread, workers start only once a scan proves big.
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
// node:worker_threads loads when the first worker starts (few-loads trees start none).
import type { Worker } from 'node:worker_threads';
import type { ModelReference } from '../core/types';
import type { SymbolsLearnt, WorkspaceSymbols } from '../scan/workspace-symbols';

export interface ScanJob {
  /** Folder relative ids are checked against (local folders are not Hub ids). */
  root: string;
  file: string;
  relativePath: string;
  text: string;
  /**
   * The text's UTF-8 bytes, when the caller is done with them: a worker is sent these instead of
   * the text, moved rather than copied (cloning a big text costs this thread more than decoding it costs the worker).
   */
  bytes?: Uint8Array;
  /** Internal: parse whole files, without the lexical pre-pass. */
  plainParse?: boolean;
  /** Hub model classes and wrappers of the workspace so far (a copy travels to a worker). */
  workspace?: WorkspaceSymbols;
}

/** The references found, or the message of the error that stopped the scan of this file. */
export type ScanOutcome = { references: ModelReference[]; symbols?: SymbolsLearnt } | { error: string };

/** A worker's answer to one job. */
export type ScanAnswer = { id: number; outcome: ScanOutcome };

export type ScanWorkerMessage = ScanAnswer | NamesFound;

/**
 * A worker's search of files for names (see ScanPool.searchNames): one byte per file, FOUND_NONE,
 * FOUND_MAYBE or FOUND_UNREADABLE; undefined when a name cannot be searched for (the caller searches).
 */
export interface NamesFound {
  id: number;
  found?: Uint8Array;
}

export const FOUND_NONE = 0;
export const FOUND_MAYBE = 1;
export const FOUND_UNREADABLE = 2;

/** What the pool sends a worker to search files for names, other than as a definition (NamesSearch.mayName with `calls`). */
export interface NamesRequest {
  id: number;
  searchNames: { files: string[]; maxBytes: number[]; names: string[] };
}

/**
 * What the pool sends a worker: the job without its index; the index itself only the first time
 * (a worker keeps its copy), then only what scans learnt since (cloning the whole index for
 * every file would cost time in proportion to files times wrappers).
 */
export interface ScanRequest {
  id: number;
  /** The job; its text empty when `bytes` carries it. */
  job: Omit<ScanJob, 'workspace' | 'bytes'>;
  bytes?: Uint8Array;
  /** The job has an index: the worker's copy (after `workspace` and `learnt`) goes with it. */
  indexed: boolean;
  workspace?: WorkspaceSymbols;
  learnt?: SymbolsLearnt;
}

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
/**
 * Jobs a worker holds at once: the next ones wait in its queue while it scans, so it does not idle
 * while this thread is busy (reading, finishing files in order, a garbage collection of tens of
 * milliseconds) and cannot answer at once. A job takes about 3 ms on average.
 */
const JOBS_PER_WORKER = 8;

interface Pending {
  id: number;
  job: ScanJob;
  resolve(outcome: ScanOutcome): void;
}

interface Slot {
  worker: Worker;
  /** Name searches sent and not answered (answered after the jobs sent before them). */
  searches: Map<number, (found: Uint8Array | undefined) => void>;
  /** Jobs sent and not answered, oldest first: the worker scans them in this order. */
  pending: Pending[];
  /** The index this worker holds a copy of, and how much of the pool's log it has seen. */
  workspace?: WorkspaceSymbols;
  seen: number;
}

export class ScanPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private readonly maxWorkers: number;
  private readonly inlineChars: number;
  private readonly workerFile: string;
  private inlineSoFar = 0;
  /**
   * What the workers' scans learnt, per index, in arrival order: each worker is sent what it has not
   * seen of its index's (a scan with another index, dropped by its caller, teaches this one nothing).
   */
  private readonly learnt = new Map<WorkspaceSymbols, SymbolsLearnt[]>();
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

  /**
   * Starts the workers now, for a scan known to be big: they load while the caller prepares, and
   * every job goes to them (no file is parsed on the calling thread, which then only merges).
   */
  start(): void {
    if (this.closed || this.maxWorkers <= 1) return;
    this.inlineSoFar = Math.max(this.inlineSoFar, this.inlineChars);
    while (this.slots.length < this.maxWorkers) this.spawn();
  }

  /** True when a job would go to a worker now, not be scanned on the calling thread. */
  get sendsToWorkers(): boolean {
    return !this.closed && this.maxWorkers > 1 && this.inlineSoFar >= this.inlineChars;
  }

  /**
   * Drops the jobs with this index not yet sent to a worker (the caller no longer wants them): they
   * are answered with an error and never scanned.
   */
  dropQueued(workspace: WorkspaceSymbols): void {
    const kept = this.queue.filter((pending) => pending.job.workspace !== workspace);
    const dropped = this.queue.filter((pending) => pending.job.workspace === workspace);
    this.queue.splice(0, this.queue.length, ...kept);
    for (const pending of dropped) pending.resolve({ error: 'dropped' });
  }

  /** Workers running now. */
  get running(): number {
    return this.closed ? 0 : this.slots.length;
  }

  /**
   * Searches the files for the names on the running workers, the files shared out among them in
   * order: per file, FOUND_NONE, FOUND_MAYBE or FOUND_UNREADABLE. Undefined when no worker runs,
   * a worker fails, or a name cannot be searched for: the caller searches itself then.
   */
  searchNames(files: string[], maxBytes: number[], names: string[]): Promise<Uint8Array | undefined> | undefined {
    const slots = this.slots;
    if (this.closed || !slots.length || !files.length) return undefined;
    const share = Math.ceil(files.length / slots.length);
    const parts = slots.map((slot, k) => {
      const id = this.nextId++;
      const part = { files: files.slice(k * share, (k + 1) * share), maxBytes: maxBytes.slice(k * share, (k + 1) * share), names };
      const request: NamesRequest = { id, searchNames: part };
      return new Promise<Uint8Array | undefined>((resolve) => {
        slot.searches.set(id, resolve);
        slot.worker.postMessage(request);
      });
    });
    return Promise.all(parts).then((found) => {
      if (found.some((part) => part === undefined)) return undefined;
      const all = new Uint8Array(files.length);
      found.forEach((part, k) => all.set(part!, k * share));
      return all;
    });
  }

  /** Ends the workers; jobs still queued are scanned on the calling thread. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) void this.inline(pending.job).then(pending.resolve);
    // Not waited for: a worker takes tens of milliseconds to stop, and the caller's work goes on meanwhile.
    for (const slot of this.slots.splice(0)) {
      for (const resolve of slot.searches.values()) resolve(undefined);
      slot.worker.removeAllListeners();
      slot.worker.on('error', () => undefined);
      void slot.worker.terminate();
    }
  }

  private dispatch(): void {
    while (this.queue.length) {
      // An idle worker first, then a new one, then the least loaded with room in its queue.
      let slot = this.slots.find((s) => !s.pending.length);
      if (!slot && this.slots.length < this.maxWorkers) slot = this.spawn();
      slot ??= this.slots.filter((s) => s.pending.length < JOBS_PER_WORKER).sort((a, b) => a.pending.length - b.pending.length)[0];
      if (!slot) return;
      const pending = this.queue.shift()!;
      slot.pending.push(pending);
      const request = this.request(slot, pending);
      slot.worker.postMessage(request, request.bytes ? [request.bytes.buffer as ArrayBuffer] : []);
      // Moved bytes are gone from this thread: should the job be sent again, its text goes.
      if (request.bytes) pending.job = { ...pending.job, bytes: undefined };
    }
  }

  private request(slot: Slot, pending: Pending): ScanRequest {
    const { workspace, bytes, ...rest } = pending.job;
    const moved = bytes && movable(bytes) ? bytes : undefined;
    const job = moved ? { ...rest, text: '' } : rest;
    const base = { id: pending.id, job, ...(moved ? { bytes: moved } : {}) };
    if (!workspace) return { ...base, indexed: false };
    const log = this.learntOf(workspace);
    if (slot.workspace !== workspace) {
      slot.workspace = workspace;
      slot.seen = log.length;
      return { ...base, indexed: true, workspace };
    }
    const since = log.slice(slot.seen);
    slot.seen = log.length;
    if (!since.length) return { ...base, indexed: true };
    const learnt: SymbolsLearnt = { wrappers: since.flatMap((l) => l.wrappers), resolvedCalls: since.flatMap((l) => l.resolvedCalls), unresolvedCalls: since.flatMap((l) => l.unresolvedCalls) };
    return { ...base, indexed: true, learnt };
  }

  private learntOf(workspace: WorkspaceSymbols): SymbolsLearnt[] {
    let log = this.learnt.get(workspace);
    if (!log) this.learnt.set(workspace, (log = []));
    return log;
  }

  /** The text a request carries, from its bytes when they were moved (the worker's side of `bytes`). */
  static textOf(request: ScanRequest): string {
    return request.bytes ? Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength).toString('utf8') : request.job.text;
  }

  private spawn(): Slot {
    const worker = new (require('node:worker_threads') as typeof import('node:worker_threads')).Worker(this.workerFile);
    this.started++;
    const slot: Slot = { worker, seen: 0, pending: [], searches: new Map() };
    this.slots.push(slot);
    worker.on('message', (message: ScanWorkerMessage) => {
      if (!('outcome' in message)) {
        slot.searches.get(message.id)?.(message.found);
        slot.searches.delete(message.id);
        return;
      }
      const pending = slot.pending[0];
      if (!pending || pending.id !== message.id) return;
      slot.pending.shift();
      const outcome = message.outcome;
      const workspace = pending.job.workspace;
      if (workspace && 'symbols' in outcome && outcome.symbols && (outcome.symbols.wrappers.length || outcome.symbols.resolvedCalls.length || outcome.symbols.unresolvedCalls.length)) this.learntOf(workspace).push(outcome.symbols);
      pending.resolve(outcome);
      this.dispatch();
    });
    const lost = (reason: string) => {
      const index = this.slots.indexOf(slot);
      if (index < 0) return;
      this.slots.splice(index, 1);
      worker.removeAllListeners();
      worker.on('error', () => undefined);
      void worker.terminate();
      for (const resolve of slot.searches.values()) resolve(undefined);
      slot.searches.clear();
      // The file that took the worker down costs only itself; the files queued behind it go to another worker.
      const [failed, ...waiting] = slot.pending.splice(0);
      this.queue.unshift(...waiting);
      failed?.resolve({ error: reason });
      this.dispatch();
    };
    worker.on('error', (error) => lost(`the scan worker failed on it (${error.message})`));
    worker.on('exit', () => lost('the scan worker stopped on it'));
    return slot;
  }
}

/**
 * True when the bytes own their memory (a Buffer of a few KB shares a pool with other buffers:
 * moving it would empty theirs too), so they can be moved to a worker.
 */
function movable(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && bytes.buffer.byteLength - bytes.byteLength <= 1;
}
