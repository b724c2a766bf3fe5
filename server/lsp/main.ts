// The PTM Lens language server: analyses Python files as they are edited and the
// workspace on open, and answers diagnostics, hovers and quick fixes.
import { dirname, sep } from 'node:path';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { CONFIGURATION_SECTION, DEFAULT_SETTINGS, HUB_CONNECTION_NOTIFICATION, HUB_STATE_NOTIFICATION, SCAN_WORKSPACE_REQUEST, STATUS_NOTIFICATION, type HubConnectionParams, type PtmLensSettings, type ScanSummary, type StatusParams, LICENSE_REPORT_REQUEST, type LicenseReportResult } from '../../protocol';
import { isExcluded } from '../config/settings';
import { listSourceFiles, maxBytesFor, toRelative, scanWorkspace as scanFolder } from '../engine/workspace';
import { readRegularFile } from '../core/read-regular-file';
import { buildLicenseReport, licenseReportMarkdown } from '../engine/license-report';
import { findLocalCommit } from '../hub/local-cache';
import { AnalysisPool, type IndexSource } from './analysis-pool';
import { codeActionsFor } from './code-actions';
import { toDiagnostic } from './convert';
import { DocumentAnalyses, withText, type AnalysisEntry, type AnalyzerResult } from './document-analyses';
import { noteDiagnostic } from './note-diagnostic';
import { readHubSettings } from './editor-settings';
import { ProblemReporter } from './problem-reporter';
import { DEFAULT_ENDPOINT } from '../hub/settings';
import { FolderSettingsStore } from './folder-settings';
import { hoverMarkdown } from './hover';
import { HubConnection } from './hub-connection';
import { factsKey, pinnedRevision } from '../engine/model-facts';
import { licenseHoverRows } from '../engine/license-hover';
import { onnxCheckActions } from './onnx-actions';
import { OnnxFileDiagnostics } from './onnx-diagnostics';
import { OnnxVerdicts } from './onnx-verdicts';
import { registerOnnxRequests } from './onnx-requests';
import { probeActions } from './probe-actions';
import { registerNameRequests } from './name-requests';
import type { ModelFacts } from '../core/model-facts';
import { cellEntry, fileEntry, NOTEBOOK_SELECTOR, NotebookSync } from './notebook-sync';
import { WorkspaceIndexes } from './workspace-indexes';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const notebookSync = new NotebookSync();
const problems = new ProblemReporter(
  (line) => connection.console.warn(line),
  (message) => void Promise.resolve(connection.window.showWarningMessage(message) as unknown).catch(() => undefined),
);
const folderSettings = new FolderSettingsStore(connection, problems);
let workspaceFolders: string[] = [];
let snippetEdits = false;
let dynamicConfiguration = false;
let folderChangeEvents = false;
let watchRegistration = false;

const hub = new HubConnection((level, message) => {
  if (level === 'error') connection.console.error(message);
  else if (level === 'warn') connection.console.warn(message);
  else if (level === 'info') connection.console.info(message);
  else connection.console.log(message);
}, (modelId, answered) => refreshModel(modelId, answered), {
  showProblem: (message) => void Promise.resolve(connection.window.showWarningMessage(message)).catch(() => undefined),
  sendState: (params) => void connection.sendNotification(HUB_STATE_NOTIFICATION, params),
});

/** Models whose Hub facts just arrived; the files that mention them are analysed again. */
const arrived = new Set<string>();
let refreshTimer: NodeJS.Timeout | undefined;

/** When each model last caused a refresh: a lookup that keeps failing (offline) must not loop. */
const lastRefresh = new Map<string, number>();
const REFRESH_AGAIN_MS = 30_000;

function refreshModel(modelId: string, answered: boolean): void {
  const now = Date.now();
  // An answer always refreshes (its facts are then known: no loop); only failed lookups are throttled,
  // so a retry that succeeds soon after a failure still reaches the diagnostics.
  if (!answered && now - (lastRefresh.get(modelId) ?? -Infinity) < REFRESH_AGAIN_MS) return;
  lastRefresh.set(modelId, now);
  arrived.add(modelId);
  refreshTimer ??= setTimeout(() => {
    refreshTimer = undefined;
    const ids = new Set(arrived);
    arrived.clear();
    for (const entry of [...analyses.all()]) {
      if (entry.references.some((r) => r.modelId && ids.has(r.modelId))) void analyzeAsItIsNow(entry.uri);
    }
  }, 100);
}

