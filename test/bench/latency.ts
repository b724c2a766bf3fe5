// Re-analysis latency: time of analyzeText on a large file after one-character edits,
// in-process and without the server's debounce.
import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { emptySettings } from '../../server/config/settings';
import { analyzeText, type AnalysisContext } from '../../server/engine/analyze';
import { createParser } from '../../server/scan/tree-sitter';
import { keepSyntaxTrees } from '../../server/scan/python';
import { IncrementalScans, type IncrementalCounts } from '../../server/scan/incremental-scan';
import { seededRandom } from './corpus';

export interface Edit {
  offset: number;
  /** The character that replaces the one at offset. */
  text: string;
}

/**
 * One-letter replacements of the original text, alternating between its first and second
 * half. Each is applied to the original alone: accumulated random edits would pile up
 * syntax errors that no real file has, and tree-sitter's error recovery dominates then.
 */
export function plannedEdits(text: string, count: number, seed: number): Edit[] {
  const random = seededRandom(seed);
  const edits: Edit[] = [];
  const half = Math.floor(text.length / 2);
  while (edits.length < count) {
    const base = edits.length % 2 === 0 ? 0 : half;
    const offset = base + Math.floor(random() * half);
    const current = text[offset];
    if (!/[a-z]/.test(current ?? '')) continue;
    edits.push({ offset, text: current === 'x' ? 'y' : 'x' });
  }
  return edits;
}

export function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.offset) + edit.text + text.slice(edit.offset + 1);
}

const tenths = (ms: number) => Math.round(ms * 10) / 10;

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface LatencyResult {
  lines: number;
  kb: number;
  edits: number;
  /** First analysis in this process (the workspace scan's): includes loading the tree-sitter WASM runtime and grammar. */
  coldMs: number;
  /** The analysis when the document opens (after the workspace scan analysed it from disk). */
  openMs: number;
  /** Edits after which the file no longer parses cleanly (they make the slow tail). */
  editsWithParseError: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** CPU time (user + system, this process) per edit: less sensitive than wall time to a loaded machine. */
  cpuP50Ms: number;
  /** CPU time per edit at the 95th percentile: the slow tail without the waits of a loaded machine. */
  cpuP95Ms: number;
  cpuMeanMs: number;
  references: number;
  findings: number;
  /** Incremental runs: how the edits were re-scanned. */
  scans?: IncrementalCounts;
  /** The slowest edits (the tail), each with how it was re-scanned (incremental runs) and where. */
  slowest: Timed[];
}

/** One edit's time: wall and CPU, the garbage collections' share of it, how it was re-scanned and where. */
export interface Timed {
  ms: number;
  cpuMs: number;
  gcMs: number;
  kind: string;
  offset: number;
}

/** How an edit was re-scanned: the counters that moved (a fallback's reason in brackets). */
function scanKind(before: IncrementalCounts, after: IncrementalCounts): string {
  const kinds = (['full', 'outsideKept', 'statements', 'brokenStatements', 'scannedWhole'] as const).filter((k) => after[k] !== before[k]);
  const reasons = Object.keys(after.fallbacks).filter((reason) => after.fallbacks[reason] !== before.fallbacks[reason]);
  return [...kinds, ...reasons.map((reason) => `[${reason}]`)].join(' ');
}

/**
 * `incremental`: as in the language server's analysis workers, recent trees and references
 * are kept: each edited version is parsed incrementally from the previous one's tree, and
 * only the statements an edit touched are re-read when the rest cannot feel it.
 *
 * Before the edits, the file goes through what the language server does with it before the
 * first keystroke, in the worker that then takes the edits (server/lsp/analysis-worker.ts):
 * the workspace scan analyses it as a file from disk (no edit state; the worker drops its
 * tree), then the editor opens it and it is analysed in full as a document. Both are untimed
 * for the edits (coldMs and openMs report them); they warm the same code the server's have.
 */
export async function measureLatency(text: string, editCount = 50, seed = 7, incremental = false): Promise<LatencyResult> {
  const trees = keepSyntaxTrees(incremental ? 4 : 0);
  const edits = incremental ? new IncrementalScans() : undefined;
  const context: AnalysisContext = { relativePath: 'bench_5000.py', settings: emptySettings(), localCommit: () => undefined, edits };
  const coldStart = performance.now();
  await analyzeText(text, { ...context, edits: undefined });
  const coldMs = performance.now() - coldStart;
  trees?.take(text)?.delete();
  const openStart = performance.now();
  const first = await analyzeText(text, context);
  const openMs = performance.now() - openStart;

  const times: number[] = [];
  const cpuTimes: number[] = [];
  const edited: string[] = [];
  const each: Timed[] = [];
  // Garbage collections during the edits, put against the edit they fell in (is the tail theirs?).
  const collections: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const windows: [number, number][] = [];
  for (const edit of plannedEdits(text, editCount, seed)) {
    const current = applyEdit(text, edit);
    const counts = edits && structuredClone(edits.counts);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await analyzeText(current, context);
    times.push(performance.now() - started);
    windows.push([started, started + times[times.length - 1]]);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    edited.push(current);
    each.push({ ms: tenths(times[times.length - 1]), cpuMs: tenths(cpuTimes[cpuTimes.length - 1]), gcMs: 0, kind: counts ? scanKind(counts, edits.counts) : 'fresh', offset: edit.offset });
  }
  // The observer hears of collections a little later.
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  for (const gc of collections) {
    const at = windows.findIndex(([from, to]) => gc.startTime < to && gc.startTime + gc.duration > from);
    if (at >= 0) each[at].gcMs = tenths(each[at].gcMs + gc.duration);
  }
  keepSyntaxTrees(0);
  // Counted after timing, with a parser of its own.
  const parser = await createParser('python');
  const editsWithParseError = edited.filter((current) => {
    const tree = parser.parse(current);
    const broken = tree?.rootNode.hasError ?? true;
    tree?.delete();
    return broken;
  }).length;
  parser.delete();
  return {
    lines: text.split('\n').length - 1,
    kb: Buffer.byteLength(text) / 1e3,
    edits: times.length,
    coldMs,
    openMs,
    editsWithParseError,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    maxMs: Math.max(...times),
    cpuP50Ms: percentile(cpuTimes, 50),
    cpuP95Ms: percentile(cpuTimes, 95),
    cpuMeanMs: cpuTimes.reduce((a, b) => a + b, 0) / cpuTimes.length,
    references: first.references.length,
    findings: first.findings.length,
    ...(edits ? { scans: structuredClone(edits.counts) } : {}),
    slowest: each.sort((a, b) => b.ms - a.ms).slice(0, 5),
  };
}
