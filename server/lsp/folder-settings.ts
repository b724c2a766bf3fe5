// Effective rule settings per workspace folder: defaults, then the project's config
// file, then the editor's settings. Cached until configuration or config files change.
import { URI } from 'vscode-uri';
import type { Connection } from 'vscode-languageserver';
import { CONFIGURATION_SECTION, DEFAULT_SETTINGS, type PtmLensSettings } from '../../protocol';
import { readEditorSettings } from './editor-settings';
import type { ProblemReporter } from './problem-reporter';
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
    try {
      const fromClient = await this.connection.workspace.getConfiguration({ scopeUri: folderUri, section: CONFIGURATION_SECTION });
      const reading = readEditorSettings(fromClient);
      editor = reading.settings;
      this.problems.report(reading.problems);
    } catch {
      // Clients without workspace/configuration get the defaults.
    }
    let rules = emptySettings();
    const file = findConfigFile(root);
    if (file) {
      const config = loadProjectConfig(file);
      this.connection.console.info(`Config file for ${root}: ${file}`);
      rules = mergeSettings(rules, config.settings);
      this.problems.report(config.problems.map((message) => ({ setting: file, message })));
    } else if (folderUri !== 'file:///') {
      this.connection.console.info(`No config file for ${root}: defaults and editor settings apply.`);
    }
    // Editor thresholds win only where the user changed them from the defaults.
    const thresholds = {
      ...(editor.rules.staleAfterDays !== DEFAULT_SETTINGS.rules.staleAfterDays ? { staleAfterDays: editor.rules.staleAfterDays } : {}),
      ...(editor.rules.minCardScore !== DEFAULT_SETTINGS.rules.minCardScore ? { minCardScore: editor.rules.minCardScore } : {}),
    };
    const unresolved = editor.rules.unresolvedIdSeverity !== DEFAULT_SETTINGS.rules.unresolvedIdSeverity ? { unresolvedIdSeverity: editor.rules.unresolvedIdSeverity } : {};
    rules = mergeSettings(rules, { ignore: editor.rules.ignore, severity: editor.rules.severity, exclude: editor.exclude, thresholds: { ...rules.thresholds, ...thresholds }, ...unresolved });
    // Editor settings for the license checks win over the config file when set.
    const { project: projectLicense, intendedUse } = editor.license;
    if (projectLicense || intendedUse) rules = mergeSettings(rules, { license: { ...(projectLicense ? { project: projectLicense } : {}), ...(intendedUse ? { intendedUse } : {}) } });
    const project = projectFacts(root, rules, projectLicense ? 'setting' : 'config');
    for (const note of project.notes) this.connection.console.info(`PTM Lens: ${note.message}`);
    return { editor, rules, root, project: project.facts };
  }
}
