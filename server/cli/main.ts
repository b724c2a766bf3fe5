// `ptm-lens`: the command-line twin of the language server, for CI.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findConfigFile, loadProjectConfig } from '../config/project-config';
import { emptySettings, mergeSettings } from '../config/settings';
import { SEVERITIES } from '../core/types';
import { scanWorkspace, type FileResult } from '../engine/workspace';
import { toScanOutput } from '../report/records';
import { toSarif } from '../report/sarif';
import { toText } from '../report/text';
import { findLocalCommit } from '../hub/local-cache';
import { REPOSITORY_ANSWERS, type HubError } from '../hub/types';
import { createHubSource } from './hub-source';
import { checkOnnxCommand } from './check-onnx';
import { inspectOnnxCommand } from './inspect-onnx';
import { HELP, parseCommandLine, UsageError, type ScanCommand } from './options';

declare const PTM_LENS_VERSION: string | undefined;
const VERSION = typeof PTM_LENS_VERSION === 'string' ? PTM_LENS_VERSION : '0.0.0-dev';

async function scan(command: ScanCommand): Promise<number> {
  const root = resolve(command.path);
  if (!existsSync(root)) throw new UsageError(`no such file or folder: ${command.path}`);
  const configFile = command.config ? resolve(command.config) : findConfigFile(root);
  if (command.config && !existsSync(configFile!)) throw new UsageError(`config file not found: ${command.config}`);
  let settings = emptySettings();
  if (configFile) {
    const config = loadProjectConfig(configFile);
    for (const problem of config.problems) process.stderr.write(`ptm-lens: ${problem}\n`);
    settings = mergeSettings(settings, config.settings);
  }
  settings = mergeSettings(settings, { exclude: command.exclude });
  const warn = (message: string) => process.stderr.write(`ptm-lens: ${message}\n`);
  const hub = createHubSource(command.hub, warn);
  if (hub.note) warn(hub.note);
  let results;
  try {
    results = await scanWorkspace(root, {
      settings,
      localCommit: (modelId) => findLocalCommit(modelId),
      facts: hub.facts,
      onSkip: (file, reason) => warn(`skipped ${file}: ${reason}`),
    });
  } finally {
    await hub.close();
  }
  reportLookupFailures(results, warn);
  const output = toScanOutput(results);
  const rendered =
    command.format === 'json' ? JSON.stringify(output, null, 2) + '\n'
    : command.format === 'sarif' ? JSON.stringify(toSarif(output, VERSION), null, 2) + '\n'
    : toText(output, command.color);
  if (command.output) writeFileSync(command.output, rendered);
  else process.stdout.write(rendered);
  if (command.failOn === 'never') return 0;
  const threshold = SEVERITIES.indexOf(command.failOn);
  return output.findings.some((f) => SEVERITIES.indexOf(f.severity) <= threshold) ? 1 : 0;
}

/** Lookups that failed for reasons other than the model's own state: say so once per model. */
function reportLookupFailures(results: FileResult[], warn: (message: string) => void): void {
  const failed = new Map<string, HubError>();
  for (const result of results) {
    for (const [key, facts] of result.facts ?? []) {
      if (!facts.info.ok && !REPOSITORY_ANSWERS.has(facts.info.error.kind)) failed.set(key.split('@')[0], facts.info.error);
    }
  }
  if (!failed.size) return;
  const [first] = failed.values();
  const count = `${failed.size} model${failed.size === 1 ? '' : 's'}`;
  if (first.kind === 'offline') {
    warn(`offline: no Hub metadata cached for ${count}; rules that need it were skipped for them.`);
  } else {
    warn(`Hub lookups failed for ${count} (${first.message}); rules that need Hub metadata were skipped for them. Use --offline or --no-hub to scan without the network.`);
  }
}

async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === 'inspect-onnx') return await inspectOnnxCommand(argv.slice(1));
    if (argv[0] === 'check-onnx') return await checkOnnxCommand(argv.slice(1));
    const command = parseCommandLine(argv);
    if (command.command === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (command.command === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    return await scan(command);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ptm-lens: ${error.message}\nRun "ptm-lens --help" for usage.\n`);
    } else {
      process.stderr.write(`ptm-lens: ${(error as Error).stack ?? error}\n`);
    }
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
