// End to end in a real VS Code: "PTM Lens: Run Robustness Probe" on a CNN trained here with
// Debian's PyTorch, through the pickers with their defaults, to the report webview.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { trainStripesCnn, writeStripesImages } from '../support/probe-models';
import { ROOT, requireE2ETools, withVsCode } from './harness';

test('real VS Code: Run Robustness Probe on an .onnx model shows the report', { timeout: 600_000 }, async () => {
  requireE2ETools();
  // The packaged extension runs dist/cli.js, which finds onnxruntime-node in dist/node_modules.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'vendor-onnxruntime.mjs'), `${process.platform}-${process.arch}`], { cwd: ROOT, stdio: 'ignore' });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ptm-e2e-probe-'));
  try {
    trainStripesCnn(path.join(workspace, 'stripes.onnx'), { contrast: 0.1 });
    fs.mkdirSync(path.join(workspace, 'images'));
    writeStripesImages(path.join(workspace, 'images'), 4, { contrast: 0.01 });
    fs.writeFileSync(path.join(workspace, 'app.py'), 'print("probe me")\n');
    await withVsCode('probe', async (vs) => {
      await vs.openFile('app.py');
      await vs.runCommand('PTM Lens: Run Robustness Probe');
      const pick = async (title: RegExp, row: string) => {
        await vs.page.locator('.quick-input-widget', { hasText: title }).waitFor();
        await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor();
        await vs.page.keyboard.press('Enter');
      };
      await pick(/ONNX image classifier to probe/, 'stripes.onnx');
      await pick(/folder of PNG or JPEG images/, 'images');
      // Multi-select pickers: Enter accepts the pre-selected defaults.
      await pick(/attacks/, 'hopskipjump');
      await pick(/defences/, 'bit-depth:4');
      const report = vs.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await report.locator('#report.ready').waitFor({ timeout: 400_000 });
      const runs = await report.locator('table.runs').innerText();
      for (const cell of ['simba-dct', 'hopskipjump', 'none', 'bit-depth:4']) assert.match(runs, new RegExp(cell));
      assert.equal(await report.locator('svg[aria-label="attack success rate per attack and defence"] rect.cell').count(), 4, 'attack x defence cells');
      assert.ok((await report.locator('svg circle.dot').count()) > 0, 'perturbation sizes of successful examples');
      const triple = report.locator('figure.triple img').first();
      await triple.waitFor();
      assert.ok(await triple.evaluate((img: { naturalWidth: number }) => img.naturalWidth > 0), 'the example PNGs load through webview URIs');
      const shot = await vs.screenshot('probe-report.png');
      if (process.env.UPDATE_README_IMAGES === '1') fs.copyFileSync(shot, path.join(ROOT, 'docs', 'images', 'e2e-probe-report.png'));
    }, { workspace });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
