// "PTM Lens: Run Robustness Probe" on an .onnx file, or on a model reference whose ONNX
// export the conversion check left (the server offers that as a code action and a hover
// link): asks for an image folder, attacks and defences, then runs the CLI's probe in a child
// process (never on the editor's threads), with progress and cancellation, and shows the
// report in a webview. Only on request and only in a trusted workspace: it runs the model.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const ATTACKS = [
  { label: 'simba-dct', description: 'SimBA in the low-frequency DCT basis', picked: true },
  { label: 'hopskipjump', description: 'HopSkipJump: decision-based, gradient estimates', picked: true },
  { label: 'simba', description: 'SimBA in the pixel basis', picked: false },
  { label: 'boundary', description: 'Boundary attack: random walk along the decision boundary', picked: false },
  { label: 'mga', description: 'Microbial genetic algorithm attack', picked: false },
];
const DEFENSES = [
  { label: 'none', description: 'the model as it is', picked: true },
  { label: 'bit-depth:4', description: 'bit-depth squeezing to 4 bits', picked: true },
  { label: 'median:3', description: 'median smoothing, 3x3 window', picked: false },
  { label: 'jpeg:75', description: 'JPEG re-encoding at quality 75', picked: false },
];
const QUERIES = 500;
const IMAGE_GLOB = '**/*.{png,jpg,jpeg,PNG,JPG,JPEG}';

/** What the server's code action and hover link pass (server/lsp/probe-actions.ts): the export and its model. */
interface ProbeTarget {
  uri: string;
  modelId: string;
  revision?: string;
}

/** The model to probe: its file, and the Hub model it is an export of (for a reference). */
interface Model {
  file: vscode.Uri;
  modelId?: string;
  revision?: string;
}

export function registerProbeCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand('ptmLens.runProbe', (target?: vscode.Uri | ProbeTarget) => runProbe(context, target)));
}

function isProbeTarget(value: unknown): value is ProbeTarget {
  return typeof value === 'object' && value !== null && typeof (value as ProbeTarget).uri === 'string' && typeof (value as ProbeTarget).modelId === 'string';
}

async function pickModel(target?: vscode.Uri | ProbeTarget): Promise<Model | 'stop' | undefined> {
  if (target instanceof vscode.Uri) return { file: target };
  if (isProbeTarget(target)) return { file: vscode.Uri.parse(target.uri), modelId: target.modelId, revision: target.revision };
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith('.onnx')) return { file: active };
  const fromCursor = await modelAtCursor();
  if (fromCursor) return fromCursor;
  const found = await vscode.workspace.findFiles('**/*.onnx', '**/node_modules/**', 200);
  const items = found.map((file) => ({ label: vscode.workspace.asRelativePath(file), file }));
  const choice = await vscode.window.showQuickPick([...items, { label: 'Choose a file…', file: undefined }], { title: 'PTM Lens: ONNX image classifier to probe' });
  if (!choice) return undefined;
  const file = choice.file ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'ONNX models': ['onnx'] }, title: 'ONNX image classifier' }))?.[0];
  return file && { file };
}

/**
 * The export of the model reference under the cursor, from the server's code actions there:
 * the probe's own action when the conversion check left an export; when it did not but the
 * check is offered, a message that offers the check ('stop': nothing more to ask).
 */
