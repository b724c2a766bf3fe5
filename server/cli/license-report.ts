// `ptm-lens license-report [PATH] --format text|json|markdown`: every model the workspace
// loads, its license and base chain, and the verdict against the project license.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findConfigFile, loadProjectConfig } from '../config/project-config';
import { emptySettings, mergeSettings } from '../config/settings';
import type { Note } from '../core/notes';
import { projectFacts } from '../engine/project';
import { scanWorkspace } from '../engine/workspace';
import { findLocalCommit } from '../hub/local-cache';
import { buildLicenseReport, licenseReportMarkdown, licenseReportText } from '../engine/license-report';
import { createHubSource } from './hub-source';
import { UsageError, type ScanCommand } from './options';

export const LICENSE_REPORT_HELP = `Usage: ptm-lens license-report [PATH] [options]

Lists every model the code under PATH loads, its license and base-model chain, and the
verdict against the project license (see "ptm-lens license --help" for the verdicts).

Options:
  --format text|json|markdown   output format (default: text)
  --output FILE                 write the report to FILE instead of standard output
  --project-license LICENSE     the project's license (default: project-license in the config
                                file, else LICENSE/COPYING and package metadata)
  --use USE                     intended use: commercial, non-commercial or research
  --config FILE                 read settings from FILE (default: the nearest ptm-lens.toml or pyproject.toml)
  --offline | --no-hub | --hub-fixture DIR   where Hub metadata comes from (as for scan)
  -h, --help                    show this help

Exit codes: 0 no incompatible model, 1 an incompatible model, 2 usage or runtime error.
`;

export async function runLicenseReport(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string', short: 'o' },
        'project-license': { type: 'string' },
        use: { type: 'string' },
        config: { type: 'string' },
        offline: { type: 'boolean', default: false },
        'no-hub': { type: 'boolean', default: false },
        'hub-fixture': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(LICENSE_REPORT_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`license-report takes one PATH, got also: ${positionals.slice(1).join(' ')}`);
  const format = values.format as string;
  if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError(`--format must be text, json or markdown, not "${format}"`);
  const use = values.use as string | undefined;
  if (use !== undefined && !['commercial', 'non-commercial', 'research'].includes(use)) throw new UsageError(`--use must be commercial, non-commercial or research, not "${use}"`);
  const fixture = values['hub-fixture'] as string | undefined;
  if ([values.offline, values['no-hub'], fixture !== undefined].filter(Boolean).length > 1) throw new UsageError('choose one of --offline, --no-hub and --hub-fixture');
  const root = resolve(positionals[0] ?? '.');
  if (!existsSync(root)) throw new UsageError(`no such file or folder: ${positionals[0]}`);
  const configFile = values.config ? resolve(values.config as string) : findConfigFile(root);
  if (values.config && !existsSync(configFile!)) throw new UsageError(`config file not found: ${values.config}`);

  const notes: Note[] = [];
  const warn = (message: string, level: Note['level'] = 'warning') => {
    notes.push({ level, message });
    process.stderr.write(`ptm-lens: ${message}\n`);
  };
  let settings = emptySettings();
  if (configFile) {
    const config = loadProjectConfig(configFile);
    for (const problem of config.problems) warn(problem);
    settings = mergeSettings(settings, config.settings);
  }
  const override = { ...settings.license, ...(values['project-license'] ? { project: values['project-license'] as string } : {}), ...(use ? { intendedUse: use as 'commercial' } : {}) };
  settings = mergeSettings(settings, { license: override });
  const projectRoot = configFile ? dirname(configFile) : statSync(root).isDirectory() ? root : dirname(root);
  const project = projectFacts(projectRoot, settings, values['project-license'] ? '--project-license' : 'config');
  for (const note of project.notes) warn(note.message, note.level);

  const hubMode: ScanCommand['hub'] = fixture !== undefined ? { mode: 'fixture', dir: fixture } : { mode: values['no-hub'] ? 'none' : values.offline ? 'offline' : 'network' };
  const hub = createHubSource(hubMode, (message) => warn(message));
  if (hub.note) warn(hub.note, 'info');
  let results;
  try {
    results = await scanWorkspace(root, {
      settings: mergeSettings(settings, { select: ['PTM3'] }),
      localCommit: (modelId) => findLocalCommit(modelId),
      facts: hub.facts,
      project: project.facts,
      onSkip: (file, reason) => warn(`skipped ${file}: ${reason}`),
    });
  } finally {
    await hub.close();
  }
  const report = buildLicenseReport(results, project.facts, notes);
  for (const note of report.notes.slice(notes.length)) process.stderr.write(`ptm-lens: ${note.message}\n`);
  const rendered = format === 'json' ? JSON.stringify(report, null, 2) + '\n' : format === 'markdown' ? licenseReportMarkdown(report) : licenseReportText(report);
  if (values.output) writeFileSync(values.output as string, rendered);
  else process.stdout.write(rendered);
  return report.models.some((m) => m.verdict === 'incompatible') ? 1 : 0;
}
