// Checks a settings table (the config file's, or the editor's settings) against the schema of
// what PTM Lens understands and keeps the valid part. Problems come back as notes: "error"
// for what would change results wrongly (a type that cannot be read, a code pattern that
// matches every rule and so would silence everything), "warning" for what is only ignored
// (unknown keys, unknown rule codes). The CLI refuses to run on errors; the editor goes on
// with the valid part.
import picomatch from 'picomatch';
import type { Note } from '../core/notes';
import type { Severity } from '../core/types';
import { isSeverity, type RuleSettings, type Thresholds } from './settings';

/** How one key is named in messages: `select` in a config file, `ptmLens.rules.ignore` in the editor. */
export type KeyNamer = (key: string) => string;

export interface Validation {
  settings: Partial<RuleSettings>;
  notes: Note[];
}

/** Reads one key of the config table into `settings`, reporting problems through `check`. */
export type KeyReader = (check: SettingsValidator, key: string, value: unknown, settings: Partial<RuleSettings>) => void;

/**
 * The config file's keys and how each is read: the schema. A new setting is one entry here
 * (the checks it needs are methods of SettingsValidator).
 */
export const CONFIG_KEYS: Record<string, KeyReader> = {
  select: (check, key, value, settings) => (settings.select = check.codes(key, value, false)),
  ignore: (check, key, value, settings) => (settings.ignore = check.codes(key, value, true)),
  exclude: (check, key, value, settings) => (settings.exclude = check.globs(key, value)),
  severity: (check, key, value, settings) => (settings.severity = check.severity(key, value)),
  'per-file-ignores': (check, key, value, settings) => (settings.perFileIgnores = check.perFileIgnores(key, value)),
  thresholds: (check, key, value, settings) => (settings.thresholds = check.thresholds(key, value) as Thresholds | undefined),
  'unresolved-id-severity': (check, key, value, settings) => (settings.unresolvedIdSeverity = check.level(key, value)),
  'project-license': (check, key, value, settings) => setLicense(settings, { project: check.text(key, value, 'MIT') }),
  'intended-use': (check, key, value, settings) => setLicense(settings, { intendedUse: check.oneOf(key, value, INTENDED_USES) }),
};

const INTENDED_USES = ['commercial', 'non-commercial', 'research'] as const;

/** `project-license` and `intended-use` share one settings entry (PTM301-305). */
function setLicense(settings: Partial<RuleSettings>, part: NonNullable<RuleSettings['license']>): void {
  const defined = Object.fromEntries(Object.entries(part).filter(([, v]) => v !== undefined));
  if (Object.keys(defined).length) settings.license = { ...settings.license, ...defined };
}

const LEVELS = 'error, warning, info, hint or off';

/** Threshold keys, their setting names and ranges. */
const THRESHOLDS: Record<string, { field: keyof Thresholds; min: number; max: number }> = {
  'stale-after-days': { field: 'staleAfterDays', min: 1, max: 36500 },
  'min-card-score': { field: 'minCardScore', min: 0, max: 1 },
  'onnx-target-opset': { field: 'onnxTargetOpset', min: 7, max: 30 },
};

