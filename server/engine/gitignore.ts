// .gitignore files met while walking a workspace: what they ignore is not scanned, as git
// does not track it (build output, virtual environments, downloaded checkpoints).
// The usual syntax: comments, `!` to re-include, a trailing `/` for folders only, a `/`
// elsewhere anchors the pattern to the file's folder, `*`, `?`, `[...]` and `**`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';

interface Rule {
  /** Folder of the .gitignore, relative to the scan root ("" at the root), "/" separators. */
  base: string;
  negated: boolean;
  folderOnly: boolean;
  matches(path: string): boolean;
}

export type GitignoreRules = readonly Rule[];

/** The rules of `dir`/.gitignore added to those in force above it (the same list when there is none). */
export function withGitignore(inherited: GitignoreRules, dir: string, relativeDir: string): GitignoreRules {
  let text: string;
  try {
    text = readFileSync(join(dir, '.gitignore'), 'utf8');
  } catch {
    return inherited;
  }
  const rules = parseGitignore(text, relativeDir);
  return rules.length ? [...inherited, ...rules] : inherited;
}

export function parseGitignore(text: string, base: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    // Trailing spaces end a pattern unless escaped.
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    line = line.replace(/^\\([#!])/, '$1');
    const folderOnly = line.endsWith('/');
    if (folderOnly) line = line.replace(/\/+$/, '');
    if (!line) continue;
    const anchored = line.includes('/');
    const pattern = anchored ? line.replace(/^\//, '') : `**/${line}`;
    const matcher = picomatch(pattern, { dot: true });
    rules.push({ base, negated, folderOnly, matches: (path) => matcher(path) });
  }
  return rules;
}

/** True when the last rule that matches `relativePath` (from the scan root) ignores it. */
export function isGitignored(rules: GitignoreRules, relativePath: string, isFolder: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.folderOnly && !isFolder) continue;
    const prefix = rule.base ? `${rule.base}/` : '';
    if (prefix && !relativePath.startsWith(prefix)) continue;
    if (rule.matches(relativePath.slice(prefix.length))) ignored = !rule.negated;
  }
  return ignored;
}
