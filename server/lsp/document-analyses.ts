// Keeps the latest analysis of every file the server knows, open or not, and
// re-analyses edited documents after a pause in typing. Analyses wait in a queue that
// serves open documents first and small ones before big ones; a newer version of a
// document cancels the work for the older one, whose result is never kept. Hovers may
// read the last analysis while the current one is still running. A closed file's entry
// keeps no text and no line index (a big workspace's text would stay in memory): they are
// read from disk again when asked for, which only a republish or a request on it does.
import type { FileAnalysis } from '../engine/analyze';
import { LineIndex } from '../core/positions';

export interface AnalysisEntry extends FileAnalysis {
  uri: string;
  /** Document version (-1 for files read from disk). */
  version: number;
  text: string;
  lines: LineIndex;
  /** Why the file was not analysed (e.g. too large); its findings are then empty. */
  skipped?: string;
}

export interface AnalyzerResult extends FileAnalysis {
  text: string;
  skipped?: string;
}

/**
 * Analyses `text` (or the file on disk when undefined). Resolves to undefined when the
 * file has nothing to keep, or when `signal` aborted the work.
 */
export type Analyzer = (uri: string, text: string | undefined, signal: AbortSignal) => Promise<AnalyzerResult | undefined>;

interface Job {
  uri: string;
  version: number;
  text?: string;
  controller: AbortController;
  done: Promise<AnalysisEntry | undefined>;
  finish(entry: AnalysisEntry | undefined): void;
}

export class DocumentAnalyses {
  private readonly entries = new Map<string, AnalysisEntry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly latest = new Map<string, number>();
  /** The newest job per document, waiting or running. */
  private readonly active = new Map<string, Job>();
  private readonly waiting: Job[] = [];
  private running = 0;

  constructor(
    private readonly analyze: Analyzer,
    private readonly publish: (entry: AnalysisEntry) => void,
    private readonly concurrency = 2,
    /** A closed file's text, read again (from disk); without it closed entries keep their text. */
    private readonly reread?: (uri: string) => string,
  ) {}

  get(uri: string): AnalysisEntry | undefined {
    return this.entries.get(uri);
  }

  all(): IterableIterator<AnalysisEntry> {
    return this.entries.values();
  }

  /** True while an analysis of the document is scheduled, waiting or running. */
  busy(uri: string): boolean {
    return this.active.has(uri) || this.timers.has(uri);
  }

  /** Schedules analysis of a document version after `delayMs` without further edits. */
  schedule(uri: string, version: number, text: string, delayMs: number): void {
    this.supersede(uri, version);
    this.timers.set(uri, setTimeout(() => void this.run(uri, version, text), delayMs));
  }

  /**
   * Queues an analysis of this version (of the file on disk when `text` is undefined);
   * resolves to the entry, or undefined when a newer version superseded it.
   */
  run(uri: string, version: number, text?: string): Promise<AnalysisEntry | undefined> {
    this.supersede(uri, version);
    let finish!: (entry: AnalysisEntry | undefined) => void;
    const done = new Promise<AnalysisEntry | undefined>((resolve) => (finish = resolve));
    const job: Job = { uri, version, text, controller: new AbortController(), done, finish };
    this.active.set(uri, job);
    this.waiting.push(job);
    this.pump();
    return done;
  }

  /**
   * The analysis of exactly this version, running it when missing. With `allowStale`,
   * the last analysis answers while a newer one is still on its way (hovers), so a
   * request never waits behind a long analysis.
   */
  async current(uri: string, version: number, text: string, allowStale = false): Promise<AnalysisEntry | undefined> {
    const entry = this.entries.get(uri);
    if (entry && entry.version === version && entry.text === text) return entry;
    if (allowStale && entry && this.busy(uri)) return entry;
    const job = this.active.get(uri);
    if (job && job.version === version && job.text === text) return job.done;
    return this.run(uri, version, text);
  }

  /**
   * Resolves once the document has no analysis waiting or running, newer ones included: a job
   * superseded by a newer version resolves early, and whoever waited for it (a workspace scan)
   * waits here for the analysis that replaced it.
   */
  async settled(uri: string): Promise<void> {
    for (let job = this.active.get(uri); job; job = this.active.get(uri)) await job.done;
  }

  forget(uri: string): void {
    this.supersede(uri, Number.NaN);
    this.latest.delete(uri);
    this.entries.delete(uri);
  }

  /** A newer version is coming: cancel whatever is planned or running for older ones. */
  private supersede(uri: string, version: number): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.latest.set(uri, version);
    const old = this.active.get(uri);
    if (old) {
      this.active.delete(uri);
      old.controller.abort();
    }
  }

  /** Starts waiting jobs up to the concurrency: open documents first, then the shortest. */
  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length) {
      this.waiting.sort(priority);
      const job = this.waiting.shift()!;
      if (job.controller.signal.aborted) {
        job.finish(undefined);
        continue;
      }
      this.running++;
      // Start on a later turn of the event loop, so requests already received are served first.
      setImmediate(() => void this.execute(job));
    }
  }

  private async execute(job: Job): Promise<void> {
    let result: AnalyzerResult | undefined;
    try {
      result = job.controller.signal.aborted ? undefined : await this.analyze(job.uri, job.text, job.controller.signal);
    } catch {
      result = undefined;
    } finally {
      this.running--;
      this.pump();
    }
    if (this.active.get(job.uri) === job) this.active.delete(job.uri);
    // An older version's result never replaces a newer one.
    if (job.controller.signal.aborted || this.latest.get(job.uri) !== job.version) return job.finish(undefined);
    if (!result) {
      this.entries.delete(job.uri);
      return job.finish(undefined);
    }
    const entry: AnalysisEntry = { ...result, uri: job.uri, version: job.version, lines: new LineIndex(result.text) };
    this.entries.set(job.uri, job.version < 0 && this.reread ? withoutText(entry, this.reread) : entry);
    this.publish(entry);
    job.finish(entry);
  }
}

/** The entry with its text and line index read again on demand instead of kept. */
function withoutText(entry: AnalysisEntry, reread: (uri: string) => string): AnalysisEntry {
  const { text: _text, lines: _lines, ...kept } = entry;
  const uri = entry.uri;
  return Object.defineProperties(kept, {
    text: { get: () => reread(uri), enumerable: true },
    lines: { get: () => new LineIndex(reread(uri)), enumerable: true },
  }) as AnalysisEntry;
}

/** An entry whose text and lines are plain fields (read once), for code that reads them many times. */
export function withText(entry: AnalysisEntry): AnalysisEntry {
  const descriptor = Object.getOwnPropertyDescriptor(entry, 'text');
  if (!descriptor?.get) return entry;
  const text = entry.text;
  const fields = Object.fromEntries(Object.keys(entry).filter((key) => key !== 'text' && key !== 'lines').map((key) => [key, entry[key as keyof AnalysisEntry]]));
  return { ...(fields as Omit<AnalysisEntry, 'text' | 'lines'>), text, lines: new LineIndex(text) };
}

function priority(a: Job, b: Job): number {
  const open = Number(b.version >= 0) - Number(a.version >= 0);
  if (open) return open;
  return (a.text?.length ?? Number.MAX_SAFE_INTEGER) - (b.text?.length ?? Number.MAX_SAFE_INTEGER);
}
