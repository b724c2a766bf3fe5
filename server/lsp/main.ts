// The PTM Lens language server: analyses Python files as they are edited and the
// workspace on open, and answers diagnostics, hovers and quick fixes.
import { readFile } from 'node:fs/promises';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { CONFIGURATION_SECTION, DEFAULT_SETTINGS, HUB_CONNECTION_NOTIFICATION, SCAN_WORKSPACE_REQUEST, STATUS_NOTIFICATION, type HubConnectionParams, type PtmLensSettings, type ScanSummary, type StatusParams } from '../../protocol';
import { analyzeText } from '../engine/analyze';
import { listSourceFiles, localPathChecker, toRelative } from '../engine/workspace';
import { findLocalCommit } from '../hub/local-cache';
import { codeActionsFor } from './code-actions';
import { toDiagnostic } from './convert';
import { DocumentAnalyses, type AnalysisEntry } from './document-analyses';
import { FolderSettingsStore } from './folder-settings';
import { hoverMarkdown } from './hover';
import { HubConnection } from './hub-connection';
import { onnxCheckActions } from './onnx-actions';
import { OnnxFileDiagnostics } from './onnx-diagnostics';
import { OnnxVerdicts } from './onnx-verdicts';
import { registerOnnxRequests } from './onnx-requests';
import { factsKey } from '../engine/analyze';
import type { ModelFacts } from '../core/model-facts';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const folderSettings = new FolderSettingsStore(connection);
let workspaceFolders: string[] = [];
let snippetEdits = false;
let dynamicConfiguration = false;
let folderChangeEvents = false;

const hub = new HubConnection((level, message) => {
  if (level === 'error') connection.console.error(message);
  else if (level === 'warn') connection.console.warn(message);
  else if (level === 'info') connection.console.info(message);
  else connection.console.log(message);
}, (modelId) => refreshModel(modelId));

/** Models whose Hub facts just arrived; the files that mention them are analysed again. */
const arrived = new Set<string>();
let refreshTimer: NodeJS.Timeout | undefined;

function refreshModel(modelId: string): void {
  arrived.add(modelId);
  refreshTimer ??= setTimeout(() => {
    refreshTimer = undefined;
    const ids = new Set(arrived);
    arrived.clear();
    for (const entry of [...analyses.all()]) {
      if (!entry.references.some((r) => r.modelId && ids.has(r.modelId))) continue;
      const document = documents.get(entry.uri);
      void analyses.run(entry.uri, document ? document.version : entry.version, document ? document.getText() : entry.text);
    }
  }, 100);
}

async function hubSettings(): Promise<PtmLensSettings['hub']> {
  try {
    const value = (await connection.workspace.getConfiguration({ section: `${CONFIGURATION_SECTION}.hub` })) as Partial<PtmLensSettings['hub']> | null;
    return { ...DEFAULT_SETTINGS.hub, ...(value ?? {}) };
  } catch {
    return DEFAULT_SETTINGS.hub;
  }
}

/** The workspace folder holding a file (the longest matching folder URI). */
function folderOf(uri: string): string | undefined {
  return workspaceFolders.filter((folder) => uri.startsWith(folder.endsWith('/') ? folder : `${folder}/`)).sort((a, b) => b.length - a.length)[0];
}

async function analyzeUri(uri: string, text: string) {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== 'file' && parsed.scheme !== 'untitled') return undefined;
  const folder = folderOf(uri);
  const settings = folder ? await folderSettings.get(folder) : undefined;
  if (settings && !settings.editor.enable) return { references: [], findings: [] };
  const root = settings?.root;
  const file = parsed.fsPath;
  return analyzeText(text, {
    relativePath: root ? toRelative(root, file) : file,
    settings: settings?.rules ?? (await folderSettings.get('file:///')).rules,
    localCommit: (modelId) => findLocalCommit(modelId),
    isLocalPath: parsed.scheme === 'file' ? localPathChecker(root ?? file, file) : undefined,
    facts: hub,
  });
}

function publish(entry: AnalysisEntry): void {
  void connection.sendDiagnostics({ uri: entry.uri, version: entry.version < 0 ? undefined : entry.version, diagnostics: [...entry.findings.map((f) => toDiagnostic(entry.lines, f)), ...onnxVerdicts.diagnosticsFor(entry)] });
  scheduleStatus();
}

