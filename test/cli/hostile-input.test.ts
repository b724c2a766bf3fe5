import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CLI, type CliResult } from '../support/cli';
import { ISOLATED_ENV } from '../support/isolated-env';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

const ROOT = join(__dirname, '..', '..', '..');
const LOAD = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m")\n';
/** A run that hangs fails the test instead of stopping the suite (generous: runs take about a second). */
const HANG_MS = 30_000;

function run(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, ...ISOLATED_ENV, ...options.env }, encoding: 'utf8', timeout: HANG_MS });
  assert.equal(result.error, undefined, `ptm-lens ${args.join(' ')} did not finish: ${result.error}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withWorkspace(files: Record<string, string>, body: (workspace: TempWorkspace) => void) {
  return () => {
    const workspace = tempWorkspace(files);
    try {
      body(workspace);
    } finally {
      workspace.dispose();
    }
  };
}

const stderrLines = (result: CliResult) => result.stderr.split('\n').filter(Boolean);
const noStackTrace = (result: CliResult) => assert.doesNotMatch(result.stderr, /^\s+at /m, result.stderr);

type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };
const validateOutput: Validator = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'scan-output.schema.json'), 'utf8')));
const validateSarif: Validator = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false }).compile(
  JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')),
);

describe('special and unreadable files', () => {
  test(
    'met in the tree: a FIFO, a broken link and a socket-like entry are notes, the rest is scanned',
    withWorkspace({ 'app.py': LOAD, 'pkg/ok.py': LOAD }, (w) => {
      execFileSync('mkfifo', [w.path('pkg/pipe.py')]);
      symlinkSync(w.path('nowhere.py'), w.path('pkg/broken.py'));
      symlinkSync(w.path('app.py'), w.path('pkg/linked.py'));
      const result = run(['scan', w.root, '--format', 'json', '--fail-on', 'never']);
      assert.equal(result.status, 0, result.stderr);
      const output: any = JSON.parse(result.stdout);
      assert.ok(validateOutput(output), JSON.stringify(validateOutput.errors));
      assert.deepEqual([...new Set(output.references.map((r: { file: string }) => r.file))], ['app.py', 'pkg/linked.py', 'pkg/ok.py']);
      const skipped = output.notes.filter((n: { file?: string }) => n.file);
      assert.deepEqual(skipped, [
        { level: 'warning', message: 'skipped: a symbolic link that cannot be followed (no such file or folder).', file: 'pkg/broken.py' },
        { level: 'warning', message: 'skipped: a FIFO (named pipe), not a regular file.', file: 'pkg/pipe.py' },
      ]);
      // The same notes, one line each, on stderr.
      assert.ok(stderrLines(result).includes('ptm-lens: warning: pkg/pipe.py: skipped: a FIFO (named pipe), not a regular file.'), result.stderr);
    }),
  );

  test(
    'named explicitly: a FIFO or a missing file exits 2 with one line, never hangs',
    withWorkspace({}, (w) => {
      execFileSync('mkfifo', [w.path('pipe.py')]);
      const fifo = run(['scan', w.path('pipe.py')]);
      assert.equal(fifo.status, 2);
      assert.deepEqual(stderrLines(fifo), [`ptm-lens: cannot scan ${w.path('pipe.py')}: a FIFO (named pipe), not a regular file.`]);
      symlinkSync(w.path('nowhere'), w.path('broken.py'));
      const broken = run(['scan', w.path('broken.py')]);
      assert.equal(broken.status, 2);
      assert.match(broken.stderr, /no such file or folder/);
    }),
  );

  test(
    'files over the size cap: named explicitly exit 2, met in the tree a note',
    withWorkspace({ 'app.py': LOAD }, (w) => {
      w.write('big/huge.py', `${LOAD}#${'x'.repeat(6 * 1024 * 1024)}\n`);
      const named = run(['scan', w.path('big/huge.py')]);
      assert.equal(named.status, 2);
      assert.deepEqual(stderrLines(named), [`ptm-lens: cannot scan ${w.path('big/huge.py')}: larger than 5 MB, the most PTM Lens reads.`]);
      const tree: any = JSON.parse(run(['scan', w.root, '--format', 'json']).stdout);
      assert.deepEqual(tree.notes.filter((n: { file?: string }) => n.file), [{ level: 'warning', message: 'skipped: larger than 5 MB.', file: 'big/huge.py' }]);
      assert.deepEqual(tree.references.map((r: { file: string }) => r.file), ['app.py']);
    }),
  );

  test(
    'named explicitly: a file of a language not scanned yet gets an info note, not silence',
    withWorkspace({ 'report.txt': 'AutoModel.from_pretrained("org/x")', 'package.json': '{"name": "app"}\n' }, (w) => {
      const notebook = run(['scan', w.path('report.txt'), '--format', 'json']);
      assert.equal(notebook.status, 0);
      const output: any = JSON.parse(notebook.stdout);
      assert.ok(validateOutput(output), JSON.stringify(validateOutput.errors));
      assert.deepEqual(output.notes, [{ level: 'info', message: 'not scanned yet: .txt file (docs/languages.md lists the files PTM Lens reads).', file: 'report.txt' }]);
      assert.deepEqual(stderrLines(notebook), ['ptm-lens: info: report.txt: not scanned yet: .txt file (docs/languages.md lists the files PTM Lens reads).']);
      const script = run(['scan', w.path('package.json'), '--format', 'sarif']);
      const sarif: any = JSON.parse(script.stdout);
      assert.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 5)));
      assert.deepEqual(sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => [n.level, n.message.text]), [
        ['note', 'not scanned yet: JSON file that is not a model config (docs/languages.md lists the files PTM Lens reads).'],
      ]);
    }),
  );
});

