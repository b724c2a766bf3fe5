// Whether a relative id names a folder of the workspace (then it is not a Hub id).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A relative id like "checkpoints/run1" is local when it exists next to the file or at the root. */
export function localPathChecker(root: string, file: string): (path: string) => boolean {
  return (path) => existsSync(join(dirname(file), path)) || existsSync(join(root, path));
}
