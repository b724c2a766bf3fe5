// Whether a relative id names a folder of the workspace (then it is not a Hub id).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What one scan learnt of the disk: per folder, which relative paths exist under it. Files of one
 * folder, and every file with the root, ask about the same folders again: each is looked up once
 * per scan. Scope one to one workspace scan (or one analysis), never longer: a folder created
 * later must be seen by the next scan.
 */
export class LocalPaths {
  private readonly bases = new Map<string, (path: string) => boolean>();
  /** Look-ups on disk so far (tests read it). */
  probes = 0;

  /** The checker for one file of the scan. */
  checker(root: string, file: string): (path: string) => boolean {
    const next = this.under(dirname(file));
    const atRoot = this.under(root);
    return (path) => next(path) || atRoot(path);
  }

  private under(base: string): (path: string) => boolean {
    let check = this.bases.get(base);
    if (!check) {
      const known = new Map<string, boolean>();
      const exists = (path: string) => {
        let present = known.get(path);
        if (present === undefined) {
          this.probes++;
          known.set(path, (present = existsSync(join(base, path))));
        }
        return present;
      };
      this.bases.set(base, (check = firstSegmentChecker(exists)));
    }
    return check;
  }
}

/** A relative id like "checkpoints/run1" is local when it exists next to the file or at the root. */
export function localPathChecker(root: string, file: string): (path: string) => boolean {
  const folder = dirname(file);
  const next = firstSegmentChecker((path) => existsSync(join(folder, path)));
  const atRoot = firstSegmentChecker((path) => existsSync(join(root, path)));
  return (path) => next(path) || atRoot(path);
}

/**
 * Whether `path` exists under a folder (`exists` looks a path up relative to it), its first
 * segment looked up once: a file's ids mostly share an organisation (`org/a`, `org/b`), and when
 * `base/org` is missing nothing under it exists.
 */
function firstSegmentChecker(exists: (path: string) => boolean): (path: string) => boolean {
  const firsts = new Map<string, boolean>();
  return (path) => {
    const slash = path.indexOf('/');
    const first = slash < 0 ? path : path.slice(0, slash);
    // `..` leaves the first segment (`a/../b` is `b`), a backslash separates on Windows: looked up whole.
    if (!first || path.includes('\\') || /(^|\/)\.\.(\/|$)/.test(path)) return exists(path);
    let present = firsts.get(first);
    if (present === undefined) firsts.set(first, (present = exists(first)));
    return present && (slash < 0 || exists(path));
  };
}
