// The workspace symbol index of one workspace folder, kept by the language server for as long
// as it runs (the CLI builds one per scan: engine/workspace.ts). It holds what each file adds:
// the lines that name Hub model classes and saved folders, the wrappers the file defines and
// the wrapper calls it makes; so a changed file replaces only its own part, and what changed
// (which wrappers, which wrappers' call-site coverage) tells the server what to analyse again.
import { hubClassSymbols, mergeSymbols, symbolSkeleton, type SymbolsLearnt, type WorkspaceSymbols, type WrapperSpec } from '../scan/workspace-symbols';

interface FileSymbols {
  skeleton: string;
  wrappers: WrapperSpec[];
  resolved: string[];
  unresolved: string[];
}

export interface IndexChange {
  /** Names of wrappers that appeared, disappeared or now take their id differently. */
  wrappers: Set<string>;
  /** Files defining a wrapper whose call sites changed (their inner reference may now be covered, or not). */
  coverage: Set<string>;
  /** Names of Hub model classes that appeared or disappeared. */
  classes: Set<string>;
  /** Of those, the wrappers and classes that were known before (references may go through them). */
  gone: Set<string>;
}

export class FolderIndex {
  private readonly files = new Map<string, FileSymbols>();
  /** Files that define a wrapper or call one (the rest add only classes and save folders). */
  private readonly withWrappers = new Set<string>();
  /** Classes and save folders from every file's skeleton: rebuilt only when a skeleton changes. */
  private classes?: WorkspaceSymbols;
  private built?: WorkspaceSymbols;
  /** Bumped when what a worker's scan reads changed (wrappers, classes), so workers are sent the index only then. */
  version = 0;
  /** Every file that may define a wrapper has been analysed once. */
  complete = false;

  symbols(): WorkspaceSymbols {
    if (!this.built) {
      this.classes ??= hubClassSymbols([...this.files].filter(([, f]) => f.skeleton).map(([relativePath, f]) => ({ relativePath, text: f.skeleton })));
      const symbols: WorkspaceSymbols = { hubClasses: this.classes.hubClasses, savedFolders: this.classes.savedFolders, wrappers: new Map(), resolvedCalls: new Set(), unresolvedCalls: new Set() };
      for (const path of this.withWrappers) {
        const file = this.files.get(path)!;
        mergeSymbols(symbols, { wrappers: file.wrappers, resolvedCalls: file.resolved, unresolvedCalls: file.unresolved });
      }
      this.built = symbols;
    }
    return this.built;
  }

  /** What the workers need (their scans note call sites afresh): wrappers, classes, save folders. */
  forWorkers(): WorkspaceSymbols {
    const symbols = this.symbols();
    return { ...symbols, resolvedCalls: new Set(), unresolvedCalls: new Set() };
  }

  /** The class pass: a file's classes and save folders, with no account of what changed (nobody is waiting on it). */
  readText(relativePath: string, text: string): void {
    if (!relativePath.toLowerCase().endsWith('.py')) return;
    const skeleton = detached(symbolSkeleton(text));
    const file = this.fileOf(relativePath);
    if (file.skeleton === skeleton) return;
    file.skeleton = skeleton;
    this.classes = undefined;
    this.changed(true);
  }

  /** A Python file's text as last seen (on disk or in the editor): its classes and save folders. */
  setText(relativePath: string, text: string): IndexChange {
    if (!relativePath.toLowerCase().endsWith('.py')) return noChange();
    return this.setSkeleton(relativePath, detached(symbolSkeleton(text)));
  }

  /** As setText, from the text's symbolSkeleton (made on an analysis worker). */
  setSkeleton(relativePath: string, skeleton: string): IndexChange {
    const change = noChange();
    if (!relativePath.toLowerCase().endsWith('.py')) return change;
    const file = this.fileOf(relativePath);
    if (file.skeleton === skeleton) return change;
    const before = new Set(this.symbols().hubClasses.keys());
    file.skeleton = skeleton;
    this.classes = undefined;
    this.changed(true);
    const after = new Set(this.symbols().hubClasses.keys());
    for (const name of symmetricDifference([...before], [...after])) change.classes.add(name);
    for (const name of before) if (!after.has(name)) change.gone.add(name);
    return change;
  }