const isTable = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (isTable(value)) return 'a table';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value === 'number' || typeof value === 'bigint' ? 'the number' : typeof value === 'boolean' ? 'the boolean' : typeof value} ${String(value)}`;
}

export class SettingsValidator {
  readonly notes: Note[] = [];

  constructor(
    private readonly knownCodes: readonly string[],
    private readonly name: KeyNamer,
    /** Where the settings come from, put before each message (the config file's path). */
    private readonly source?: string,
  ) {}

  error(message: string): void {
    this.notes.push({ level: 'error', message: this.source ? `${this.source}: ${message}` : message });
  }

  warn(message: string): void {
    this.notes.push({ level: 'warning', message: this.source ? `${this.source}: ${message}` : message });
  }

  /** A whole config table: known keys read, unknown keys warned about. */
  table(table: Record<string, unknown>): Partial<RuleSettings> {
    const settings: Partial<RuleSettings> = {};
    for (const [key, value] of Object.entries(table)) {
      const read = Object.hasOwn(CONFIG_KEYS, key) ? CONFIG_KEYS[key] : undefined;
      if (read) read(this, key, value, settings);
      else this.warn(`unknown key ${this.name(key)} ignored (known: ${Object.keys(CONFIG_KEYS).join(', ')}).`);
    }
    for (const key of Object.keys(settings) as (keyof RuleSettings)[]) if (settings[key] === undefined) delete settings[key];
    return settings;
  }

  /**
   * A list of rule codes or prefixes, normalised (trimmed, upper case). `silences`: the list
   * turns rules off, so a pattern that matches every rule is an error, not a shortcut.
   */
  codes(key: string, value: unknown, silences: boolean): string[] | undefined {
    if (!Array.isArray(value)) {
      this.error(`${this.name(key)} must be a list of rule codes such as ["PTM402"], not ${typeName(value)}.`);
      return undefined;
    }
    const codes: string[] = [];
    for (const item of value) {
      if (typeof item !== 'string') {
        this.error(`${this.name(key)} must hold rule codes as strings, not ${typeName(item)}.`);
        continue;
      }
      const code = this.code(key, item, silences);
      if (code !== undefined) codes.push(code);
    }
    return codes;
  }

  /** One code or prefix, or undefined when it is not usable (with a note saying why). */
  code(key: string, raw: string, silences: boolean): string | undefined {
    const code = raw.trim().toUpperCase();
    if ('PTM'.startsWith(code)) {
      const what = `${this.name(key)} has ${JSON.stringify(raw)}, which matches every rule`;
      if (silences) this.error(`${what} and would silence them all; name codes or prefixes such as "PTM402" or "PTM4".`);
      else this.warn(`${what}; leave it out to mean all rules.`);
      return undefined;
    }
    if (this.knownCodes.length && !this.knownCodes.some((known) => known.startsWith(code))) {
      this.warn(`${this.name(key)}: unknown rule code ${JSON.stringify(raw)} ignored (rules: ${this.knownCodes.join(', ')}).`);
      return undefined;
    }
    return code;
  }

  globs(key: string, value: unknown): string[] | undefined {
    if (!Array.isArray(value)) {
      this.error(`${this.name(key)} must be a list of globs such as ["vendor/**"], not ${typeName(value)}.`);
      return undefined;
    }
    const globs: string[] = [];
    for (const item of value) {
      const glob = this.glob(key, item);
      if (glob !== undefined) globs.push(glob);
    }
    return globs;
  }

  glob(key: string, value: unknown): string | undefined {
    if (typeof value !== 'string') {
      this.error(`${this.name(key)} must hold globs as strings, not ${typeName(value)}.`);
      return undefined;
    }
    if (!value.trim()) {
      this.error(`${this.name(key)} has an empty glob; remove it or name files such as "vendor/**".`);
      return undefined;
    }
    try {
      picomatch.makeRe(value);
    } catch (error) {
      this.error(`${this.name(key)} has the glob ${JSON.stringify(value)}, which cannot be read (${(error as Error).message}).`);
      return undefined;
    }
    return value;
  }

  severity(key: string, value: unknown): RuleSettings['severity'] | undefined {
    if (!isTable(value)) {
      this.error(`${this.name(key)} must be a table of rule code = level (${LEVELS}), such as { PTM401 = "error" }, not ${typeName(value)}.`);
      return undefined;
    }
    const severity: RuleSettings['severity'] = {};
    for (const [raw, level] of Object.entries(value)) {
      if (!(isSeverity(level) || level === 'off')) {
        this.error(`${this.name(`${key}.${raw}`)} must be ${LEVELS}, not ${typeName(level)}.`);
        continue;
      }
      // A level for every rule at once silences them all when "off", and hides what each rule means otherwise.
      const code = this.code(key, raw, true);
      if (code !== undefined) severity[code] = level;
    }
    return severity;
  }

  perFileIgnores(key: string, value: unknown): RuleSettings['perFileIgnores'] | undefined {
    if (!isTable(value)) {
      this.error(`${this.name(key)} must be a table of glob = [rule codes], such as { "tests/**" = ["PTM402"] }, not ${typeName(value)}.`);
      return undefined;
    }
    const perFile: RuleSettings['perFileIgnores'] = {};
    for (const [glob, codes] of Object.entries(value)) {
      if (this.glob(key, glob) === undefined) continue;
      const read = this.codes(`${key}."${glob}"`, codes, true);
      if (read?.length) perFile[glob] = read;
    }
    return perFile;
  }

  /** One level: error, warning, info, hint or off (for settings such as a default severity). */
  level(key: string, value: unknown): Severity | 'off' | undefined {
    if (isSeverity(value) || value === 'off') return value;
    this.error(`${this.name(key)} must be ${LEVELS}, not ${typeName(value)}.`);
    return undefined;
  }

  /** One of a fixed set of words. */
  oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.error(`${this.name(key)} must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, not ${typeName(value)}.`);
    return undefined;
  }

  /** A non-empty string (e.g. an SPDX license expression). */
  text(key: string, value: unknown, example: string): string | undefined {
    if (typeof value === 'string' && value.trim()) return value.trim();
    this.error(`${this.name(key)} must be a non-empty string such as ${JSON.stringify(example)}, not ${typeName(value)}.`);
    return undefined;
  }

  thresholds(key: string, value: unknown): Partial<Thresholds> | undefined {
    if (!isTable(value)) {
      this.error(`${this.name(key)} must be a table such as { stale-after-days = 1095 }, not ${typeName(value)}.`);
      return undefined;
    }
    const thresholds: Partial<Thresholds> = {};
    for (const [name, raw] of Object.entries(value)) {
      const spec = THRESHOLDS[name];
      if (!spec) {
        this.warn(`unknown key ${this.name(`${key}.${name}`)} ignored (known: ${Object.keys(THRESHOLDS).join(', ')}).`);
        continue;
      }
      const number = typeof raw === 'bigint' ? Number(raw) : raw;
      if (typeof number !== 'number' || !Number.isFinite(number) || number < spec.min || number > spec.max) {
        this.error(`${this.name(`${key}.${name}`)} must be a number from ${spec.min} to ${spec.max}, not ${typeName(raw)}.`);
        continue;
      }
      thresholds[spec.field] = number;
    }
    return thresholds;
  }
}