async function hubSettings(): Promise<PtmLensSettings['hub']> {
  try {
    const reading = readHubSettings(await connection.workspace.getConfiguration({ section: `${CONFIGURATION_SECTION}.hub` }));
    problems.report(reading.problems);
    return reading.settings;
  } catch {
    return DEFAULT_SETTINGS.hub;
  }
}

/** (Re)builds the Hub client; a value the client still refuses (e.g. HF_ENDPOINT) falls back to the default endpoint. */
async function configureHub(params?: HubConnectionParams): Promise<boolean> {
  const settings = await hubSettings();
  try {
    return hub.configure(settings, params);
  } catch (error) {
    const value = settings.endpoint ? `ptmLens.hub.endpoint "${settings.endpoint}"` : `HF_ENDPOINT "${process.env.HF_ENDPOINT ?? ''}"`;
    problems.report([{ setting: 'Hub endpoint', message: `the Hub endpoint could not be used: ${value} (${(error as Error).message}); using ${DEFAULT_ENDPOINT}.` }]);
    return hub.configure({ ...settings, endpoint: DEFAULT_ENDPOINT }, params);
  }
}

/** The workspace folder holding a file (the longest matching folder URI). */
function folderOf(uri: string): string | undefined {
  return workspaceFolders.filter((folder) => uri.startsWith(folder.endsWith('/') ? folder : `${folder}/`)).sort((a, b) => b.length - a.length)[0];
}

async function projectOf(uri: string) {
  const folder = folderOf(uri);
  return folder ? (await folderSettings.get(folder)).project : undefined;
}

const pool: AnalysisPool = new AnalysisPool(hub, (message) => connection.console.warn(message), undefined, undefined, (root): IndexSource | undefined => indexes.forWorkers(root));

/** The workspace index of each folder: wrappers and Hub model classes defined in other files. */
const indexes: WorkspaceIndexes = new WorkspaceIndexes({
  learnOnly: (root, file, rules) => pool.analyze({ root, file, settings: rules, symbolsOnly: true }),
  openDocuments: (root) => [
    ...documents.all().map((d) => ({ uri: d.uri, version: d.version, text: d.getText() })),
    ...notebookSync.openUris().map((uri) => ({ uri, version: notebookSync.notebooks.getNotebookDocument(uri)!.version, text: notebookSync.openText(uri) ?? '' })),
  ].filter((d) => underRoot(d.uri, root)),
  analysedFiles: (root) =>
    [...analyses.all()]
      .filter((e) => underRoot(e.uri, root))
      .map((e) => ({ uri: e.uri, file: URI.parse(e.uri).fsPath, open: e.version >= 0, references: e.references })),
  isAnalysed: (file) => {
    const uri = URI.file(file).toString();
    return analyses.get(uri) ? uri : undefined;
  },
  reanalyze: async (uri) => {
    await analyzeAsItIsNow(uri);
    await analyses.settled(uri);
  },
  scanning: () => scanning > 0,
});

function underRoot(uri: string, root: string): boolean {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' && parsed.fsPath.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}
/** Documents whose skip was logged already, so a big file being edited logs once. */
const skipLogged = new Set<string>();

/** One document or file through the engine's analyzeFile (the CLI's path): excludes, size cap, scan, rules. */
async function analyzeUri(uri: string, text: string | undefined, signal: AbortSignal): Promise<AnalyzerResult | undefined> {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== 'file' && parsed.scheme !== 'untitled') return undefined;
  const folder = folderOf(uri);
  const settings = await folderSettings.get(folder ?? 'file:///');
  const file = parsed.fsPath;
  // An open notebook is read from its cells, never from disk (a re-analysis must not bring the file back).
  if (notebookSync.isOpen(uri)) text = notebookSync.openText(uri);
  const nothing = { text: text ?? '', references: [], findings: [] };
  if (!settings.editor.enable) return nothing;
  const root = folder ? settings.root : dirname(file);
  if (folder && isExcluded(settings.rules, root, file)) return nothing;
  // Calls to wrappers and Hub classes of other files need the folder's index (built on first use).
  if (folder) indexes.folder(root, settings.rules);
  if (folder && text !== undefined) indexes.learnLazily(root, settings.rules);
  const outcome = await pool.analyze({ root, file, text, settings: settings.rules, project: settings.project }, signal);
  if (!outcome) return undefined;
  const relativePath = toRelative(root, file);
  if (folder && !signal.aborted) indexes.absorb(root, relativePath, outcome, 'result' in outcome ? outcome.result.text : undefined, uri);
  if ('skipped' in outcome) {
    if (!skipLogged.has(uri)) connection.console.info(`Skipped ${file}: ${outcome.skipped}`);
    skipLogged.add(uri);
    return { ...nothing, skipped: outcome.skipped };
  }
  skipLogged.delete(uri);
  // Files on disk have no editor to show notes in: the log says them.
  if (text === undefined) for (const note of outcome.result.notes ?? []) connection.console.info(`${file}: ${note.message}`);
  return folder ? indexes.withoutCovered(root, relativePath, outcome.result) : outcome.result;
}

