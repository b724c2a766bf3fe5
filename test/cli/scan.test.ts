import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULES } from '../../server/rules';
import { fixtureModelsDir } from '../fixtures/hub/server';
import { runCli } from '../support/cli';
import { tempWorkspace } from '../support/workspace';

const ROOT = join(__dirname, '..', '..', '..');
const APP = [
  'from transformers import AutoModel  # café ✓',
  'MODEL = "google-bert/bert-base-uncased"',
  'a = "😀"; m = AutoModel.from_pretrained(MODEL)',
  'r = AutoModel.from_pretrained(args.model, trust_remote_code=True, revision="0123456789abcdef0123456789abcdef01234567")',
  '',
].join('\n');

function scanJson(path: string, extra: string[] = []) {
  const result = runCli(['scan', path, '--format', 'json', ...extra]);
  return { ...result, output: JSON.parse(result.stdout) };
}

describe('ptm-lens scan', () => {
  test('JSON output follows the contract: relative paths, 1-based UTF-16 columns, id ranges', () => {
    const workspace = tempWorkspace({ 'src/app.py': APP });
    try {
      const result = scanJson(workspace.root);
      const { status, output }: { status: number | null; output: any } = result;
      assert.equal(status, 1);
      assert.deepEqual(output.references, [
        { modelId: 'google-bert/bert-base-uncased', idSource: 'constant MODEL', revision: null, file: 'src/app.py', line: 3, column: 41, endLine: 3, endColumn: 46, language: 'python', loader: 'transformers.from_pretrained', options: {} },
        { modelId: null, unresolved: 'args.model', unresolvedReason: 'attribute', revision: '0123456789abcdef0123456789abcdef01234567', file: 'src/app.py', line: 4, column: 31, endLine: 4, endColumn: 41, language: 'python', loader: 'transformers.from_pretrained', options: { trust_remote_code: true } },
      ]);
      assert.deepEqual(output.findings.map((f: { code: string; line: number; column: number }) => [f.code, f.line, f.column]), [['PTM402', 3, 41], ['PTM401', 4, 61]]);
      const ajv = new Ajv({ allErrors: true, strict: false });
      const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'scan-output.schema.json'), 'utf8')));
      assert.ok(validate(output), JSON.stringify(validate.errors));
      // Notes (here: offline, no cached metadata) are part of the contract, and the schema checks them.
      const notes: { level: string }[] = JSON.parse(result.stdout).notes;
      assert.ok(notes.length > 0);
      assert.equal(validate({ ...JSON.parse(result.stdout), notes: [{ level: 'fatal', message: '' }] }), false);
    } finally {
      workspace.dispose();
    }
  });

  test('SARIF output is valid SARIF 2.1.0 with rule metadata, locations and fingerprints', () => {
    const workspace = tempWorkspace({ 'app.py': APP, 'b/other.py': APP });
    try {
      const result = runCli(['scan', workspace.root, '--format', 'sarif', '--fail-on', 'never']);
      assert.equal(result.status, 0);
      const sarif: { runs: any[] } = JSON.parse(result.stdout);
      const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
      const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
      assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5)));
      const run = sarif.runs[0];
      assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), RULES.map((r) => r.code));
      assert.ok(run.tool.driver.rules.every((r: { help: { text: string }; helpUri: string }) => r.help.text.length > 50 && r.helpUri.endsWith('.md')));
      assert.equal(run.results.length, 4);
      const first = run.results[0];
      assert.equal(first.locations[0].physicalLocation.artifactLocation.uri, 'app.py');
      assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 3, startColumn: 41, endLine: 3, endColumn: 46 });
      const fingerprints = run.results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['ptmLens/v1']);
      assert.equal(new Set(fingerprints).size, 4);
    } finally {
      workspace.dispose();
    }
  });

  test('model-level findings carry related locations (JSON related, SARIF relatedLocations); JSON fingerprints equal SARIF ones', () => {
    const app = [
      'from transformers import AutoTokenizer',
      'from sentence_transformers import SentenceTransformer',
      "a = AutoTokenizer.from_pretrained('gpt2')",
      "b = AutoTokenizer.from_pretrained('gpt2')",
      'c = SentenceTransformer("all-MiniLM-L6-v2")',
      '',
    ].join('\n');
    const workspace = tempWorkspace({ 'app.py': app });
    try {
      const args = ['scan', workspace.root, '--hub-fixture', fixtureModelsDir(), '--fail-on', 'never'];
      const output: any = scanJson(workspace.root, args.slice(2)).output;
      const legacy = output.findings.filter((f: { code: string }) => f.code === 'PTM104');
      assert.equal(legacy.length, 1);
      assert.deepEqual([legacy[0].line, legacy[0].related], [3, [{ file: 'app.py', line: 4, column: 35, endLine: 4, endColumn: 41 }]]);
      assert.match(legacy[0].message, /^'gpt2' is a legacy id/);
      assert.ok(!output.findings.some((f: { code: string }) => f.code === 'PTM101'), 'the bare sentence-transformers name is found on the Hub');
      const st = output.references.find((r: { line: number }) => r.line === 5);
      assert.deepEqual([st.modelId, st.writtenId, st.column, st.endColumn], ['sentence-transformers/all-MiniLM-L6-v2', 'all-MiniLM-L6-v2', 25, 43]);
      const ajv = new Ajv({ allErrors: true, strict: false });
      const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'scan-output.schema.json'), 'utf8')));
      const document: unknown = output; // validate() narrows what it is given
      assert.ok(validate(document), JSON.stringify(validate.errors));

      const sarif = JSON.parse(runCli([...args, '--format', 'sarif']).stdout);
      const results = sarif.runs[0].results;
      assert.deepEqual(results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['ptmLens/v1']), output.findings.map((f: { fingerprint: string }) => f.fingerprint));
      const sarifLegacy = results.find((r: { ruleId: string }) => r.ruleId === 'PTM104');
      assert.deepEqual(sarifLegacy.relatedLocations.map((l: any) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine]), [['app.py', 4]]);
      const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
      const validateSarif = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
      assert.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 5)));
    } finally {
      workspace.dispose();
    }
  });

  test('CLI advice names HF_TOKEN and hf auth login, not the editor command', () => {
    const workspace = tempWorkspace({ 'app.py': 'from transformers import AutoModel\nm = AutoModel.from_pretrained("bert-base-uncasd")\n' });
    try {
      const output: any = scanJson(workspace.root, ['--hub-fixture', fixtureModelsDir()]).output;
      const notFound = output.findings.find((f: { code: string }) => f.code === 'PTM101');
      assert.match(notFound.message, /HF_TOKEN or log in with `hf auth login`/);
      assert.doesNotMatch(notFound.message, /PTM Lens: Set Hugging Face Token/);
    } finally {
      workspace.dispose();
    }
  });

  test('fingerprints survive edits above the finding', () => {
    const workspace = tempWorkspace({ 'app.py': APP });
    try {
      const fingerprint = () => JSON.parse(runCli(['scan', workspace.root, '--format', 'sarif']).stdout).runs[0].results[0].partialFingerprints;
      const before = fingerprint();
      workspace.write('app.py', `# a new comment\n\n${APP}`);
      assert.deepEqual(fingerprint(), before);
    } finally {
      workspace.dispose();
    }
  });

  test('--fail-on decides the exit code', () => {
    const workspace = tempWorkspace({ 'app.py': APP });
    try {
      assert.equal(runCli(['scan', workspace.root]).status, 1);
      assert.equal(runCli(['scan', workspace.root, '--fail-on', 'error']).status, 0);
      assert.equal(runCli(['scan', workspace.root, '--fail-on', 'never']).status, 0);
      workspace.write('app.py', 'print("no models here")\n');
      assert.equal(runCli(['scan', workspace.root]).status, 0);
    } finally {
      workspace.dispose();
    }
  });

  test('usage errors exit 2 with a clear message', () => {
    const cases: [string[], RegExp][] = [
      [['scan', '.', '--format', 'xml'], /--format must be text, json or sarif/],
      [['scan', '.', '--fail-on', 'sometimes'], /--fail-on must be/],
      [['scan', '/no/such/folder'], /no such file or folder/],
      [['lint'], /unknown command "lint"/],
      [['scan', '.', '--bogus'], /Unknown option '--bogus'/],
      [['scan', '.', '--config', '/no/such.toml'], /config file not found/],
    ];
    for (const [args, message] of cases) {
      const result = runCli(args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.match(result.stderr, /ptm-lens --help/);
    }
  });

  test('--help and --version', () => {
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: ptm-lens scan \[PATH\]/);
    const version = runCli(['--version']);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  test('config files, --exclude, --output and inline suppressions', () => {
    const workspace = tempWorkspace({
      'pyproject.toml': '[project]\nname = "demo"\n\n[tool.ptm-lens]\nexclude = ["vendor/**"]\n\n[tool.ptm-lens.severity]\nPTM402 = "error"\n\n[tool.ptm-lens.per-file-ignores]\n"tests/**" = ["PTM402"]\n',
      'app.py': APP,
      'vendor/lib.py': APP,
      'tests/test_app.py': APP,
      'skipme/x.py': APP,
      'quiet.py': 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m")  # ptm-lens: ignore[PTM402]\n',
    });
    try {
      const out = workspace.path('report.json');
      const result = runCli(['scan', workspace.root, '--format', 'json', '--exclude', 'skipme/**', '--output', out]);
      assert.equal(result.stdout, '');
      const output = JSON.parse(readFileSync(out, 'utf8'));
      const files = [...new Set(output.references.map((r: { file: string }) => r.file))].sort();
      assert.deepEqual(files, ['app.py', 'quiet.py', 'tests/test_app.py']);
      const findings = output.findings.map((f: { file: string; code: string; severity: string }) => `${f.file} ${f.code} ${f.severity}`);
      assert.deepEqual(findings, ['app.py PTM402 error', 'app.py PTM401 warning', 'tests/test_app.py PTM401 warning']);
    } finally {
      workspace.dispose();
    }
  });

  test('a broken config file is an error: exit 2, no report', () => {
    const workspace = tempWorkspace({ 'ptm-lens.toml': 'ignore = [PTM402\n', 'app.py': APP });
    try {
      const result = runCli(['scan', workspace.root, '--format', 'json']);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /ptm-lens\.toml: not valid TOML/);
      assert.equal(result.stdout, '');
    } finally {
      workspace.dispose();
    }
  });

  test('text output names file, position, code and a summary', () => {
    const result = runCli(['scan', join(ROOT, 'examples'), '--no-color']);
    assert.match(result.stdout, /^serve\.py:\d+:\d+ warning PTM401 /m);
    assert.match(result.stdout, /model references in \d+ files; \d+ warnings(, \d+ infos?)?\.$/m);
    assert.doesNotMatch(result.stdout, /\x1b\[/);
  });
});
