import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli';

const ROOT = join(__dirname, '..', '..', '..');
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'license-verdict.schema.json'), 'utf8')));
const isValid = (data: unknown): boolean => validate(data) as boolean;

function licenseJson(args: string[]) {
  const result = runCli(['license', ...args, '--format', 'json']);
  const output: any = result.stdout ? JSON.parse(result.stdout) : undefined;
  return { ...result, output };
}

describe('ptm-lens license', () => {
  test('an incompatible pair: JSON per the schema, exit 1', () => {
    const { status, output } = licenseJson(['--model', 'gpl-3.0', '--project', 'MIT']);
    assert.equal(status, 1);
    assert.ok(isValid(output), JSON.stringify(validate.errors));
    assert.equal(output.verdict, 'incompatible');
    assert.deepEqual(output.codes, ['PTM301']);
    assert.deepEqual(output.model, { id: 'gpl-3.0', spdx: 'GPL-3.0-only', kind: 'strong-copyleft', name: 'GNU General Public License 3.0', url: 'https://spdx.org/licenses/GPL-3.0-only.html' });
    assert.equal(output.project.spdx, 'MIT');
    assert.equal(output.use, null);
  });

  test('conditional, unknown and compatible verdicts exit 0; --use decides for non-commercial models', () => {
    for (const [args, verdict, status] of [
      [['--model', 'cc-by-nc-4.0', '--project', 'mit'], 'conditional', 0],
      [['--model', 'cc-by-nc-4.0', '--project', 'mit', '--use', 'research'], 'conditional', 0],
      [['--model', 'cc-by-nc-4.0', '--project', 'mit', '--use', 'commercial'], 'incompatible', 1],
      [['--model', 'other', '--project', 'mit'], 'unknown', 0],
      [['--model', 'MIT OR Apache-2.0', '--project', 'BSD-3-Clause'], 'compatible', 0],
      [['--model', 'mit', '--project', 'mit', '--base', 'cc-by-nd-4.0'], 'conditional', 0],
    ] as const) {
      const { status: code, output } = licenseJson([...args]);
      assert.equal(output.verdict, verdict, args.join(' '));
      assert.equal(code, status, args.join(' '));
      assert.ok(isValid(output), JSON.stringify(validate.errors));
    }
  });

  test('an expression reports its parts', () => {
    const { output } = licenseJson(['--model', 'mit OR llama3.1', '--project', 'Apache-2.0']);
    assert.equal(output.model.kind, 'expression');
    assert.deepEqual(output.model.parts, [{ spdx: 'MIT', kind: 'permissive' }, { spdx: 'LicenseRef-Llama-3.1-Community', kind: 'community' }]);
    assert.ok(isValid(output), JSON.stringify(validate.errors));
  });

  test('text output names the verdict, the codes and the reasons', () => {
    const result = runCli(['license', '--model', 'agpl-3.0', '--project', 'Apache-2.0']);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /^incompatible \(PTM301\): model AGPL-3\.0-only \[network-copyleft\] in a project under Apache-2\.0 \[permissive\]\n  - .*network copyleft/);
  });

  test('bad usage: one clear line on stderr, exit 2, nothing on stdout', () => {
    for (const [args, message] of [
      [['--project', 'mit'], /--model is required/],
      [['--model', 'mit'], /--project is required/],
      [['--model', 'not-a-license!', '--project', 'mit'], /"not-a-license!" is neither a Hub license id nor an SPDX license id/],
      [['--model', 'mit', '--project', 'mit', '--use', 'hobby'], /--use must be commercial, non-commercial or research/],
      [['--model', 'mit', '--project', 'mit', '--format', 'sarif'], /--format must be text or json/],
      [['--model', 'mit', '--project', 'mit', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['--model', 'mit\u0007', '--project', 'mit'], /control characters/],
    ] as const) {
      const result = runCli(['license', ...args]);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  test('--help describes the subcommand', () => {
    const result = runCli(['license', '--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /Usage: ptm-lens license --model LICENSE --project LICENSE/);
  });
});
