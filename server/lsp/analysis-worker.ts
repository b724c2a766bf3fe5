// A worker thread that analyses one file at a time with the engine the CLI uses, so a
// big file never holds up the server's other requests. Hub facts come from the server's
// thread (which owns the Hub client and its memo), asked for by message; the workspace
// index of each folder is sent by the server when it changes.
import { parentPort } from 'node:worker_threads';
import type { FactsProvider, ModelFacts } from '../core/model-facts';
import { analyzeFile, maxBytesFor, toRelative } from '../engine/workspace';
import { readRegularFile } from '../core/read-regular-file';
import { wrappersNamedIn } from './workspace-index';
import { findLocalCommit } from '../hub/local-cache';
import type { AnalysisOutcome, AnalysisRequest, FromWorker, ToWorker } from './analysis-messages';
import { keepSyntaxTrees } from '../scan/python';
import type { SymbolsLearnt, WorkspaceSymbols, WrapperSpec } from '../scan/workspace-symbols';

/** Trees kept per worker: a few documents being edited at once. */
const EDITED_TREES_KEPT = 4;

/** Runs one request through the engine; shared with the in-thread fallback. */
export async function runAnalysis(request: AnalysisRequest, facts: FactsProvider | undefined, index?: WorkspaceSymbols): Promise<AnalysisOutcome> {
  let skipped = 'skipped';
  const relativePath = toRelative(request.root, request.file) || request.file.split(/[\\/]/).pop()!;
  const analyse = (workspace: WorkspaceSymbols | undefined, text = request.text) =>
    analyzeFile(
      request.root,
      request.file,
      { settings: request.settings, localCommit: (modelId) => findLocalCommit(modelId), facts: request.symbolsOnly ? undefined : facts, surface: 'editor', project: request.project, onSkip: (_, reason) => (skipped = reason), workspace },
      text,
    );
  if (!index) {
    const result = await analyse(undefined);
    return result ? { result } : { skipped };
  }
  // The file's own wrappers are learnt afresh (they may have changed); when it calls one of
  // them, a second pass resolves those calls (as the CLI's second pass does). The scan is
  // given only the wrappers the text names (read here first: a file on disk).
  const text = request.text ?? readQuietly(request.file);
  const named = text === undefined ? index : wrappersNamedIn(index, text);
  let own = ownView(named, relativePath, []);
  let result = await analyse(own, text);
  let learnt = learntBy(own, relativePath);
  if (result && learnt.wrappers.length && callsOwnWrapper(result.text, learnt.wrappers)) {
    own = ownView(named, relativePath, learnt.wrappers);
    result = (await analyse(own, result.text)) ?? result;
    learnt = learntBy(own, relativePath);
  }
  return result ? { result, symbols: learnt } : { skipped, symbols: learnt };
}

/** A file's text, or undefined when it cannot be read (analyzeFile then says why). */
function readQuietly(file: string): string | undefined {
  try {
    return readRegularFile(file, maxBytesFor(file));
  } catch {
    return undefined;
  }
}

/** The index as this file's scan should see it: the other files' wrappers (plus `ownWrappers`), no call sites yet. */
function ownView(index: WorkspaceSymbols, relativePath: string, ownWrappers: WrapperSpec[]): WorkspaceSymbols {
  const wrappers = new Map<string, WrapperSpec[]>();
  for (const spec of [...[...index.wrappers.values()].flat().filter((w) => w.file !== relativePath), ...ownWrappers]) wrappers.set(spec.name, [...(wrappers.get(spec.name) ?? []), spec]);
  return { hubClasses: index.hubClasses, savedFolders: index.savedFolders, wrappers, resolvedCalls: new Set(), unresolvedCalls: new Set() };
}

/** What the scan noted about this file: the wrappers it defines and the wrapper calls it makes. */
function learntBy(view: WorkspaceSymbols, relativePath: string): SymbolsLearnt {
  return { wrappers: [...view.wrappers.values()].flat().filter((w) => w.file === relativePath), resolvedCalls: [...view.resolvedCalls], unresolvedCalls: [...view.unresolvedCalls] };
}

/** True when the text calls one of these functions somewhere other than in its `def`. */
function callsOwnWrapper(text: string, wrappers: WrapperSpec[]): boolean {
  return wrappers.some((w) => new RegExp(`(?<!\\bdef\\s+)\\b${w.name}\\s*\\(`).test(text));
}

if (parentPort) {
  const port = parentPort;
  // Documents are re-analysed as users type: keep their trees so the next version parses incrementally.
  const trees = keepSyntaxTrees(EDITED_TREES_KEPT);
  const calls = new Map<number, (facts: ModelFacts | undefined) => void>();
  const indexes = new Map<string, WorkspaceSymbols>();
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
    if (message.type === 'workspace') {
      indexes.set(message.root, message.symbols);
      return;
    }
    runAnalysis(message.request, facts, indexes.get(message.request.root)).then(
      (outcome) => {
        // A file read from disk is not being edited: its tree would only hold WASM memory.
        if (message.request.text === undefined && 'result' in outcome) trees?.take(outcome.result.text)?.delete();
        send({ type: 'done', job: message.job, outcome });
      },
      (error: Error) => send({ type: 'failed', job: message.job, message: error?.message ?? String(error) }),
    );
  });
}
