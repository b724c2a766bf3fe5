// Finds the files of a project to scan and analyses them, a few at a time.
import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { excludeMatcher, type RuleSettings } from '../config/settings';
import { analyzeReferences, analyzeText, scanFailed, type AnalysisContext, type FileAnalysis } from './analyze';
import { isGitignored, withGitignore, type GitignoreRules } from './gitignore';
import { localPathChecker } from './local-paths';
import { ScanPool, type ScanOutcome, type ScanPoolOptions } from './parallel-scan';
import { scanJob } from './scan-worker';
import type { FactsProvider } from '../core/model-facts';
import type { Note } from '../core/notes';
import { errorReason, fileKind, megabytes, readRegularFile, UnreadableFileError, withOpenFile } from '../core/read-regular-file';
import { RULES } from '../rules';
import { fileKindOf } from '../scan/file-kinds';
import type { ProjectFacts } from '../core/project-facts';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Every rule code, for checking the codes that settings name. */
export const RULE_CODES: readonly string[] = RULES.map((rule) => rule.code);

/** Kinds of files users name that the scanner does not read yet, so they hear so instead of silence. */
const NOT_SCANNED_YET: [RegExp, string][] = [
  [/\.ipynb$/i, 'Jupyter notebook'],
  [/\.(?:js|mjs|cjs|jsx)$/i, 'JavaScript'],
  [/\.(?:ts|mts|cts|tsx)$/i, 'TypeScript'],
  [/\.(?:sh|bash|zsh)$/i, 'shell script'],
  [/\.ya?ml$/i, 'YAML'],
  [/\.json$/i, 'JSON'],
  [/\.toml$/i, 'TOML'],
  [/(?:^|[\\/])Dockerfile[^\\/]*$|\.dockerfile$/i, 'Dockerfile'],
  [/(?:^|[\\/])(?:GNU)?makefile$|\.mk$/i, 'Makefile'],
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
    if (stats.size > MAX_FILE_BYTES && isSourceFile(path)) throw new UnreadableFileError(path, `larger than ${megabytes(MAX_FILE_BYTES)}, the most PTM Lens reads`);
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
  /** Internal: worker threads for parsing (false: none), and the plain full-parse path (tests compare both). */
  parallel?: ScanPoolOptions | false;
  plainParse?: boolean;
  /** Called after each file with how many are done, of how many (progress). */
  onProgress?(done: number, total: number): void;
}

export function toRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/**
 * All source files under root that the settings do not exclude and no .gitignore on the way ignores, sorted. Only regular files
 * are listed (symbolic links to them too); a FIFO, socket or device with a source file's name
 * and a folder that cannot be read are passed to `onNote` and left out.
 */
