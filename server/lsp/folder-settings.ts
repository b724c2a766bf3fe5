// Effective rule settings per workspace folder: defaults, then the project's config
// file, then the editor's settings. Cached until configuration or config files change.
import { URI } from 'vscode-uri';
import type { Connection } from 'vscode-languageserver';
import { CONFIGURATION_SECTION, DEFAULT_SETTINGS, type PtmLensSettings } from '../../protocol';
import { readEditorSettings } from './editor-settings';
import type { ProblemReporter } from './problem-reporter';
import { resolveSettings } from '../config/resolve-settings';
import { mergeSettings, type RuleSettings } from '../config/settings';
import { RULE_CODES } from '../engine/workspace';
import type { ProjectFacts } from '../core/project-facts';
import { projectFacts } from '../engine/project';

export interface FolderSettings {
  editor: PtmLensSettings;
  rules: RuleSettings;
  /** Folder that relative paths and globs are measured from. */
  root: string;
  /** The folder's license and intended use, for the license rules. */
  project?: ProjectFacts;
}

export class FolderSettingsStore {
  private readonly cache = new Map<string, Promise<FolderSettings>>();

  constructor(
    private readonly connection: Connection,
    private readonly problems: ProblemReporter,
  ) {}

  clear(): void {
    this.cache.clear();
  }

  get(folderUri: string): Promise<FolderSettings> {
    let settings = this.cache.get(folderUri);
    if (!settings) {
      settings = this.load(folderUri);
      this.cache.set(folderUri, settings);
    }
    return settings;
  }

  private async load(folderUri: string): Promise<FolderSettings> {
    const root = URI.parse(folderUri).fsPath;
    let editor = DEFAULT_SETTINGS;
    let filesExclude: string[] = [];
    try {
      filesExclude = enabledGlobs(await this.connection.workspace.getConfiguration({ scopeUri: folderUri, section: 'files.exclude' }));
    } catch {
      // Clients without workspace/configuration hide no files.
    }
    try {
      const fromClient = await this.connection.workspace.getConfiguration({ scopeUri: folderUri, section: CONFIGURATION_SECTION });
      const reading = readEditorSettings(fromClient);
      editor = reading.settings;
      this.problems.report(reading.problems);
    } catch {
      // Clients without workspace/configuration get the defaults.
    }
    // The same combination the CLI makes: defaults, the config file (looked up no further than
    // this folder or its repository's root), then the editor's settings.
    const resolved = resolveSettings({
      folder: root,
      boundary: root,
      overrides: {
        origin: 'editor',
        // What the editor hides (VS Code's files.exclude) is not scanned either.
        exclude: [...editor.exclude, ...filesExclude],
        ignore: editor.rules.ignore,
        severity: editor.rules.severity,
        thresholds: { staleAfterDays: editor.rules.staleAfterDays, minCardScore: editor.rules.minCardScore, onnxTargetOpset: editor.rules.onnxTargetOpset },
      },
      knownCodes: RULE_CODES,
    });
    if (resolved.configFile) this.connection.console.info(`Config file for ${root}: ${resolved.configFile}`);
    else if (folderUri !== 'file:///') this.connection.console.info(`No config file for ${root}: defaults and editor settings apply.`);
    this.problems.report(resolved.notes.map((note) => ({ setting: note.file ?? resolved.configFile ?? 'ptmLens', message: note.message })));
    let rules = resolved.settings;
    if (editor.rules.unresolvedIdSeverity !== DEFAULT_SETTINGS.rules.unresolvedIdSeverity) rules = mergeSettings(rules, { unresolvedIdSeverity: editor.rules.unresolvedIdSeverity });
    // Editor settings for the license checks win over the config file when set.
    const { project: projectLicense, intendedUse } = editor.license;
    if (projectLicense || intendedUse) rules = mergeSettings(rules, { license: { ...(projectLicense ? { project: projectLicense } : {}), ...(intendedUse ? { intendedUse } : {}) } });
    const project = projectFacts(root, rules, projectLicense ? 'setting' : 'config');
    for (const note of project.notes) this.connection.console.info(`PTM Lens: ${note.message}`);
    return { editor, rules, root, project: project.facts };
  }
}

/** The globs of a `files.exclude` object that are switched on (`true`; conditional `{ when }` entries are left alone). */
export function enabledGlobs(filesExclude: unknown): string[] {
  if (!filesExclude || typeof filesExclude !== 'object' || Array.isArray(filesExclude)) return [];
  return Object.entries(filesExclude).filter(([glob, on]) => on === true && glob.trim() !== '').map(([glob]) => glob);
}