  /** What an analysis of the file learnt: the wrappers it defines and the wrapper calls it makes, replacing the previous ones. */
  learn(relativePath: string, learnt: SymbolsLearnt): IndexChange {
    const change = noChange();
    const file = this.fileOf(relativePath);
    const wrappers = learnt.wrappers.filter((w) => w.file === relativePath);
    for (const name of changedWrappers(file.wrappers, wrappers)) change.wrappers.add(name);
    for (const name of changedWrappers(file.wrappers, wrappers, 'before')) change.gone.add(name);
    for (const key of symmetricDifference(file.resolved, learnt.resolvedCalls)) this.addCoverage(change, key);
    for (const key of symmetricDifference(file.unresolved, learnt.unresolvedCalls)) this.addCoverage(change, key);
    const moved = JSON.stringify(file.wrappers) !== JSON.stringify(wrappers);
    if (!change.wrappers.size && !change.coverage.size && !moved) return change;
    file.wrappers = wrappers;
    file.resolved = [...learnt.resolvedCalls];
    file.unresolved = [...learnt.unresolvedCalls];
    if (wrappers.length || file.resolved.length || file.unresolved.length) this.withWrappers.add(relativePath);
    else this.withWrappers.delete(relativePath);
    this.changed(change.wrappers.size > 0 || moved);
    return change;
  }

  /** A file that is gone: everything it added leaves the index. */
  remove(relativePath: string): IndexChange {
    const change = this.learn(relativePath, { wrappers: [], resolvedCalls: [], unresolvedCalls: [] });
    const classes = this.setText(relativePath, '');
    for (const name of classes.classes) change.classes.add(name);
    for (const name of classes.gone) change.gone.add(name);
    this.files.delete(relativePath);
    this.withWrappers.delete(relativePath);
    return change;
  }

  /** The file that defines the wrapper with this key ("relative/path.py:name"). */
  private addCoverage(change: IndexChange, key: string): void {
    change.coverage.add(key.slice(0, key.lastIndexOf(':')));
  }

  private fileOf(relativePath: string): FileSymbols {
    let file = this.files.get(relativePath);
    if (!file) this.files.set(relativePath, (file = { skeleton: '', wrappers: [], resolved: [], unresolved: [] }));
    return file;
  }

  private changed(forWorkers: boolean): void {
    this.built = undefined;
    if (forWorkers) this.version++;
  }
}

/**
 * The index with only the wrappers whose name is a word of `text` (and not defined in
 * `ownFile`): what a scan of that text can use, found in one pass over its words rather
 * than one search per wrapper (a workspace can have hundreds).
 */
export function wrappersNamedIn(symbols: WorkspaceSymbols, text: string, ownFile?: string): WorkspaceSymbols {
  const wrappers = new Map<string, WrapperSpec[]>();
  if (symbols.wrappers.size) {
    const words = new Set(text.match(/\w+/g));
    for (const [name, specs] of symbols.wrappers) {
      if (!words.has(name)) continue;
      const others = ownFile === undefined ? specs : specs.filter((w) => w.file !== ownFile);
      if (others.length) wrappers.set(name, others);
    }
  }
  return { ...symbols, wrappers };
}

/**
 * A copy of the string that does not point into the text it was cut from: a match of a regular
 * expression may be a slice that keeps the whole file's text alive.
 */
function detached(text: string): string {
  return text && Buffer.from(text, 'utf8').toString('utf8');
}

function noChange(): IndexChange {
  return { wrappers: new Set(), coverage: new Set(), classes: new Set(), gone: new Set() };
}

/** What a call site depends on: the wrapper's name, which argument carries the id, and the loader. */
function callShape(w: WrapperSpec): string {
  return JSON.stringify([w.name, w.parameter, w.position, w.loaderSpec, w.loader, w.library, w.receiver ?? '']);
}

/** Names of wrappers whose call shape changed between the two lists (only those of `before` with 'before'). */
function changedWrappers(before: WrapperSpec[], after: WrapperSpec[], only?: 'before'): string[] {
  const old = new Set(before.map(callShape));
  const now = new Set(after.map(callShape));
  return [...before.filter((w) => !now.has(callShape(w))), ...(only ? [] : after.filter((w) => !old.has(callShape(w))))].map((w) => w.name);
}

function symmetricDifference(a: readonly string[], b: readonly string[]): string[] {
  const left = new Set(a);
  const right = new Set(b);
  return [...a.filter((k) => !right.has(k)), ...b.filter((k) => !left.has(k))];
}