export async function listSourceFiles(root: string, settings: RuleSettings, onNote?: (note: Note) => void): Promise<string[]> {
  const excluded = excludeMatcher(settings, root);
  const files: string[] = [];
  const skip = (path: string, reason: string) => onNote?.({ level: 'warning', message: `skipped: ${reason}.`, file: toRelative(root, path) });
  const walk = async (dir: string, inherited: GitignoreRules): Promise<void> => {
    // What the folder's .gitignore ignores is not scanned (git does not track it either).
    const ignored = withGitignore(inherited, dir, toRelative(root, dir));
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      skip(dir, `cannot read the folder (${errorReason(error)})`);
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = toRelative(root, path);
      if (excluded(rel) || (ignored.length && isGitignored(ignored, rel, entry.isDirectory()))) continue;
      if (entry.isDirectory()) await walk(path, ignored);
      else if (!isSourceFile(entry.name)) continue;
      else if (entry.isFile()) files.push(path);
      else if (entry.isSymbolicLink()) {
        // Links to files are followed; links to folders are not (they can loop).
        try {
          const target = await stat(path);
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
  await walk(root, []);
  return files.sort();
}

export { localPathChecker } from './local-paths';

/** Analyses a file from disk, or `openText` (an editor's unsaved buffer) under the same size cap. */
export async function analyzeFile(root: string, file: string, options: WorkspaceScanOptions, openText?: string): Promise<FileResult | undefined> {
  const relativePath = toRelative(root, file) || file.split(sep).pop()!;
  let text: string;
  try {
    if (openText !== undefined && Buffer.byteLength(openText) > MAX_FILE_BYTES) throw new UnreadableFileError(file, `larger than ${megabytes(MAX_FILE_BYTES)}`);
    text = openText ?? readRegularFile(file, MAX_FILE_BYTES);
  } catch (error) {
    const reason = error instanceof UnreadableFileError ? error.reason : errorReason(error);
    options.onSkip?.(relativePath, reason);
    options.onNote?.({ level: 'warning', message: `skipped: ${reason}.`, file: relativePath });
    return undefined;
  }
  const analysis = await analyzeText(text, {
    relativePath,
    settings: options.settings,
    localCommit: options.localCommit,
    isLocalPath: localPathChecker(root, file),
    facts: options.facts,
    surface: options.surface,
    project: options.project,
  });
  for (const note of analysis.notes ?? []) options.onNote?.({ ...note, file: note.file ?? relativePath });
  return { relativePath, text, ...analysis };
}

/** Files read and handed to the scanners ahead of the one being finished (bounds memory). */
const READ_AHEAD = 64;

/**
 * Every source file under root through the engine, in listing order. Parsing runs on worker
 * threads (parallel-scan.ts); reading, Hub facts, rules and notes stay on this thread, in
 * order, so the results are those of analyzing the files one by one.
 */
export async function scanWorkspace(root: string, options: WorkspaceScanOptions): Promise<FileResult[]> {
  const files = await listSourceFiles(root, options.settings, options.onNote);
  const pool = new ScanPool((job) => scanJob(job), options.parallel === false ? { workers: 0 } : options.parallel);
  const results: FileResult[] = [];
  const ahead: Promise<Scanned>[] = [];
  let next = 0;
  try {
    for (let done = 0; done < files.length; done++) {
      while (next < files.length && ahead.length < READ_AHEAD) ahead.push(readAndScan(root, files[next++], options, pool));
      if (options.signal?.aborted) break;
      const result = await finishFile(root, await ahead.shift()!, options);
      if (result) results.push(result);
      options.onProgress?.(done + 1, files.length);
    }
  } finally {
    await pool.close();
  }
  return results;
}

type Scanned = { file: string; relativePath: string } & ({ skipped: string } | { text: string; outcome: ScanOutcome });

/** Reads a file and starts its scan (skipped at once when its kind says it cannot load a model). */
function readAndScan(root: string, file: string, options: WorkspaceScanOptions, pool: ScanPool): Promise<Scanned> {
  const relativePath = toRelative(root, file) || file.split(sep).pop()!;
  let text: string;
  try {
    text = readRegularFile(file, MAX_FILE_BYTES);
  } catch (error) {
    return Promise.resolve({ file, relativePath, skipped: error instanceof UnreadableFileError ? error.reason : errorReason(error) });
  }
  const kind = fileKindOf(relativePath) ?? fileKindOf('.py')!;
  if (kind.mightContainLoads && !kind.mightContainLoads(text)) return Promise.resolve({ file, relativePath, text, outcome: { references: [] } });
  return pool.scan({ root, file, relativePath, text, plainParse: options.plainParse }).then((outcome) => ({ file, relativePath, text, outcome }));
}

/** What analyzeFile does after its scan: facts, rules, notes. */
async function finishFile(root: string, scanned: Scanned, options: WorkspaceScanOptions): Promise<FileResult | undefined> {
  const { file, relativePath } = scanned;
  if ('skipped' in scanned) {
    options.onSkip?.(relativePath, scanned.skipped);
    options.onNote?.({ level: 'warning', message: `skipped: ${scanned.skipped}.`, file: relativePath });
    return undefined;
  }
  const context: AnalysisContext = {
    relativePath,
    settings: options.settings,
    localCommit: options.localCommit,
    isLocalPath: localPathChecker(root, file),
    facts: options.facts,
    surface: options.surface,
    project: options.project,
  };
  const { text, outcome } = scanned;
  const analysis = 'error' in outcome ? scanFailed(outcome.error, context) : await analyzeReferences(text, outcome.references, context);
  for (const note of analysis.notes ?? []) options.onNote?.({ ...note, file: note.file ?? relativePath });
  return { relativePath, text, ...analysis };
}
