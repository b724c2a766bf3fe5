import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { tempWorkspace } from '../support/workspace';

const ROOT = join(__dirname, '..', '..', '..');
const MODELS = join(ROOT, 'test', 'fixtures', 'hub', 'license-models');
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'license-report.schema.json'), 'utf8')));
const isValid = (data: unknown): boolean => validate(data) as boolean;
const MIT = readFileSync(join(ROOT, 'test', 'fixtures', 'licenses', 'npm-undici-LICENSE'), 'utf8');
const APP = [
  'from transformers import AutoModel',
  'a = AutoModel.from_pretrained("acme-license-test/gpl-classifier")',
  'b = AutoModel.from_pretrained("acme-license-test/llama-finetune-mit")',
  'c = AutoModel.from_pretrained("acme-license-test/nc-sentiment")',
  'd = AutoModel.from_pretrained(args.model)',
  'e = AutoModel.from_pretrained("acme-license-test/gpl-classifier")',
  '',
].join('\n');

function report(files: Record<string, string>, extra: string[] = []) {
  const workspace = tempWorkspace(files);
  try {
    const result = runCli(['license-report', workspace.root, '--hub-fixture', MODELS, ...extra]);
    return result;
  } finally {
    workspace.dispose();
  }
}

describe('ptm-lens license-report', () => {
  test('JSON: every model with its license, base chain, verdict and where it is loaded; exit 1 for an incompatible model', () => {
    const result = report({ LICENSE: MIT, 'src/app.py': APP }, ['--format', 'json']);
    assert.equal(result.status, 1, result.stderr);
    const output: any = JSON.parse(result.stdout);
    assert.ok(isValid(output), JSON.stringify(validate.errors));
    assert.deepEqual(output.project, { license: 'MIT', spdx: 'MIT', source: 'LICENSE', intendedUse: null });
    assert.deepEqual(output.models.map((m: { modelId: string; verdict: string; codes: string[] }) => [m.modelId, m.verdict, m.codes]), [
      ['acme-license-test/gpl-classifier', 'incompatible', ['PTM301']],
      ['acme-license-test/llama-finetune-mit', 'conditional', ['PTM305']],
      ['acme-license-test/nc-sentiment', 'conditional', ['PTM302']],
    ]);
    assert.deepEqual(output.models[0].references, [{ file: 'src/app.py', line: 2 }, { file: 'src/app.py', line: 6 }]);
    assert.deepEqual(output.models[1].baseModels, [{ modelId: 'acme-license-test/llama-base', depth: 1, license: 'llama3.1', spdx: 'LicenseRef-Llama-3.1-Community' }]);
    assert.equal(output.models[0].kind, 'strong-copyleft');
    assert.ok(output.notes.some((n: { message: string }) => /1 model load whose id is not known statically was not judged/.test(n.message)));
  });

  test('the project license and intended use from the config file or the command line', () => {
    const viaConfig = report({ LICENSE: MIT, 'ptm-lens.toml': 'project-license = "GPL-3.0-or-later"\nintended-use = "commercial"\n', 'app.py': APP }, ['--format', 'json']);
    const output = JSON.parse(viaConfig.stdout);
    assert.deepEqual(output.project, { license: 'GPL-3.0-or-later', spdx: 'GPL-3.0-or-later', source: 'config', intendedUse: 'commercial' });
    assert.equal(output.models[0].verdict, 'compatible');
    assert.equal(output.models[2].verdict, 'incompatible', 'non-commercial model, commercial use');
    const viaFlag = report({ LICENSE: MIT, 'app.py': APP }, ['--format', 'json', '--project-license', 'AGPL-3.0-only', '--use', 'research']);
    assert.equal(viaFlag.status, 0);
    assert.deepEqual(JSON.parse(viaFlag.stdout).project, { license: 'AGPL-3.0-only', spdx: 'AGPL-3.0-only', source: '--project-license', intendedUse: 'research' });
  });

  test('text and Markdown name each model, its verdict and reasons', () => {
    const text = report({ LICENSE: MIT, 'app.py': APP });
    assert.match(text.stdout, /^Project license: MIT \(from LICENSE\); intended use: not set$/m);
    assert.match(text.stdout, /^acme-license-test\/llama-finetune-mit: conditional \(PTM305\) · MIT \[permissive\]\n  base acme-license-test\/llama-base: LicenseRef-Llama-3\.1-Community$/m);
    assert.match(text.stdout, /^3 models: 1 incompatible, 2 conditional\.$/m);
    const markdown = report({ LICENSE: MIT, 'app.py': APP }, ['--format', 'markdown']);
    assert.match(markdown.stdout, /^\| \[acme-license-test\/gpl-classifier\]\(https:\/\/huggingface\.co\/acme-license-test\/gpl-classifier\) \| GPL-3\.0-only \| — \| incompatible \| \[PTM301\]/m);
    assert.match(markdown.stdout, /^## Why$/m);
  });

  test('without Hub metadata or a project license it says so and judges nothing', () => {
    const workspace = tempWorkspace({ 'app.py': APP });
    try {
      const result = runCli(['license-report', workspace.root, '--no-hub', '--format', 'json']);
      assert.equal(result.status, 0);
      const output = JSON.parse(result.stdout);
      assert.ok(isValid(output), JSON.stringify(validate.errors));
      assert.ok(output.models.every((m: { verdict: null }) => m.verdict === null));
      assert.match(result.stderr, /no Hub metadata for 3 models/);
      assert.match(result.stderr, /the project license is not known/);
    } finally {
      workspace.dispose();
    }
  });

  test('bad usage exits 2 with one clear line', () => {
    for (const [args, message] of [
      [['--format', 'sarif'], /--format must be text, json or markdown/],
      [['/no/such/folder'], /no such file or folder/],
      [['--use', 'hobby'], /--use must be commercial, non-commercial or research/],
      [['--offline', '--no-hub'], /choose one of/],
    ] as const) {
      const result = runCli(['license-report', ...args]);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });
});
