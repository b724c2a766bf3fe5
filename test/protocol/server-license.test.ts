// The license rules in the language server: diagnostics, the hover card's license rows and the
// License Report request, with Hub answers from the fixture Hub over real HTTP.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { FixtureHubServer, fixtureModelsDir } from '../fixtures/hub/server';
import { TestLspClient } from '../support/lsp-client';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const MIT = readFileSync(join(fixtureModelsDir(), '..', '..', 'licenses', 'npm-undici-LICENSE'), 'utf8');
const APP = `from transformers import AutoModel

gpl = AutoModel.from_pretrained("acme-license-test/gpl-classifier")
tuned = AutoModel.from_pretrained("acme-license-test/llama-finetune-mit")
`;

describe('language server: license rules', () => {
  let hub: FixtureHubServer;
  let workspace: TempWorkspace;
  let client: TestLspClient;
  let uri: string;

  before(async () => {
    hub = await FixtureHubServer.start({ modelsDir: join(fixtureModelsDir(), '..', 'license-models') });
    workspace = tempWorkspace({ 'app.py': APP, LICENSE: MIT, 'ptm-lens.toml': 'select = ["PTM3"]\n' });
    uri = pathToFileURL(workspace.path('app.py')).toString();
    client = new TestLspClient({ rootUri: pathToFileURL(workspace.root).toString(), env: { HF_HUB_OFFLINE: '' }, hubSettings: { enabled: true, endpoint: hub.url } });
    await client.start();
    await client.connection.sendNotification('ptmLens/hubConnection', { proxyStrictSSL: true });
  });

  after(async () => {
    await client.stop();
    await hub.close();
    workspace.dispose();
  });

  test('PTM301 and PTM305 arrive as diagnostics against the LICENSE file of the folder', async () => {
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'PTM301') && p.diagnostics.some((d) => d.code === 'PTM305'));
    const incompatible = published.diagnostics.find((d) => d.code === 'PTM301')!;
    assert.equal(incompatible.severity, 1);
    assert.equal(incompatible.range.start.line, 2);
    assert.match(String(incompatible.message), /the project's MIT license is not/);
  });

  test('the hover card shows the verdict and the base chain next to the license', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 45 } })) as Hover;
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\| License \| mit \|\n\| License check \| MIT: \*\*conditional\*\* \(PTM305\), against the project's MIT \|\n\| Base chain \| `acme-license-test\/llama-base` \(llama3\.1\) \|/);
    const gpl = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 45 } })) as Hover;
    assert.match((gpl.contents as { value: string }).value, /\| License check \| GPL-3\.0-only: \*\*incompatible\*\* \(PTM301\), against the project's MIT \|/);
  });

  test('the License Report request answers with a Markdown report of every model', async () => {
    const report = (await client.connection.sendRequest('ptmLens/licenseReport')) as { markdown: string; models: number; incompatible: number };
    assert.equal(report.models, 2);
    assert.equal(report.incompatible, 1);
    assert.match(report.markdown, /^Project license: `MIT` \(from LICENSE\)/m);
    assert.match(report.markdown, /\| \[acme-license-test\/llama-finetune-mit\]\(https:\/\/huggingface\.co\/acme-license-test\/llama-finetune-mit\) \| MIT \| acme-license-test\/llama-base \(LicenseRef-Llama-3\.1-Community\) \| conditional \|/);
  });
});

describe('language server: license settings', () => {
  let hub: FixtureHubServer;
  let workspace: TempWorkspace;
  let client: TestLspClient;

  before(async () => {
    hub = await FixtureHubServer.start({ modelsDir: join(fixtureModelsDir(), '..', 'license-models') });
    workspace = tempWorkspace({ 'app.py': APP, LICENSE: MIT, 'ptm-lens.toml': 'select = ["PTM3"]\n' });
    client = new TestLspClient({
      rootUri: pathToFileURL(workspace.root).toString(),
      env: { HF_HUB_OFFLINE: '' },
      hubSettings: { enabled: true, endpoint: hub.url },
      settings: { license: { project: 'GPL-3.0-or-later', intendedUse: 'commercial' } },
    });
    await client.start();
    await client.connection.sendNotification('ptmLens/hubConnection', { proxyStrictSSL: true });
  });

  after(async () => {
    await client.stop();
    await hub.close();
    workspace.dispose();
  });

  test('ptmLens.license.project overrides the LICENSE file: the GPL model is accepted', async () => {
    const uri = pathToFileURL(workspace.path('app.py')).toString();
    const published = await client.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'PTM305'));
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['PTM305']);
    const report = (await client.connection.sendRequest('ptmLens/licenseReport')) as { markdown: string };
    assert.match(report.markdown, /^Project license: `GPL-3\.0-or-later` \(from setting\); intended use: commercial\.$/m);
  });
});
