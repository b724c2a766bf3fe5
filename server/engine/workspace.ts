// Finds the files of a project to scan and analyses them, a few at a time.
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { excludeMatcher, type RuleSettings } from '../config/settings';
import { analyzeText, type FileAnalysis } from './analyze';
import type { FactsProvider } from '../core/model-facts';
import type { ProjectFacts } from '../core/project-facts';

export const SOURCE_EXTENSIONS = ['.py'];
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface FileResult extends FileAnalysis {
  relativePath: string;
  text: string;
}

export interface WorkspaceScanOptions {
  settings: RuleSettings;
  localCommit(modelId: string): string | undefined;
  /** Called for files that could not be read or were skipped, with the reason. */
  onSkip?(relativePath: string, reason: string): void;
  facts?: FactsProvider;
  project?: ProjectFacts;
  signal?: AbortSignal;
}

export function toRelative(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** All source files under root that the settings do not exclude, sorted. */
export async function listSourceFiles(root: string, settings: RuleSettings): Promise<string[]> {
  const excluded = excludeMatcher(settings);
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = toRelative(root, path);
      if (excluded(rel)) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) files.push(path);
    }
  };
  if (statSync(root).isFile()) return [root];
  await walk(root);
  return files.sort();
}

/** A relative id like "checkpoints/run1" is local when it exists next to the file or at the root. */
export function localPathChecker(root: string, file: string): (path: string) => boolean {
  return (path) => existsSync(join(dirname(file), path)) || existsSync(join(root, path));
}

export async function analyzeFile(root: string, file: string, options: WorkspaceScanOptions): Promise<FileResult | undefined> {
  const relativePath = toRelative(root, file) || file.split(sep).pop()!;
  let text: string;
  try {
    if (statSync(file).size > MAX_FILE_BYTES) {
      options.onSkip?.(relativePath, `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
      return undefined;
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    options.onSkip?.(relativePath, (error as Error).message);
    return undefined;
  }
  const analysis = await analyzeText(text, {
    relativePath,
    settings: options.settings,
    localCommit: options.localCommit,
    isLocalPath: localPathChecker(root, file),
    facts: options.facts,
    project: options.project,
  });
  return { relativePath, text, ...analysis };
}

export async function scanWorkspace(root: string, options: WorkspaceScanOptions): Promise<FileResult[]> {
  const files = await listSourceFiles(root, options.settings);
  const results: FileResult[] = [];
  for (const file of files) {
    if (options.signal?.aborted) break;
    const result = await analyzeFile(root, file, options);
    if (result) results.push(result);
  }
  return results;
}
