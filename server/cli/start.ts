// `dist/cli.js`: starts the CLI bundle (dist/cli-main.js) from a V8 code cache, so a run does
// not compile the same megabytes of JavaScript again (see server/core/code-cache.ts). The
// cache lives in PTM Lens's cache folder; it is written once, when missing or refused, after
// the run, so the functions the run compiled are in it too.
import { dirname, join } from 'node:path';
import { startBundle } from '../core/code-cache';
import { defaultCacheDir } from '../hub/settings';

/** Set by the build: the bundle's file name next to this one, and a hash of its content. */
declare const PTM_LENS_CLI_BUNDLE: { file: string; hash: string };

const started = startBundle(
  { file: join(__dirname, PTM_LENS_CLI_BUNDLE.file), hash: PTM_LENS_CLI_BUNDLE.hash, prefix: 'cli', folder: () => join(dirname(defaultCacheDir()), 'code-cache') },
  require.main,
);
process.once('exit', () => started.saveCache());
// Once nothing is left to do, exit at once: Node would otherwise tear the whole heap down first
// (tens of milliseconds after a scan), which no one waits for. 'beforeExit' comes only when the
// event loop is empty, so every write has been made; 'exit' still saves the cache.
process.once('beforeExit', () => process.exit());
