// The project facts (license, intended use) for one workspace folder, from the settings
// and the folder's files, gathered once per scan.
import type { RuleSettings } from '../config/settings';
import type { Note } from '../core/notes';
import type { ProjectFacts } from '../core/project-facts';
import { detectProjectLicense } from '../license/project-license';

export function projectFacts(root: string, settings: RuleSettings, settingSource = 'config'): { facts: ProjectFacts; notes: Note[] } {
  const override = settings.license?.project ? { license: settings.license.project, source: settingSource } : undefined;
  const { found, notes } = detectProjectLicense(root, override);
  const facts: ProjectFacts = {};
  if (found) facts.license = found;
  if (settings.license?.intendedUse) facts.intendedUse = settings.license.intendedUse;
  return { facts, notes };
}
