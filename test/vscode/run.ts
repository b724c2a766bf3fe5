// `npm run test:vscode`: the extension-host integration suite (test/vscode/suite) in a desktop
// VS Code that @vscode/test-electron downloads (needs internet access to update.code.visualstudio.com,
// and a display: on a headless Linux, run it under xvfb-run). `npm test` runs the same suite in
// code-server instead (test/e2e/extension-host.e2e.test.ts). VSCODE_VERSION picks the VS Code
// version (default: stable).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { FixtureHubServer } from '../fixtures/hub/server';
import { ISOLATED_ENV } from '../support/isolated-env';
import { tempDir } from '../support/temp';
import { readReport, REPORT_ENV } from './report';

const ROOT = path.join(__dirname, '..', '..', '..');
const SUITE = path.join(__dirname, 'suite', 'index.js');

async function main(): Promise<number> {
  const hub = await FixtureHubServer.start();
  const tmp = tempDir('ptm-vscode-');
  try {
    const workspace = path.join(tmp.path, 'examples');
    const userData = path.join(tmp.path, 'user-data');
    fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true });
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ 'ptmLens.hub.endpoint': hub.url }));
    const report = path.join(tmp.path, 'report.json');
    const launchArgs = [
      workspace,
      '--user-data-dir', userData,
      '--extensions-dir', path.join(tmp.path, 'extensions'),
      '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
    ];
    if (process.getuid?.() === 0) launchArgs.push('--no-sandbox'); // Electron refuses to run as root otherwise
    let code: number;
    try {
      code = await runTests({
        version: process.env.VSCODE_VERSION ?? 'stable',
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: SUITE,
        launchArgs,
        extensionTestsEnv: { ...ISOLATED_ENV, [REPORT_ENV]: report },
      });
    } catch (err) {
      const results = readReport(report);
      if (results) return summarize(results);
      console.error(`test:vscode could not run VS Code: ${(err as Error).message}`);
      console.error('It downloads VS Code from update.code.visualstudio.com into .vscode-test/. Without internet access,');
      console.error('`npm test` runs the same suite in code-server (test/e2e/extension-host.e2e.test.ts).');
      return 2;
    }
    const results = readReport(report);
    if (!results) {
      console.error(`VS Code exited with code ${code} before the suite reported any result.`);
      return code || 1;
    }
    return summarize(results) || code;
  } finally {
    await hub.close();
    tmp.remove();
  }
}

function summarize(results: { name: string; ok: boolean; error?: string }[]): number {
  for (const r of results) console.log(`${r.ok ? 'ok' : 'not ok'} - ${r.name}${r.error ? `\n${r.error}` : ''}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
