// Reads the project's config file: `ptm-lens.toml`, or `[tool.ptm-lens]` in
// `pyproject.toml`, found in the folder or its parents. The CLI and the server share it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseToml } from './toml';
import { isSeverity, type RuleSettings } from './settings';

export interface ProjectConfig {
  /** The file the settings came from, if any. */
  file?: string;
  /** The folder that globs in the file are relative to. */
  root?: string;
  settings: Partial<RuleSettings>;
  /** Problems found in the file: reported to the user, never fatal. */
  problems: string[];
}

export function findConfigFile(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const own = join(dir, 'ptm-lens.toml');
    if (existsSync(own)) return own;
    const pyproject = join(dir, 'pyproject.toml');
    if (existsSync(pyproject) && /^\s*\[tool\.ptm-lens[\].]/m.test(readFileSync(pyproject, 'utf8'))) return pyproject;
    if (dirname(dir) === dir) return undefined;
  }
}

export function loadProjectConfig(file: string): ProjectConfig {
  const problems: string[] = [];
  let table: Record<string, unknown> = {};
  try {
    const document = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (file.endsWith('pyproject.toml')) {
      const tool = document.tool as Record<string, unknown> | undefined;
      table = (tool?.['ptm-lens'] as Record<string, unknown>) ?? {};
    } else {
      table = document;
    }
  } catch (error) {
    problems.push(`${file}: not valid TOML (${(error as Error).message.split('\n')[0]}); using defaults.`);
  }
  return { file, root: dirname(file), settings: readSettings(table, file, problems), problems };
}

function readSettings(table: Record<string, unknown>, file: string, problems: string[]): Partial<RuleSettings> {
  const settings: Partial<RuleSettings> = {};
  const known = new Set(['select', 'ignore', 'exclude', 'severity', 'per-file-ignores', 'thresholds', 'project-license', 'intended-use']);
  for (const key of Object.keys(table)) if (!known.has(key)) problems.push(`${file}: unknown key "${key}" ignored.`);
  const list = (key: string): string[] | undefined => {
    const value = table[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    problems.push(`${file}: "${key}" must be a list of strings.`);
    return undefined;
  };
  settings.select = list('select');
  settings.ignore = list('ignore');
  settings.exclude = list('exclude');
  const severity = table.severity;
  if (severity !== undefined) {
    settings.severity = {};
    for (const [code, level] of Object.entries(severity as Record<string, unknown>)) {
      if (isSeverity(level) || level === 'off') settings.severity[code] = level;
      else problems.push(`${file}: severity of ${code} must be error, warning, info, hint or off.`);
    }
  }
  const perFile = table['per-file-ignores'];
  if (perFile !== undefined) {
    settings.perFileIgnores = {};
    for (const [glob, codes] of Object.entries(perFile as Record<string, unknown>)) {
      if (Array.isArray(codes) && codes.every((c) => typeof c === 'string')) settings.perFileIgnores[glob] = codes;
      else problems.push(`${file}: per-file-ignores."${glob}" must be a list of rule codes.`);
    }
  }
  const thresholds = table.thresholds as Record<string, unknown> | undefined;
  if (thresholds !== undefined) {
    const read = (key: string, min: number, max: number): number | undefined => {
      const value = thresholds[key];
      if (value === undefined) return undefined;
      if (typeof value === 'number' && value >= min && value <= max) return value;
      problems.push(`${file}: thresholds.${key} must be a number from ${min} to ${max}.`);
      return undefined;
    };
    const staleAfterDays = read('stale-after-days', 1, 36500);
    const minCardScore = read('min-card-score', 0, 1);
    settings.thresholds = {
      ...(staleAfterDays === undefined ? {} : { staleAfterDays }),
      ...(minCardScore === undefined ? {} : { minCardScore }),
    } as RuleSettings['thresholds'];
  }
  const license = readLicenseKeys(table, file, problems);
  if (license) settings.license = license;
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

const INTENDED_USES = ['commercial', 'non-commercial', 'research'] as const;

function readLicenseKeys(table: Record<string, unknown>, file: string, problems: string[]): RuleSettings['license'] {
  const project = table['project-license'];
  const use = table['intended-use'];
  const out: NonNullable<RuleSettings['license']> = {};
  if (typeof project === 'string' && project.trim()) out.project = project.trim();
  else if (project !== undefined) problems.push(`${file}: "project-license" must be an SPDX license id or expression, e.g. "MIT".`);
  if ((INTENDED_USES as readonly unknown[]).includes(use)) out.intendedUse = use as (typeof INTENDED_USES)[number];
  else if (use !== undefined) problems.push(`${file}: "intended-use" must be commercial, non-commercial or research.`);
  return out.project || out.intendedUse ? out : undefined;
}
