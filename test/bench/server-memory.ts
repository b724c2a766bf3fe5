// Peak memory of the bundled language server: start dist/server.js over stdio, scan the
// model-heavy tree through the server's own request, edit a large file, read VmHWM.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { DEFAULT_SETTINGS, SCAN_WORKSPACE_REQUEST, type PtmLensSettings, type ScanSummary } from '../../protocol';
import { plannedEdits, percentile } from './latency';

export interface ServerMemoryResult {
  scan: ScanSummary;
  /** Wall time of the scan request as the client sees it. */
  scanRequestMs: number;
  /** CPU time the server process (all its threads) spent during the scan request: steadier than wall time on a shared machine. */
  scanCpuMs: number;
  edits: number;
  /** Edit sent -> diagnostics for that version received (includes the server's debounce). */
  editToDiagnosticsP50Ms: number;
  debounceMs: number;
  rssAfterInitializeMb: number;
  peakRssMb: number;
  rssAtEndMb: number;
  serverErrors: string[];
}

/** A field of /proc/<pid>/status in MB (the kernel reports kB). */
function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`${field} missing from /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** User + system CPU time of a process and all its threads so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function procCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  // After "pid (comm) ", utime and stime are the 12th and 13th fields.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function measureServerMemory(serverJs: string, workspace: string, editFile: string, editText: string, hubCacheDir: string, editCount = 20): Promise<ServerMemoryResult> {
  // An empty hub cache, so the figures do not depend on what this machine has downloaded.
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HF_HUB_CACHE: hubCacheDir } });
  const pid = child.pid!;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const serverErrors: string[] = [];
  // On-open scanning is off so that the one timed scan is the explicit request; the rest are defaults.
  const settings: PtmLensSettings = { ...DEFAULT_SETTINGS, scanWorkspaceOnOpen: false };
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onNotification(LogMessageNotification.type, (message) => {
    if (message.type === MessageType.Error) serverErrors.push(message.message);
  });
  const editUri = pathToFileURL(editFile).toString();
  const waiting = new Map<number, () => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    if (params.uri === editUri && params.version !== undefined) waiting.get(params.version)?.();
  });
  const diagnosticsFor = (version: number) => withTimeout(new Promise<void>((resolve) => waiting.set(version, resolve)), 30_000, `diagnostics of version ${version}`);
  connection.listen();

  try {
    const rootUri = pathToFileURL(workspace).toString();
    await withTimeout(
      connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'model-heavy' }],
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true },
          window: { workDoneProgress: true },
          textDocument: { publishDiagnostics: { versionSupport: true } },
        },
      }),
      30_000,
      'initialize',
    );
    connection.sendNotification(InitializedNotification.type, {});
    const rssAfterInitializeMb = procStatusMb(pid, 'VmRSS');

    const scanStarted = performance.now();
    const cpuBefore = procCpuMs(pid);
    const scan = await withTimeout(connection.sendRequest<ScanSummary>(SCAN_WORKSPACE_REQUEST), 600_000, SCAN_WORKSPACE_REQUEST);
    const scanRequestMs = performance.now() - scanStarted;
    const scanCpuMs = procCpuMs(pid) - cpuBefore;

    let version = 1;
    let opened = diagnosticsFor(version);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: editUri, languageId: 'python', version, text: editText } });
    await opened;

    // Each version undoes the previous edit and makes a new one (as in latency.ts), and
    // waits for its diagnostics, so that every edit is analysed (not debounced away).
    const times: number[] = [];
    const replace = (offset: number, text: string) => {
      const start = positionAt(editText, offset);
      return { range: { start, end: { line: start.line, character: start.character + 1 } }, text };
    };
    let previous: number | undefined;
    for (const edit of plannedEdits(editText, editCount, 11)) {
      const contentChanges = previous === undefined ? [] : [replace(previous, editText[previous])];
      contentChanges.push(replace(edit.offset, edit.text));
      previous = edit.offset;
      version++;
      opened = diagnosticsFor(version);
      const sent = performance.now();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: editUri, version }, contentChanges });
      await opened;
      times.push(performance.now() - sent);
    }

    const peakRssMb = procStatusMb(pid, 'VmHWM');
    const rssAtEndMb = procStatusMb(pid, 'VmRSS');
    return {
      scan,
      scanRequestMs,
      scanCpuMs,
      edits: times.length,
      editToDiagnosticsP50Ms: percentile(times, 50),
      debounceMs: settings.debounceMs,
      rssAfterInitializeMb,
      peakRssMb,
      rssAtEndMb,
      serverErrors,
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}${stderr ? `\nserver stderr:\n${stderr}` : ''}`);
  } finally {
    try {
      await withTimeout(connection.sendRequest(ShutdownRequest.type), 5_000, 'shutdown');
      await connection.sendNotification(ExitNotification.type);
    } catch {
      // A server that does not answer is killed below.
    }
    await withTimeout(exited, 5_000, 'server exit').catch(() => child.kill());
    connection.dispose();
  }
}
