// Reads the local Hugging Face cache that huggingface_hub and transformers fill:
//   <hub cache>/models--org--name/refs/<branch>      -> commit sha
//   <hub cache>/models--org--name/snapshots/<sha>/... -> the files downloaded at that commit
// Everything here is synchronous and touches only a few paths: a quick fix calls it inline.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isObject } from './validate';
import { hubCacheDirs, type Env } from './settings';

const COMMIT = /^[0-9a-f]{40}$/;

/** The main cache folder, with huggingface_hub's precedence (see settings.hubCacheDirs). */
export function hubCacheDir(env: Env = process.env): string {
  return hubCacheDirs(env)[0];
}

/** Folder name of a model repository in the cache: "org/name" -> "models--org--name". */
export function repoFolderName(modelId: string): string {
  return `models--${modelId.split('/').join('--')}`;
}

function repoDir(modelId: string, env: Env): string | undefined {
  // Ids come from user code: refuse anything that could walk out of the cache folder.
  if (!modelId || modelId.includes('..') || modelId.includes('\\') || modelId.startsWith('/')) return undefined;
  const dirs = hubCacheDirs(env).map((cache) => join(cache, repoFolderName(modelId)));
  // TRANSFORMERS_CACHE is read only when the main cache does not hold the model.
  return dirs.find(isDir) ?? dirs[0];
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Commit the local cache holds for `revision` (a branch, tag or commit), or undefined. */
export function findLocalCommit(modelId: string, revision = 'main', env: Env = process.env): string | undefined {
  const dir = repoDir(modelId, env);
  if (!dir || revision.includes('..')) return undefined;
  if (COMMIT.test(revision)) return isDir(join(dir, 'snapshots', revision)) ? revision : undefined;
  try {
    const sha = readFileSync(join(dir, 'refs', ...revision.split('/')), 'utf8').trim();
    return COMMIT.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** Folder of the snapshot for `revision`, when the cache has one. */
export function localSnapshotDir(modelId: string, revision = 'main', env: Env = process.env): string | undefined {
  const sha = findLocalCommit(modelId, revision, env);
  const dir = repoDir(modelId, env);
  if (!sha || !dir) return undefined;
  const snap = join(dir, 'snapshots', sha);
  return isDir(snap) ? snap : undefined;
}

/** Files in the snapshot, relative and with "/" separators (as the Hub's rfilename), sorted. */
export function listLocalSnapshotFiles(modelId: string, revision = 'main', env: Env = process.env): string[] | undefined {
  const snap = localSnapshotDir(modelId, revision, env);
  if (!snap) return undefined;
  const files: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      // Snapshot files are symlinks into blobs/; follow them to tell files from folders.
      const full = join(dir, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && isDir(full))) walk(full, rel);
      else files.push(rel);
    }
  };
  walk(snap, '');
  return files.sort();
}

/** Text of a file in the snapshot, or undefined when absent (e.g. not downloaded yet). */
export function readLocalFile(modelId: string, file: string, revision = 'main', env: Env = process.env): string | undefined {
  const snap = localSnapshotDir(modelId, revision, env);
  if (!snap || file.split('/').includes('..')) return undefined;
  try {
    return readFileSync(join(snap, ...file.split('/')), 'utf8');
  } catch {
    return undefined;
  }
}

/** Parsed config.json from the snapshot, or undefined when absent or not a JSON object. */
export function readLocalConfig(modelId: string, revision = 'main', env: Env = process.env): Record<string, unknown> | undefined {
  const text = readLocalFile(modelId, 'config.json', revision, env);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

