// Runs a CommonJS bundle from a V8 code cache, so a start does not compile the same megabytes
// of JavaScript again (dist/cli.js and dist/scan-worker.js use it). The cache is one file per
// bundle content (its hash, written by the build), Node version and architecture, in a folder
// of PTM Lens's own cache (never in a project). It is an optimisation only: a cache that is
// missing, unreadable, refused by V8 or cannot be written falls back to a plain compile.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface CachedBundle {
  /** The bundle's file. The build checks it is ASCII: read as Latin-1, about twice as fast as UTF-8. */
  file: string;
  /** A hash of the bundle's content (from the build): names the cache, so a stale one is never read. */
  hash: string;
  /** Names this bundle's caches in the folder ("cli", "scan-worker"); other bundles' caches are kept. */
  prefix: string;
  /** The cache folder, or a function giving it (a throw only disables the cache). */
  folder: string | (() => string);
}

export interface StartedBundle {
  /** The bundle's `module.exports`. */
  exports: unknown;
  /**
   * Writes the cache when it was missing or refused (a no-op otherwise, and after the first
   * call): called once the run compiled what it needs, so those functions are in the cache too.
   */
  saveCache(): void;
}

/** Loads `bundle` as a CommonJS module, compiled from its code cache when there is a usable one. */
export function startBundle(bundle: CachedBundle, parent?: Module): StartedBundle {
  const compiled = compileCached(bundle);
  if (!compiled) return { exports: require(bundle.file), saveCache: () => undefined };
  const module = new Module(bundle.file, parent);
  module.filename = bundle.file;
  module.loaded = true;
  compiled.wrapper.call(module.exports, module.exports, createRequire(bundle.file), module, bundle.file, dirname(bundle.file));
  let save = compiled.save;
  return {
    exports: module.exports,
    saveCache: () => {
      save?.();
      save = undefined;
    },
  };
}

/** The compiled bundle as a CommonJS module function, or undefined when that cannot be done. */
function compileCached(bundle: CachedBundle): { wrapper: (...args: unknown[]) => void; save?: () => void } | undefined {
  let folder: string;
  let source: string;
  try {
    folder = typeof bundle.folder === 'string' ? bundle.folder : bundle.folder();
    source = readFileSync(bundle.file, 'latin1');
  } catch {
    return undefined;
  }
  const name = `${bundle.prefix}-${bundle.hash}-${process.version}-${process.arch}.bin`;
  const cacheFile = join(folder, name);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  let script: Script;
  let wrapper: (...args: unknown[]) => void;
  try {
    script = new Script(Module.wrap(source), { filename: bundle.file, cachedData });
    wrapper = script.runInThisContext();
  } catch {
    return undefined;
  }
  const stale = !cachedData || script.cachedDataRejected;
  return { wrapper, save: stale ? () => saveCache(folder, cacheFile, name, bundle.prefix, () => script.createCachedData()) : undefined };
}

/** Writes the cache atomically (runs in parallel may race) and removes the caches of this bundle's other versions. */
function saveCache(folder: string, cacheFile: string, name: string, prefix: string, data: () => Buffer): void {
  try {
    mkdirSync(folder, { recursive: true });
    const partial = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(partial, data());
    renameSync(partial, cacheFile);
    // The hash is hex: "cli-" never matches another bundle's "cli-worker-..." by accident.
    const ours = new RegExp(`^${prefix}-[0-9a-f]+-v[\\d.]+-\\w+\\.bin$`);
    for (const old of readdirSync(folder)) {
      if (old !== name && ours.test(old)) rmSync(join(folder, old), { force: true });
    }
  } catch {
    // A cache that cannot be written only costs the next run its compile time.
  }
}
