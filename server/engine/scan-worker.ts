// A worker thread of a workspace scan: finds the references of one file at a time with the
// scanner for its kind; the scan's own thread keeps the order, Hub facts and rules.
import { parentPort } from 'node:worker_threads';
import { fileKindOf } from '../scan/file-kinds';
import type { ScanJob, ScanOutcome, ScanWorkerMessage } from './parallel-scan';
import { localPathChecker } from './local-paths';

/** The references of one file, or why it could not be scanned; shared with the calling thread. */
export async function scanJob(job: ScanJob): Promise<ScanOutcome> {
  try {
    // A path no scanner claims is read as Python (as analyzeText does).
    const kind = fileKindOf(job.relativePath) ?? fileKindOf('.py')!;
    return { references: await kind.scan(job.text, { isLocalPath: localPathChecker(job.root, job.file), plainParse: job.plainParse }) };
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
