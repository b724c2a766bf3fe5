// `ptm-lens probe` as a user runs it: every attack end to end on a CNN trained here with
// Debian's PyTorch, a defence that stops one, compare mode; bad inputs give one clear line
// and exit 2.
import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodePng } from '../../server/robustness/images';
import { runCli, CLI } from '../support/cli';
import { buildModel, softmaxModel } from '../support/onnx-models';
import { linearImageModel } from '../support/probe-linear';
import { trainStripesCnn, writeStripesImages } from '../support/probe-models';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const ROOT = join(__dirname, '..', '..', '..');
const validator = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'probe.schema.json'), 'utf8')));
const schemaErrors = (data: unknown): string => (validator(data) ? '' : JSON.stringify(validator.errors));

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
    writeFileSync(workspace.path('labels-same.json'), '{"a.png": {"label": 0, "target": 0}}');
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
    refused(['linear.onnx', '--images', 'good', '--labels', 'labels-same.json', '--targeted'], /gives a\.png the target 0, which is its label/);
    refused(['linear.onnx', '--images', 'good', '--defense', 'blur:3'], /--defense: unknown defence "blur:3"/);
  });

  test('without onnxruntime-node the probe says how to install it (exit 2)', () => {
    // The bundle alone, away from node_modules: require('onnxruntime-node') fails as in a bare install.
    const bare = workspace.path('bare');
    mkdirSync(bare);
    copyFileSync(CLI, `${bare}/cli.js`);
    copyFileSync(CLI.replace(/cli\.js$/, 'cli-main.js'), `${bare}/cli-main.js`); // the bundle cli.js starts
    const run = spawnSync(process.execPath, [`${bare}/cli.js`, 'probe', 'linear.onnx', '--images', 'good', '--attack', 'simba'], { cwd: workspace.root, encoding: 'utf8' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /probe could not run: onnxruntime-node is not installed .*npm install onnxruntime-node@1\.30\.0/);
  });
});

interface Run { model: string; attack: string; defense: string; successRate: number; medianL2: number | null; queries: number; images: { success: boolean; queries: number; l2: number | null; linf: number | null; output: string | null; roundedStillAdversarial: boolean | null; label: number; target?: number; adversarialLabel: number | null }[] }

describe('ptm-lens probe on a CNN trained with PyTorch (real runtime, real attacks)', () => {
  let cnn: TempWorkspace;
  const QUERIES = 300;
  const json = (args: string[]) => {
    const result = runCli(['probe', ...args, '--format', 'json'], { cwd: cnn.root });
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout);
    assert.equal(schemaErrors(output), '');
    return { output, stderr: result.stderr, runs: output.runs as Run[] };
  };
  before(() => {
    cnn = tempWorkspace();
    // Trained on stripes of contrast 0.1; probed on images of contrast 0.01, near its boundary.
    const trained = trainStripesCnn(cnn.path('cnn.onnx'), { contrast: 0.1 });
    assert.ok(trained.accuracy > 0.9, `the CNN learnt its task: ${trained.accuracy}`);
    trainStripesCnn(cnn.path('deeper-nhwc.onnx'), { contrast: 0.1, depth: 3, layout: 'NHWC', seed: 1 });
    mkdirSync(cnn.path('images'));
    writeStripesImages(cnn.path('images'), 6, { contrast: 0.01 });
  });
  after(() => cnn.dispose());

  test('every attack runs end to end: budgets kept, examples saved as PNG and re-checked, report written', () => {
    const { output, runs, stderr } = json(['cnn.onnx', '--images', 'images', '--queries', String(QUERIES), '--out', 'all']);
    assert.deepEqual(runs.map((r) => r.attack), ['simba', 'simba-dct', 'hopskipjump', 'boundary', 'mga']);
    for (const run of runs) {
      assert.equal(run.images.length, 6);
      for (const image of run.images) {
        assert.ok(image.queries <= QUERIES, `${run.attack}: ${image.queries} queries`);
        if (image.success) {
          assert.notEqual(image.adversarialLabel, image.label);
          assert.ok(image.l2! > 0 && image.linf! > 0 && image.linf! <= image.l2! + 1e-6);
        }
        if (image.output) {
          assert.ok(existsSync(join(output.out, image.output)), image.output);
          assert.equal(typeof image.roundedStillAdversarial, 'boolean');
        }
      }
    }
    // HopSkipJump and Boundary start from an adversarial point: their distance is what counts.
    for (const name of ['hopskipjump', 'boundary']) assert.equal(runs.find((r) => r.attack === name)!.successRate, 1, name);
    assert.ok(runs.find((r) => r.attack === 'simba-dct')!.successRate > 0);
    const model = output.models[0];
    assert.deepEqual([model.layout, model.inputShape, model.classes, model.normalization], ['NCHW', [3, 32, 32], 2, 'none']);
    assert.equal(output.timings.queries, model.queries);
    assert.ok(model.queries >= runs.reduce((n: number, r: Run) => n + r.queries, 0) + 6, 'attacks, checks and the clean run all counted');
    for (const figure of ['index.html', 'success-rate.svg', 'l2.svg', 'linf.svg', 'queries.svg']) assert.ok(existsSync(join(output.out, 'report', figure)), figure);
    const html = readFileSync(join(output.out, 'report', 'index.html'), 'utf8');
    assert.match(html, /<svg[^>]*aria-label="attack success rate per attack and defence"/);
    assert.ok(output.triples.length >= 3, 'example triples for the report');
    for (const t of output.triples) assert.ok(existsSync(join(output.out, t.difference)));
    assert.deepEqual(JSON.parse(readFileSync(join(output.out, 'probe.json'), 'utf8')).runs.length, 5);
    assert.match(stderr, /probe \[\d+\/\d+\] cnn \/ mga \/ none/);
  });

  test('median smoothing stops the pixel SimBA attack that fools the undefended model', () => {
    const { runs } = json(['cnn.onnx', '--images', 'images', '--attack', 'simba', '--defense', 'none', '--defense', 'median:3', '--queries', String(QUERIES), '--out', 'median']);
    const none = runs.find((r) => r.defense === 'none')!;
    const median = runs.find((r) => r.defense === 'median:3')!;
    assert.ok(none.successRate > 0, `SimBA fools the plain model sometimes: ${none.successRate}`);
    assert.ok(median.successRate < none.successRate, `median:3 ${median.successRate} < none ${none.successRate}`);
  });

  test('compare mode and a targeted run: two models side by side on the same images, labels file targets honoured', () => {
    writeFileSync(cnn.path('labels.json'), JSON.stringify({ 'img00.png': { label: 0, target: 1 }, 'img01.png': 1 }));
    const { output, runs } = json(['cnn.onnx', 'deeper-nhwc.onnx', '--images', 'images', '--attack', 'hopskipjump', '--targeted', '--labels', 'labels.json', '--queries', '100', '--out', 'compare']);
    assert.deepEqual(output.models.map((m: { model: string; layout: string }) => [m.model, m.layout]), [['cnn.onnx', 'NCHW'], ['deeper-nhwc.onnx', 'NHWC']]);
    assert.deepEqual(runs.map((r) => r.model), ['cnn.onnx', 'deeper-nhwc.onnx']);
    for (const run of runs) {
      assert.deepEqual(run.images.map((i) => i.target), [1, 0, ...run.images.slice(2).map((i) => 1 - i.label)], 'given, else the second-best class');
      for (const image of run.images) if (image.success) assert.equal(image.adversarialLabel, image.target);
      assert.ok(run.images.every((i) => !i.output || i.output.startsWith(`adv/${run.model.replace('.onnx', '')}/`)));
    }
  });
});
