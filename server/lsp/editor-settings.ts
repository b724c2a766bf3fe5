// Reads the `ptmLens.*` settings the editor sends. Anything malformed (a wrong type, a
// number out of range, an endpoint that is not an http(s) URL) is replaced by its
// default and reported by name, so one bad setting never stops the analysis.
import { DEFAULT_SETTINGS, type PtmLensSettings, type Severity } from '../../protocol';
import { normalizeEndpoint } from '../hub/settings';

export interface SettingProblem {
  /** Full setting name, e.g. "ptmLens.hub.endpoint". */
  setting: string;
  message: string;
}

export interface EditorSettingsReading<T> {
  settings: T;
  problems: SettingProblem[];
}

const LEVELS: readonly string[] = ['error', 'warning', 'info', 'hint', 'off'];

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

class Reader {
  readonly problems: SettingProblem[] = [];

  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly prefix: string,
  ) {}

  private bad(key: string, why: string, fallback: unknown): void {
    this.problems.push({ setting: `${this.prefix}.${key}`, message: `${this.prefix}.${key}: ${show(this.raw[key])} ${why}; using the default (${show(fallback)}).` });
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.bad(key, 'is not true or false', fallback);
    return fallback;
  }

  number(key: string, fallback: number, min: number, max: number): number {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
    this.bad(key, `is not a number from ${min} to ${max}`, fallback);
    return fallback;
  }

  strings(key: string, fallback: string[]): string[] {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim() !== '')) return value as string[];
    this.bad(key, 'is not a list of non-empty strings', fallback);
    return fallback;
  }

  severities(key: string): Record<string, Severity | 'off'> {
    const value = this.raw[key];
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.bad(key, 'is not an object of rule codes to severities', {});
      return {};
    }
    const result: Record<string, Severity | 'off'> = {};
    for (const [code, level] of Object.entries(value)) {
      if (code.trim() && typeof level === 'string' && LEVELS.includes(level)) result[code] = level as Severity | 'off';
      else this.problems.push({ setting: `${this.prefix}.${key}`, message: `${this.prefix}.${key}: ${show(code)}: ${show(level)} is not a rule code with error, warning, info, hint or off; ignored.` });
    }
    return result;
  }

  level(key: string, fallback: Severity | 'off'): Severity | 'off' {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && LEVELS.includes(value)) return value as Severity | 'off';
    this.bad(key, 'is not one of error, warning, info, hint or off', fallback);
    return fallback;
  }

  text(key: string, fallback: string): string {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string') return value.trim();
    this.bad(key, 'is not a string', fallback);
    return fallback;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.bad(key, `is not one of ${allowed.filter(Boolean).join(', ')}`, fallback);
    return fallback;
  }

  endpoint(key: string): string {
    const value = this.raw[key];
    if (value === undefined || value === null || value === '') return '';
    if (typeof value === 'string') {
      try {
        normalizeEndpoint(value);
        return value;
      } catch {
        // Reported below.
      }
    }
    this.bad(key, 'is not an http(s) URL such as https://huggingface.co', '');
    return '';
  }
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The `ptmLens.hub` section. */
export function readHubSettings(raw: unknown): EditorSettingsReading<PtmLensSettings['hub']> {
  const hub = new Reader(record(raw), 'ptmLens.hub');
  const settings = {
    enabled: hub.boolean('enabled', DEFAULT_SETTINGS.hub.enabled),
    endpoint: hub.endpoint('endpoint'),
    timeBudget: hub.number('timeBudget', DEFAULT_SETTINGS.hub.timeBudget, 0, 3600),
  };
  return { settings, problems: hub.problems };
}

/** The whole `ptmLens` section. */
export function readEditorSettings(raw: unknown): EditorSettingsReading<PtmLensSettings> {
  const top = new Reader(record(raw), 'ptmLens');
  const rules = new Reader(record(record(raw).rules), 'ptmLens.rules');
  const hub = readHubSettings(record(raw).hub);
  const license = new Reader(record(record(raw).license), 'ptmLens.license');
  const settings: PtmLensSettings = {
    enable: top.boolean('enable', DEFAULT_SETTINGS.enable),
    scanWorkspaceOnOpen: top.boolean('scanWorkspaceOnOpen', DEFAULT_SETTINGS.scanWorkspaceOnOpen),
    debounceMs: top.number('debounceMs', DEFAULT_SETTINGS.debounceMs, 0, 60_000),
    exclude: top.strings('exclude', DEFAULT_SETTINGS.exclude),
    rules: {
      ignore: rules.strings('ignore', DEFAULT_SETTINGS.rules.ignore),
      severity: rules.severities('severity'),
      staleAfterDays: rules.number('staleAfterDays', DEFAULT_SETTINGS.rules.staleAfterDays, 1, 36_500),
      minCardScore: rules.number('minCardScore', DEFAULT_SETTINGS.rules.minCardScore, 0, 1),
      onnxTargetOpset: rules.number('onnxTargetOpset', DEFAULT_SETTINGS.rules.onnxTargetOpset, 7, 30),
      unresolvedIdSeverity: rules.level('unresolvedIdSeverity', DEFAULT_SETTINGS.rules.unresolvedIdSeverity),
    },
    hub: hub.settings,
    license: {
      project: license.text('project', DEFAULT_SETTINGS.license.project),
      intendedUse: license.oneOf('intendedUse', ['', 'commercial', 'non-commercial', 'research'] as const, DEFAULT_SETTINGS.license.intendedUse),
    },
  };
  return { settings, problems: [...top.problems, ...rules.problems, ...hub.problems, ...license.problems] };
}
