// A worker thread of a workspace scan: finds the references of one file at a time with the
// scanner for its kind; the scan's own thread keeps the order, Hub facts and rules.
import type { MessagePort } from 'node:worker_threads';
import { scanText } from './analyze';
import { mergeSymbols, type SymbolsLearnt, type WorkspaceSymbols, type WrapperSpec } from '../scan/workspace-symbols';
import { ScanPool, type NamesRequest, type ScanJob, type ScanOutcome, type ScanRequest, type ScanWorkerMessage } from './parallel-scan';
import { namesInFiles } from './names-in-files';
import { LocalPaths, localPathChecker } from './local-paths';
import { preloadGrammar } from '../scan/tree-sitter';


/**
 * The references of one file, or why it could not be scanned; shared with the calling thread.
 * `localPaths`: what this scan already looked up on disk (one per scan, never kept longer).
 */
export async function scanJob(job: ScanJob, localPaths?: LocalPaths): Promise<ScanOutcome> {
  try {
    // On a worker the index is a copy: what the scan notes in it goes back with the references.
    const workspace = job.workspace;
    const before = workspace && snapshot(workspace, job.relativePath);
    const { references } = await scanText(job.text, { relativePath: job.relativePath, isLocalPath: localPaths ? localPaths.checker(job.root, job.file) : localPathChecker(job.root, job.file), plainParse: job.plainParse, workspace });
    return { references, ...(workspace && before ? { symbols: learntSince(before, workspace, job.relativePath) } : {}) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * What a scan can add to the index, before it runs: it adds wrappers of its own file only, and
 * call-site keys to sets that only grow (in insertion order). Cheap for a big index.
 */
interface Snapshot {
  /** Keys of the file's own wrappers (without a RecordingWrappers map to tell what changed). */
  ownWrapperKeys?: Set<string>;
  resolved: number;
  unresolved: number;
}

/**
 * A worker's wrapper map: notes the names set since `reset` and what they held before, so what a
 * scan learnt is read from those names instead of from every wrapper of the workspace (a walk per
 * file costs files times wrappers). Scans add a wrapper by setting its name to a new list.
 */
export class RecordingWrappers extends Map<string, WrapperSpec[]> {
  /** Names set since `reset`, with the list each held before. */
  changed = new Map<string, WrapperSpec[] | undefined>();

  static of(wrappers: Map<string, WrapperSpec[]>): RecordingWrappers {
    const recording = new RecordingWrappers();
    for (const [name, specs] of wrappers) recording.set(name, specs);
    recording.reset();
    return recording;
  }

  override set(name: string, specs: WrapperSpec[]): this {
    // Map's constructor sets entries before this class's fields exist.
    if (this.changed && !this.changed.has(name)) this.changed.set(name, super.get(name));
    return super.set(name, specs);
  }

  reset(): void {
    this.changed.clear();
  }
}

function snapshot(workspace: WorkspaceSymbols, file: string): Snapshot {
  const counts = { resolved: workspace.resolvedCalls.size, unresolved: workspace.unresolvedCalls.size };
  if (workspace.wrappers instanceof RecordingWrappers) {
    workspace.wrappers.reset();
    return counts;
  }
  const ownWrapperKeys = new Set<string>();
  for (const specs of workspace.wrappers.values()) for (const spec of specs) if (spec.file === file) ownWrapperKeys.add(spec.key);
  return { ownWrapperKeys, ...counts };
}

function learntSince(before: Snapshot, workspace: WorkspaceSymbols, file: string): SymbolsLearnt {
  const wrappers: WrapperSpec[] = [];
  const added = (set: Set<string>, size: number) => (set.size > size ? [...set].slice(size) : []);
  const map = workspace.wrappers;
  if (map instanceof RecordingWrappers) {
    const { changed } = map;
    // In the map's order, as a walk over every wrapper gives them (one name changed needs no walk).
    const names = changed.size <= 1 ? changed.keys() : [...map.keys()].filter((name) => changed.has(name));
    for (const name of names) {
      const previous = changed.get(name);
      for (const spec of map.get(name) ?? []) if (spec.file === file && !previous?.some((p) => p.key === spec.key)) wrappers.push(spec);
    }
  } else {
    for (const specs of map.values()) for (const spec of specs) if (spec.file === file && !before.ownWrapperKeys!.has(spec.key)) wrappers.push(spec);
  }
  return { wrappers, resolvedCalls: added(workspace.resolvedCalls, before.resolved), unresolvedCalls: added(workspace.unresolvedCalls, before.unresolved) };
}

/**
 * Answers the scan jobs the pool sends on `port`. `warm` is called once, after CACHE_AFTER_JOBS
 * scans or when no other job is waiting, whichever comes first: the bundle's starter writes
 * its code cache then, with the functions a scan compiles in it.
 */
export function serveScanJobs(port: MessagePort, warm?: () => void): void {
  // Python is most of what a scan parses: its runtime and grammar load while the first file is on its way.
  // A failure here is met again, and reported, by the first scan that needs the grammar.
  void preloadGrammar('python').catch(() => undefined);
  // This worker's copy of the workspace index: sent once, then only what other scans learnt.
  let workspace: WorkspaceSymbols | undefined;
  // A worker lives for one scan (its pool's): folders looked up on disk are remembered for that scan.
  const localPaths = new LocalPaths();
  // Jobs queue up here (the pool sends the next before this one is done): one at a time, in
  // order, so each scan sees the index as the pool meant it and what it learnt is its own.
  let queue: Promise<void> = Promise.resolve();
  let answered = 0;
  let received = 0;
  const run = async (message: ScanRequest) => {
    // The copy's wrapper map records what each scan sets (see learntSince).
    if (message.workspace) workspace = { ...message.workspace, wrappers: RecordingWrappers.of(message.workspace.wrappers) };
    if (message.learnt && workspace) mergeSymbols(workspace, message.learnt);
    const text = ScanPool.textOf(message);
    const job: ScanJob = message.indexed && workspace ? { ...message.job, text, workspace } : { ...message.job, text };
    const outcome = await scanJob(job, localPaths);
    answered++;
    // Before the answer: the pool may end this worker as soon as it has every answer, and a
    // terminated worker would leave half a file. Once, after enough scans or the last one sent.
    if (warm && (answered >= CACHE_AFTER_JOBS || answered === received)) {
      const once = warm;
      warm = undefined;
      once();
    }
    port.postMessage({ id: message.id, outcome } satisfies ScanWorkerMessage);
  };
  port.on('message', (message: ScanRequest | NamesRequest) => {
    if ('searchNames' in message) {
      // After the jobs sent before it; a failure answers "search yourself".
      const { files, maxBytes, names } = message.searchNames;
      const answer = (found: Uint8Array | undefined) => port.postMessage({ id: message.id, found } satisfies ScanWorkerMessage);
      queue = queue.then(() => answer(namesInFiles(files, maxBytes, names))).catch(() => answer(undefined));
      return;
    }
    received++;
    // A failure outside the scan (scanJob itself never throws) answers this job and spares the next.
    queue = queue.then(() => run(message)).catch((error: unknown) => port.postMessage({ id: message.id, outcome: { error: error instanceof Error ? error.message : String(error) } } satisfies ScanWorkerMessage));
  });
}

/** Scans a worker answers before its starter writes the code cache (see serveScanJobs). */
const CACHE_AFTER_JOBS = 24;

// Run as a worker's main module (the compiled tests): serve at once. The bundle is started by
// dist/scan-worker.js instead (scan-worker-start.ts), which calls serveScanJobs itself; on the
// CLI's own thread node:worker_threads is not loaded for nothing.
if (require.main === module) {
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  if (parentPort) serveScanJobs(parentPort);
}
