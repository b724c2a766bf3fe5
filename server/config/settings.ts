// Rule settings from every layer (defaults, ptm-lens.toml / pyproject.toml, editor
// settings) merged into one value that the engine consults.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { SEVERITIES, type Severity } from '../core/types';

export interface RuleSettings {
  /** Codes or code prefixes to run; empty means all. */
  select: string[];
  /** Codes or code prefixes never reported. */
  ignore: string[];
  /** Severity per code (or prefix), overriding the rule's default; "off" disables. */
  severity: Record<string, Severity | 'off'>;
  /** Globs of files not scanned: relative ones are measured from the scanned folder, absolute
   *  ones (see anchorGlob) from the folder of the config file that declared them. */
  exclude: string[];
  /** Glob -> codes ignored in matching files (globs as for exclude). */
  perFileIgnores: Record<string, string[]>;
  thresholds: Thresholds;
  /** The folder, "/" separators, that the relative paths given to effectiveSeverity are measured
   *  from; needed to match anchored (absolute) per-file-ignores globs. */
  root?: string;
  /** Severity of findings about ids decided at run time (a parameter, an attribute, the environment). */
  unresolvedIdSeverity: Severity | 'off';
  /** `project-license` and `intended-use` (PTM301-305). */
  license?: LicenseSettings;
}

export interface LicenseSettings {
  /** The project's license as an SPDX id or expression; overrides what the project files say. */
  project?: string;
  intendedUse?: 'commercial' | 'non-commercial' | 'research';
}

export interface Thresholds {
  /** PTM602: a model not updated for this many days is stale. */
  staleAfterDays: number;
  /** PTM601: model cards scoring below this (0..1) are thin. */
  minCardScore: number;
  /** PTM501: the ONNX opset the project exports to; models whose export needs a later one are flagged. */
  onnxTargetOpset: number;
}

export const DEFAULT_UNRESOLVED_ID_SEVERITY: Severity = 'info';

export const DEFAULT_THRESHOLDS: Thresholds = { staleAfterDays: 1095, minCardScore: 0.5, onnxTargetOpset: 17 };

export const DEFAULT_EXCLUDES = ['**/node_modules/**', '**/.git/**', '**/.venv/**', '**/venv/**', '**/__pycache__/**', '**/site-packages/**', '**/.tox/**'];

export function emptySettings(): RuleSettings {
  return { select: [], ignore: [], severity: {}, exclude: [], perFileIgnores: {}, thresholds: { ...DEFAULT_THRESHOLDS }, unresolvedIdSeverity: DEFAULT_UNRESOLVED_ID_SEVERITY };
}

/** Later layers win for severities; lists accumulate. */
export function mergeSettings(base: RuleSettings, layer: Partial<RuleSettings>): RuleSettings {
  return {
    select: layer.select?.length ? [...layer.select] : base.select,
    ignore: [...base.ignore, ...(layer.ignore ?? [])],
    severity: { ...base.severity, ...(layer.severity ?? {}) },
    exclude: [...base.exclude, ...(layer.exclude ?? [])],
    perFileIgnores: { ...base.perFileIgnores, ...(layer.perFileIgnores ?? {}) },
    thresholds: { ...base.thresholds, ...(layer.thresholds ?? {}) },
    ...(layer.root ?? base.root ? { root: layer.root ?? base.root } : {}),
    unresolvedIdSeverity: layer.unresolvedIdSeverity ?? base.unresolvedIdSeverity,
    ...(base.license || layer.license ? { license: { ...base.license, ...layer.license } } : {}),
  };
}

/** A path with "/" separators, as globs want it. */
export function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** A glob relative to `base` made absolute, with the folder's own glob characters escaped, so it
 *  matches the same files wherever the scan starts. */
export function anchorGlob(base: string, glob: string): string {
  const escaped = toPosix(resolve(base)).replace(/[\\*?[\]{}()!+@|^$]/g, '\\$&').replace(/\/$/, '');
  return `${escaped}/${glob.replace(/^\.?\//, '')}`;
}

