// The one place where the layers of settings combine, for the CLI and the editor alike:
// defaults, then the project's config file, then what the surface adds (command-line flags
// or the editor's ptmLens.* settings). Both surfaces call this, so the same folder gets the
// same rules in both.
import { dirname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import type { Note } from '../core/notes';
import { loadProjectConfig, lookupConfigFile } from './project-config';
import { DEFAULT_THRESHOLDS, emptySettings, mergeSettings, toPosix, type RuleSettings, type Thresholds } from './settings';
import { SettingsValidator } from './validate';

export interface SettingsOverrides {
  /** Who gives them, for naming them in messages: the editor's settings or command-line flags. */
  origin: 'editor' | 'cli';
  /** Globs relative to the folder (ptmLens.exclude, --exclude). */
  exclude?: string[];
  /** Codes or prefixes never reported (ptmLens.rules.ignore). */
  ignore?: unknown;
  /** Level per code or prefix (ptmLens.rules.severity). */
  severity?: unknown;
  /** A value equal to the default leaves the config file's value in force. */
  thresholds?: Partial<Record<keyof Thresholds, unknown>>;
}

export interface SettingsRequest {
  /** The folder scanned (CLI; a file's folder when a file is scanned) or the workspace folder (editor). */
  folder: string;
  /** Where the config lookup stops outside a repository: the workspace folder (editor), the
   *  current folder (CLI). Default: `folder`. Inside a repository it stops at the repository root. */
  boundary?: string;
  /** A config file named explicitly (--config): no lookup. */
  configFile?: string;
  overrides?: SettingsOverrides;
  /** Rule codes, so unknown codes in settings are warned about. */
  knownCodes?: readonly string[];
}

export interface ResolvedSettings {
  /** The valid part of every layer, combined. */
  settings: RuleSettings;
  /** The config file in use, if any: the CLI says it with --verbose, the editor logs it. */
  configFile?: string;
  /** Problems in the settings. Any "error": the CLI exits 2; the editor shows them once and goes on. */
  notes: Note[];
  hasErrors: boolean;
}

const NAMES: Record<SettingsOverrides['origin'], Record<string, string>> = {
  editor: {
    exclude: 'ptmLens.exclude',
    ignore: 'ptmLens.rules.ignore',
    severity: 'ptmLens.rules.severity',
    staleAfterDays: 'ptmLens.rules.staleAfterDays',
    minCardScore: 'ptmLens.rules.minCardScore',
    onnxTargetOpset: 'ptmLens.rules.onnxTargetOpset',
  },
  cli: { exclude: '--exclude' },
};

const RANGES: Record<keyof Thresholds, [number, number]> = { staleAfterDays: [1, 36500], minCardScore: [0, 1], onnxTargetOpset: [7, 30] };

export function resolveSettings(request: SettingsRequest): ResolvedSettings {
  const folder = resolve(request.folder);
  const knownCodes = request.knownCodes ?? [];
  const notes: Note[] = [];
  let configFile = request.configFile;
  if (configFile === undefined) {
    const lookup = lookupConfigFile(folder, request.boundary ?? folder);
    notes.push(...lookup.notes);
    configFile = lookup.file;
  }
  let settings = emptySettings();
  if (configFile !== undefined) {
    const config = loadProjectConfig(configFile, knownCodes);
    notes.push(...config.notes);
    settings = mergeSettings(settings, config.settings);
  }
  if (request.overrides) {
    const { layer, notes: problems } = readOverrides(request.overrides, knownCodes);
    notes.push(...problems);
    settings = mergeSettings(settings, layer);
  }
  settings = mergeSettings(settings, { root: toPosix(folder) });
  return { settings, configFile, notes, hasErrors: notes.some((note) => note.level === 'error') };
}

/** The folder settings apply to when a scan starts at `path` (a file's folder for a file). */
export function settingsFolder(path: string): string {
  try {
    return statSync(path).isDirectory() ? resolve(path) : dirname(resolve(path));
  } catch {
    return resolve(path);
  }
}

function readOverrides(overrides: SettingsOverrides, knownCodes: readonly string[]): { layer: Partial<RuleSettings>; notes: Note[] } {
  const names = NAMES[overrides.origin];
  const validator = new SettingsValidator(knownCodes, (key) => names[key] ?? key);
  const layer: Partial<RuleSettings> = {};
  if (overrides.exclude?.length) layer.exclude = validator.globs('exclude', overrides.exclude);
  if (overrides.ignore !== undefined) layer.ignore = validator.codes('ignore', overrides.ignore, true);
  if (overrides.severity !== undefined) layer.severity = validator.severity('severity', overrides.severity);
  const thresholds: Partial<Thresholds> = {};
  for (const [field, value] of Object.entries(overrides.thresholds ?? {}) as [keyof Thresholds, unknown][]) {
    if (value === undefined || value === DEFAULT_THRESHOLDS[field] || !(field in RANGES)) continue;
    const [min, max] = RANGES[field];
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) thresholds[field] = value;
    else validator.error(`${names[field] ?? field} must be a number from ${min} to ${max}, not ${JSON.stringify(value)}; using the default.`);
  }
  if (Object.keys(thresholds).length) layer.thresholds = thresholds as Thresholds;
  for (const key of Object.keys(layer) as (keyof RuleSettings)[]) if (layer[key] === undefined) delete layer[key];
  return { layer, notes: validator.notes };
}
