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
import { symbolSkeleton, type SymbolsLearnt, type WorkspaceSymbols, type WrapperSpec } from '../scan/workspace-symbols';
import { IncrementalScans } from '../scan/incremental-scan';

/** Trees kept per worker: a few documents being edited at once. */
const EDITED_TREES_KEPT = 4;

/** Runs one request through the engine; shared with the in-thread fallback. */
export async function runAnalysis(request: AnalysisRequest, facts: FactsProvider | undefined, index?: WorkspaceSymbols, edits?: IncrementalScans, views?: OwnViews): Promise<AnalysisOutcome> {
  let skipped = 'skipped';
  const relativePath = toRelative(request.root, request.file) || request.file.split(/[\\/]/).pop()!;
  const analyse = (workspace: WorkspaceSymbols | undefined, text = request.text) =>
    analyzeFile(
      request.root,
      request.file,
      { settings: request.settings, localCommit: (modelId) => findLocalCommit(modelId), facts: request.symbolsOnly ? undefined : facts, surface: 'editor', project: request.project, edits, onSkip: (_, reason) => (skipped = reason), workspace },
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
  let own = views ? views.view(index, named, relativePath) : ownView(named, relativePath, []);
  let result = await analyse(own, text);
  let learnt = learntBy(own, relativePath);
  if (result && learnt.wrappers.length && callsOwnWrapper(result.text, learnt.wrappers)) {
    own = ownView(named, relativePath, learnt.wrappers);
    views?.forget(relativePath);
    result = (await analyse(own, result.text)) ?? result;
    learnt = learntBy(own, relativePath);
  }
  views?.learnt(relativePath, learnt.wrappers.length);
  return result ? { result, symbols: learnt } : { skipped, symbols: learnt };
}

/**
 * The index view of each edited document, kept while nothing it holds changed: an edit re-reads
 * only the statements it touched only when it sees the very same index object as the last
 * analysis (incremental-scan.ts). Kept only for files that define no wrapper themselves: a
 * statement left unread would not note its wrapper into a reused view.
 */
export class OwnViews {
  private readonly views = new Map<string, { index: WorkspaceSymbols; names: string; view: WorkspaceSymbols; definesWrappers: boolean }>();

  view(index: WorkspaceSymbols, named: WorkspaceSymbols, relativePath: string): WorkspaceSymbols {
    const names = [...named.wrappers.keys()].sort().join('\0');
    const kept = this.views.get(relativePath);
    if (kept && kept.index === index && kept.names === names && !kept.definesWrappers) {
      // Same content as last time: the scan's notes (wrappers, call sites) start empty again.
      const fresh = ownView(named, relativePath, []);
      kept.view.wrappers.clear();
      for (const [name, specs] of fresh.wrappers) kept.view.wrappers.set(name, specs);
      kept.view.resolvedCalls.clear();
      kept.view.unresolvedCalls.clear();
      return kept.view;
    }
    const view = ownView(named, relativePath, []);
    this.views.set(relativePath, { index, names, view, definesWrappers: true });
    if (this.views.size > 16) this.views.delete(this.views.keys().next().value!);
    return view;
  }

  /** After the scan: how many wrappers the file defines (a view is reused only when none). */
  learnt(relativePath: string, wrappers: number): void {
    const kept = this.views.get(relativePath);
    if (kept) kept.definesWrappers = wrappers > 0;
  }

  forget(relativePath: string): void {
    this.views.delete(relativePath);
  }
}

/**
 * A file from disk with no reference has nothing the server would place in its lines: its text
 * (half of a workspace scan's text) is not copied to the server, only its length and skeleton.
 */
function leaveTextOut(outcome: AnalysisOutcome, file: string): AnalysisOutcome {
  if (!('result' in outcome) || outcome.result.references.length || outcome.result.findings.length) return outcome;
  const text = outcome.result.text;
  const skeleton = file.toLowerCase().endsWith('.py') ? symbolSkeleton(text) : undefined;
  return { ...outcome, result: { ...outcome.result, text: '' }, textLeftOut: { chars: text.length, ...(skeleton !== undefined ? { skeleton } : {}) } };
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
  // ... and their last references, so that an edit re-reads only the statements it touched.
  const edits = new IncrementalScans(EDITED_TREES_KEPT);
  const views = new OwnViews();
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
    // The server may queue a second file behind the running one: one analysis at a time, in order
    // (the index a message sets applies to the analyses posted after it).
    const index = indexes.get(message.request.root);
    running = running.then(() => analyse(message.job, message.request, index));
  });
  let running: Promise<void> = Promise.resolve();
  const analyse = (job: number, request: AnalysisRequest, index: WorkspaceSymbols | undefined) => {
    // Files read from disk are not being edited: only open documents keep their last analyses.
    const edited = request.text !== undefined;
    return runAnalysis(request, facts, index, edited ? edits : undefined, edited ? views : undefined).then(
      (outcome) => {
        // A file read from disk is not being edited: its tree would only hold WASM memory.
        if (request.text === undefined && 'result' in outcome) trees?.take(outcome.result.text)?.delete();
        send({ type: 'done', job, outcome: request.text === undefined ? leaveTextOut(outcome, request.file) : outcome });
      },
      (error: Error) => send({ type: 'failed', job, message: error?.message ?? String(error) }),
    );
  };
}
