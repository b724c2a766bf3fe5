// Temporary folders for tests. Each is removed by its owner; whatever a failing or aborted test
// did not remove goes when the test process exits, so test runs leave nothing in the temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();

process.once('exit', () => {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
});

/** Creates a folder under the OS temp dir; `remove()` deletes it (also done at process exit). */
export function tempDir(prefix = 'ptm-lens-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  live.add(path);
  return {
    path,
    remove() {
      rmSync(path, { recursive: true, force: true });
      live.delete(path);
    },
  };
}
