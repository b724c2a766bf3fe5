// A worker thread of a workspace scan: finds the references of one file at a time with the
// scanner for its kind; the scan's own thread keeps the order, Hub facts and rules.
import type { MessagePort } from 'node:worker_threads';
import { scanText } from './analyze';
import { mergeSymbols, type SymbolsLearnt, type WorkspaceSymbols, type WrapperSpec } from '../scan/workspace-symbols';
import { ScanPool, type ScanJob, type ScanOutcome, type ScanRequest, type ScanWorkerMessage } from './parallel-scan';
import { localPathChecker } from './local-paths';

// Only a worker thread runs this file as its main module: elsewhere (the CLI's own thread) node:worker_threads is not loaded for nothing.
const parentPort: MessagePort | null = require.main === module ? (require('node:worker_threads') as typeof import('node:worker_threads')).parentPort : null;

/** The references of one file, or why it could not be scanned; shared with the calling thread. */
export async function scanJob(job: ScanJob): Promise<ScanOutcome> {
  try {
    // On a worker the index is a copy: what the scan notes in it goes back with the references.
    const workspace = job.workspace;
    const before = workspace && snapshot(workspace, job.relativePath);
    const { references } = await scanText(job.text, { relativePath: job.relativePath, isLocalPath: localPathChecker(job.root, job.file), plainParse: job.plainParse, workspace });
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
  ownWrapperKeys: Set<string>;
  resolved: number;
  unresolved: number;
}

function snapshot(workspace: WorkspaceSymbols, file: string): Snapshot {
  const ownWrapperKeys = new Set<string>();
  for (const specs of workspace.wrappers.values()) for (const spec of specs) if (spec.file === file) ownWrapperKeys.add(spec.key);
  return { ownWrapperKeys, resolved: workspace.resolvedCalls.size, unresolved: workspace.unresolvedCalls.size };
}

function learntSince(before: Snapshot, workspace: WorkspaceSymbols, file: string): SymbolsLearnt {
  const wrappers: WrapperSpec[] = [];
  for (const specs of workspace.wrappers.values()) for (const spec of specs) if (spec.file === file && !before.ownWrapperKeys.has(spec.key)) wrappers.push(spec);
  const added = (set: Set<string>, size: number) => (set.size > size ? [...set].slice(size) : []);
  return { wrappers, resolvedCalls: added(workspace.resolvedCalls, before.resolved), unresolvedCalls: added(workspace.unresolvedCalls, before.unresolved) };
}

if (parentPort) {
  const port = parentPort;
  // This worker's copy of the workspace index: sent once, then only what other scans learnt.
  let workspace: WorkspaceSymbols | undefined;
  // Jobs queue up here (the pool sends the next before this one is done): one at a time, in
  // order, so each scan sees the index as the pool meant it and what it learnt is its own.
  let queue: Promise<void> = Promise.resolve();
  const run = async (message: ScanRequest) => {
    if (message.workspace) workspace = message.workspace;
    if (message.learnt && workspace) mergeSymbols(workspace, message.learnt);
    const text = ScanPool.textOf(message);
    const job: ScanJob = message.indexed && workspace ? { ...message.job, text, workspace } : { ...message.job, text };
    const outcome = await scanJob(job);
    port.postMessage({ id: message.id, outcome } satisfies ScanWorkerMessage);
  };
  port.on('message', (message: ScanRequest) => {
    // A failure outside the scan (scanJob itself never throws) answers this job and spares the next.
    queue = queue.then(() => run(message)).catch((error: unknown) => port.postMessage({ id: message.id, outcome: { error: error instanceof Error ? error.message : String(error) } } satisfies ScanWorkerMessage));
  });
}
