// A worker thread that analyses one file at a time with the engine the CLI uses, so a
// big file never holds up the server's other requests. Hub facts come from the server's
// thread (which owns the Hub client and its memo), asked for by message.
import { parentPort } from 'node:worker_threads';
import type { FactsProvider, ModelFacts } from '../core/model-facts';
import { analyzeFile } from '../engine/workspace';
import { findLocalCommit } from '../hub/local-cache';
import type { AnalysisOutcome, AnalysisRequest, FromWorker, ToWorker } from './analysis-messages';
import { keepSyntaxTrees } from '../scan/python';
import { IncrementalScans } from '../scan/incremental-scan';

/** Trees kept per worker: a few documents being edited at once. */
const EDITED_TREES_KEPT = 4;

/** Runs one request through the engine; shared with the in-thread fallback (which keeps no edits). */
export async function runAnalysis(request: AnalysisRequest, facts: FactsProvider | undefined, edits?: IncrementalScans): Promise<AnalysisOutcome> {
  let skipped = 'skipped';
  const result = await analyzeFile(
    request.root,
    request.file,
    { settings: request.settings, localCommit: (modelId) => findLocalCommit(modelId), facts, surface: 'editor', project: request.project, edits, onSkip: (_, reason) => (skipped = reason) },
    request.text,
  );
  return result ? { result } : { skipped };
}

if (parentPort) {
  const port = parentPort;
  // Documents are re-analysed as users type: keep their trees so the next version parses incrementally.
  keepSyntaxTrees(EDITED_TREES_KEPT);
  // ... and their last references, so that an edit re-reads only the statements it touched.
  const edits = new IncrementalScans(EDITED_TREES_KEPT);
  const calls = new Map<number, (facts: ModelFacts | undefined) => void>();
  let nextCall = 0;
  const send = (message: FromWorker) => port.postMessage(message);
  const facts: FactsProvider = {
    get: (modelId, revision) =>
      new Promise((resolve) => {
        const call = nextCall++;
        calls.set(call, resolve);
        send({ type: 'facts', call, modelId, revision });
      }),
  };
  port.on('message', (message: ToWorker) => {
    if (message.type === 'facts') {
      calls.get(message.call)?.(message.facts);
      calls.delete(message.call);
      return;
    }
    runAnalysis(message.request, facts, edits).then(
      (outcome) => send({ type: 'done', job: message.job, outcome }),
      (error: Error) => send({ type: 'failed', job: message.job, message: error?.message ?? String(error) }),
    );
  });
}