function publish(closedOrOpen: AnalysisEntry): void {
  const analysed = withText(closedOrOpen);
  if (analysed.notebook && notebookSync.isOpen(analysed.uri)) {
    notebookSync.publishCells(analysed, (uri, version, cell) => {
      const diagnostics = cell ? [...cell.findings.map((f) => toDiagnostic(cell.lines, f, uri)), ...onnxVerdicts.diagnosticsFor(cell)] : [];
      void connection.sendDiagnostics({ uri, version, diagnostics });
    });
    scheduleStatus();
    return;
  }
  const entry = fileEntry(analysed);
  const diagnostics = [...entry.findings.map((f) => toDiagnostic(entry.lines, f, entry.uri)), ...onnxVerdicts.diagnosticsFor(entry)];
  // Open documents say why they show nothing, or what else the user should know.
  if (entry.version >= 0) {
    if (entry.skipped) diagnostics.push(noteDiagnostic(`PTM Lens did not analyse this file: ${entry.skipped}.`));
    for (const note of entry.notes ?? []) diagnostics.push(noteDiagnostic(note.message));
  }
  // A closed file that never showed a diagnostic needs no empty list (most files of a workspace scan).
  if (diagnostics.length) shown.add(entry.uri);
  else if (entry.version < 0 && !shown.has(entry.uri)) return scheduleStatus();
  else shown.delete(entry.uri);
  void connection.sendDiagnostics({ uri: entry.uri, version: entry.version < 0 ? undefined : entry.version, diagnostics });
  scheduleStatus();
}

/** Files whose last published diagnostics were not empty. */
const shown = new Set<string>();

const onnxVerdicts = new OnnxVerdicts();
// As many analyses at once as the workers can queue (files from disk go two deep on a worker).
const analyses = new DocumentAnalyses(analyzeUri, publish, pool.capacity, rereadClosed);

/** A closed file's text from disk, for the rare request on it (its entry keeps none); empty when it cannot be read. */
function rereadClosed(uri: string): string {
  const file = URI.parse(uri).fsPath;
  try {
    return readRegularFile(file, maxBytesFor(file));
  } catch {
    return '';
  }
}
const onnxFiles = new OnnxFileDiagnostics(connection);
let scanning = 0;
let statusTimer: NodeJS.Timeout | undefined;

function scheduleStatus(): void {
  statusTimer ??= setTimeout(() => {
    statusTimer = undefined;
    const params: StatusParams = { state: scanning > 0 ? 'scanning' : 'idle', ...totals() };
    void connection.sendNotification(STATUS_NOTIFICATION, params);
  }, 100);
}

