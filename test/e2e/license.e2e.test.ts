// End to end in a real VS Code: the license conflict of the example project (an AGPL-3.0
// detector in an MIT project) as a PTM301 error squiggle, a Problems entry and the hover
// card's license check row. Needs the tools from scripts/e2e-setup.sh (never skips).
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { FixtureHubServer } from '../fixtures/hub/server';
import { requireE2ETools, withVsCode } from './harness';

const FILE = 'detect.py';

test('real VS Code: PTM301 squiggle, Problems entry and license check row in the hover on examples/detect.py', { timeout: 300_000 }, async () => {
  requireE2ETools();
  const hub = await FixtureHubServer.start();
  try {
    await withVsCode('license', async (vs) => {
      await vs.openFile(FILE);
      await vs.waitForSquiggle('error');
      const problems = await vs.problems('PTM301', FILE);
      const conflict = problems.find((p) => p.file === FILE && p.text.includes('PTM301'));
      assert.ok(conflict, `no PTM301 entry for ${FILE} in Problems: ${JSON.stringify(problems)}`);
      assert.match(conflict.text, /AGPL-3\.0-only/);
      await vs.screenshot('license-problems.png');

      const hover = await vs.hover(conflict.line, conflict.column, /License check/);
      assert.match(hover, /Ultralytics\/YOLOv8/);
      assert.match(hover, /agpl-3\.0/);
      assert.match(hover, /incompatible/);
      assert.match(hover, /PTM301/);
      assert.match(hover, /against the project's MIT/);
      await vs.screenshot('license-hover.png');
    }, { settings: { 'ptmLens.hub.endpoint': hub.url } });
  } finally {
    await hub.close();
  }
});
