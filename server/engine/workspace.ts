// Finds the files of a project to scan and analyses them, a few at a time.
import { statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { excludeMatcher, type RuleSettings } from '../config/settings';
import { analyzeReferences, analyzeText, loadsNothing, scanFailed, type AnalysisContext, type FileAnalysis } from './analyze';
import { isGitignored, withGitignore, type GitignoreRules } from './gitignore';
import { LocalPaths, localPathChecker } from './local-paths';
import { collectOnnxFiles, isOnnxFile } from './onnx-file';
import { readFolder } from './read-folder';
import { FOUND_MAYBE, FOUND_NONE, FOUND_UNREADABLE, ScanPool, type ScanOutcome, type ScanPoolOptions } from './parallel-scan';
import { scanJob } from './scan-worker';
import type { FactsProvider } from '../core/model-facts';
import type { Note } from '../core/notes';
import { errorReason, fileKind, megabytes, readRegularFile, readRegularScratch, UnreadableFileError, withOpenFile } from '../core/read-regular-file';
import { RULES } from '../rules';
import { fileKindOf, type FileKind } from '../scan/file-kinds';
import { ByteSearch } from '../scan/byte-search';
import type { ProjectFacts } from '../core/project-facts';
import type { NotebookView } from '../core/notebook-view';
import { buildWorkspaceSymbols, coveredByCallSites, emptySymbols, HUB_BASE_WORDS, hubClassSymbols, mayCallWrapper, mayMentionWorkspaceLoader, mayNameAny, mentionsWorkspaceLoader, mergeSymbols, NamesSearch, SAVED_FOLDER_WORDS, wordHashes, type FileWords, type SourceText, type WorkspaceSymbols } from '../scan/workspace-symbols';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Notebooks carry their outputs (plots as base64): only the code cells are scanned, so they may be larger. */
export const MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024;

/** The most PTM Lens reads of a file like this one. */
export function maxBytesFor(path: string): number {
  return /\.ipynb$/i.test(path) ? MAX_NOTEBOOK_BYTES : MAX_FILE_BYTES;
}

/** Every rule code, for checking the codes that settings name. */
export const RULE_CODES: readonly string[] = RULES.map((rule) => rule.code);

/** Kinds of files users name that the scanner does not read yet, so they hear so instead of silence. */
const NOT_SCANNED_YET: [RegExp, string][] = [
  // Files of these kinds that are not configs (see server/scan/config.ts).
  [/\.json$/i, 'JSON file that is not a model config'],
  [/\.ya?ml$/i, 'YAML lockfile'],
  [/\.toml$/i, 'TOML file that is not a model config'],
];

export const isSourceFile = (path: string) => fileKindOf(path) !== undefined;

/** For a file the scanner does not read: what it is, e.g. "Jupyter notebook". */
export function unscannedKind(path: string): string {
  const known = NOT_SCANNED_YET.find(([pattern]) => pattern.test(path));
  if (known) return known[1];
  const ext = /\.[^./\\]+$/.exec(basename(path))?.[0];
  return ext ? `${ext} file` : 'file without a Python extension';
}

/**
 * What a path named on the command line is: a folder to walk or a file to read. Throws
 * UnreadableFileError when it cannot be scanned at all (missing, unreadable, a FIFO, a device,
 * too large), so the caller can stop with one clear line instead of hanging or exiting 0.
 */
export function scanTarget(path: string): 'folder' | 'file' {
  return withOpenFile(path, (_, stats) => {
    if (stats.isDirectory()) return 'folder';
    if (!stats.isFile()) throw new UnreadableFileError(path, `${fileKind(stats)}, not a regular file`);
    if (stats.size > maxBytesFor(path) && isSourceFile(path)) throw new UnreadableFileError(path, `larger than ${megabytes(maxBytesFor(path))}, the most PTM Lens reads`);
    return 'file';
  });
}

export interface FileResult extends FileAnalysis {
  relativePath: string;
  text: string;
}

export interface WorkspaceScanOptions {
  settings: RuleSettings;
  localCommit(modelId: string): string | undefined;
  /** What the user should know that is not a finding: files skipped and why, files that could not be parsed. */
  onNote?(note: Note): void;
  /** Called for a file that could not be read or was skipped, with the reason (also given to onNote). */
  onSkip?(relativePath: string, reason: string): void;
  facts?: FactsProvider;
  project?: ProjectFacts;
  signal?: AbortSignal;
  /** Which surface shows the findings; default "cli". */
  surface?: AnalysisContext['surface'];
  /** Hub model classes and loader wrappers of the workspace (scanWorkspace builds them). */
  workspace?: WorkspaceSymbols;
  /** Internal: worker threads for parsing (false: none), and the plain full-parse path (tests compare both). */
  parallel?: ScanPoolOptions | false;
  plainParse?: boolean;
  /** Called after each file with how many are done, of how many (progress). */
  onProgress?(done: number, total: number): void;
  /** The files to scan when the caller listed them already (listSourceFiles, sorted). */
  files?: string[];
  /** Documents being edited (language server workers): see AnalysisContext.edits. */
  edits?: AnalysisContext['edits'];
}

export function toRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/**
 * All source files under root that the settings do not exclude and no .gitignore on the way ignores, sorted. Only regular files
 * are listed (symbolic links to them too); a FIFO, socket or device with a source file's name
 * and a folder that cannot be read are passed to `onNote` and left out.
 * `onnxFiles`: the same walk also lists the .onnx files there, as listOnnxFiles does (sorted).
 */
export async function listSourceFiles(root: string, settings: RuleSettings, onNote?: (note: Note) => void, onnxFiles?: string[]): Promise<string[]> {
  const excluded = excludeMatcher(settings, root);
  const files: string[] = [];
  const skip = (path: string, reason: string) => onNote?.({ level: 'warning', message: `skipped: ${reason}.`, file: toRelative(root, path) });
  // Paths are built by joining names as strings: path.relative per entry costs more than the walk,
  // and so did path.join (it normalises the whole path again) on a cold start. `prefix` is what
  // join(dir, name) puts before a name; a name read from a folder has no separator to normalise.
  const walk = async (dir: string, prefix: string, relativeDir: string, inherited: GitignoreRules): Promise<void> => {
    // What the folder's .gitignore ignores is not scanned (git does not track it either).
    const ignored = withGitignore(inherited, dir, relativeDir);
    let entries;
    try {
      entries = await readFolder(dir);
    } catch (error) {
      skip(dir, `cannot read the folder (${errorReason(error)})`);
      return;
    }
    for (const entry of entries) {
      const path = prefix + entry.name;
      const rel = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (excluded(rel)) continue;
      if (onnxFiles && entry.isFile() && isOnnxFile(entry.name)) onnxFiles.push(path);
      if (ignored.length && isGitignored(ignored, rel, entry.isDirectory())) {
        if (onnxFiles && entry.isDirectory()) await collectOnnxFiles(path, rel, excluded, onnxFiles);
        continue;
      }
      if (entry.isDirectory()) await walk(path, path + sep, rel, ignored);
      else if (!isSourceFile(entry.name)) continue;
      else if (entry.isFile()) files.push(path);
      else if (entry.isSymbolicLink()) {
        // Links to files are followed; links to folders are not (they can loop). Synchronous, as
        // the folder reads are: loading node:fs/promises cost more than a tree's few links take.
        try {
          const target = statSync(path);
          if (target.isFile()) files.push(path);
          else if (!target.isDirectory()) skip(path, `a link to ${fileKind(target)}, not a regular file`);
        } catch (error) {
          skip(path, `a symbolic link that cannot be followed (${errorReason(error)})`);
        }
      } else {
        skip(path, `${entry.isFIFO() ? 'a FIFO (named pipe)' : entry.isSocket() ? 'a socket' : 'a device'}, not a regular file`);
      }
    }
  };
  if (statSync(root).isFile()) return [root];
  await walk(root, join(root, 'x').slice(0, -1), '', []);
  onnxFiles?.sort();
  return files.sort();
}

export { localPathChecker } from './local-paths';

/** Analyses a file from disk, or `openText` (an editor's unsaved buffer) under the same size cap. */
export async function analyzeFile(root: string, file: string, options: WorkspaceScanOptions, openText?: string): Promise<FileResult | undefined> {
  const relativePath = toRelative(root, file) || file.split(sep).pop()!;
  let text: string;
  try {
    const limit = maxBytesFor(file);
    if (openText !== undefined && Buffer.byteLength(openText) > limit) throw new UnreadableFileError(file, `larger than ${megabytes(limit)}`);
    text = openText ?? readRegularFile(file, limit);
  } catch (error) {
    const reason = error instanceof UnreadableFileError ? error.reason : errorReason(error);
    options.onSkip?.(relativePath, reason);
    options.onNote?.({ level: 'warning', message: `skipped: ${reason}.`, file: relativePath });
    return undefined;
  }
  const analysis = await analyzeText(text, analysisContext(root, file, relativePath, options, options.workspace));
  return reported(relativePath, text, analysis, options);
}

/** The engine's context for one file of a scan. */
function analysisContext(root: string, file: string, relativePath: string, options: WorkspaceScanOptions, workspace: WorkspaceSymbols | undefined): AnalysisContext {
  return {
    relativePath,
    settings: options.settings,
    localCommit: options.localCommit,
    isLocalPath: localPathChecker(root, file),
    facts: options.facts,
    surface: options.surface,
    project: options.project,
    workspace,
    edits: options.edits,
  };
}

/** A file's result, its notes passed on with the file named. */
function reported(relativePath: string, text: string, analysis: FileAnalysis, options: WorkspaceScanOptions): FileResult {
  for (const note of analysis.notes ?? []) options.onNote?.({ ...note, file: note.file ?? relativePath });
  return { relativePath, text, ...analysis };
}

/** Files handed to the scanners ahead of the one being finished (bounds the work in flight). */
const READ_AHEAD = 64;

/**
 * Every source file under root through the engine, in listing order. Parsing runs on worker
 * threads (parallel-scan.ts); reading, Hub facts, rules and notes stay on this thread, in
 * order, so the results are those of analyzing the files one by one.
 * Each file is read as bytes into a reused buffer: the class pass and the loader prefilter search
 * them there, and only files that may load a model (or define a class the index needs) are
 * decoded, at once (their text is kept for the scan and the results). No file's bytes are kept:
 * a file needed again (to look for a workspace name in it) is read again, which costs less than
 * fresh memory for every file of the tree.
 */
export async function scanWorkspace(root: string, options: WorkspaceScanOptions): Promise<FileResult[]> {
  const files = options.files ?? (await listSourceFiles(root, options.settings, options.onNote));
  // Folders looked up on disk are remembered for this scan only (a folder made later is seen by the next).
  const localPaths = new LocalPaths();
  const pool = new ScanPool((job) => scanJob(job, localPaths), options.parallel === false ? { workers: 0 } : options.parallel);
  // A tree with many bytes to parse starts its workers as soon as the files read so far prove it:
  // they load while this thread reads the rest.
  let candidates = 0;
  // Until a Python file read so far gives the class pass something (a Hub model class or a saved
  // folder), the class pass's index is an empty one: once the workers run, the files are sent to
  // them as they are read instead of after the whole tree (the workers would wait). Should a later
  // file give the class pass something, no more are sent early and those sent are scanned again
  // with the finished index, their answers dropped.
  const provisional = options.workspace ? undefined : emptySymbols();
  const early = new EarlyScans();
  const sources = await readAll(root, files, !options.workspace, (source, read) => {
    if (isCandidate(source) && (candidates += source.size) >= EAGER_WORKER_BYTES) pool.start();
    if (!provisional || !early.open) return;
    if (givesClassPass(source)) return early.close(pool, provisional);
    // Only while the jobs go to the workers: this thread keeps reading.
    if (pool.sendsToWorkers) early.startUpTo(read, (from) => startScan(root, from, options, pool, provisional, early.names(provisional)));
  }, () => early.open && early.started > 0);
  // Hub model classes come from a text pass first; wrappers are noted by the scans as they go
  // (workers send theirs back with each file's references).
  const workspace = options.workspace ?? (early.open ? provisional! : classPass(sources));
  // The workspace's names, searched for in the files no loader hint sends to a scan.
  const names = workspace === provisional ? early.names(provisional) : new NamesSearch([workspace.wrappers, workspace.hubClasses]);
  const results: FileResult[] = [];
  const paths = new Map<FileResult, string>();
  const ahead: Promise<Scanned>[] = [];
  let next = 0;
  try {
    for (let done = 0; done < files.length; done++) {
      while (next < files.length && ahead.length < READ_AHEAD) {
        ahead.push(early.take(next) ?? startScan(root, sources[next], options, pool, workspace, names));
        sources[next++] = undefined!; // the scan holds what it needs; memory goes as files finish
      }
      if (options.signal?.aborted) break;
      const scanned = await ahead.shift()!;
      if ('outcome' in scanned && !('error' in scanned.outcome) && scanned.outcome.symbols) mergeSymbols(workspace, scanned.outcome.symbols);
      const result = await finishFile(root, scanned, options, workspace, names);
      if (result) results.push(result);
      if (result) paths.set(result, scanned.file);
      options.onProgress?.(done + 1, files.length);
    }
    // The workers stay for the rescan's search of the files never decoded.
    if (!options.workspace && workspace.wrappers.size) await rescanWrapperCalls(root, results, paths, { ...options, workspace }, pool);
  } finally {
    // Jobs still queued are scanned on this thread at close: none sent early is wanted after an abort.
    if (provisional) pool.dropQueued(provisional);
    await pool.close();
  }
  return dropCoveredInnerReferences(results, workspace);
}

/** Files started early, and of those files started again with the finished index, over all scans (tests read them). */
const earlyCounts = { started: 0, dropped: 0 };
export function filesStartedEarly(): { started: number; dropped: number } {
  return { ...earlyCounts };
}

/**
 * The scans started while the tree is still being read (see scanWorkspace), by file index, with
 * the provisional index; `open` while that index is still the class pass's answer.
 */
class EarlyScans {
  open = true;
  /** Files started (every file before this index). */
  started = 0;
  private readonly scans: (Promise<Scanned> | undefined)[] = [];
  private search?: NamesSearch;

  /** Starts the files read so far that are not started yet. */
  startUpTo(read: Source[], start: (source: Source) => Promise<Scanned>): void {
    earlyCounts.started += read.length - this.started;
    for (; this.started < read.length; this.started++) this.scans[this.started] = start(read[this.started]);
  }

  /** The scan started for this file, if it still stands (taken once). */
  take(index: number): Promise<Scanned> | undefined {
    const scan = this.scans[index];
    this.scans[index] = undefined;
    return scan;
  }

  /** The provisional index is not the class pass's answer: the scans started are dropped, their queued jobs too. */
  close(pool: ScanPool, provisional: WorkspaceSymbols): void {
    this.open = false;
    earlyCounts.dropped += this.started;
    this.scans.length = 0;
    pool.dropQueued(provisional);
  }

  /** The name search over the provisional index's maps (one, as it grows). */
  names(provisional: WorkspaceSymbols): NamesSearch {
    return (this.search ??= new NamesSearch([provisional.wrappers, provisional.hubClasses]));
  }
}

/**
 * True when the class pass finds something in this source (read, a Python file): a class with a
 * Hub base written in its header, or a literal saved folder. Without such a file anywhere in the
 * tree, its index holds no Hub class (every Hub class derives, through workspace classes, from
 * one written with a Hub base) and no saved folder.
 */
function givesClassPass(source: Source): boolean {
  if (source.skipped !== undefined || !(source.groups & (HUB_BASES | SAVES)) || !isPythonFile(source.file)) return false;
  const text = [{ relativePath: source.relativePath, text: source.text! }];
  // Each part only where its words are (as classPass): class headers cost a search of their own.
  const found = hubClassSymbols(source.groups & HUB_BASES ? text : [], source.groups & SAVES ? text : []);
  return found.hubClasses.size > 0 || found.savedFolders.size > 0;
}

/** Bytes of files with a load hint from which a scan starts its workers at once (see ScanPool.start). */
const EAGER_WORKER_BYTES = 2_000_000;

/** True for a file the scan will parse: read, with a load hint (or of a kind without hints). */
function isCandidate(source: Source): boolean {
  return source.skipped === undefined && (!source.kind.loadHints || (source.groups & LOADS) !== 0);
}

/** Groups of words a file's bytes are searched for (bits of ByteSearch.groupsIn). */
const LOADS = 1;
const HUB_BASES = 2;
const SAVES = 4;

/** A file read for a scan: its size, the word groups found in its bytes, its text once decoded. */
interface Source {
  file: string;
  relativePath: string;
  kind: FileKind;
  size: number;
  text?: string;
  /** Why it could not be read. */
  skipped?: string;
  groups: number;
}

const searches = new Map<FileKind, ByteSearch>();

/** One search per file kind: its load hints, and for Python files the class pass's words. */
function searchFor(kind: FileKind, pythonFile: boolean): ByteSearch | undefined {
  if (!kind.loadHints && !pythonFile) return undefined;
  let search = searches.get(kind);
  if (!search) searches.set(kind, (search = new ByteSearch([kind.loadHints ?? [], HUB_BASE_WORDS, SAVED_FOLDER_WORDS])));
  return search;
}

const isPythonFile = (file: string) => file.toLowerCase().endsWith('.py');

/**
 * Reads every file once; `forClasses`: the Python files are also searched for what the class pass
 * needs. `onRead`: each file as it is read, with the files read so far (this one last). While
 * `pausing` says so, the reads pause every few milliseconds, so the workers' answers are taken and
 * their next jobs sent.
 */
async function readAll(root: string, files: string[], forClasses: boolean, onRead: (source: Source, read: Source[]) => void, pausing: () => boolean): Promise<Source[]> {
  const read: Source[] = [];
  let since = performance.now();
  for (const file of files) {
    const source = readSource(root, file, forClasses);
    read.push(source);
    onRead(source, read);
    if (pausing() && performance.now() - since >= READ_PAUSE_MS) {
      await new Promise(setImmediate);
      since = performance.now();
    }
  }
  return read;
}

/** Milliseconds of reading between pauses (a worker holds a few jobs of a few milliseconds each). */
const READ_PAUSE_MS = 3;

function readSource(root: string, file: string, forClasses: boolean): Source {
  const relativePath = toRelative(root, file) || file.split(sep).pop()!;
  const kind = fileKindOf(relativePath) ?? fileKindOf('.py')!;
  const source: Source = { file, relativePath, kind, size: 0, groups: 0 };
  let bytes: Buffer;
  try {
    bytes = readRegularScratch(file, maxBytesFor(file));
  } catch (error) {
    source.skipped = error instanceof UnreadableFileError ? error.reason : errorReason(error);
    return source;
  }
  source.size = bytes.length;
  const pythonFile = forClasses && isPythonFile(file);
  const search = searchFor(kind, pythonFile);
  // Only load hints matter outside the class pass: the search may stop at the first.
  if (search) source.groups = search.groupsIn(bytes, pythonFile ? LOADS | HUB_BASES | SAVES : LOADS);
  // The class pass and the scan read these files' text: decoded while the bytes are at hand.
  if ((pythonFile && source.groups & (HUB_BASES | SAVES)) || isCandidate(source)) source.text = bytes.toString('utf8');
  return source;
}

/** The file's bytes read again into the reused buffer (valid until the next read), or why it cannot be read now. */
function readAgain(file: string): Buffer | { skipped: string } {
  try {
    return readRegularScratch(file, maxBytesFor(file));
  } catch (error) {
    return { skipped: error instanceof UnreadableFileError ? error.reason : errorReason(error) };
  }
}

/** The file's text, decoded once; undefined when it cannot be read again (the class pass). */
function textOf(source: Source): string | undefined {
  if (source.text !== undefined) return source.text;
  const bytes = readAgain(source.file);
  if (!Buffer.isBuffer(bytes)) {
    source.skipped = bytes.skipped;
    return undefined;
  }
  return (source.text = bytes.toString('utf8'));
}

/**
 * The Hub model classes and saved folders of the Python files (files that cannot be read are
 * left out; the scan notes them). Without a Hub base word anywhere no class can be a Hub class,
 * so no file is decoded for the class headers; the saved-folder pass reads the files with its words.
 */
function classPass(sources: Source[]): WorkspaceSymbols {
  const python = sources.filter((source) => source.skipped === undefined && isPythonFile(source.file));
  const asText = (source: Source): SourceText[] => {
    const text = textOf(source);
    return text === undefined ? [] : [{ relativePath: source.relativePath, text }];
  };
  const classFiles = python.some((source) => source.groups & HUB_BASES) ? python.flatMap(asText) : [];
  return hubClassSymbols(classFiles, python.filter((source) => source.groups & SAVES).flatMap(asText));
}

/**
 * Files that call a wrapper found after they were scanned: analysed again with the finished
 * index (notes were given the first time; a file without a load hint is analysed here for the
 * first time, and gives its notes now). Only files naming a wrapper are read again.
 */
async function rescanWrapperCalls(root: string, results: FileResult[], paths: Map<FileResult, string>, options: WorkspaceScanOptions & { workspace: WorkspaceSymbols }, pool: ScanPool): Promise<void> {
  const wrappers = options.workspace.wrappers;
  const wrapperNames = new NamesSearch([wrappers]);
  // The files never decoded (and not hashed) are read again and searched on the scan's workers,
  // idle now, while this thread searches the texts it holds (the same work, shared out).
  const onWorkers = pool.running && wrapperNames.current() ? results.flatMap((result, i) => (undecodedFiles.has(result) && !wordsOf.has(result) ? [i] : [])) : [];
  const filesOnWorkers = onWorkers.map((i) => undecodedFiles.get(results[i])!);
  const searched = pool.searchNames(filesOnWorkers, filesOnWorkers.map(maxBytesFor), [...wrappers.keys()]);
  const onWorker = new Set(searched ? onWorkers : []);
  const namesAWrapper = new Uint8Array(results.length);
  for (let i = 0; i < results.length && !options.signal?.aborted; i++) {
    if (!onWorker.has(i)) namesAWrapper[i] = namesWrapperHere(results[i], wrappers, wrapperNames);
  }
  const found = searched && (await searched);
  for (let k = 0; k < onWorkers.length; k++) {
    // A worker that failed leaves its files to this thread.
    namesAWrapper[onWorkers[k]] = found ? found[k] : namesWrapperHere(results[onWorkers[k]], wrappers, wrapperNames);
  }
  for (let i = 0; i < results.length; i++) {
    if (options.signal?.aborted) break;
    if (namesAWrapper[i] !== FOUND_MAYBE) continue; // gone since (FOUND_UNREADABLE): nothing to find again
    if (!mayCallWrapper(results[i].text, options.workspace)) continue;
    const again = await analyzeFile(root, paths.get(results[i])!, { ...options, onNote: undecodedFiles.has(results[i]) ? options.onNote : undefined, onSkip: undefined }, results[i].text);
    if (again) results[i] = again;
  }
}

/**
 * Whether the result's file may name a wrapper other than in its definition: FOUND_MAYBE,
 * FOUND_NONE or FOUND_UNREADABLE (a file never decoded and gone since). A file never decoded is
 * read again, unless its words are known; its text is then set from those bytes.
 */
function namesWrapperHere(result: FileResult, wrappers: WorkspaceSymbols['wrappers'], wrapperNames: NamesSearch): number {
  const known = wordsOf.get(result);
  const undecodedFile = undecodedFiles.get(result);
  // Into the reused buffer: nothing below reads another file into it before these bytes are used.
  const reread = undecodedFile === undefined || known ? undefined : readAgain(undecodedFile);
  if (reread && !Buffer.isBuffer(reread)) return FOUND_UNREADABLE;
  const undecoded = reread;
  if (undecoded && wrappers.size <= 8 && ![...wrappers.keys()].some((name) => undecoded.includes(name))) return FOUND_NONE;
  // The file's words, when hashed while the scan waited on its workers, else one search for
  // every wrapper's name: most files call no wrapper (its own are only defined there) and are not read again.
  const words = known ?? (undecoded && !wrapperNames.current() ? wordHashes(undecoded) : undefined);
  if (words ? !mayNameAny(words, wrappers, true) : !wrapperNames.mayName(undecoded ?? result.text, true)) return FOUND_NONE;
  // The bytes at hand are the text (its lazy reader would read the file once more).
  if (undecoded) result.text = undecoded.toString('utf8');
  return FOUND_MAYBE;
}

/** A wrapper's inner reference whose every call site resolved is left out, with its findings (docs/loaders.md). */
function dropCoveredInnerReferences(results: FileResult[], workspace: WorkspaceSymbols): FileResult[] {
  return results.map((result) => {
    const covered = new Set(result.references.filter((r) => coveredByCallSites(workspace, result.relativePath, r)));
    if (!covered.size) return result;
    return { ...result, references: result.references.filter((r) => !covered.has(r)), findings: result.findings.filter((f) => !covered.has(f.reference)) };
  });
}

/** The Python files' texts, for the class pass; files that cannot be read are left out (the scan notes them). */
function readSources(root: string, files: string[]): SourceText[] {
  const sources: SourceText[] = [];
  for (const file of files) {
    if (!isPythonFile(file)) continue;
    try {
      sources.push({ relativePath: toRelative(root, file) || file.split(sep).pop()!, text: readRegularFile(file, MAX_FILE_BYTES) });
    } catch {
      // skipped with a note by analyzeFile
    }
  }
  return sources;
}

/** The whole workspace symbol index, for callers that analyse files one at a time afterwards. */
export async function workspaceSymbols(root: string, files: string[]): Promise<WorkspaceSymbols> {
  return buildWorkspaceSymbols(readSources(root, files));
}

/** A scan started: the file unread, left out by its prefilter (never decoded), or scanned; `words`: its wordHashes when known. */
type Scanned = { file: string; relativePath: string; words?: FileWords } & ({ skipped: string } | { undecoded: true } | { text: string; outcome: ScanOutcome });

/** Wrappers and Hub classes up to this many are searched for name by name (see mayMentionWorkspaceLoader). */
const FEW_NAMES = 8;

/**
 * Starts a file's scan, or settles it at once when its kind says it cannot load a model: first
 * on its bytes (no load hint, no workspace name: never decoded), then on its text.
 */
function startScan(root: string, source: Source, options: WorkspaceScanOptions, pool: ScanPool, workspace: WorkspaceSymbols, names: NamesSearch): Promise<Scanned> {
  const { file, relativePath, kind } = source;
  if (source.skipped !== undefined) return Promise.resolve({ file, relativePath, skipped: source.skipped });
  // The file's bytes, when read again here (into the reused buffer).
  let bytes: Buffer | undefined;
  if (kind.loadHints && !(source.groups & LOADS)) {
    // Without workspace names such a file cannot load a model: it is not read again. With them it can
    // only call a wrapper (a Hub class loads through `from_pretrained`, a load hint). A scan that
    // builds its own index analyses every file naming a wrapper again at its end, with the
    // finished index: such a file waits until then instead of being read and scanned twice.
    if (!options.workspace || (!workspace.wrappers.size && !workspace.hubClasses.size)) return Promise.resolve({ file, relativePath, undecoded: true });
    const read = readAgain(file);
    if (!Buffer.isBuffer(read)) return Promise.resolve({ file, relativePath, skipped: read.skipped });
    bytes = read;
    // With many workspace names one search for them all rules out most files; when a name is too
    // short for it, the file's words are hashed once (the same hashes answer the wrapper rescan later).
    const many = workspace.wrappers.size + workspace.hubClasses.size > FEW_NAMES;
    if (many && !names.mayName(bytes)) return Promise.resolve({ file, relativePath, undecoded: true });
    const words = many && !names.current() ? wordHashes(bytes) : undefined;
    if (!mayMentionWorkspaceLoader(bytes, workspace, words)) return Promise.resolve({ file, relativePath, undecoded: true, words });
  }
  // A file that may load a model was decoded at its first read (readSource).
  const text = (source.text ??= bytes!.toString('utf8'));
  // A load hint found in the bytes is what mightContainLoads looks for (see FileKind.loadHints): no second search.
  const mayLoad = (kind.loadHints && source.groups & LOADS) || !kind.mightContainLoads || kind.mightContainLoads(text);
  if (!mayLoad && !mentionsWorkspaceLoader(text, workspace)) return Promise.resolve({ file, relativePath, text, outcome: { references: [] } });
  // A big file read again here travels to a worker as bytes moved there (a string is copied on the way out and again on the way in); this thread keeps the text.
  const moved = bytes && bytes.length > MOVED_BYTES ? ownCopy(bytes) : undefined;
  return pool.scan({ root, file, relativePath, text, bytes: moved, plainParse: options.plainParse, workspace }).then((outcome) => ({ file, relativePath, text, outcome }));
}

/** Files larger than this go to a worker as bytes (smaller ones as text: copying a short string costs less than a buffer of its own). */
const MOVED_BYTES = 64 * 1024;

/** The bytes in memory of their own, which a worker can be handed without copying. */
function ownCopy(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

/** The notebook view of a file whose scan succeeded (so its view could be built). */
function viewOf(relativePath: string, text: string): NotebookView | undefined {
  return (fileKindOf(relativePath) ?? fileKindOf('.py')!).view?.(text);
}

/** What analyzeFile does after its scan: facts, rules, notes. */
async function finishFile(root: string, scanned: Scanned, options: WorkspaceScanOptions, workspace: WorkspaceSymbols, names: NamesSearch): Promise<FileResult | undefined> {
  const { file, relativePath } = scanned;
  if ('skipped' in scanned) {
    options.onSkip?.(relativePath, scanned.skipped);
    options.onNote?.({ level: 'warning', message: `skipped: ${scanned.skipped}.`, file: relativePath });
    return undefined;
  }
  // Most files load nothing: their analysis needs no context.
  if ('undecoded' in scanned) return withWords(withLazyText(relativePath, file, loadsNothing()), scanned.words);
  const { text, outcome } = scanned;
  // A notebook's spans index the module of its code cells: the view is rebuilt here (cheap) rather than sent back.
  const analysis =
    'error' in outcome
      ? scanFailed(outcome.error, { relativePath })
      : outcome.references.length
        ? await analyzeReferences(text, outcome.references, analysisContext(root, file, relativePath, options, workspace), viewOf(relativePath, text))
        : loadsNothing(outcome.references, viewOf(relativePath, text));
  // With wrappers known the scan ends with a rescan of the files that name one. A search for the
  // names finds them then; when a name is too short for it, the file's words are hashed now,
  // while this thread waits on the workers, rather than at the end.
  return withWords(reported(relativePath, text, analysis, options), scanned.words ?? (!options.workspace && workspace.wrappers.size && !names.current() ? wordHashes(text) : undefined));
}

/** The wordHashes of a result's text, when the scan hashed them. */
const wordsOf = new WeakMap<FileResult, FileWords>();

function withWords(result: FileResult, words: FileWords | undefined): FileResult {
  if (words) wordsOf.set(result, words);
  return result;
}

/** Results whose text was never decoded: their files (the rescan searches their bytes instead). */
const undecodedFiles = new WeakMap<FileResult, string>();

/**
 * A result for a file no scanner read: its text is read and decoded only if someone reads it (most
 * files of a big tree never are); empty should the file have become unreadable since.
 */
function withLazyText(relativePath: string, file: string, analysis: FileAnalysis): FileResult {
  let text: string | undefined;
  const result = { relativePath } as FileResult;
  Object.defineProperty(result, 'text', {
    enumerable: true,
    configurable: true,
    get: () => (text ??= readTextOrEmpty(file)),
    set: (value: string) => void (text = value),
  });
  undecodedFiles.set(Object.assign(result, analysis), file);
  return result;
}

function readTextOrEmpty(file: string): string {
  try {
    return readRegularFile(file, maxBytesFor(file));
  } catch {
    return '';
  }
}
