// End to end in a real VS Code: a Jupyter notebook opened in code-server's built-in notebook
// editor (no Jupyter extension, no kernel) gets a PTM402 squiggle in the cell that loads the
// model, through LSP notebook sync; MODEL is defined in an earlier cell. The Problems panel lists
// it once (the notebook's file is not reported a second time). Needs the tools from
// scripts/e2e-setup.sh (never skips).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { ROOT, requireE2ETools, withVsCode } from './harness';

const FILE = 'explore.ipynb';

test('real VS Code: PTM402 squiggle in a notebook cell, listed once in Problems', { timeout: 300_000 }, async () => {
  requireE2ETools();
  await withVsCode('notebook', async (vs) => {
    // Quick Open, as VsCodeSession.openFile does, but a notebook has no single text editor to wait for.
    await vs.page.keyboard.press('Control+P');
    await vs.page.locator('.quick-input-widget input').fill(FILE);
    await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: FILE }).first().waitFor();
    await vs.page.keyboard.press('Enter');
    await vs.page.locator('.tabs-container .tab.active', { hasText: FILE }).waitFor();
    const squiggle = vs.page.locator('.notebookOverlay .cell-list-container .squiggly-warning').first();
    await squiggle.waitFor();
    // The squiggle sits in the cell that loads the model (the second code cell), under MODEL.
    const cellText = await vs.page.locator('.notebookOverlay .code-cell-row', { has: vs.page.locator('.squiggly-warning') }).first().locator('.view-lines').innerText();
    assert.match(cellText.replace(/\u00a0/g, ' '), /AutoModel\.from_pretrained\(MODEL\)/);
    await vs.screenshot('e2e-notebook.png');

    const problems = await vs.problems('PTM402');
    const unpinned = problems.filter((p) => p.text.includes('PTM402'));
    assert.equal(unpinned.length, 1, `PTM402 should be listed once: ${JSON.stringify(problems)}`);
    // Line 2, column 35 of the cell: `model = AutoModel.from_pretrained(MODEL)`.
    assert.deepEqual([unpinned[0].line, unpinned[0].column], [2, 35]);
  }, { workspace: path.join(ROOT, 'test', 'fixtures', 'notebooks'), settings: { 'ptmLens.hub.enabled': false } });
});
