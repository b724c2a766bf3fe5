// End to end in a real VS Code (code-server + headless Chromium): what a user of PTM Lens sees.
// Needs the tools from scripts/e2e-setup.sh; without them this test fails (never skips).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { FixtureHubServer } from '../fixtures/hub/server';
import { ROOT, requireE2ETools, withVsCode } from './harness';

const FILE = 'train.py';
const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

/** The README's screenshots are refreshed on request only (UPDATE_README_IMAGES=1), so test runs leave the tree clean. */
function updateReadmeImage(shot: string, name: string): void {
  if (process.env.UPDATE_README_IMAGES !== '1') return;
  fs.mkdirSync(path.join(ROOT, 'docs', 'images'), { recursive: true });
  fs.copyFileSync(shot, path.join(ROOT, 'docs', 'images', name));
}

const NAME = 'real VS Code: PTM402 squiggle, Problems entry, Hub hover card and "Pin" quick fix on examples/train.py';

test(NAME, { timeout: 300_000 }, async () => {
  requireE2ETools();
  // The extension talks real HTTP to a fixture Hub on loopback.
  const hub = await FixtureHubServer.start();
  try {
    await withVsCode('extension', async (vs) => {
      await vs.openFile(FILE);
      await vs.waitForSquiggle();
      const problems = await vs.problems('PTM402', FILE);
      const pin = problems.find((p) => p.file === FILE && p.text.includes('PTM402'));
      assert.ok(pin, `no PTM402 entry for ${FILE} in Problems: ${JSON.stringify(problems)}`);
      const shot = await vs.screenshot('problems.png');
      updateReadmeImage(shot, 'e2e-diagnostics.png');

      // Hover on the id: the card shows what the Hub says (canonical id of the legacy name, license, task).
      const hover = await vs.hover(pin.line, pin.column, /License/);
      assert.match(hover, /google-bert\/bert-base-uncased/);
      assert.match(hover, /apache-2\.0/);
      assert.match(hover, /fill-mask/);
      assert.match(hover, /argparse default of --model-name/);
      updateReadmeImage(await vs.screenshot('hover.png'), 'e2e-hover.png');
      await vs.page.keyboard.press('Escape');
      assert.ok(hub.requests.some((r) => r.path.startsWith('/api/models/bert-base-uncased')), 'the server asked the fixture Hub');

      // The pin fix is offered where the id is fixed in code (a literal), not for the argparse default above.
      const literal = problems.find((p) => p.file === FILE && p.text.includes('PTM402') && p.text.includes("'distilbert/distilbert-base-uncased-finetuned-sst-2-english' is loaded without"));
      assert.ok(literal, `no PTM402 entry for the literal id in ${JSON.stringify(problems)}`);
      // The example may already pin other loads (revision="main"), so count rather than search.
      const before = count(vs.readFile(FILE), /revision\s*=/g);
      await vs.quickFix(literal.line, literal.column, 'Pin', 'quickfix.png');
      const fixed = await vs.saveAndWaitForFile(FILE, (text) => count(text, /revision\s*=/g) > before);
      assert.ok(count(fixed, /revision\s*=/g) > before);
      await vs.screenshot('quickfix-applied.png');
    }, { settings: { 'ptmLens.hub.endpoint': hub.url } });
  } finally {
    await hub.close();
  }
});
