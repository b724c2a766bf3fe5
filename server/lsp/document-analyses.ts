// Keeps the latest analysis of every file the server knows, open or not, and
// re-analyses edited documents after a pause in typing. Work for an older version of a
// document is dropped; nothing here blocks hovers or code actions.
import type { FileAnalysis } from '../engine/analyze';
import { LineIndex } from '../core/positions';

export interface AnalysisEntry extends FileAnalysis {
  uri: string;
  /** Document version (-1 for files read from disk). */
  version: number;
  text: string;
  lines: LineIndex;
}

export type Analyzer = (uri: string, text: string) => Promise<FileAnalysis | undefined>;

export class DocumentAnalyses {
  private readonly entries = new Map<string, AnalysisEntry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly latest = new Map<string, number>();

  constructor(
    private readonly analyze: Analyzer,
    private readonly publish: (entry: AnalysisEntry) => void,
  ) {}

  get(uri: string): AnalysisEntry | undefined {
    return this.entries.get(uri);
  }

  all(): IterableIterator<AnalysisEntry> {
    return this.entries.values();
  }

  /** Schedules analysis of a document version after `delayMs` without further edits. */
  schedule(uri: string, version: number, text: string, delayMs: number): void {
    this.latest.set(uri, version);
    clearTimeout(this.timers.get(uri));
    this.timers.set(uri, setTimeout(() => void this.run(uri, version, text), delayMs));
  }

  /** Analyses now; resolves to the entry, or undefined when a newer version superseded it. */
  async run(uri: string, version: number, text: string): Promise<AnalysisEntry | undefined> {
    this.timers.delete(uri);
    this.latest.set(uri, version);
    const analysis = await this.analyze(uri, text);
    if (this.latest.get(uri) !== version) return undefined;
    if (!analysis) {
      this.entries.delete(uri);
      return undefined;
    }
    const entry: AnalysisEntry = { uri, version, text, lines: new LineIndex(text), ...analysis };
    this.entries.set(uri, entry);
    this.publish(entry);
    return entry;
  }

  /** The analysis of exactly this version, running it now when missing or stale. */
  async current(uri: string, version: number, text: string): Promise<AnalysisEntry | undefined> {
    const entry = this.entries.get(uri);
    if (entry && entry.version === version && entry.text === text) return entry;
    return this.run(uri, version, text);
  }

  forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.latest.delete(uri);
    this.entries.delete(uri);
  }
}
