// `ptm-lens`: the command-line twin of the language server, for CI.
import { closeSync, existsSync, openSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { lookupLimit } from '../config/project-config';
import { resolveSettings } from '../config/resolve-settings';
import { errorReason, UnreadableFileError } from '../core/read-regular-file';
import { SEVERITIES } from '../core/types';
import { isSourceFile, listSourceFiles, RULE_CODES, scanTarget, scanWorkspace, unscannedKind, type FileResult } from '../engine/workspace';
import { toScanOutput } from '../report/records';
import { toSarif } from '../report/sarif';
import { escapeForTerminal } from '../report/escape';
import { toText } from '../report/text';
import { findLocalCommit } from '../hub/local-cache';
import { hubCacheDirs } from '../hub/settings';
import { HubSettingError } from '../hub/settings';
import { REPOSITORY_ANSWERS, type HubError } from '../hub/types';
import { createHubSource } from './hub-source';
import { lookupBoundary } from './lookup-boundary';
import { NoteList } from './notes';
import { HELP, parseCommandLine, UsageError, type ScanCommand } from './options';
import { projectFacts } from '../engine/project';
import { scanOnnxFiles, type ScannedOnnxFile } from '../engine/onnx-file';
import { BaselineError, newFindings, readBaseline } from './baseline';
import { ScanProgress } from './scan-progress';
import type { Note } from '../core/notes';

/** The run cannot go on for a reason the message states fully (exit 2, no usage hint). */
class RunError extends Error {}

declare const PTM_LENS_VERSION: string | undefined;
const VERSION = typeof PTM_LENS_VERSION === 'string' ? PTM_LENS_VERSION : '0.0.0-dev';

async function scan(command: ScanCommand, notes: NoteList): Promise<number> {
  const root = resolve(command.path);
  let target;
  try {
    target = scanTarget(root);
  } catch (error) {
    const reason = error instanceof UnreadableFileError ? error.reason : errorReason(error);
    if (reason === 'no such file or folder') throw new UsageError(`no such file or folder: ${command.path}`);
    throw new RunError(`cannot scan ${command.path}: ${reason}.`);
  }
  const folder = target === 'folder' ? root : dirname(root);
  // Read before scanning: a baseline that cannot be used stops the run before any work.
  const baseline = command.baseline !== undefined ? readBaseline(command.baseline) : undefined;
  if (command.config && !existsSync(resolve(command.config))) throw new UsageError(`config file not found: ${command.config}`);
  const config = resolveSettings({
    folder,
    boundary: lookupBoundary(folder),
    configFile: command.config ? resolve(command.config) : undefined,
    overrides: { origin: 'cli', exclude: command.exclude },
    knownCodes: RULE_CODES,
  });
  if (command.verbose) {
    const said = config.configFile ? `using ${config.configFile}` : `no config file in ${folder} or its parents up to ${lookupLimit(folder, lookupBoundary(folder))}`;
    process.stderr.write(`ptm-lens: config: ${escapeForTerminal(said)}\n`);
  }
  notes.addAll(config.notes);
  if (config.hasErrors) throw new RunError('configuration errors (above): fix them, then scan again.');
  const settings = config.settings;
  const warn = (message: string) => notes.warn(message);
  // The project's license sits next to its config file, or in the scanned folder.
  const project = projectFacts(config.configFile ? dirname(config.configFile) : statSync(root).isDirectory() ? root : dirname(root), settings);
  notes.addAll(project.notes);
  let results: FileResult[] = [];
  // One walk lists a folder's source files and its ONNX files; what the walk has to say is
  // told where the scan used to say it, after the ONNX files' notes.
  const onnxPaths: string[] = [];
  const listingNotes: Note[] = [];
  const sourceFiles = target === 'folder' ? await listSourceFiles(root, settings, (note) => listingNotes.push(note), onnxPaths) : undefined;
  // ONNX graphs in the tree (or the one named) are read for PTM502/PTM503, never their weights.
  const onnxFiles: ScannedOnnxFile[] = await scanOnnxFiles(root, settings, (note) => notes.add(note), sourceFiles && onnxPaths);
  if (target === 'file' && root.toLowerCase().endsWith('.onnx')) {
    // Read above.
  } else if (target === 'file' && !isSourceFile(root)) {
    notes.info(`not scanned yet: ${unscannedKind(root)} (docs/languages.md lists the files PTM Lens reads).`, basename(root));
  } else {
    // A note line first clears the progress line it would otherwise be written behind.
    const progress = new ScanProgress(process.stderr);
    const hub = createHubSource(command.hub, warn, command.hubBudgetSeconds, (note) => {
      progress.stop();
      notes.add(note);
    });
    if (hub.note) notes.info(hub.note);
    const hubCaches = hubCacheDirs();
    try {
      notes.addAll(listingNotes);
      results = await scanWorkspace(root, {
        files: sourceFiles,
        settings,
        // The local cache folders are worked out once for the run, not for every model met.
        localCommit: (modelId) => findLocalCommit(modelId, undefined, process.env, hubCaches),
        facts: hub.facts,
        surface: 'cli',
        project: project.facts,
        onNote: (note) => {
          progress.stop();
          notes.add(note);
        },
        onProgress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.stop();
      await hub.close();
    }
  }
  notes.close();
  reportLookupFailures(results, warn);
  // Files without references or findings add nothing to the report (and need no line index).
  const scanned = toScanOutput(results.filter((r) => r.references.length || r.findings.length), [], onnxFiles);
  let findings = scanned.findings;
  if (baseline) {
    const fresh = newFindings(findings, baseline);
    if (fresh.known) notes.info(`baseline: ${fresh.known} finding${fresh.known === 1 ? '' : 's'} already in ${command.baseline} not reported.`);
    findings = fresh.findings;
  }
  const output = { ...toScanOutput([], notes.notes), references: scanned.references, findings };
  // JSON's closing line break is written after it, not appended (that copies megabytes of report).
  const [rendered, end] =
    command.format === 'json' ? [JSON.stringify(output, null, 2), '\n']
    : command.format === 'sarif' ? [JSON.stringify(toSarif(output, VERSION), null, 2), '\n']
    : [toText(output, command.color), ''];
  if (command.output) {
    try {
      const fd = openSync(command.output, 'w');
      try {
        writeFileSync(fd, rendered);
        if (end) writeFileSync(fd, end);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      throw new RunError(`cannot write ${command.output}: ${errorReason(error)}.`);
    }
  } else {
    process.stdout.write(rendered);
    if (end) process.stdout.write(end);
  }
  if (command.failOn === 'never') return 0;
  const threshold = SEVERITIES.indexOf(command.failOn);
  return output.findings.some((f) => SEVERITIES.indexOf(f.severity) <= threshold) ? 1 : 0;
}

/**
 * Lookups that failed for reasons other than the model's own state, in one line per kind of
 * failure; why the Hub could not be asked was already said once, as a Hub note.
 */
function reportLookupFailures(results: FileResult[], warn: (message: string) => void): void {
  const failed = new Map<string, HubError>();
  for (const result of results) {
    for (const [key, facts] of result.facts ?? []) {
      if (!facts.info.ok && !REPOSITORY_ANSWERS.has(facts.info.error.kind)) failed.set(key.split('@')[0], facts.info.error);
    }
  }
  const models = (n: number) => `${n} model${n === 1 ? '' : 's'}`;
  const byKind = (kind: (k: HubError['kind']) => boolean) => [...failed.values()].filter((e) => kind(e.kind));
  const offline = byKind((k) => k === 'offline');
  // Once lookups were skipped (the Hub unreachable, the budget spent), the few that failed
  // finding that out belong to the same story, told once as a Hub note already.
  const cut = byKind((k) => k === 'not-looked-up').length > 0;
  const together = (k: HubError['kind']) => k === 'not-looked-up' || (cut && (k === 'network' || k === 'timeout' || k === 'rate-limited'));
  const skipped = byKind(together);
  const other = byKind((k) => k !== 'offline' && !together(k));
  if (offline.length) warn(`offline: no Hub metadata cached for ${models(offline.length)}; rules that need it were skipped for them.`);
  if (skipped.length) warn(`no Hub metadata for ${models(skipped.length)} (the Hub could not be asked, see above; not in the caches either); rules that need it were skipped for them.`);
  if (other.length) {
    warn(`Hub lookups failed for ${models(other.length)} (${other[0].message}); rules that need Hub metadata were skipped for them. Use --offline or --no-hub to scan without the network.`);
  }
}

async function main(argv: string[]): Promise<number> {
  const notes = new NoteList();
  try {
    // Other subcommands are loaded when asked for: a scan does not pay for evaluating them.
    if (argv[0] === 'license') return (require('./license') as typeof import('./license')).runLicenseCommand(argv.slice(1));
    if (argv[0] === 'license-report') return await (require('./license-report') as typeof import('./license-report')).runLicenseReport(argv.slice(1));
    if (argv[0] === 'inspect-onnx') return await (require('./inspect-onnx') as typeof import('./inspect-onnx')).inspectOnnxCommand(argv.slice(1));
    if (argv[0] === 'check-onnx') return await (require('./check-onnx') as typeof import('./check-onnx')).checkOnnxCommand(argv.slice(1));
    if (argv[0] === 'name') return await (require('./name') as typeof import('./name')).nameCommand(argv.slice(1));
    if (argv[0] === 'probe') return await (require('./probe') as typeof import('./probe')).probeCommand(argv.slice(1));
    const command = parseCommandLine(argv);
    if (command.command === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (command.command === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    return await scan(command, notes);
  } catch (error) {
    reportError(error, argv.includes('--debug'));
    return 2;
  }
}

/** One line for the user; the stack trace only with --debug. */
function reportError(error: unknown, debug: boolean): void {
  if (error instanceof UsageError) {
    process.stderr.write(`ptm-lens: ${oneLine(error.message)}\nRun "ptm-lens --help" for usage.\n`);
  } else if (error instanceof RunError || error instanceof HubSettingError || error instanceof BaselineError) {
    process.stderr.write(`ptm-lens: ${oneLine(error.message)}\n`);
  } else if (debug) {
    process.stderr.write(`ptm-lens: ${(error as Error)?.stack ?? String(error)}\n`);
  } else {
    // Typed errors from lower layers (a malformed HF_ENDPOINT, ...) carry a message meant for users.
    process.stderr.write(`ptm-lens: ${oneLine((error as Error)?.message ?? String(error))} (run with --debug for details)\n`);
  }
}

const oneLine = (text: string) => escapeForTerminal(text.split('\n')[0].trim());

// Nothing may escape as a stack trace, not even from a callback outside main's await chain.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    reportError(error, process.argv.includes('--debug'));
    process.exit(2);
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
