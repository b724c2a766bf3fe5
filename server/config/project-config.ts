// Reads the project's config file: `ptm-lens.toml`, or `[tool.ptm-lens]` in `pyproject.toml`.
// The lookup goes from the folder up to the repository root (a folder with `.git`), or outside
// a repository up to the workspace folder, never further: a file above the project must not
// change its results, and the editor and the CLI must find the same file. Only regular files of bounded size are read (a FIFO or /dev/zero
// named like a config file must not hang or fill memory). The CLI and the server share it.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Note } from '../core/notes';
import { fileKind, readRegularFile, UnreadableFileError } from '../core/read-regular-file';
import { anchorGlob, toPosix, type RuleSettings } from './settings';
import { parseToml } from './toml';
import { SettingsValidator } from './validate';

export const CONFIG_FILE_NAMES = ['ptm-lens.toml', 'pyproject.toml'] as const;
/** Config files are a few hundred bytes; a megabyte is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface ProjectConfig {
  /** The file the settings came from, if any. */
  file?: string;
  /** The folder that globs in the file are relative to. */
  root?: string;
  /** The valid part of the file's settings; exclude and per-file-ignores globs anchored to `root`. */
  settings: Partial<RuleSettings>;
  /** What is wrong with the file: "error" means the CLI refuses to run, "warning" is only ignored. */
  notes: Note[];
  /** The notes' messages (kept for callers that only show text). */
  problems: string[];
}

export interface ConfigLookup {
  file?: string;
  /** Files with a config file's name that could not be used (a folder, a FIFO, too large). */
  notes: Note[];
}

const isRepositoryRoot = (dir: string) => existsSync(join(dir, '.git'));

/** The nearest folder from `start` upwards that holds `.git`, if any. */
export function repositoryRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (isRepositoryRoot(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** A `[tool.ptm-lens]` table (or a sub-table) in a pyproject.toml's text. */
const hasToolTable = (text: string) => /^\s*\[\s*tool\s*\.\s*(?:ptm-lens|"ptm-lens")\s*[\].]/m.test(text);

/** Whether `dir` is `boundary` or inside it. */
function within(dir: string, boundary: string): boolean {
  const rel = relative(boundary, dir);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Where the lookup from `start` stops: the repository root holding it, else `boundary`. */
export function lookupLimit(start: string, boundary: string = start): string {
  return repositoryRoot(start) ?? resolve(boundary);
}

/**
 * The config file for `start` (a folder): looked up from `start` towards the root, stopping
 * at the repository root (the nearest folder above that holds `.git`) or, outside a repository,
 * at `boundary` (the workspace folder; `start` itself when not given).
 */
export function lookupConfigFile(start: string, boundary: string = start): ConfigLookup {
  const notes: Note[] = [];
  const stop = lookupLimit(start, boundary);
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const path = join(dir, name);
      let stats;
      try {
        stats = statSync(path);
      } catch {
        continue;
      }
      if (!stats.isFile()) {
        notes.push({ level: 'warning', message: `${path}: ignored, it is ${fileKind(stats)}, not a config file.` });
        continue;
      }
      if (name === 'ptm-lens.toml') return { file: path, notes };
      try {
        if (hasToolTable(readRegularFile(path, MAX_CONFIG_BYTES))) return { file: path, notes };
      } catch (error) {
        notes.push({ level: 'warning', message: `${path}: ignored, ${(error as UnreadableFileError).reason ?? (error as Error).message}.` });
      }
    }
    if (dir === stop || dirname(dir) === dir || !within(dir, stop)) return { notes };
  }
}

/** The config file for `start`, or undefined (see lookupConfigFile). */
export function findConfigFile(start: string, boundary: string = start): string | undefined {
  return lookupConfigFile(start, boundary).file;
}

/**
 * The settings of one config file. `knownCodes` are the rule codes (unknown ones are warned
 * about); without them only the patterns that match every rule are checked.
 */
export function loadProjectConfig(file: string, knownCodes: readonly string[] = []): ProjectConfig {
  const root = dirname(resolve(file));
  const done = (settings: Partial<RuleSettings>, notes: Note[]): ProjectConfig => ({ file, root, settings, notes, problems: notes.map((n) => n.message) });
  let text: string;
  try {
    text = readRegularFile(file, MAX_CONFIG_BYTES);
  } catch (error) {
    const reason = error instanceof UnreadableFileError ? error.reason : (error as Error).message;
    return done({}, [{ level: 'error', message: `${file}: cannot read the config file: ${reason}.` }]);
  }
  let table: Record<string, unknown>;
  try {
    const document = parseToml(text);
    if (file.endsWith('pyproject.toml')) {
      const tool = document.tool as Record<string, unknown> | undefined;
      table = (tool?.['ptm-lens'] as Record<string, unknown>) ?? {};
    } else {
      table = document;
    }
  } catch (error) {
    return done({}, [{ level: 'error', message: `${file}: not valid TOML (${(error as Error).message.split('\n')[0]}).` }]);
  }
  const validator = new SettingsValidator(knownCodes, (key) => (file.endsWith('pyproject.toml') ? `tool.ptm-lens.${key}` : key), file);
  const settings = typeof table === 'object' && table !== null && !Array.isArray(table) ? validator.table(table) : (validator.error('[tool.ptm-lens] must be a table.'), {});
  return done(anchorSettings(settings, root), validator.notes);
}

/** Globs in a config file are relative to its folder: make them absolute so they mean the same
 *  files whatever folder is scanned. */
function anchorSettings(settings: Partial<RuleSettings>, root: string): Partial<RuleSettings> {
  // Relative paths are measured from the config file's folder until the surface says which folder
  // it scans (resolveSettings does).
  const anchored: Partial<RuleSettings> = { ...settings, root: toPosix(root) };
  if (settings.exclude) anchored.exclude = settings.exclude.map((glob) => anchorGlob(root, glob));
  if (settings.perFileIgnores) {
    anchored.perFileIgnores = Object.fromEntries(Object.entries(settings.perFileIgnores).map(([glob, codes]) => [anchorGlob(root, glob), codes]));
  }
  return anchored;
}
