// Editor commands for ONNX: inspect a .onnx file, run the conversion check. Thin: the
// server does the work; this side asks the user, shows progress and the report. The check
// runs the user's Python, so it needs an explicit command and a trusted workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CHECK_ONNX_REQUEST, INSPECT_ONNX_REQUEST, type CheckOnnxParams, type CheckOnnxResult, type InspectOnnxResult } from '../../protocol';
import { reportHtml } from './onnx-report';

export function registerOnnxCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('ptmLens.inspectOnnx', (uri?: vscode.Uri) => inspect(client(), uri)),
    vscode.commands.registerCommand('ptmLens.runOnnxCheck', (args?: CheckArgs) => runCheck(context, client(), args)),
  );
}

async function inspect(client: LanguageClient | undefined, uri?: vscode.Uri): Promise<void> {
  if (!client) return;
  const target = uri ?? (vscode.window.activeTextEditor?.document.uri.path.endsWith('.onnx') ? vscode.window.activeTextEditor.document.uri : undefined)
    ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'ONNX models': ['onnx'] }, title: 'Inspect ONNX Model' }))?.[0];
  if (!target) return;
  const result = await client.sendRequest<InspectOnnxResult>(INSPECT_ONNX_REQUEST, { uri: target.toString() });
  if (!result.ok) {
    void vscode.window.showErrorMessage(`PTM Lens: ${result.error}`);
    return;
  }
  const document = await vscode.workspace.openTextDocument({ content: result.text, language: 'plaintext' });
  await vscode.window.showTextDocument(document, { preview: true });
}

/** ptmLens.python, else the interpreter the Python extension selected, else python3. */
async function pythonFor(resource: vscode.Uri | undefined): Promise<string> {
  const configured = vscode.workspace.getConfiguration('ptmLens', resource).get<string>('python');
  if (configured) return configured;
  try {
    const python = vscode.extensions.getExtension('ms-python.python');
    const api = python && (python.isActive ? python.exports : await python.activate());
    const selected = api?.environments?.getActiveEnvironmentPath?.(resource)?.path;
    if (typeof selected === 'string' && selected) return selected;
  } catch {
    // No Python extension, or an API this version does not have.
  }
  return 'python3';
}

/** What a code action on a model reference passes: the model, its pinned revision, the library that loads it. */
type CheckArgs = { modelId?: string; revision?: string; library?: Extract<CheckOnnxParams['source'], { kind: 'model' }>['library'] };

async function askSource(args?: CheckArgs): Promise<CheckOnnxParams['source'] | undefined> {
  if (args?.modelId) return { kind: 'model', id: args.modelId, ...(args.revision ? { revision: args.revision } : {}), ...(args.library ? { library: args.library } : {}) };
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'A torch module from a Python file', description: 'FILE.py:NAME, where NAME() returns (module, example_input)', pick: 'module' as const },
      { label: 'A Hugging Face model', description: 'loaded in your Python with its library (transformers, sentence-transformers, timm)', pick: 'model' as const },
    ],
    { title: 'PTM Lens: Run ONNX Conversion Check' },
  );
  if (!choice) return undefined;
  if (choice.pick === 'model') {
    const id = await vscode.window.showInputBox({ title: 'Hugging Face model id', placeHolder: 'org/name' });
    return id ? { kind: 'model', id: id.trim() } : undefined;
  }
  const active = vscode.window.activeTextEditor?.document;
  const prefill = active?.languageId === 'python' ? `${active.uri.fsPath}:` : '';
  const value = await vscode.window.showInputBox({
    title: 'Module factory', value: prefill, valueSelection: [prefill.length, prefill.length], placeHolder: '/path/to/models.py:build',
    validateInput: (text) => (/^.+\.py:[A-Za-z_]\w*$/.test(text.trim()) ? undefined : 'FILE.py:NAME'),
  });
  if (!value) return undefined;
  const at = value.trim().lastIndexOf(':');
  return { kind: 'module', file: value.trim().slice(0, at), name: value.trim().slice(at + 1) };
}

async function runCheck(context: vscode.ExtensionContext, client: LanguageClient | undefined, args?: CheckArgs): Promise<void> {
  if (!client) return;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('PTM Lens runs the conversion check only in a trusted workspace: it runs your Python code and the model.');
    return;
  }
  const source = await askSource(args);
  if (!source) return;
  const resource = vscode.window.activeTextEditor?.document.uri;
  const settings = vscode.workspace.getConfiguration('ptmLens', resource);
  const params: CheckOnnxParams = { source, python: await pythonFor(resource), timeoutMs: settings.get<number>('onnx.timeLimitSeconds', 600) * 1000 };
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'PTM Lens: ONNX conversion check', cancellable: true },
    (_progress, token) => client.sendRequest<CheckOnnxResult>(CHECK_ONNX_REQUEST, params, token),
  );
  if (!result.ok) {
    void vscode.window.showErrorMessage(`PTM Lens: the conversion check could not run: ${result.error}`);
    return;
  }
  const title = `ONNX check: ${source.kind === 'model' ? source.id : `${path.basename(source.file)}:${source.name}`}`;
  const panel = vscode.window.createWebviewPanel('ptmLens.onnxReport', title, vscode.ViewColumn.Beside, {
    enableScripts: false,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
  });
  panel.webview.html = reportHtml(panel.webview, context.extensionUri, result, title);
  const say = result.verdict === 'pass' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void say(`PTM Lens: ONNX conversion check: ${result.verdict}. ${result.message}`);
}
