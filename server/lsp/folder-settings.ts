// Effective rule settings per workspace folder: defaults, then the project's config
// file, then the editor's settings. Cached until configuration or config files change.
import { URI } from 'vscode-uri';
import type { Connection } from 'vscode-languageserver';
import { CONFIGURATION_SECTION, DEFAULT_SETTINGS, type PtmLensSettings } from '../../protocol';
import { findConfigFile, loadProjectConfig } from '../config/project-config';
import { emptySettings, mergeSettings, type RuleSettings } from '../config/settings';
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
  private readonly reported = new Set<string>();

  constructor(private readonly connection: Connection) {}

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
    try {
      const fromClient = (await this.connection.workspace.getConfiguration({ scopeUri: folderUri, section: CONFIGURATION_SECTION })) as Partial<PtmLensSettings> | null;
      editor = {
        ...DEFAULT_SETTINGS,
        ...(fromClient ?? {}),
        rules: { ...DEFAULT_SETTINGS.rules, ...(fromClient?.rules ?? {}) },
        hub: { ...DEFAULT_SETTINGS.hub, ...(fromClient?.hub ?? {}) },
        license: { ...DEFAULT_SETTINGS.license, ...(fromClient?.license ?? {}) },
      };
    } catch {
      // Clients without workspace/configuration get the defaults.
    }
    let rules = emptySettings();
    const file = findConfigFile(root);
    if (file) {
      const config = loadProjectConfig(file);
      rules = mergeSettings(rules, config.settings);
      for (const problem of config.problems) {
        if (this.reported.has(problem)) continue;
        this.reported.add(problem);
        this.connection.window.showWarningMessage(`PTM Lens: ${problem}`);
      }
    }
    // Editor thresholds win only where the user changed them from the defaults.
    const thresholds = {
      ...(editor.rules.staleAfterDays !== DEFAULT_SETTINGS.rules.staleAfterDays ? { staleAfterDays: editor.rules.staleAfterDays } : {}),
      ...(editor.rules.minCardScore !== DEFAULT_SETTINGS.rules.minCardScore ? { minCardScore: editor.rules.minCardScore } : {}),
    };
    rules = mergeSettings(rules, { ignore: editor.rules.ignore, severity: editor.rules.severity, exclude: editor.exclude, thresholds: { ...rules.thresholds, ...thresholds } });
    // Editor settings for the license checks win over the config file when set.
    const { project: projectLicense, intendedUse } = editor.license;
    if (projectLicense || intendedUse) rules = mergeSettings(rules, { license: { ...(projectLicense ? { project: projectLicense } : {}), ...(intendedUse ? { intendedUse } : {}) } });
    const project = projectFacts(root, rules, projectLicense ? 'setting' : 'config');
    for (const note of project.notes) this.connection.console.info(`PTM Lens: ${note.message}`);
    return { editor, rules, root, project: project.facts };
  }
}