/** Analyses every source file of the workspace that is not open, yielding between files. */
async function scanWorkspace(): Promise<ScanSummary> {
  const started = Date.now();
  scanning++;
  scheduleStatus();
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('PTM Lens', 0, 'Finding model loads…', true);
  let files = 0;
  try {
    const all: string[] = [];
    const roots: string[] = [];
    for (const folder of workspaceFolders) {
      const settings = await folderSettings.get(folder);
      if (!settings.editor.enable) continue;
      all.push(...(await listSourceFiles(settings.root, settings.rules)));
      // As the CLI: Hub model classes from a text pass first; wrappers are learnt as files are analysed.
      await indexes.classesRead(settings.root, settings.rules);
      roots.push(settings.root);
    }
    // As many files in flight as the analysis workers can queue; open documents still go first.
    const inFlight = new Set<Promise<unknown>>();
    let reported = -1;
    for (const path of all) {
      if (progress.token.isCancellationRequested) break;
      const uri = URI.file(path).toString();
      if (!documents.get(uri) && !notebookSync.isOpen(uri)) {
        // A newer analysis of the file (the index asked for it) may supersede this one: wait for it too.
        const analysis: Promise<unknown> = analyses.run(uri, -1).then(() => analyses.settled(uri)).finally(() => inFlight.delete(analysis));
        inFlight.add(analysis);
        if (inFlight.size >= pool.capacity) await Promise.race(inFlight);
      }
      files++;
      // A report per percent (or every 50 files), not per file: each is a message to the editor.
      const percent = Math.round((files / all.length) * 100);
      if (percent !== reported || files % 50 === 0 || files === all.length) progress.report(percent, `${files}/${all.length} files`);
      reported = percent;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(inFlight);
    // Files that call a wrapper found after they were analysed are analysed again, and the totals
    // (and diagnostics) are those of the settled index, whatever order the results came in.
    if (!progress.token.isCancellationRequested) {
      for (const root of roots) indexes.complete(root);
      await indexes.settled();
    }
    for (const folder of workspaceFolders) if (!progress.token.isCancellationRequested) await onnxFiles.scan(await folderSettings.get(folder));
  } finally {
    progress.done();
    scanning--;
    scheduleStatus();
  }
  return { files, ...totals(), elapsedMs: Date.now() - started };
}

/** Model loads and findings over every analysed file. */
function totals(): { references: number; findings: number } {
  let references = 0;
  let findings = 0;
  for (const entry of analyses.all()) {
    references += entry.references.length;
    findings += entry.findings.length;
  }
  return { references, findings };
}

connection.onInitialize((params): InitializeResult => {
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
  if (!workspaceFolders.length && params.rootUri) workspaceFolders = [params.rootUri];
  const experimental = params.capabilities.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined;
  snippetEdits = !!experimental?.snippetEditSupport;
  dynamicConfiguration = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  folderChangeEvents = !!params.capabilities.workspace?.workspaceFolders;
  watchRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      notebookDocumentSync: { notebookSelector: NOTEBOOK_SELECTOR },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'ptm-lens' },
  };
});

connection.onInitialized(async () => {
  if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  // Python files changed outside the editor change the workspace index (wrappers, Hub classes).
  if (watchRegistration) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.py' }] });
  // The Hub's and every folder's settings are read before their problems are shown: in one notification.
  await problems.batch(async () => {
    await configureHub();
    for (const folder of workspaceFolders) await folderSettings.get(folder).catch(() => undefined);
  });
  if (folderChangeEvents) {
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((f) => f.uri));
      workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...event.added.map((f) => f.uri)];
      void scanIfWanted();
    });
  }
  await scanIfWanted();
});

async function scanIfWanted(): Promise<void> {
  const wanted = await Promise.all(workspaceFolders.map(async (f) => (await folderSettings.get(f)).editor.scanWorkspaceOnOpen));
  if (wanted.some(Boolean)) await scanWorkspace();
}

async function reanalyzeAll(): Promise<void> {
  folderSettings.clear();
  indexes.clear();
  await problems.batch(async () => {
    await configureHub();
    for (const folder of workspaceFolders) await folderSettings.get(folder).catch(() => undefined);
  });
  for (const document of documents.all()) await analyses.run(document.uri, document.version, document.getText());
  for (const uri of notebookSync.openUris()) await analyses.run(uri, notebookSync.notebooks.getNotebookDocument(uri)!.version, notebookSync.openText(uri));
  const open = new Set([...documents.all().map((d) => d.uri), ...notebookSync.openUris()]);
  for (const entry of [...analyses.all()]) {
    if (!open.has(entry.uri)) await analyses.run(entry.uri, -1);
  }
}

connection.onDidChangeConfiguration(() => void reanalyzeAll());
connection.onDidChangeWatchedFiles((change) => {
  if (change.changes.some((c) => /(ptm-lens|pyproject)\.toml$/.test(c.uri))) return void reanalyzeAll();
  for (const { uri, type } of change.changes) if (/\.py$/i.test(uri)) void pythonFileChanged(uri, type);
});

