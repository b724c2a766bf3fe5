import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { buildModel, softmaxModel } from '../support/onnx-models';
import { tempWorkspace } from '../support/workspace';

const ROOT = join(__dirname, '..', '..', '..');
const validator = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'scan-output.schema.json'), 'utf8')));

const unknownOpModel = () => buildModel({ nodes: [{ op: 'PtmLensNoSuchOp', name: 'odd_node', inputs: ['x'], outputs: ['y'] }], inputs: [{ name: 'x', shape: [1] }], outputs: [{ name: 'y' }] });

describe('ptm-lens scan: .onnx files in the tree', () => {
  test('graph findings join the scan with the node named; a broken file is a note and the rest goes on', () => {
    const workspace = tempWorkspace({ 'app.py': 'from transformers import AutoModel\nm = AutoModel.from_pretrained("google-bert/bert-base-uncased", revision="main")\n' });
    try {
      writeFileSync(workspace.write('models/odd.onnx', ''), unknownOpModel());
      writeFileSync(workspace.write('models/fine.onnx', ''), softmaxModel());
      writeFileSync(workspace.write('models/broken.onnx', ''), Buffer.from('not a protobuf at all \xff\xff\xff'));
      writeFileSync(workspace.write('node_modules/pkg/odd.onnx', ''), unknownOpModel());
      const run = runCli(['scan', workspace.root, '--format', 'json', '--no-hub', '--fail-on', 'never']);
      assert.equal(run.status, 0, run.stderr);
      const output: any = JSON.parse(run.stdout);
      const valid: boolean = validator(output);
      assert.ok(valid, JSON.stringify(validator.errors));
      const onnx = output.findings.filter((f: { file: string }) => f.file.endsWith('.onnx'));
      assert.deepEqual(onnx.map((f: any) => [f.code, f.file, f.line, f.node]), [['PTM502', 'models/odd.onnx', 1, 'odd_node']], 'excluded folders stay excluded');
      assert.match(onnx[0].message, /PtmLensNoSuchOp/);
      assert.ok(output.notes.some((n: { file?: string; message: string }) => n.file === 'models/broken.onnx' && /not scanned/.test(n.message)), JSON.stringify(output.notes));
      assert.equal(output.references.length, 1, 'the Python file is still scanned');
      const failing = runCli(['scan', workspace.root, '--no-hub']);
      assert.equal(failing.status, 1, 'PTM502 is an error: the default --fail-on counts it');
      assert.match(failing.stdout, /models\/odd\.onnx/);
    } finally {
      workspace.dispose();
    }
  });

  test('one .onnx file named on the command line is scanned; SARIF carries its finding', () => {
    const workspace = tempWorkspace();
    try {
      const file = workspace.write('odd.onnx', '');
      writeFileSync(file, unknownOpModel());
      const run = runCli(['scan', file, '--format', 'sarif', '--no-hub', '--fail-on', 'never']);
      assert.equal(run.status, 0, run.stderr);
      const results = JSON.parse(run.stdout).runs[0].results;
      assert.deepEqual(results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine]), [['PTM502', 'odd.onnx', 1]]);
      assert.doesNotMatch(run.stderr, /not scanned yet/);
    } finally {
      workspace.dispose();
    }
  });
});
