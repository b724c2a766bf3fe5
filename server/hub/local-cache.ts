// Reads the local Hugging Face cache that huggingface_hub and transformers fill:
//   <hub cache>/models--org--name/refs/<branch>      -> commit sha
//   <hub cache>/models--org--name/snapshots/<sha>/... -> the files downloaded at that commit
// Everything here is synchronous and touches only a few paths: a quick fix calls it inline.
// A scan asks for thousands of ids the cache does not hold: each cache folder's listing is kept
// for a moment, so an id it does not name costs no file system call.
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

/** The model's folder in the first cache that holds it; `held` false when none does (its folder in the main cache then). */
function repoDir(modelId: string, env: Env, caches: readonly string[] = hubCacheDirs(env)): { dir: string; held: boolean } | undefined {
  // Ids come from user code: refuse anything that could walk out of the cache folder.
  if (!modelId || modelId.includes('..') || modelId.includes('\\') || modelId.startsWith('/')) return undefined;
  const folder = repoFolderName(modelId);
  // TRANSFORMERS_CACHE is read only when the main cache does not hold the model.
  const found = caches.find((cache) => mayHold(cache, folder) && isDir(join(cache, folder)));
  return { dir: join(found ?? caches[0], folder), held: found !== undefined };
}

/** How long a cache folder's listing answers "not there" without asking the disk again. */
export const LISTING_MS = 1000;
const listings = new Map<string, { at: number; names: Set<string> | undefined }>();

/**
 * False when the cache folder, listed less than LISTING_MS ago, has no entry of this name; true
 * when it may have one (then the caller looks). Names are compared without case, so a file
 * system that ignores case still finds `Org/Model` in `models--org--model`.
 */
function mayHold(cache: string, name: string): boolean {
  const now = Date.now();
  let listing = listings.get(cache);
  if (!listing || now - listing.at >= LISTING_MS || now < listing.at) {
    let names: Set<string> | undefined;
    try {
      names = new Set(readdirSync(cache).map((entry) => entry.toLowerCase()));
    } catch (error) {
      // A missing cache holds nothing; a folder that cannot be listed is looked into name by name.
      const code = (error as NodeJS.ErrnoException).code;
      names = code === 'ENOENT' || code === 'ENOTDIR' ? new Set() : undefined;
    }
    listing = { at: now, names };
    if (listings.size >= 16) listings.clear();
    listings.set(cache, listing);
  }
  return !listing.names || listing.names.has(name.toLowerCase());
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Commit the local cache holds for `revision` (a branch, tag or commit), or undefined. `caches`:
 * the cache folders when the caller worked them out already (hubCacheDirs(env); a Hub client does once).
 */
export function findLocalCommit(modelId: string, revision = 'main', env: Env = process.env, caches?: readonly string[]): string | undefined {
  const repo = repoDir(modelId, env, caches);
  if (!repo?.held || revision.includes('..')) return undefined;
  const { dir } = repo;
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
  const repo = sha ? repoDir(modelId, env) : undefined;
  if (!sha || !repo) return undefined;
  const snap = join(repo.dir, 'snapshots', sha);
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

