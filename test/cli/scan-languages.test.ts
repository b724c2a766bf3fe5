// `ptm-lens scan` on a folder that mixes every file kind: each reference reports its file and
// language, the JSON validates against the schema, SARIF stays valid, and tooling files
// (package.json, lockfiles, node_modules) are not read.
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fixtureModelsDir } from '../fixtures/hub/server';
import { runCli } from '../support/cli';
import { tempWorkspace } from '../support/workspace';

const ROOT = join(__dirname, '..', '..', '..');

const FILES = {
  'train.py': 'from transformers import AutoModel\nm = AutoModel.from_pretrained("google-bert/bert-base-uncased")\n',
  'web/app.ts': "import { pipeline } from '@huggingface/transformers';\nconst p = await pipeline('sentiment-analysis', 'distilbert/distilbert-base-uncased-finetuned-sst-2-english');\n",
  'web/package.json': '{"name": "web", "model": "org/not-a-config", "dependencies": {"@huggingface/transformers": "3.0.0"}}\n',
  'web/node_modules/lib/index.js': "import { pipeline } from '@huggingface/transformers';\npipeline('x', 'org/vendored');\n",
  'scripts/get.sh': '#!/bin/sh\nhf download openai-community/gpt2 config.json\n',
  'Dockerfile': 'FROM python:3.11\nRUN huggingface-cli download microsoft/phi-2 --revision main\n',
  'Makefile': 'MODEL ?= tiiuae/falcon-7b\nweights:\n\thf download $(MODEL)\n',
  'configs/lora.yaml': 'base_model: meta-llama/Llama-2-7b-hf\ntrust_remote_code: true\n',
  'configs/run.json': '{"model_name_or_path": "sentence-transformers/all-MiniLM-L6-v2", "model_revision": "main"}\n',
  'configs/eval.toml': '[judge]\nmodel_id = "openai/whisper-tiny"\n',
  '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: hf download stabilityai/stable-diffusion-2-1 --repo-type model\n',
};

describe('ptm-lens scan on a mixed folder', () => {
  test('every file kind reports its references with file and language; the schema holds', () => {
    const workspace = tempWorkspace(FILES);
    try {
      const result = runCli(['scan', workspace.root, '--format', 'json', '--fail-on', 'never', '--hub-fixture', fixtureModelsDir()]);
      assert.equal(result.status, 0, result.stderr);
      const output: any = JSON.parse(result.stdout);
      const seen = output.references.map((r: { file: string; language: string; modelId: string; loader: string }) => [r.file, r.language, r.modelId, r.loader]);
      assert.deepEqual(seen, [
        ['.github/workflows/ci.yml', 'yaml', 'stabilityai/stable-diffusion-2-1', 'hf.download'],
        ['Dockerfile', 'dockerfile', 'microsoft/phi-2', 'huggingface-cli.download'],
        ['Makefile', 'makefile', 'tiiuae/falcon-7b', 'hf.download'],
        ['configs/eval.toml', 'toml', 'openai/whisper-tiny', 'config.model_id'],
        ['configs/lora.yaml', 'yaml', 'meta-llama/Llama-2-7b-hf', 'config.base_model'],
        ['configs/run.json', 'json', 'sentence-transformers/all-MiniLM-L6-v2', 'config.model_name_or_path'],
        ['scripts/get.sh', 'shell', 'openai-community/gpt2', 'hf.download'],
        ['train.py', 'python', 'google-bert/bert-base-uncased', 'transformers.from_pretrained'],
        ['web/app.ts', 'typescript', 'distilbert/distilbert-base-uncased-finetuned-sst-2-english', 'transformers.js.pipeline'],
      ]);
      const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'scan-output.schema.json'), 'utf8')));
      const document: unknown = output; // validate() narrows what it is given
      assert.ok(validate(document), JSON.stringify(validate.errors));
      // Ranges cover the id as written: the Makefile's variable, the JSON string with its quotes.
      const make = output.references.find((r: { file: string }) => r.file === 'Makefile');
      assert.deepEqual([make.line, make.column, make.endColumn], [3, 14, 22]);
      const json = output.references.find((r: { file: string }) => r.file === 'configs/run.json');
      assert.deepEqual([json.line, json.column, json.endColumn, json.revision], [1, 24, 64, 'main']);
      // Findings come from the same rules: PTM401 on the config's trust_remote_code, PTM402 where a revision can be pinned.
      const codes = output.findings.map((f: { file: string; code: string }) => `${f.file} ${f.code}`);
      assert.ok(codes.includes('configs/lora.yaml PTM401'), codes.join('\n'));
      assert.ok(codes.includes('web/app.ts PTM402') && codes.includes('Dockerfile PTM402') && codes.includes('configs/run.json PTM402'), codes.join('\n'));
      assert.ok(!codes.some((c: string) => c.startsWith('configs/lora.yaml PTM402')), 'a config without a revision key cannot pin');
      assert.ok(!codes.some((c: string) => c.includes(' PTM101')), 'every id exists in the fixture Hub');

      const sarif: any = JSON.parse(runCli(['scan', workspace.root, '--format', 'sarif', '--fail-on', 'never', '--hub-fixture', fixtureModelsDir()]).stdout);
      const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
      const validateSarif = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
      const sarifDocument: unknown = sarif;
      assert.ok(validateSarif(sarifDocument), JSON.stringify(validateSarif.errors?.slice(0, 5)));
      assert.deepEqual(new Set(sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri)), new Set(output.findings.map((f: { file: string }) => f.file)));
    } finally {
      workspace.dispose();
    }
  });

  test('a TypeScript file named on the command line is scanned, not noted as unsupported', () => {
    const workspace = tempWorkspace({ 'app.ts': FILES['web/app.ts'] });
    try {
      const result = runCli(['scan', workspace.path('app.ts'), '--format', 'json', '--fail-on', 'never']);
      const output = JSON.parse(result.stdout);
      assert.deepEqual(output.references.map((r: { modelId: string; language: string }) => [r.modelId, r.language]), [['distilbert/distilbert-base-uncased-finetuned-sst-2-english', 'typescript']]);
      assert.ok(!output.notes.some((n: { message: string }) => n.message.startsWith('not scanned yet')));
    } finally {
      workspace.dispose();
    }
  });
});