describe('config files', () => {
  test(
    'the lookup stops at the repository root and at the current folder; --verbose says which file is used',
    withWorkspace({ 'ptm-lens.toml': 'ignore = ["PTM402"]\n', 'a/b/c/app.py': LOAD }, (w) => {
      const outside = run(['scan', '.', '--format', 'json', '--verbose'], { cwd: w.path('a/b/c') });
      assert.equal(JSON.parse(outside.stdout).findings.length, 1, 'the config three levels up must not apply');
      assert.match(outside.stderr, /^ptm-lens: config: no config file in /m);
      w.write('a/.git/HEAD', 'ref: refs/heads/main\n');
      w.write('a/ptm-lens.toml', 'ignore = ["PTM4"]\n');
      const inRepo = run(['scan', w.path('a/b/c'), '--format', 'json', '--verbose'], { cwd: w.root });
      assert.equal(JSON.parse(inRepo.stdout).findings.length, 0);
      assert.ok(stderrLines(inRepo).includes(`ptm-lens: config: using ${w.path('a/ptm-lens.toml')}`), inRepo.stderr);
    }),
  );

  test(
    'a FIFO named pyproject.toml in a parent folder is passed over with a warning',
    withWorkspace({ 'a/app.py': LOAD }, (w) => {
      execFileSync('mkfifo', [w.path('pyproject.toml')]);
      const result = run(['scan', 'a', '--format', 'json'], { cwd: w.root });
      assert.equal(result.status, 1);
      assert.deepEqual(JSON.parse(result.stdout).notes[0], { level: 'warning', message: `${w.path('pyproject.toml')}: ignored, it is a FIFO (named pipe), not a config file.` });
    }),
  );

  test(
    '--config naming a device or a folder exits 2 with one line, and reads nothing',
    withWorkspace({ 'app.py': LOAD, 'pyproject.toml/x': '' }, (w) => {
      for (const [config, reason] of [['/dev/zero', 'a device'], [w.path('pyproject.toml'), 'a folder']]) {
        const result = run(['scan', w.root, '--config', config]);
        assert.equal(result.status, 2);
        assert.equal(result.stdout, '');
        assert.deepEqual(stderrLines(result), [`ptm-lens: error: ${config}: cannot read the config file: ${reason}, not a regular file.`, 'ptm-lens: configuration errors (above): fix them, then scan again.']);
      }
    }),
  );

  test(
    'config errors exit 2; each problem is one line; warnings alone let the scan run',
    withWorkspace({ 'app.py': LOAD }, (w) => {
      for (const [text, message] of [
        ['ignore = [""]\n', 'ignore has "", which matches every rule and would silence them all'],
        ['ignore = ["P"]\n', 'ignore has "P", which matches every rule'],
        ['[severity]\n"" = "off"\n', 'severity has "", which matches every rule'],
        ['severity = "error"\n', 'severity must be a table of rule code = level'],
        ['exclude = "vendor"\n', 'exclude must be a list of globs'],
      ]) {
        w.write('ptm-lens.toml', text);
        const result = run(['scan', w.root, '--format', 'json']);
        assert.equal(result.status, 2, text);
        assert.equal(result.stdout, '');
        const lines = stderrLines(result);
        assert.equal(lines.length, 2, result.stderr);
        assert.ok(lines[0].startsWith(`ptm-lens: error: ${w.path('ptm-lens.toml')}: ${message}`), `${text}: ${lines[0]}`);
      }
      w.write('ptm-lens.toml', 'ignore = ["PTM999"]\ncolour = true\n');
      const warned = run(['scan', w.root, '--format', 'json']);
      assert.equal(warned.status, 1);
      assert.deepEqual(JSON.parse(warned.stdout).notes.map((n: { level: string }) => n.level), ['warning', 'warning', 'info', 'warning']);
    }),
  );

  test(
    'exclude globs are relative to the config file that declares them',
    withWorkspace({ '.git/HEAD': '', 'ptm-lens.toml': 'exclude = ["pkg/vendor/**"]\n', 'pkg/app.py': LOAD, 'pkg/vendor/lib.py': LOAD }, (w) => {
      for (const [cwd, path] of [[w.root, 'pkg'], [w.path('pkg'), '.'], [w.root, '.']]) {
        const output: any = JSON.parse(run(['scan', path, '--format', 'json'], { cwd }).stdout);
        assert.deepEqual([...new Set(output.references.map((r: { file: string }) => r.file))].map((f) => String(f).replace(/^pkg\//, '')), ['app.py'], `${cwd} ${path}`);
      }
    }),
  );
});

describe('bad flags and unexpected errors', () => {
  test('empty values and broken environments give one line, never a stack trace', () => {
    for (const [args, env, message] of [
      [['scan', '.', '--exclude', ''], {}, /--exclude needs a glob/],
      [['scan', '.', '--config', ''], {}, /--config needs a value/],
      [['scan', ''], {}, /PATH is an empty string/],
      [['scan', '.', '--output', '/no/such/folder/report.txt', '--no-hub'], {}, /cannot write \/no\/such\/folder\/report\.txt: no such file or folder/],
      [['scan', '.', '--offline'], { HF_ENDPOINT: 'http://[::1' }, /./],
    ] as [string[], NodeJS.ProcessEnv, RegExp][]) {
      const result = run(args, { cwd: join(ROOT, 'examples'), env });
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      noStackTrace(result);
      assert.ok(stderrLines(result).length <= 2, result.stderr);
    }
  });

  test(
    '--debug shows the stack trace of an unexpected error; without it, one line',
    withWorkspace({ 'app.py': LOAD, 'hub/org--m/info.json': '{ not json' }, (w) => {
      // A broken fixture Hub (a developer tool) fails deep inside: an error nobody anticipated.
      const plain = run(['scan', 'app.py', '--hub-fixture', 'hub'], { cwd: w.root });
      assert.equal(plain.status, 2);
      assert.doesNotMatch(plain.stderr, /^\s+at /m);
      assert.match(plain.stderr, /--debug/);
      const debug = run(['scan', 'app.py', '--hub-fixture', 'hub', '--debug'], { cwd: w.root });
      assert.equal(debug.status, 2);
      assert.match(debug.stderr, /^\s+at /m);
    }),
  );
});

describe('output escaping', () => {
  test(
    'SARIF URIs percent-encode #, ?, %, spaces and a leading colon segment',
    withWorkspace({}, (w) => {
      w.write('a b/c#1?.py', LOAD);
      w.write('x:y%.py', LOAD);
      const sarif: any = JSON.parse(run(['scan', w.root, '--format', 'sarif', '--fail-on', 'never']).stdout);
      assert.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 5)));
      const uris = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
      assert.deepEqual(uris, ['a%20b/c%231%3F.py', 'x%3Ay%25.py']);
      for (const uri of uris) assert.equal(new URL(uri, 'file:///src/').pathname.startsWith('/src/'), true);
      assert.deepEqual(uris.map((u: string) => decodeURIComponent(u)), ['a b/c#1?.py', 'x:y%.py']);
      assert.equal(sarif.runs[0].invocations[0].executionSuccessful, true);
    }),
  );

  test(
    'text output escapes control characters and bidirectional overrides in file names and messages',
    withWorkspace({}, (w) => {
      const name = 'evil\x1b[2J\u202egnp.py';
      w.write(name, 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/m", revision="ma\u202e\x07in")\n');
      mkdirSync(w.path('sub'));
      const result = run(['scan', w.root, '--no-color', '--fail-on', 'never']);
      assert.equal(result.status, 0);
      assert.doesNotMatch(result.stdout + result.stderr, /[\x1b\u202e]/);
      assert.match(result.stdout, /^evil\\x1b\[2J\\u\{202e\}gnp\.py:2:\d+ .*['"]ma\\u\{202e\}\\x07in['"]/m);
    }),
  );
});
