// `dist/scan-worker.js`: what a scan worker thread runs. Starts the worker bundle
// (dist/scan-worker-main.js, from server/engine/scan-worker.ts) from a V8 code cache like
// dist/cli.js does (server/core/code-cache.ts): every scan starts two workers, and each would
// otherwise compile the bundle and the functions of its first scans again.
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { startBundle } from '../core/code-cache';
import { defaultCacheDir } from '../hub/settings';

/** Set by the build: the bundle's file name next to this one, and a hash of its content. */
declare const PTM_LENS_SCAN_WORKER_BUNDLE: { file: string; hash: string };

if (parentPort) {
  const started = startBundle(
    { file: join(__dirname, PTM_LENS_SCAN_WORKER_BUNDLE.file), hash: PTM_LENS_SCAN_WORKER_BUNDLE.hash, prefix: 'scan-worker', folder: () => join(dirname(defaultCacheDir()), 'code-cache') },
    require.main,
  );
  // A worker is terminated, never exits on its own: the cache is written once it has scanned some files.
  (started.exports as typeof import('./scan-worker')).serveScanJobs(parentPort, () => started.saveCache());
}