async function modelAtCursor(): Promise<Model | 'stop' | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  let actions: (vscode.CodeAction | vscode.Command)[] | undefined;
  try {
    actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', editor.document.uri, editor.selection);
  } catch {
    return undefined; // no provider answered: fall back to the file picker
  }
  const commands = (actions ?? []).map((a) => ('title' in a && 'command' in a && typeof a.command === 'string' ? (a as vscode.Command) : (a as vscode.CodeAction).command)).filter((c): c is vscode.Command => !!c);
  const probe = commands.find((c) => c.command === 'ptmLens.runProbe' && isProbeTarget(c.arguments?.[0]))?.arguments?.[0] as ProbeTarget | undefined;
  if (probe) return { file: vscode.Uri.parse(probe.uri), modelId: probe.modelId, revision: probe.revision };
  const check = commands.find((c) => c.command === 'ptmLens.runOnnxCheck');
  const modelId = (check?.arguments?.[0] as { modelId?: string } | undefined)?.modelId;
  if (!check || !modelId) return undefined;
  const run = 'Run ONNX Conversion Check';
  const answer = await vscode.window.showInformationMessage(`PTM Lens: there is no ONNX export of '${modelId}' to probe yet. The ONNX conversion check makes one; then run the probe again.`, run, 'Choose an .onnx file…');
  if (answer === run) await vscode.commands.executeCommand(check.command, ...(check.arguments ?? []));
  if (answer === 'Choose an .onnx file…') return undefined;
  return 'stop';
}

/** Workspace folders that hold images, nearest to the model first, and a browse entry. */
async function pickImages(model: vscode.Uri): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles(IMAGE_GLOB, '**/node_modules/**', 2000);
  const counts = new Map<string, number>();
  for (const file of found) counts.set(path.dirname(file.fsPath), (counts.get(path.dirname(file.fsPath)) ?? 0) + 1);
  const near = (dir: string) => path.relative(path.dirname(model.fsPath), dir).split(path.sep).length;
  const items = [...counts].sort(([a], [b]) => near(a) - near(b) || a.localeCompare(b))
    .map(([dir, n]) => ({ label: vscode.workspace.asRelativePath(dir), description: `${n} image${n === 1 ? '' : 's'}`, dir }));
  const choice = await vscode.window.showQuickPick([...items, { label: 'Choose a folder…', description: '', dir: undefined }], { title: 'PTM Lens: folder of PNG or JPEG images' });
  if (!choice) return undefined;
  if (choice.dir) return choice.dir;
  return (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.Uri.file(path.dirname(model.fsPath)), title: 'Folder of images' }))?.[0]?.fsPath;
}

async function pickMany(title: string, options: { label: string; description: string; picked: boolean }[]): Promise<string[] | undefined> {
  const chosen = await vscode.window.showQuickPick(options, { title, canPickMany: true });
  return chosen && chosen.length ? chosen.map((c) => c.label) : undefined;
}

async function runProbe(context: vscode.ExtensionContext, target?: vscode.Uri | ProbeTarget): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('PTM Lens runs the robustness probe only in a trusted workspace: it runs the model.');
    return;
  }
  const picked = await pickModel(target);
  if (!picked || picked === 'stop') return;
  if (picked.file.scheme !== 'file' || !existsSync(picked.file.fsPath)) {
    void vscode.window.showErrorMessage(picked.modelId
      ? `PTM Lens: the ONNX export of '${picked.modelId}' is gone (${picked.file.fsPath}). Run the ONNX conversion check again to make a new one.`
      : `PTM Lens: there is no ONNX model at ${picked.file.fsPath}.`);
    return;
  }
  const model = picked.file;
  const images = await pickImages(model);
  if (!images) return;
  const attacks = await pickMany('PTM Lens: attacks', ATTACKS);
  if (!attacks) return;
  const defenses = await pickMany('PTM Lens: defences (applied in front of the model)', DEFENSES);
  if (!defenses) return;
  const out = path.join(context.globalStorageUri.fsPath, 'probes', `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`);
  mkdirSync(out, { recursive: true });
  const file = picked.modelId ? namedAfterModel(model.fsPath, picked.modelId, picked.revision, out) : model.fsPath;
  const name = picked.modelId ? `${picked.modelId}${picked.revision ? `@${picked.revision}` : ''} (ONNX export)` : path.basename(file);
  const args = [
    // The model by its file name (the report's key), run from its folder.
    context.asAbsolutePath(path.join('dist', 'cli.js')), 'probe', path.basename(file), '--images', images,
    ...attacks.flatMap((a) => ['--attack', a]), ...defenses.flatMap((d) => ['--defense', d]),
    '--queries', String(QUERIES), '--out', out, '--format', 'json',
  ];
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `PTM Lens: probing ${name}`, cancellable: true },
    (progress, token) => runCli(args, path.dirname(file), progress, token),
  );
  if (result.kind === 'cancelled') return;
  if (result.kind === 'failed') {
    void vscode.window.showErrorMessage(`PTM Lens: the probe could not run on ${name}: ${result.message}`);
    return;
  }
  showReport(context, result.json, out, `Robustness: ${name}`);
}

