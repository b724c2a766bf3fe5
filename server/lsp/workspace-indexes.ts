// The language server's workspace indexes, one per workspace folder (FolderIndex), and what
// keeps them current: the class pass over the folder's Python files, what each analysis
// learns (wrappers and wrapper calls), watched-file events, and the re-analyses a change calls
// for (open documents naming a changed wrapper, files whose calls went through it, the file
// defining a wrapper whose call sites changed). Wrapper references covered by their call
// sites are dropped here, as the CLI drops them after its scan.
import { join, sep } from 'node:path';
import type { RuleSettings } from '../config/settings';
import { readRegularFile } from '../core/read-regular-file';
import { listSourceFiles, MAX_FILE_BYTES, toRelative } from '../engine/workspace';
import { fileKindOf } from '../scan/file-kinds';
import { coveredByCallSites, mentionsWorkspaceLoader, namesWrapper } from '../scan/workspace-symbols';
import type { AnalysisOutcome } from './analysis-messages';
import type { IndexSource } from './analysis-pool';
import type { AnalyzerResult } from './document-analyses';
import { FolderIndex, wrappersNamedIn, type IndexChange } from './workspace-index';

export interface IndexHost {
  /** Analyses a closed file only for what it adds to the index (no diagnostics, no entry). */
  learnOnly(root: string, file: string, rules: RuleSettings): Promise<AnalysisOutcome | undefined>;
  /** Open documents of the folder: uri, version and text. */
  openDocuments(root: string): { uri: string; version: number; text: string }[];
  /** Files with an analysis kept (closed ones included): uri, path, and where their references' ids come from. */
  analysedFiles(root: string): { uri: string; file: string; open: boolean; references: { idSource?: string; receiver?: string }[] }[];
  /** True when the file has an analysis kept (open or closed). */
  isAnalysed(file: string): string | undefined;
  /** Analyses again: an open document from its text, a closed file from disk; resolves once that file's analyses are done. */
  reanalyze(uri: string): Promise<unknown>;
  /** True while a workspace scan runs (it learns every file itself). */
  scanning(): boolean;
}

interface FolderState {
  index: FolderIndex;
  rules: RuleSettings;
  /** The class pass; analyses wait for it only through the index version. */
  classes: Promise<void>;
  learning?: Promise<void>;
}

/** During a workspace scan, a worker's copy of the index is renewed at most this often. */
const SCAN_INDEX_RESEND_MS = 2_000;

/** Re-analyses asked for by changes within this long are done together. */
const REANALYZE_DELAY_MS = 50;

/** Rounds of re-analyses (each may ask for more: a call site found covers a wrapper) a scan waits for at most. */
const SETTLE_ROUNDS = 10;

export class WorkspaceIndexes {
  private readonly folders = new Map<string, FolderState>();
  private readonly pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  /** Re-analyses asked for by the index and not yet done. */
  private readonly reanalysing = new Set<Promise<unknown>>();

  constructor(private readonly host: IndexHost) {}

  /** The folder's index as the analysis pool sends it to workers. */
  forWorkers(root: string): IndexSource | undefined {
    const index = this.folders.get(root)?.index;
    // While a scan learns the folder, its index changes with nearly every file defining a wrapper:
    // posting it to the workers each time cost more than the re-analyses complete() does.
    const resendAfterMs = this.host.scanning() && !index?.complete ? SCAN_INDEX_RESEND_MS : undefined;
    return index && { version: index.version, symbols: () => index.forWorkers(), resendAfterMs };
  }

  /** The folder's index, started on first use: its classes are read from disk in the background. */
  folder(root: string, rules: RuleSettings): FolderState {
    let state = this.folders.get(root);
    if (!state) {
      const index = new FolderIndex();
      state = { index, rules, classes: readClasses(root, rules, index) };
      this.folders.set(root, state);
    }
    return state;
  }

  /** Waits for the class pass (a workspace scan starts with it, as the CLI does). */
  async classesRead(root: string, rules: RuleSettings): Promise<void> {
    await this.folder(root, rules).classes;
  }

