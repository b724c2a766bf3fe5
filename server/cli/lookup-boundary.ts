// Where a CLI run's config lookup stops outside a repository: the current folder when the
// scanned folder is inside it, else the scanned folder itself. (Inside a repository it stops
// at the repository root.)
import { isAbsolute, relative, sep } from 'node:path';

export function lookupBoundary(folder: string): string {
  const cwd = process.cwd();
  const rel = relative(cwd, folder);
  const inside = rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  return inside ? cwd : folder;
}
