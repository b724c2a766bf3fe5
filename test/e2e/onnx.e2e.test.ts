// End to end in a real VS Code: PTM502 on a binary .onnx file, and the conversion check's
// report page after "PTM Lens: Run ONNX Conversion Check" on a torch module.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildModel } from '../support/onnx-models';
import { SYSTEM_PYTHON } from '../support/python';
import { ROOT, requireE2ETools, withVsCode } from './harness';

const MODELS = `import torch


def small():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Softmax(dim=-1)), torch.randn(2, 4)
`;

test('real VS Code: PTM502 on an .onnx file, and the ONNX conversion check report', { timeout: 300_000 }, async () => {
  requireE2ETools();
  // The platform package carries onnxruntime-node in dist/node_modules; build that here too.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'vendor-onnxruntime.mjs'), `${process.platform}-${process.arch}`], { cwd: ROOT, stdio: 'ignore' });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ptm-e2e-onnx-'));
  try {
    fs.writeFileSync(path.join(workspace, 'models.py'), MODELS);
    fs.writeFileSync(path.join(workspace, 'exported.onnx'), buildModel({
      nodes: [
        { op: 'MatMul', inputs: ['x', 'x'], outputs: ['h'], name: 'attention_scores' },
        { op: 'PtmLensNoSuchOp', inputs: ['h'], outputs: ['y'], name: 'custom_block' },
      ],
      inputs: [{ name: 'x', shape: ['batch', 4] }],
      outputs: [{ name: 'y' }],
    }));
    await withVsCode('onnx', async (vs) => {
      await vs.openFile('models.py');
      const problems = await vs.problems('PTM502');
      const finding = problems.find((p) => p.file === 'exported.onnx' && p.text.includes('PTM502'));
      assert.ok(finding, `no PTM502 for exported.onnx in Problems: ${JSON.stringify(problems)}`);
      assert.match(finding.text, /PtmLensNoSuchOp/);
      assert.match(finding.text, /custom_block/);
      assert.equal(finding.line, 1);
      await vs.screenshot('onnx-ptm502.png');

      await vs.runCommand('PTM Lens: Run ONNX Conversion Check');
      const input = vs.page.locator('.quick-input-widget input');
      await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: 'A torch module' }).first().waitFor();
      await vs.page.keyboard.press('Enter');
      await vs.page.locator('.quick-input-widget', { hasText: 'Module factory' }).waitFor();
      await input.fill(`${path.join(vs.workspaceDir, 'models.py')}:small`);
      await vs.page.keyboard.press('Enter');
      // The report is a webview: two nested iframes.
      const report = vs.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      await report.locator('.verdict', { hasText: 'pass' }).waitFor({ timeout: 240_000 });
      const table = await report.locator('table').innerText();
      assert.match(table, /output_0/);
      assert.ok((await report.locator('svg rect.bar').count()) > 0, 'a histogram of differences');
      await vs.screenshot('onnx-report.png');
    }, { workspace, settings: { 'ptmLens.python': SYSTEM_PYTHON } });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