  /**
   * Without a workspace scan, the wrappers are learnt once, lazily: every Python file that may
   * load a model and defines a function is analysed for the index only.
   */
  learnLazily(root: string, rules: RuleSettings): void {
    const state = this.folder(root, rules);
    if (state.index.complete || state.learning || this.host.scanning()) return;
    state.learning = (async () => {
      await state.classes;
      for (const file of await listSourceFiles(root, rules).catch(() => [] as string[])) {
        // A workspace scan that started meanwhile learns every file itself.
        if (state.index.complete || this.host.scanning()) return;
        if (!file.toLowerCase().endsWith('.py') || !mayDefineWrapper(file)) continue;
        const outcome = await this.host.learnOnly(root, file, rules);
        if (outcome) this.absorb(root, toRelative(root, file), outcome, 'result' in outcome ? outcome.result.text : undefined);
      }
      this.complete(root);
    })()
      .catch(() => undefined)
      .finally(() => (state.learning = undefined));
  }

  /** Every file has been analysed once (a workspace scan ended): files naming a wrapper found late are analysed again. */
  complete(root: string): void {
    const state = this.folders.get(root);
    if (!state || state.index.complete) return;
    state.index.complete = true;
    const symbols = state.index.symbols();
    for (const doc of this.host.openDocuments(root)) if (mentionsWorkspaceLoader(doc.text, symbols)) this.later(doc.uri);
    // A file's own wrappers were known to its analysis (analysis-worker.ts): only calls to other files' count.
    if (symbols.wrappers.size) this.sweepClosed(root, (text, relativePath) => namesWrapper(text, wrappersNamedIn(symbols, text, relativePath)));
  }

  /**
   * What an analysis learnt about the file, taken into its folder's index; the result without
   * the wrapper's own reference when its call sites cover it.
   */
  absorb(root: string, relativePath: string, outcome: AnalysisOutcome, text: string | undefined, source?: string): void {
    const state = this.folders.get(root);
    if (!state || !outcome.symbols) return;
    const skeleton = outcome.textLeftOut?.skeleton;
    const classes =
      skeleton !== undefined ? state.index.setSkeleton(relativePath, skeleton)
      : text !== undefined && !outcome.textLeftOut ? state.index.setText(relativePath, text)
      : { classes: new Set<string>(), gone: new Set<string>() };
    const learnt = state.index.learn(relativePath, outcome.symbols);
    this.changed(root, { ...learnt, classes: classes.classes, gone: new Set([...learnt.gone, ...classes.gone]) }, source);
  }

  /** The result without the references its folder's call sites cover (docs/loaders.md). */
  withoutCovered(root: string, relativePath: string, result: AnalyzerResult): AnalyzerResult {
    const index = this.folders.get(root)?.index;
    if (!index) return result;
    const symbols = index.symbols();
    if (!symbols.wrappers.size) return result;
    const covered = new Set(result.references.filter((r) => coveredByCallSites(symbols, relativePath, r)));
    if (!covered.size) return result;
    return { ...result, references: result.references.filter((r) => !covered.has(r)), findings: result.findings.filter((f) => !covered.has(f.reference)) };
  }

  /** A Python file changed on disk while closed, or appeared: what it adds is learnt again. */
  async fileChanged(root: string, file: string): Promise<void> {
    const state = this.folders.get(root);
    if (!state) return;
    const outcome = await this.host.learnOnly(root, file, state.rules);
    if (outcome) this.absorb(root, toRelative(root, file), outcome, 'result' in outcome ? outcome.result.text : undefined);
  }

  /** A file deleted: what it added leaves the index. */
  fileDeleted(root: string, file: string): void {
    const state = this.folders.get(root);
    if (state) this.changed(root, state.index.remove(toRelative(root, file)));
  }

  /** Folders no longer in the workspace, or whose settings changed: their indexes are rebuilt when next needed. */
  clear(): void {
    this.folders.clear();
  }

