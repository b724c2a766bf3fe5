// End to end in a real VS Code: the mislabelled model of the example project (named
// roberta-large, config.json and weights a BERT-base classifier) as PTM201 and PTM202 warning
// squiggles, Problems entries and the hover card's "Name vs model" row. Needs the tools from
// scripts/e2e-setup.sh (never skips). With UPDATE_README_IMAGES=1 the screenshot refreshes
// docs/images/e2e-naming-hover.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import { FixtureHubServer } from '../fixtures/hub/server';
import { requireE2ETools, ROOT, withVsCode } from './harness';

const FILE = 'reviews.py';

/** Whether `row` lies inside the visible box of `card`. */
async function inView(row: Locator, card: Locator): Promise<boolean> {
  const [r, c] = await Promise.all([row.boundingBox(), card.boundingBox()]);
  return !!r && !!c && r.y >= c.y && r.y + r.height <= c.y + c.height;
}

test('real VS Code: PTM201/PTM202 squiggle, Problems entries and the "Name vs model" hover row on examples/reviews.py', { timeout: 300_000 }, async () => {
  requireE2ETools();
  const hub = await FixtureHubServer.start();
  try {
    await withVsCode('naming', async (vs) => {
      await vs.openFile(FILE);
      await vs.waitForSquiggle('warning');
      const problems = await vs.problems('PTM202', FILE);
      const architecture = problems.find((p) => p.file === FILE && p.text.includes('PTM201'));
      const size = problems.find((p) => p.file === FILE && p.text.includes('PTM202'));
      assert.ok(architecture, `no PTM201 entry for ${FILE} in Problems: ${JSON.stringify(problems)}`);
      assert.ok(size, `no PTM202 entry for ${FILE} in Problems: ${JSON.stringify(problems)}`);
      assert.match(architecture.text, /name says roberta; config\.json and the weights say bert/);
      assert.match(size.text, /name says roberta-large \(24 layers, 1024 hidden\); config\.json and the weights say bert with 12 layers, 768 hidden/);

      const hover = await vs.hover(architecture.line, architecture.column, /Name vs model/);
      assert.match(hover, /textminer\/roberta-large-imdb-sentiment/);
      assert.match(hover, /PTM201: name says roberta/);
      assert.match(hover, /PTM202: name says roberta-large/);
      // The card is long: scrolling it with the wheel brings the row into view.
      const card = vs.page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
      await card.hover();
      const row = vs.page.locator('.monaco-hover:not(.hidden) td', { hasText: 'Name vs model' }).first();
      for (let i = 0; i < 30 && !(await inView(row, card)); i++) {
        await vs.page.mouse.wheel(0, 120);
        await vs.page.waitForTimeout(50);
      }
      assert.ok(await inView(row, card), 'the "Name vs model" row scrolled into view');
      const shot = await vs.screenshot('naming-hover.png');
      if (process.env.UPDATE_README_IMAGES === '1') {
        fs.mkdirSync(path.join(ROOT, 'docs', 'images'), { recursive: true });
        fs.copyFileSync(shot, path.join(ROOT, 'docs', 'images', 'e2e-naming-hover.png'));
      }
    }, { settings: { 'ptmLens.hub.endpoint': hub.url } });
  } finally {
    await hub.close();
  }
});
