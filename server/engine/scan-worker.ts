// A worker thread of a workspace scan: finds the references of one file at a time with the
// scanner for its kind; the scan's own thread keeps the order, Hub facts and rules.
import { parentPort } from 'node:worker_threads';
import { scanText } from './analyze';
import { symbolsLearnt } from '../scan/workspace-symbols';
import type { ScanJob, ScanOutcome, ScanWorkerMessage } from './parallel-scan';
import { localPathChecker } from './local-paths';

/** The references of one file, or why it could not be scanned; shared with the calling thread. */
export async function scanJob(job: ScanJob): Promise<ScanOutcome> {
  try {
    // On a worker the index is a copy: what the scan notes in it goes back with the references.
    const workspace = job.workspace;
    const before = workspace && { wrapperKeys: new Set([...workspace.wrappers.values()].flat().map((w) => w.key)), resolved: new Set(workspace.resolvedCalls), unresolved: new Set(workspace.unresolvedCalls) };
    const { references } = await scanText(job.text, { relativePath: job.relativePath, isLocalPath: localPathChecker(job.root, job.file), plainParse: job.plainParse, workspace });
    return { references, ...(workspace && before ? { symbols: symbolsLearnt(before, workspace) } : {}) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (message: { id: number; job: ScanJob }) => {
    void scanJob(message.job).then((outcome) => port.postMessage({ id: message.id, outcome } satisfies ScanWorkerMessage));
  });
}