const isAnchored = (glob: string) => isAbsolute(glob) || /^[A-Za-z]:\//.test(glob);

/** Whether a glob (relative to `root`, or anchored) matches a file given relative to `root`. */
function globMatches(glob: string, relativePath: string, root: string | undefined): boolean {
  if (!isAnchored(glob)) return picomatch.isMatch(relativePath, glob, { dot: true });
  return root !== undefined && picomatch.isMatch(`${root.replace(/\/$/, '')}/${relativePath}`, glob, { dot: true });
}

const matchesCode = (code: string, patterns: string[]) => patterns.some((p) => code.startsWith(p.trim().toUpperCase()));

/** The severity a finding gets in a file, or undefined when the rule is off there. */
export function effectiveSeverity(settings: RuleSettings, code: string, defaultSeverity: Severity, relativePath: string): Severity | undefined {
  if (settings.select.length && !matchesCode(code, settings.select)) return undefined;
  if (matchesCode(code, settings.ignore)) return undefined;
  for (const [glob, codes] of Object.entries(settings.perFileIgnores)) {
    if (matchesCode(code, codes) && globMatches(glob, relativePath, settings.root)) return undefined;
  }
  const override = Object.entries(settings.severity)
    .filter(([prefix]) => code.startsWith(prefix.toUpperCase()))
    .sort(([a], [b]) => b.length - a.length)[0]?.[1];
  if (override === 'off') return undefined;
  return override ?? defaultSeverity;
}

/** A predicate over paths relative to `root` ("/" separators) for files and folders not to scan.
 *  The default excludes and relative globs match the relative path; anchored globs the absolute one. */
export function excludeMatcher(settings: RuleSettings, root?: string): (relativePath: string) => boolean {
  const relative = globsMatcher([...DEFAULT_EXCLUDES, ...settings.exclude.filter((g) => !isAnchored(g))]);
  const anchored = globsMatcher(settings.exclude.filter(isAnchored));
  const base = toPosix(resolve(root ?? settings.root ?? '.')).replace(/\/$/, '');
  return (path) => {
    if (relative(path) || relative(`${path}/`)) return true;
    const absolute = path ? `${base}/${path}` : base;
    return anchored(absolute) || anchored(`${absolute}/`);
  };
}

/**
 * One test for several globs that answers as `picomatch(globs, { dot: true })`: a path that equals a
 * glob or matches one of their expressions. picomatch's own matcher builds a result object per glob
 * per call; a walk asks twice per folder entry, and on a cold start that cost more than its reads.
 */
export function globsMatcher(globs: readonly string[]): (path: string) => boolean {
  if (!globs.length) return () => false;
  const windows = process.platform === 'win32';
  const expressions = globs.map((glob) => picomatch.makeRe(glob, { dot: true, windows }));
  // One alternation is exact only for expressions without back-references and with the same flags.
  if (expressions.some((re) => re.flags !== expressions[0].flags || /\\[1-9]/.test(re.source))) return picomatch([...globs], { dot: true });
  let combined: RegExp;
  try {
    combined = new RegExp(expressions.map((re) => re.source).join('|'), expressions[0].flags);
  } catch {
    return picomatch([...globs], { dot: true });
  }
  const literal = new Set(globs);
  return (path) => {
    if (path === '') return false;
    const posix = windows ? path.replace(/\\/g, '/') : path;
    return literal.has(posix) || combined.test(posix);
  };
}

/** Whether a file (absolute path) is excluded from a scan of `root`: for open documents. */
export function isExcluded(settings: RuleSettings, root: string, file: string): boolean {
  const excluded = excludeMatcher(settings, root);
  const parts = toPosix(relative(root, file)).split('/');
  // A file inside an excluded folder is excluded too: the workspace walk never enters that folder.
  return parts.some((_, i) => excluded(parts.slice(0, i + 1).join('/')));
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
