// `dist/cli.js`: starts the CLI bundle (dist/cli-main.js) from a V8 code cache, so a run does
// not compile the same megabytes of JavaScript again. The cache lives in PTM Lens's cache
// folder, one file per bundle content (the build writes the bundle's hash in here) and Node
// version; it is written once, when missing or refused, after the run. Any trouble with the
// cache (unreadable, refused, a folder that cannot be written) falls back to a plain load.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { defaultCacheDir } from '../hub/settings';

/** Set by the build: the bundle's file name next to this one, and a hash of its content. */
declare const PTM_LENS_CLI_BUNDLE: { file: string; hash: string };

const bundle = join(__dirname, PTM_LENS_CLI_BUNDLE.file);

/** The compiled bundle as a CommonJS module function, or undefined when that cannot be done. */
function compileCached(): { run: (module: Module) => void } | undefined {
  let folder: string;
  let source: string;
  try {
    folder = join(dirname(defaultCacheDir()), 'code-cache');
    // The build checks the bundle is ASCII, where Latin-1 reads the same text about twice as fast as UTF-8.
    source = readFileSync(bundle, 'latin1');
  } catch {
    return undefined;
  }
  const name = `cli-${PTM_LENS_CLI_BUNDLE.hash}-${process.version}-${process.arch}.bin`;
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
    script = new Script(Module.wrap(source), { filename: bundle, cachedData });
    wrapper = script.runInThisContext();
  } catch {
    return undefined;
  }
  if (!cachedData || script.cachedDataRejected) {
    // After the run, so the functions it compiled are in the cache too.
    process.once('exit', () => saveCache(folder, cacheFile, name, () => script.createCachedData()));
  }
  return {
    run: (module) => wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle)),
  };
}

/** Writes the cache atomically (runs in parallel may race) and removes the caches of other bundles. */
function saveCache(folder: string, cacheFile: string, name: string, data: () => Buffer): void {
  try {
    mkdirSync(folder, { recursive: true });
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, data());
    renameSync(partial, cacheFile);
    for (const old of readdirSync(folder)) {
      if (old !== name && old.startsWith('cli-') && old.endsWith('.bin')) rmSync(join(folder, old), { force: true });
    }
  } catch {
    // A cache that cannot be written only costs the next run its compile time.
  }
}

const compiled = compileCached();
if (compiled) {
  const module = new Module(bundle, require.main);
  module.filename = bundle;
  module.loaded = true;
  compiled.run(module);
} else {
  require(bundle);
}