/** A Python file created, changed or deleted outside the editor: the index learns it again (an open document's buffer wins). */
async function pythonFileChanged(uri: string, type: FileChangeType): Promise<void> {
  const folder = folderOf(uri);
  if (!folder || documents.get(uri)) return;
  const root = (await folderSettings.get(folder)).root;
  const file = URI.parse(uri).fsPath;
  if (type === FileChangeType.Deleted) {
    indexes.fileDeleted(root, file);
    if (analyses.get(uri)) {
      analyses.forget(uri);
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  } else if (analyses.get(uri)) void analyses.run(uri, -1);
  else await indexes.fileChanged(root, file);
}

documents.onDidOpen(({ document }) => void analyses.run(document.uri, document.version, document.getText()));
documents.onDidChangeContent(async ({ document }) => {
  const folder = folderOf(document.uri);
  const delay = folder ? (await folderSettings.get(folder)).editor.debounceMs : 250;
  analyses.schedule(document.uri, document.version, document.getText(), delay);
});
documents.onDidClose(async ({ document }) => {
  // A closed file keeps its workspace diagnostics, computed from the text on disk.
  const entry = await analyses.run(document.uri, -1);
  if (entry?.skipped || (!entry && !analyses.busy(document.uri))) {
    analyses.forget(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  }
});

// Open notebooks: analysed from their cells after a pause in typing, published on the cells.
notebookSync.notebooks.onDidOpen((notebook) => void analyses.run(notebook.uri, notebook.version, notebookSync.serialize(notebook)));
notebookSync.notebooks.onDidChange(async ({ notebookDocument: notebook }) => {
  const folder = folderOf(notebook.uri);
  const delay = folder ? (await folderSettings.get(folder)).editor.debounceMs : 250;
  analyses.schedule(notebook.uri, notebook.version, notebookSync.serialize(notebook), delay);
});
notebookSync.notebooks.onDidClose(async (notebook) => {
  // Fired before the notebook is forgotten: let that happen, so the file is read from disk.
  await new Promise((resolve) => setImmediate(resolve));
  for (const uri of notebookSync.takePublished(notebook.uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  // Closed, the notebook keeps its workspace diagnostics, read from the file on disk.
  const entry = await analyses.run(notebook.uri, -1);
  // Replaced by a newer analysis (a Hub answer's): that one publishes.
  if (!entry && !analyses.busy(notebook.uri)) void connection.sendDiagnostics({ uri: notebook.uri, diagnostics: [] });
});

/**
 * Analyses a file again as the editor has it now: an open document's or notebook's text, else
 * the file on disk. Never from its last entry's version and text: a file closed since would get
 * its closed buffer's findings back (and its close would be answered with nothing).
 */
function analyzeAsItIsNow(uri: string): Promise<AnalysisEntry | undefined> {
  const document = documents.get(uri);
  if (document) return analyses.run(uri, document.version, document.getText());
  const notebook = notebookSync.notebooks.getNotebookDocument(uri);
  if (notebook) return analyses.run(uri, notebook.version, notebookSync.openText(uri));
  return analyses.run(uri, -1);
}

/** The analysis to answer from; with `allowStale`, the last one while a newer one runs. A cell of an open notebook gets the part of its notebook's analysis in that cell. */
async function entryFor(uri: string, allowStale: boolean): Promise<AnalysisEntry | undefined> {
  const notebook = notebookSync.notebookOfCell(uri);
  if (notebook) {
    const entry = await analyses.current(notebook.uri, notebook.version, notebookSync.serialize(notebook), allowStale);
    return entry && cellEntry(entry, uri, notebookSync.cellVersion(uri));
  }
  const document = documents.get(uri);
  if (!document) return analyses.get(uri);
  return analyses.current(uri, document.version, document.getText(), allowStale);
}

connection.onHover(async ({ textDocument, position }) => {
  const entry = await entryFor(textDocument.uri, true);
  if (!entry) return null;
  const offset = entry.lines.offsetAt(position);
  const reference = entry.references.find((r) => r.idSpan.start <= offset && offset <= r.idSpan.end);
  if (!reference) return null;
  const lines = entry.lines;
  const facts = await factsForHover(entry, reference);
  return {
    contents: { kind: 'markdown', value: hoverMarkdown(reference, facts, Date.now(), entry.text.slice(reference.idSpan.start, reference.idSpan.end), [...licenseHoverRows(facts, await projectOf(notebookSync.notebookOfCell(textDocument.uri)?.uri ?? textDocument.uri)), ...onnxRow(reference)]) },
    range: { start: lines.positionAt(reference.idSpan.start), end: lines.positionAt(reference.idSpan.end) },
  };
});

connection.onCodeAction(async ({ textDocument, range, context }) => {
  const entry = await entryFor(textDocument.uri, false);
  if (!entry) return [];
  return [...codeActionsFor(entry, range, context.diagnostics.filter((d) => d.source === 'PTM Lens'), { snippetEdits }), ...(context.only?.length ? [] : [...onnxCheckActions(entry, range), ...probeActions(entry, range, onnxVerdicts.exports)])];
});

connection.onRequest(SCAN_WORKSPACE_REQUEST, () => scanWorkspace());
connection.onRequest(LICENSE_REPORT_REQUEST, () => licenseReport());

/** The license report of every folder; waits for Hub answers, unlike diagnostics. */
async function licenseReport(): Promise<LicenseReportResult> {
  const parts: string[] = [];
  let models = 0;
  let incompatible = 0;
  const waiting = { get: (id: string, revision?: string) => hub.wait(id, revision) };
  for (const folder of workspaceFolders) {
    const settings = await folderSettings.get(folder);
    if (!settings.editor.enable) continue;
    const results = await scanFolder(settings.root, { settings: settings.rules, localCommit: (id) => findLocalCommit(id), facts: waiting, project: settings.project ?? {} });
    const report = buildLicenseReport(results, settings.project ?? {});
    models += report.models.length;
    incompatible += report.models.filter((m) => m.verdict === 'incompatible').length;
    const notes = report.notes.map((n) => `> ${n.message}`).join('\n');
    parts.push(`${workspaceFolders.length > 1 ? `<!-- ${settings.root} -->\n` : ''}${licenseReportMarkdown(report)}${notes ? `\n${notes}\n` : ''}`);
  }
  return { markdown: parts.join('\n') || '# License report\n\nNo workspace folder to report on.\n', models, incompatible };
}
connection.onNotification(HUB_CONNECTION_NOTIFICATION, async (params: HubConnectionParams) => {
  if (await configureHub(params)) await reanalyzeAll();
});
connection.onShutdown(async () => {
  await Promise.all([hub.close(), pool.close()]);
});
registerOnnxRequests(connection, {
  async settingsFor(uri) {
    const folder = folderOf(uri);
    const settings = await folderSettings.get(folder ?? 'file:///');
    return { settings: settings.rules, relativePath: folder ? toRelative(settings.root, URI.parse(uri).fsPath) : URI.parse(uri).fsPath };
  },
  onModelVerdict(modelId, revision, result) {
    onnxVerdicts.record(modelId, revision, result);
    // A verdict changes no analysis, only what is published: no re-analysis (and no refresh throttle).
    for (const entry of analyses.all()) if (entry.references.some((r) => r.modelId === modelId)) publish(entry);
  },
});
registerNameRequests(connection, async (uri, position) => {
  const entry = await entryFor(uri, true);
  const offset = entry?.lines.offsetAt(position);
  return entry?.references.find((r) => r.idSpan.start <= offset! && offset! <= r.idSpan.end)?.modelId ?? undefined;
});

/** The last conversion-check verdict for a reference's model, as a hover row. */
function onnxRow(reference: AnalysisEntry['references'][number]): [string, string][] {
  const row = onnxVerdicts.hoverRow(reference.modelId, pinnedRevision(reference));
  return row ? [row] : [];
}

/** Facts for a hover: what the analysis had, else a short wait for the Hub. */
async function factsForHover(entry: AnalysisEntry, reference: AnalysisEntry['references'][number]): Promise<ModelFacts | undefined> {
  const revision = pinnedRevision(reference);
  const known = entry.facts?.get(factsKey(reference.modelId ?? '', revision));
  if (known || !reference.modelId) return known;
  return Promise.race([hub.wait(reference.modelId, revision), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1500))]);
}

process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error}`));
process.on('unhandledRejection', (error) => connection.console.error(`Unexpected error: ${(error as Error)?.stack ?? error}`));

documents.listen(connection);
notebookSync.listen(connection);
connection.listen();
