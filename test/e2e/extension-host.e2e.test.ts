// The extension-host integration suite (test/vscode/suite) run inside code-server: the same
// module `npm run test:vscode` runs in a downloaded VS Code, here with the extension loaded as
// the extension under development. Needs the tools from scripts/e2e-setup.sh (never skips).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { FixtureHubServer } from '../fixtures/hub/server';
import { tempDir } from '../support/temp';
import { readReport, REPORT_ENV } from '../vscode/report';
import { requireE2ETools, VsCodeSession } from './harness';

const SUITE = path.join(__dirname, '..', 'vscode', 'suite', 'index.js');

test('extension-host suite (test/vscode/suite) in code-server: activation, PTM402 diagnostic, hover, code actions', { timeout: 300_000 }, async () => {
  requireE2ETools();
  const hub = await FixtureHubServer.start();
  const out = tempDir('ptm-suite-');
  const report = path.join(out.path, 'report.json');
  let vs: VsCodeSession | undefined;
  try {
    vs = await VsCodeSession.start({
      extensionTests: SUITE,
      settings: { 'ptmLens.hub.endpoint': hub.url },
      env: { [REPORT_ENV]: report },
    });
    const code = await vs.extensionTestsExit!;
    const results = readReport(report);
    assert.ok(results && results.length > 0, `the suite ran to its end and wrote ${report} (exit code ${code})`);
    const failures = results.filter((r) => !r.ok).map((r) => `${r.name}:\n${r.error}`);
    assert.deepEqual(failures, [], 'suite failures');
    assert.equal(code, 0, 'the extension host ended the tests with exit code 0');
    assert.ok(hub.requests.some((r) => r.path.startsWith('/api/models/bert-base-uncased')), 'the server asked the fixture Hub');
  } catch (err) {
    await vs?.saveFailureArtifacts('extension-host');
    throw err;
  } finally {
    await vs?.close();
    await hub.close();
    out.remove();
  }
});
