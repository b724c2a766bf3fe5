// A real LSP client over stdio for tests: starts the bundled server and records what it publishes.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

import { ISOLATED_ENV } from './isolated-env';

export const SERVER = join(__dirname, '..', '..', '..', 'dist', 'server.js');

export interface TestClientOptions {
  rootUri: string;
  env?: NodeJS.ProcessEnv;
  /** Answer to workspace/configuration for section ptmLens. */
  settings?: unknown;
  snippetEditSupport?: boolean;
  /** Answer to workspace/configuration for section ptmLens.hub. */
  hubSettings?: unknown;
  /** Answer to workspace/configuration for section files.exclude (VS Code's). */
  filesExclude?: unknown;
  /** Milliseconds before answering workspace/configuration for section ptmLens (a busy editor). */
  settingsDelayMs?: number;
}

export class TestLspClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publication, in the order received. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly stderr: string[] = [];
  /** window/logMessage texts the server sent. */
  readonly log: string[] = [];
  /** Messages the server showed the user (window/showMessage and window/showMessageRequest). */
  readonly shown: { type: number; message: string }[] = [];
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: TestClientOptions) {
    const env = { ...process.env, ...ISOLATED_ENV, ...options.env };
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk) => this.stderr.push(String(chunk)));
    const reader = new StreamMessageReader(this.child.stdout!);
    // The reader re-arms a timer for as long as a message is half read, and disposing of it does not
    // stop that timer: a server ended mid-message would keep the test process alive for ever.
    reader.partialMessageTimeout = 0;
    this.connection = createProtocolConnection(reader, new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params);
      this.published.push(params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onRequest('workspace/configuration', async (params: { items: { section?: string }[] }) => {
      if (options.settingsDelayMs && params.items.some((item) => item.section === 'ptmLens')) await new Promise((resolve) => setTimeout(resolve, options.settingsDelayMs));
      return params.items.map((item) => (item.section === 'ptmLens.hub' ? (options.hubSettings ?? null) : item.section === 'files.exclude' ? (options.filesExclude ?? null) : (options.settings ?? null)));
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('window/logMessage', (params: { message: string }) => void this.log.push(params.message));
    this.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => void this.shown.push(params));
    this.connection.onRequest('window/showMessageRequest', (params: { type: number; message: string }) => {
      this.shown.push({ type: params.type, message: params.message });
      return null;
    });
    this.connection.onNotification('$/progress', () => undefined);
    this.connection.onNotification('ptmLens/status', () => undefined);
    this.connection.listen();
  }

  get pid(): number {
    return this.child.pid!;
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** Initializes the server; resolves to its answer (its capabilities). */
  async start(): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: this.options.rootUri,
      workspaceFolders: [{ uri: this.options.rootUri, name: 'test' }],
      capabilities: {
        workspace: { configuration: true, workspaceEdit: { documentChanges: true, snippetEditSupport: !!this.options.snippetEditSupport } },
        textDocument: { hover: { contentFormat: ['markdown'] }, codeAction: {} },
        window: { workDoneProgress: true },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves when `predicate` holds for the diagnostics of `uri`, or rejects after a timeout. */
  async waitForDiagnostics(uri: string, predicate: (params: PublishDiagnosticsParams) => boolean, timeoutMs = 15000): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && predicate(current)) return current;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for diagnostics of ${uri}; last: ${JSON.stringify(current?.diagnostics.map((d) => d.code))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    this.connection.dispose();
    this.child.kill();
  }
}