const onnxVerdicts = new OnnxVerdicts();
const analyses = new DocumentAnalyses(analyzeUri, publish);
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
    for (const folder of workspaceFolders) {
      const settings = await folderSettings.get(folder);
      if (!settings.editor.enable) continue;
      all.push(...(await listSourceFiles(settings.root, settings.rules)));
    }
    for (const path of all) {
      if (progress.token.isCancellationRequested) break;
      const uri = URI.file(path).toString();
      if (!documents.get(uri)) {
        try {
          await analyses.run(uri, -1, await readFile(path, 'utf8'));
        } catch (error) {
          connection.console.warn(`Could not read ${path}: ${(error as Error).message}`);
        }
      }
      files++;
      progress.report(Math.round((files / all.length) * 100), `${files}/${all.length} files`);
      await new Promise((resolve) => setImmediate(resolve));
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
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'ptm-lens' },
  };
});

connection.onInitialized(async () => {
  if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  hub.configure(await hubSettings());
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
  hub.configure(await hubSettings());
  for (const document of documents.all()) await analyses.run(document.uri, document.version, document.getText());
  const open = new Set(documents.all().map((d) => d.uri));
  for (const entry of [...analyses.all()]) {
    if (!open.has(entry.uri)) await analyses.run(entry.uri, -1, entry.text);
  }
}

connection.onDidChangeConfiguration(() => void reanalyzeAll());
connection.onDidChangeWatchedFiles((change) => {
  if (change.changes.some((c) => /(ptm-lens|pyproject)\.toml$/.test(c.uri))) void reanalyzeAll();
});

documents.onDidOpen(({ document }) => void analyses.run(document.uri, document.version, document.getText()));
documents.onDidChangeContent(async ({ document }) => {
  const folder = folderOf(document.uri);
  const delay = folder ? (await folderSettings.get(folder)).editor.debounceMs : 250;
  analyses.schedule(document.uri, document.version, document.getText(), delay);
});
documents.onDidClose(async ({ document }) => {
  // A closed file keeps its workspace diagnostics, computed from the text on disk.
  try {
    await analyses.run(document.uri, -1, await readFile(URI.parse(document.uri).fsPath, 'utf8'));
  } catch {
    analyses.forget(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  }
});

async function entryFor(uri: string): Promise<AnalysisEntry | undefined> {
  const document = documents.get(uri);
  if (!document) return analyses.get(uri);
  return analyses.current(uri, document.version, document.getText());
}

connection.onHover(async ({ textDocument, position }) => {
  const entry = await entryFor(textDocument.uri);
  if (!entry) return null;
  const offset = entry.lines.offsetAt(position);
  const reference = entry.references.find((r) => r.idSpan.start <= offset && offset <= r.idSpan.end);
  if (!reference) return null;
  const lines = entry.lines;
  const facts = await factsForHover(entry, reference);
  return {
    contents: { kind: 'markdown', value: hoverMarkdown(reference, facts, Date.now()) },
    range: { start: lines.positionAt(reference.idSpan.start), end: lines.positionAt(reference.idSpan.end) },
  };
});

connection.onCodeAction(async ({ textDocument, range, context }) => {
  const entry = await entryFor(textDocument.uri);
  if (!entry) return [];
  return [...codeActionsFor(entry, range, context.diagnostics.filter((d) => d.source === 'PTM Lens'), { snippetEdits }), ...(context.only?.length ? [] : onnxCheckActions(entry, range))];
});

connection.onRequest(SCAN_WORKSPACE_REQUEST, () => scanWorkspace());
connection.onNotification(HUB_CONNECTION_NOTIFICATION, async (params: HubConnectionParams) => {
  if (hub.configure(await hubSettings(), params)) await reanalyzeAll();
});
connection.onShutdown(() => hub.close());
registerOnnxRequests(connection, {
  async settingsFor(uri) {
    const folder = folderOf(uri);
    const settings = await folderSettings.get(folder ?? 'file:///');
    return { settings: settings.rules, relativePath: folder ? toRelative(settings.root, URI.parse(uri).fsPath) : URI.parse(uri).fsPath };
  },
  onModelVerdict(modelId, revision, result) {
    onnxVerdicts.record(modelId, revision, result);
    refreshModel(modelId);
  },
});

/** Facts for a hover: what the analysis had, else a short wait for the Hub. */
async function factsForHover(entry: AnalysisEntry, reference: AnalysisEntry['references'][number]): Promise<ModelFacts | undefined> {
  const known = entry.facts?.get(factsKey(reference));
  if (known || !reference.modelId) return known;
  const revision = reference.revision?.resolved && typeof reference.revision.value === 'string' ? reference.revision.value : undefined;
  return Promise.race([hub.wait(reference.modelId, revision), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1500))]);
}

process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error}`));
process.on('unhandledRejection', (error) => connection.console.error(`Unexpected error: ${(error as Error)?.stack ?? error}`));

documents.listen(connection);
connection.listen();
