import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CLI, runCli } from '../support/cli';
import { ISOLATED_ENV } from '../support/isolated-env';

const ROOT = join(__dirname, '..', '..', '..');
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'name.schema.json'), 'utf8')));
const isValid = (data: unknown): boolean => validate(data) as boolean;

function nameJson(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, 'name', ...args, '--format', 'json'], { input, env: { ...process.env, ...ISOLATED_ENV }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output: any = result.stdout ? JSON.parse(result.stdout) : undefined;
  return { status: result.status, stderr: result.stderr, output };
}

describe('ptm-lens name', () => {
  test('the issue example: JSON per the schema, components in name order, case kept', () => {
    const { status, output } = nameJson(['google-bert/bert-base-uncased', 'TheBloke/Llama-2-7B-Chat-GGUF']);
    assert.equal(status, 0);
    assert.ok(isValid(output), JSON.stringify(validate.errors));
    assert.deepEqual(output, {
      version: 1,
      names: [
        { modelId: 'google-bert/bert-base-uncased', components: [{ text: 'bert', category: 'A' }, { text: 'base', category: 'S' }, { text: 'uncased', category: 'C' }] },
        {
          modelId: 'TheBloke/Llama-2-7B-Chat-GGUF',
          components: [{ text: 'Llama', category: 'A' }, { text: '2', category: 'V' }, { text: '7B', category: 'S' }, { text: 'Chat', category: 'T' }, { text: 'GGUF', category: 'W' }],
        },
      ],
    });
  });

  test('text output is one table per id', () => {
    const { status, stdout } = runCli(['name', 'microsoft/deberta-v3-base']);
    assert.equal(status, 0);
    assert.match(stdout, /^microsoft\/deberta-v3-base\n {2}A {2}deberta +architecture\n {2}V {2}v3 +version\n {2}S {2}base +size\n$/);
  });

  test('"-" reads a thousand ids from standard input, in order', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `org${i}/roberta-large-v${i}`);
    const { status, output } = nameJson(['-'], ids.join('\n') + '\n');
    assert.equal(status, 0);
    assert.ok(isValid(output), JSON.stringify(validate.errors));
    assert.deepEqual(output.names.map((n: any) => n.modelId), ids);
    assert.deepEqual(output.names[7].components.map((c: any) => c.category), ['A', 'S', 'V']);
  });

  test('bad ids get one note each and do not stop the others; exit 0', () => {
    const long = 'x/' + 'a'.repeat(10_000);
    const { status, output, stderr } = nameJson(['', long, 'odd id\u202e!', 'gpt2']);
    assert.equal(status, 0);
    assert.ok(isValid(output), JSON.stringify(validate.errors));
    assert.deepEqual(output.names.map((n: any) => n.modelId), ['odd id\u202e!', 'gpt2']);
    assert.deepEqual(output.notes.map((n: any) => n.level), ['error', 'error', 'warning']);
    assert.match(output.notes[1].message, /10002 characters/);
    assert.equal(stderr.trim().split('\n').length, 3);
    assert.ok(!stderr.includes('\u202e'), 'a bidi control reaches the terminal only escaped');
    assert.ok(stderr.length < 1000, 'a long id is not echoed in full');
  });

  test('usage errors exit 2', () => {
    assert.equal(runCli(['name']).status, 2);
    assert.equal(runCli(['name', 'gpt2', '--format', 'sarif']).status, 2);
    assert.equal(runCli(['name', 'gpt2', '--bogus']).status, 2);
  });
});
