// Whether a relative id names a folder of the workspace (then it is not a Hub id).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A relative id like "checkpoints/run1" is local when it exists next to the file or at the root. */
export function localPathChecker(root: string, file: string): (path: string) => boolean {
  const next = firstSegmentChecker(dirname(file));
  const atRoot = firstSegmentChecker(root);
  return (path) => next(path) || atRoot(path);
}

/**
 * Whether `path` exists under `base`, its first segment looked up once: a file's ids mostly share
 * an organisation (`org/a`, `org/b`), and when `base/org` is missing nothing under it exists.
 */
function firstSegmentChecker(base: string): (path: string) => boolean {
  const firsts = new Map<string, boolean>();
  return (path) => {
    const slash = path.indexOf('/');
    const first = slash < 0 ? path : path.slice(0, slash);
    // `..` leaves the first segment (`a/../b` is `b`), a backslash separates on Windows: looked up whole.
    if (!first || path.includes('\\') || /(^|\/)\.\.(\/|$)/.test(path)) return existsSync(join(base, path));
    let present = firsts.get(first);
    if (present === undefined) firsts.set(first, (present = existsSync(join(base, first))));
    return present && (slash < 0 || existsSync(join(base, path)));
  };
}
