// End to end in a real VS Code: the robustness probe from a model reference in Python code.
// The palette with the cursor on a model that has no export yet offers the conversion check;
// once the check has exported it, the reference's quick fix runs the probe on the export, and
// for a model that is no image classifier (a text model) the hover's link and the palette give
// the probe's one-line message.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { writeStripesImages } from '../support/probe-models';
import { SYSTEM_PYTHON } from '../support/python';
import { ARTIFACTS, ROOT, requireE2ETools, withVsCode } from './harness';

const APP = `import timm
net = timm.create_model("hf-hub:org/convnet", pretrained=True)
from transformers import AutoModel
text = AutoModel.from_pretrained("org/tiny-text")
`;

test('real VS Code: Run Robustness Probe on a model reference, on the export of the conversion check', { timeout: 600_000 }, async () => {
  requireE2ETools();
  // The packaged extension runs dist/cli.js, which finds onnxruntime-node in dist/node_modules.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'vendor-onnxruntime.mjs'), `${process.platform}-${process.arch}`], { cwd: ROOT, stdio: 'ignore' });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ptm-e2e-probe-ref-'));
  try {
    fs.writeFileSync(path.join(workspace, 'app.py'), APP);
    fs.mkdirSync(path.join(workspace, 'images'));
    writeStripesImages(path.join(workspace, 'images'), 4, { size: 16 });
    // The stand-in timm (a small conv net) and transformers (a text model): Debian has neither.
    const env = { PYTHONPATH: path.join(ROOT, 'test', 'fixtures', 'python') };
    await withVsCode('probe-reference', async (vs) => {
      const webview = () => vs.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      const freshEditor = async () => {
        await vs.runCommand('View: Close All Editors');
        await vs.openFile('app.py');
      };
      const pickDefaults = async () => {
        const pick = async (title: RegExp, row: string) => {
          await vs.page.locator('.quick-input-widget', { hasText: title }).waitFor();
          await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor();
          await vs.page.keyboard.press('Enter');
        };
        await pick(/folder of PNG or JPEG images/, 'images');
        await pick(/attacks/, 'hopskipjump');
        await pick(/defences/, 'bit-depth:4');
      };
      const checkPasses = async () => {
        await webview().locator('.verdict', { hasText: 'pass' }).waitFor({ timeout: 240_000 });
      };

      await vs.openFile('app.py');
      await vs.waitForSquiggle(); // the server has analysed the file (PTM402 on the unpinned text model)
      const convnet = vs.positionOf('app.py', 'org/convnet');
      const textModel = vs.positionOf('app.py', 'org/tiny-text');
      assert.doesNotMatch(await vs.hover(convnet.line, convnet.column + 3, /org\/convnet/), /Run robustness probe/, 'no export yet');

      // The palette with the cursor on a model without an export: the message offers the check.
      await vs.goTo(convnet.line, convnet.column + 3);
      await vs.runCommand('PTM Lens: Run Robustness Probe');
      const offer = vs.page.locator('.notification-toast', { hasText: "no ONNX export of 'org/convnet'" });
      await offer.waitFor();
      await offer.locator('.monaco-button', { hasText: 'Run ONNX Conversion Check' }).click();
      await checkPasses();

      // Now the reference's quick fix runs the probe on the export, named after the model.
      await freshEditor();
      await vs.quickFix(convnet.line, convnet.column + 3, "Run robustness probe on 'org/convnet' (ONNX export from the conversion check)", 'probe-reference-quickfix.png');
      if (process.env.UPDATE_README_IMAGES === '1') fs.copyFileSync(path.join(ARTIFACTS, 'probe-reference-quickfix.png'), path.join(ROOT, 'docs', 'images', 'e2e-probe-reference-quickfix.png'));
      await pickDefaults();
      const report = webview();
      await report.locator('#report.ready').waitFor({ timeout: 400_000 });
      const runs = await report.locator('table.runs').innerText();
      for (const cell of ['simba-dct', 'hopskipjump', 'bit-depth:4']) assert.match(runs, new RegExp(cell));
      assert.match(await report.locator('#report').innerText(), /org--convnet\.onnx/, 'the report names the export after its model');
      await vs.screenshot('probe-reference-report.png');

      // A text model's export: the hover's link starts the probe, which says why it cannot run.
      await freshEditor();
      await vs.quickFix(textModel.line, textModel.column + 3, "Run ONNX conversion check on 'org/tiny-text'");
      await checkPasses();
      await freshEditor();
      await vs.hover(textModel.line, textModel.column + 3, /Run robustness probe/);
      await vs.page.locator('.monaco-hover:not(.hidden) a', { hasText: 'Run robustness probe' }).first().click();
      await pickDefaults();
      const failure = vs.page.locator('.notification-toast', { hasText: 'the probe could not run' });
      await failure.waitFor({ timeout: 120_000 });
      const message = await failure.locator('.notification-list-item-message').innerText();
      assert.match(message, /org\/tiny-text \(ONNX export\): .*needs an image classifier/);
      assert.doesNotMatch(message, /\bat .*\.js:\d+/, 'a message, not a stack');
      await vs.screenshot('probe-reference-not-an-image-classifier.png');

      // The palette with the cursor on the reference finds the same export.
      await vs.runCommand('Notifications: Clear All Notifications');
      await failure.waitFor({ state: 'hidden' });
      await vs.goTo(textModel.line, textModel.column + 3);
      await vs.runCommand('PTM Lens: Run Robustness Probe');
      await pickDefaults();
      await failure.waitFor({ timeout: 120_000 });
      assert.match(await failure.locator('.notification-list-item-message').innerText(), /org\/tiny-text \(ONNX export\): .*needs an image classifier/);
    }, { workspace, env, settings: { 'ptmLens.python': SYSTEM_PYTHON } });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
