// Rule settings from every layer (defaults, ptm-lens.toml / pyproject.toml, editor
// settings) merged into one value that the engine consults.
import picomatch from 'picomatch';
import { SEVERITIES, type Severity } from '../core/types';

export interface RuleSettings {
  /** Codes or code prefixes to run; empty means all. */
  select: string[];
  /** Codes or code prefixes never reported. */
  ignore: string[];
  /** Severity per code (or prefix), overriding the rule's default; "off" disables. */
  severity: Record<string, Severity | 'off'>;
  /** Globs (relative to the project root) of files not scanned. */
  exclude: string[];
  /** Glob -> codes ignored in matching files. */
  perFileIgnores: Record<string, string[]>;
  thresholds: Thresholds;
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
}

export const DEFAULT_THRESHOLDS: Thresholds = { staleAfterDays: 1095, minCardScore: 0.5 };

export const DEFAULT_EXCLUDES = ['**/node_modules/**', '**/.git/**', '**/.venv/**', '**/venv/**', '**/__pycache__/**', '**/site-packages/**', '**/.tox/**'];

export function emptySettings(): RuleSettings {
  return { select: [], ignore: [], severity: {}, exclude: [], perFileIgnores: {}, thresholds: { ...DEFAULT_THRESHOLDS } };
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
    ...(base.license || layer.license ? { license: { ...base.license, ...layer.license } } : {}),
  };
}

const matchesCode = (code: string, patterns: string[]) => patterns.some((p) => code.startsWith(p.trim().toUpperCase()));

/** The severity a finding gets in a file, or undefined when the rule is off there. */
export function effectiveSeverity(settings: RuleSettings, code: string, defaultSeverity: Severity, relativePath: string): Severity | undefined {
  if (settings.select.length && !matchesCode(code, settings.select)) return undefined;
  if (matchesCode(code, settings.ignore)) return undefined;
  for (const [glob, codes] of Object.entries(settings.perFileIgnores)) {
    if (matchesCode(code, codes) && picomatch.isMatch(relativePath, glob, { dot: true })) return undefined;
  }
  const override = Object.entries(settings.severity)
    .filter(([prefix]) => code.startsWith(prefix.toUpperCase()))
    .sort(([a], [b]) => b.length - a.length)[0]?.[1];
  if (override === 'off') return undefined;
  return override ?? defaultSeverity;
}

/** A predicate over workspace-relative paths ("/" separators) for files not to scan. */
export function excludeMatcher(settings: RuleSettings): (relativePath: string) => boolean {
  const match = picomatch([...DEFAULT_EXCLUDES, ...settings.exclude], { dot: true });
  return (path) => match(path) || match(`${path}/`);
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