  private changed(root: string, change: IndexChange, source?: string): void {
    const state = this.folders.get(root)!;
    for (const relativePath of change.coverage) {
      const known = this.host.isAnalysed(join(root, ...relativePath.split('/')));
      if (known && known !== source) this.later(known);
    }
    const names = [...change.wrappers, ...change.classes];
    if (!names.length) return;
    const mentions = (text: string) => names.some((name) => new RegExp(`\\b${name}\\b`).test(text));
    for (const doc of this.host.openDocuments(root)) if (doc.uri !== source && mentions(doc.text)) this.later(doc.uri);
    // Closed files: those whose loads went through a changed wrapper or class, and (once the
    // whole workspace has been seen) those that name one now.
    if (change.gone.size) {
      const via = [...change.gone].map((name) => `passed to ${name}() (`);
      const through = (r: { idSource?: string; receiver?: string }) => (r.receiver !== undefined && change.gone.has(r.receiver)) || via.some((v) => r.idSource?.includes(v));
      for (const f of this.host.analysedFiles(root)) if (!f.open && f.uri !== source && f.references.some(through)) this.later(f.uri);
    }
    if (state.index.complete && !this.host.scanning()) {
      const symbols = state.index.symbols();
      this.sweepClosed(root, (text) => mentions(text) && mentionsWorkspaceLoader(text, wrappersNamedIn(symbols, text)), source);
    }
  }

  /** Closed analysed files that `wanted` picks (read again from disk), analysed again. */
  private sweepClosed(root: string, wanted: (text: string, relativePath: string) => boolean, source?: string): void {
    for (const f of this.host.analysedFiles(root)) {
      if (f.open || f.uri === source) continue;
      try {
        const text = readRegularFile(f.file, MAX_FILE_BYTES);
        if (wanted(text, toRelative(root, f.file))) this.later(f.uri);
      } catch {
        // gone or unreadable: its next analysis says so
      }
    }
  }

  /**
   * Resolves once no re-analysis the index asked for is waiting or running, those they ask for
   * in turn included: what the workspace scan reports is then what its files' analyses settle on,
   * whatever order their results came in (a wrapper's own reference is covered only once the
   * files calling it were analysed with the wrapper known).
   */
  async settled(): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.reanalyzePending();
      }
      if (!this.reanalysing.size) return;
      await Promise.all(this.reanalysing);
    }
  }

  private later(uri: string): void {
    this.pending.add(uri);
    this.timer ??= setTimeout(() => this.reanalyzePending(), REANALYZE_DELAY_MS);
  }

  private reanalyzePending(): void {
    this.timer = undefined;
    const uris = [...this.pending];
    this.pending.clear();
    for (const uri of uris) {
      const run: Promise<unknown> = this.host.reanalyze(uri).catch(() => undefined).finally(() => this.reanalysing.delete(run));
      this.reanalysing.add(run);
    }
  }
}

/** The class pass: every Python file's class headers and save folders, one file in memory at a time. */
async function readClasses(root: string, rules: RuleSettings, index: FolderIndex): Promise<void> {
  let files: string[];
  try {
    files = await listSourceFiles(root, rules);
  } catch {
    return;
  }
  for (const [i, file] of files.entries()) {
    if (!file.toLowerCase().endsWith('.py')) continue;
    try {
      index.readText(toRelative(root, file) || file.split(sep).pop()!, readRegularFile(file, MAX_FILE_BYTES));
    } catch {
      // unreadable: its analysis notes why
    }
    // Let requests in between files.
    if (i % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A Python file that might wrap a loader: it mentions one and defines a function (read from disk). */
function mayDefineWrapper(file: string): boolean {
  try {
    const text = readRegularFile(file, MAX_FILE_BYTES);
    return /^[ \t]*(?:async[ \t]+)?def[ \t]/m.test(text) && (fileKindOf(file)?.mightContainLoads?.(text) ?? true);
  } catch {
    return false;
  }
}