/**
 * The report names models by file name, and every check's export is "model.onnx": a link to
 * it named after the model (org--name@revision.onnx) in the probe's folder. A symbolic link
 * (a hard link where those need privileges, as on Windows) costs no copy; where neither can
 * be made, the export is probed under its own name.
 */
function namedAfterModel(onnx: string, modelId: string, revision: string | undefined, out: string): string {
  const folder = path.join(out, 'model');
  const named = path.join(folder, `${modelId.replace(/\//g, '--').replace(/[^\w.-]/g, '_')}${revision ? `@${revision.replace(/[^\w.-]/g, '_')}` : ''}.onnx`);
  try {
    mkdirSync(folder, { recursive: true });
    symlinkSync(onnx, named);
    return named;
  } catch {
    try {
      linkSync(onnx, named);
      return named;
    } catch {
      return onnx;
    }
  }
}

type CliOutcome = { kind: 'ran'; json: string } | { kind: 'failed'; message: string } | { kind: 'cancelled' };

/** The CLI under the editor's own Node runtime (Electron as Node), reporting its progress lines. */
function runCli(args: string[], cwd: string, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<CliOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const messages: string[] = [];
    let pending = '';
    let reported = 0;
    const cancel = token.onCancellationRequested(() => child.kill('SIGTERM'));
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ptm-lens: probe \[(\d+)\/(\d+)\] (.*)$/.exec(line);
        if (match) {
          const percent = (100 * Number(match[1])) / Math.max(1, Number(match[2]));
          progress.report({ message: match[3], increment: percent - reported });
          reported = percent;
        } else if (line.trim()) messages.push(line.replace(/^ptm-lens: (probe could not run: )?/, ''));
      }
    });
    child.on('error', (error) => {
      cancel.dispose();
      resolve({ kind: 'failed', message: error.message });
    });
    child.on('close', (code, signal) => {
      cancel.dispose();
      if (pending.trim()) messages.push(pending.replace(/^ptm-lens: (probe could not run: )?/, ''));
      if (token.isCancellationRequested) resolve({ kind: 'cancelled' });
      else if (code === 0) resolve({ kind: 'ran', json: Buffer.concat(stdout).toString('utf8') });
      else resolve({ kind: 'failed', message: messages[0] ?? (signal ? `the probe process was stopped (${signal})` : `exit code ${code}`) });
    });
  });
}

function showReport(context: vscode.ExtensionContext, json: string, out: string, title: string): void {
  const media = vscode.Uri.joinPath(context.extensionUri, 'media');
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const panel = vscode.window.createWebviewPanel('ptmLens.probeReport', title, vscode.ViewColumn.Beside, {
    enableScripts: true,
    localResourceRoots: [media, dist, vscode.Uri.file(out)],
  });
  const webview = panel.webview;
  const nonce = randomBytes(16).toString('base64');
  const css = webview.asWebviewUri(vscode.Uri.joinPath(media, 'probe-report.css'));
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'probe-report.js'));
  const base = webview.asWebviewUri(vscode.Uri.file(out)).toString();
  // A JSON data block never runs; "<" is escaped so no text in it can close the tag.
  const data = json.replace(/</g, '\\u003c');
  const attr = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<link rel="stylesheet" href="${css}"><title>${attr(title)}</title></head>
<body><div id="report" data-base="${attr(base)}"><p>Drawing the report…</p></div>
<script type="application/json" id="probe-data">${data}</script>
<script nonce="${nonce}" src="${script}"></script>
</body></html>`;
}
