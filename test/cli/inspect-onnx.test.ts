import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { buildModel, softmaxModel } from '../support/onnx-models';
import { tempWorkspace } from '../support/workspace';

const ROOT = join(__dirname, '..', '..', '..');
const validator = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'inspect-onnx.schema.json'), 'utf8')));
/** Schema errors, or '' when the output is valid. */
const schemaErrors = (data: unknown): string => (validator(data) ? '' : JSON.stringify(validator.errors));

describe('ptm-lens inspect-onnx', () => {
  test('JSON summary follows its schema; text names ops, dims and sizes; exit 0', () => {
    const workspace = tempWorkspace();
    try {
      const file = workspace.write('models/m.onnx', '');
      writeFileSync(file, softmaxModel());
      const json = runCli(['inspect-onnx', file, '--format', 'json']);
      assert.equal(json.status, 0, json.stderr);
      const output: any = JSON.parse(json.stdout);
      assert.equal(schemaErrors(output), '');
      assert.equal(output.file, 'm.onnx');
      assert.deepEqual(output.ops, { Add: 1, MatMul: 1, Softmax: 1 });
      assert.deepEqual(output.inputs, [{ name: 'x', type: 'tensor(float)', shape: ['batch', 3] }]);
      assert.deepEqual(output.findings, []);
      const text = runCli(['inspect-onnx', file]);
      assert.equal(text.status, 0);
      assert.match(text.stdout, /3 nodes: Add 1, MatMul 1, Softmax 1/);
      assert.match(text.stdout, /input x: tensor\(float\) \[batch, 3\]/);
      assert.match(text.stdout, /initializers: 2 \(32 bytes in the file\)/);
    } finally {
      workspace.dispose();
    }
  });

  test('a file relative to the project config, with its rule settings applied', () => {
    const workspace = tempWorkspace({ 'ptm-lens.toml': 'ignore = ["PTM502"]\n' });
    try {
      const file = workspace.write('models/unknown.onnx', '');
      writeFileSync(file, buildModel({ nodes: [{ op: 'PtmLensNoSuchOp', inputs: ['x'], outputs: ['y'] }], inputs: [{ name: 'x', shape: [1] }], outputs: [{ name: 'y' }] }));
      // As with scan, outside a repository the lookup goes up to the current folder.
      const output = JSON.parse(runCli(['inspect-onnx', file, '--format', 'json'], { cwd: workspace.root }).stdout);
      assert.equal(output.file, 'models/unknown.onnx');
      assert.deepEqual(output.findings, []);
      const unconfigured = JSON.parse(runCli(['inspect-onnx', file, '--format', 'json', '--config', workspace.write('other.toml', '')]).stdout);
      assert.deepEqual(unconfigured.findings.map((f: { code: string }) => f.code), ['PTM502']);
    } finally {
      workspace.dispose();
    }
  });

  test('bad bytes, a truncated file and a missing file: one clear line, exit 2, no stack trace', () => {
    const workspace = tempWorkspace({ 'bad.onnx': 'hello, I am not a model' });
    try {
      const truncated = workspace.write('truncated.onnx', '');
      writeFileSync(truncated, softmaxModel().slice(0, 100));
      for (const [file, message] of [[workspace.path('bad.onnx'), /not (a valid|an) ONNX model/], [truncated, /truncated/], [workspace.path('missing.onnx'), /no such file/]] as const) {
        const result = runCli(['inspect-onnx', file, '--format', 'json']);
        assert.equal(result.status, 2, file);
        assert.equal(result.stdout, '');
        assert.match(result.stderr, message);
        assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      }
      assert.equal(runCli(['inspect-onnx']).status, 2);
      assert.equal(runCli(['inspect-onnx', 'a.onnx', '--format', 'sarif']).status, 2);
    } finally {
      workspace.dispose();
    }
  });
});
