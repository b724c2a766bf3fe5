// `ptm-lens probe` as a user runs it: bad inputs give one clear line and exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { encodePng } from '../../server/robustness/images';
import { runCli, CLI } from '../support/cli';
import { buildModel, softmaxModel } from '../support/onnx-models';
import { linearImageModel } from '../support/probe-linear';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

let workspace: TempWorkspace;
const probe = (args: string[]) => runCli(['probe', ...args], { cwd: workspace.root });

/** Exit 2, nothing on stdout, one line on stderr that matches. */
function refused(args: string[], message: RegExp): void {
  const result = probe(args);
  assert.equal(result.status, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, message);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

describe('ptm-lens probe: inputs it cannot use', () => {
  before(() => {
    workspace = tempWorkspace();
    writeFileSync(workspace.path('linear.onnx'), linearImageModel());
    writeFileSync(workspace.path('tabular.onnx'), softmaxModel());
    writeFileSync(workspace.path('two-inputs.onnx'), buildModel({
      nodes: [{ op: 'Add', inputs: ['a', 'b'], outputs: ['y'] }],
      inputs: [{ name: 'a', shape: ['batch', 3, 8, 8] }, { name: 'b', shape: ['batch', 3, 8, 8] }],
      outputs: [{ name: 'y' }],
    }));
    writeFileSync(workspace.path('not-onnx.onnx'), 'hello');
    mkdirSync(workspace.path('good'));
    writeFileSync(workspace.path('good/a.png'), encodePng(new Float32Array(3 * 8 * 8).fill(0.5), [3, 8, 8]));
    mkdirSync(workspace.path('empty'));
    writeFileSync(workspace.path('empty/readme.txt'), 'no images');
    mkdirSync(workspace.path('corrupt'));
    writeFileSync(workspace.path('corrupt/a.png'), encodePng(new Float32Array(3 * 8 * 8).fill(0.5), [3, 8, 8]));
    writeFileSync(workspace.path('corrupt/b.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3, 4]));
    mkdirSync(workspace.path('huge'));
    const header = Buffer.from(encodePng(new Float32Array(3), [3, 1, 1]));
    header.writeUInt32BE(50000, 16);
    header.writeUInt32BE(50000, 20);
    writeFileSync(workspace.path('huge/big.png'), header);
    mkdirSync(workspace.path('heavy'));
    writeFileSync(workspace.path('heavy/big.png'), Buffer.alloc(51 * 1024 * 1024));
    writeFileSync(workspace.path('labels-bad.json'), '{"a.png": "cat"}');
    writeFileSync(workspace.path('labels-range.json'), '{"a.png": 7}');
  });
  after(() => workspace.dispose());

  test('a model that is not an image classifier, or takes two inputs, or is not ONNX', () => {
    refused(['tabular.onnx', '--images', 'good'], /probe could not run: tabular\.onnx: its input x has rank 2, not an image batch .*not an image classifier/);
    refused(['two-inputs.onnx', '--images', 'good'], /probe could not run: two-inputs\.onnx takes 2 inputs \(a, b\); the probe needs an image classifier with one image input/);
    refused(['not-onnx.onnx', '--images', 'good'], /probe could not run: .*not-onnx\.onnx: not a valid ONNX model/);
  });

  test('an empty folder, a corrupt JPEG, a huge image, a file too large to read', () => {
    refused(['linear.onnx', '--images', 'empty'], /no PNG or JPEG images \(\.png, \.jpg, \.jpeg\) in empty/);
    refused(['linear.onnx', '--images', 'corrupt'], /probe could not run: b\.jpg is not a readable JPEG/);
    refused(['linear.onnx', '--images', 'huge'], /big\.png is 50000x50000 pixels, more than the probe decodes/);
    refused(['linear.onnx', '--images', 'heavy'], /big\.png is 53 MB, more than the probe reads \(50 MiB\)/);
  });

  test('bad usage: no images flag, unknown attack or defence, a bad labels file, labels beyond the classes', () => {
    refused(['linear.onnx'], /probe needs --images DIR/);
    refused(['missing.onnx', '--images', 'good'], /no such model file: missing\.onnx/);
    refused(['linear.onnx', '--images', 'good', '--attack', 'fgsm'], /unknown --attack "fgsm" \(one of simba, simba-dct, hopskipjump, boundary, mga\)/);
    refused(['linear.onnx', '--images', 'good', '--norm', 'l1'], /--norm must be l2 or linf/);
    refused(['linear.onnx', '--images', 'good', '--queries', '0'], /--queries must be an integer of at least 1/);
    refused(['linear.onnx', '--images', 'good', '--normalize', 'sometimes'], /--normalize must be none, imagenet or MEAN\/STD/);
    refused(['linear.onnx', '--images', 'good', '--labels', 'labels-bad.json'], /"a\.png" must be a class index/);
    refused(['linear.onnx', '--images', 'good', '--labels', 'labels-range.json', '--attack', 'simba'], /the labels file gives a\.png class 7, but linear\.onnx has 2 classes/);
  });

  test('without onnxruntime-node the probe says how to install it (exit 2)', () => {
    // The bundle alone, away from node_modules: require('onnxruntime-node') fails as in a bare install.
    const bare = workspace.path('bare');
    mkdirSync(bare);
    copyFileSync(CLI, `${bare}/cli.js`);
    const run = spawnSync(process.execPath, [`${bare}/cli.js`, 'probe', 'linear.onnx', '--images', 'good', '--attack', 'simba'], { cwd: workspace.root, encoding: 'utf8' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /probe could not run: onnxruntime-node is not installed .*npm install onnxruntime-node@1\.30\.0/);
  });
});
