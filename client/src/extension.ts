// The VS Code side of PTM Lens: starts the language server and gives it a status bar
// item and commands. All analysis lives in the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerHubConnection } from './hub-connection';
import { registerOnnxCommands } from './onnx-commands';
import { registerNameCommand } from './name-command';
import { registerProbeCommands } from './probe-commands';
import { LICENSE_REPORT_REQUEST, SCAN_WORKSPACE_REQUEST, STATUS_NOTIFICATION, type LicenseReportResult, type ScanSummary, type StatusParams } from '../../protocol';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('PTM Lens', { log: true });
  const status = vscode.window.createStatusBarItem('ptmLens.status', vscode.StatusBarAlignment.Left, 10);
  status.name = 'PTM Lens';
  status.command = 'workbench.actions.view.problems';
  status.text = '$(loading~spin) PTM Lens';
  status.show();
  context.subscriptions.push(log, status);

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
      // Python cells of open notebooks: the server syncs the notebooks (notebookDocumentSync) and
      // answers hovers and code actions on their cells.
      { scheme: 'vscode-notebook-cell', language: 'python' },
      // The other file kinds PTM Lens reads (docs/languages.md); on disk only, since the scanner picks by file name.
      ...['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'shellscript', 'dockerfile', 'makefile', 'yaml', 'json', 'jsonc', 'toml'].map((language) => ({ scheme: 'file', language })),
    ],
    synchronize: {
      configurationSection: 'ptmLens',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{ptm-lens.toml,pyproject.toml}'),
    },
    outputChannel: log,
    // Hover cards may link to the robustness probe on a model's ONNX export; no other command.
    markdown: { isTrusted: { enabledCommands: ['ptmLens.runProbe'] } },
  };
  client = new LanguageClient('ptmLens', 'PTM Lens', serverOptions, clientOptions);

  context.subscriptions.push(
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
      const icon = params.state === 'scanning' ? '$(loading~spin)' : params.findings ? '$(warning)' : '$(check)';
      status.text = `${icon} PTM Lens: ${params.references} model${params.references === 1 ? '' : 's'}, ${params.findings} finding${params.findings === 1 ? '' : 's'}`;
      status.tooltip = 'Model loads found by PTM Lens. Click to open the Problems panel.';
    }),
    vscode.commands.registerCommand('ptmLens.scanWorkspace', async () => {
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'PTM Lens: scanning workspace' },
        () => client!.sendRequest<ScanSummary>(SCAN_WORKSPACE_REQUEST),
      );
      void vscode.window.showInformationMessage(
        `PTM Lens scanned ${summary.files} files: ${summary.references} model loads, ${summary.findings} findings (${(summary.elapsedMs / 1000).toFixed(1)} s).`,
      );
    }),
    vscode.commands.registerCommand('ptmLens.licenseReport', async () => {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'PTM Lens: checking model licenses' },
        () => client!.sendRequest<LicenseReportResult>(LICENSE_REPORT_REQUEST),
      );
      const document = await vscode.workspace.openTextDocument({ content: report.markdown, language: 'markdown' });
      await vscode.window.showTextDocument(document, { preview: false });
    }),
    vscode.commands.registerCommand('ptmLens.restartServer', () => client?.restart()),
    vscode.commands.registerCommand('ptmLens.showOutput', () => log.show()),
  );
  registerOnnxCommands(context, () => client);
  registerNameCommand(context, () => client);
  registerProbeCommands(context);

  try {
    await client.start();
    registerHubConnection(context, client);
  } catch (error) {
    status.text = '$(error) PTM Lens';
    log.error(`The PTM Lens server did not start: ${(error as Error).message}`);
    void vscode.window.showErrorMessage('PTM Lens could not start its language server. See "PTM Lens: Show Output" for details.');
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
