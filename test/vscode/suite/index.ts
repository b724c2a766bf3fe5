// The extension-host integration suite: runs inside VS Code's extension host, with the real
// `vscode` API, on a copy of examples/ whose Hub lookups go to a fixture Hub on loopback.
// Started by test/vscode/run.ts (a VS Code downloaded by @vscode/test-electron) or, in
// `npm test`, by test/e2e/extension-host.e2e.test.ts (code-server). See docs/development.md.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { REPORT_ENV, type SuiteResult } from '../report';

const EXTENSION_ID = 'ptm-lens.ptm-lens';
const FILE = 'train.py';
const WAIT_MS = 60_000;

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Resolves with the diagnostics of `uri` once `predicate` holds for them. */
function waitForDiagnostics(uri: vscode.Uri, predicate: (all: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const all = vscode.languages.getDiagnostics(uri);
      if (!predicate(all)) return false;
      listener.dispose();
      clearTimeout(timer);
      resolve(all);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      listener.dispose();
      const codes = vscode.languages.getDiagnostics(uri).map(codeOf);
      reject(new Error(`no matching diagnostics for ${uri.fsPath} within ${WAIT_MS / 1000}s; have ${JSON.stringify(codes)}`));
    }, WAIT_MS);
    check();
  });
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

// Each case builds on the ones before it (one editor session), so they run in order.
let pin: vscode.Diagnostic | undefined;
const cases: [string, () => Promise<void>][] = [
  ['the extension activates in a Python workspace', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  }],
  [`${FILE} gets a PTM402 diagnostic on the argparse-default model id`, async () => {
    const uri = workspaceFile(FILE);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const all = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'PTM402'));
    pin = all.find((d) => codeOf(d) === 'PTM402' && d.message.includes('bert-base-uncased'));
    assert.ok(pin, `a PTM402 diagnostic naming bert-base-uncased: ${JSON.stringify(all.map((d) => [codeOf(d), d.message]))}`);
    assert.equal(pin.source, 'PTM Lens');
    assert.equal(pin.severity, vscode.DiagnosticSeverity.Warning);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    assert.equal(document?.getText(pin.range), 'args.model_name');
  }],
  ['the hover on that id shows what the Hub and the code say', async () => {
    assert.ok(pin, 'needs the PTM402 diagnostic of the case before');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', workspaceFile(FILE), pin.range.start);
    const text = hoverText(hovers);
    assert.match(text, /google-bert\/bert-base-uncased/, 'the canonical id the fixture Hub gives');
    assert.match(text, /apache-2\.0/, 'the license from the Hub');
    assert.match(text, /argparse default of --model-name/, 'where the code takes the id from');
  }],
  ['the code actions at that diagnostic include its suppression', async () => {
    assert.ok(pin, 'needs the PTM402 diagnostic of the case before');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', workspaceFile(FILE), pin.range);
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Ignore PTM402 on this line'), JSON.stringify(titles));
  }],
];

/** Entry point the extension host calls (VS Code's extensionTestsPath contract). */
export async function run(): Promise<void> {
  const results: SuiteResult[] = [];
  for (const [name, body] of cases) {
    try {
      await body();
      results.push({ name, ok: true });
      console.log(`ok - ${name}`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.push({ name, ok: false, error });
      console.error(`not ok - ${name}\n${error}`);
    }
  }
  const report = process.env[REPORT_ENV];
  if (report) fs.writeFileSync(report, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.ok).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} extension-host tests failed`);
}
