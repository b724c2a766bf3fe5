import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadProjectConfig, lookupConfigFile, MAX_CONFIG_BYTES } from '../../server/config/project-config';
import { resolveSettings } from '../../server/config/resolve-settings';
import { effectiveSeverity, isExcluded } from '../../server/config/settings';
import { CONFIG_KEYS, SettingsValidator } from '../../server/config/validate';
import { listSourceFiles, RULE_CODES } from '../../server/engine/workspace';
import { tempWorkspace, type TempWorkspace } from '../support/workspace';

function withWorkspace(files: Record<string, string>, body: (workspace: TempWorkspace) => void | Promise<void>) {
  return async () => {
    const workspace = tempWorkspace(files);
    try {
      await body(workspace);
    } finally {
      workspace.dispose();
    }
  };
}

const load = (workspace: TempWorkspace, text: string, name = 'ptm-lens.toml') => loadProjectConfig(workspace.write(name, text), RULE_CODES);
const levels = (notes: { level: string; message: string }[]) => notes.map((n) => `${n.level}: ${n.message.replace(/^.*?\.toml: /, '')}`);

describe('config file lookup', () => {
  test(
    'stops at the repository root: a config file above it is not used',
    withWorkspace({ 'ptm-lens.toml': 'ignore = ["PTM402"]\n', 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/a/b/app.py': '' }, (w) => {
      assert.equal(lookupConfigFile(w.path('repo/a/b'), w.root).file, undefined);
      w.write('repo/ptm-lens.toml', '');
      assert.equal(lookupConfigFile(w.path('repo/a/b'), w.root).file, w.path('repo/ptm-lens.toml'));
    }),
  );

  test(
    'inside a repository the boundary does not hide the repository root\'s file: editor and CLI find the same',
    withWorkspace({ 'repo/.git/HEAD': '', 'repo/ptm-lens.toml': '', 'repo/pkg/app.py': '' }, (w) => {
      assert.equal(lookupConfigFile(w.path('repo/pkg'), w.path('repo/pkg')).file, w.path('repo/ptm-lens.toml'));
      assert.equal(lookupConfigFile(w.path('repo/pkg')).file, w.path('repo/ptm-lens.toml'));
    }),
  );

  test(
    'outside a repository, stops at the boundary (the workspace folder), and by default at the folder itself',
    withWorkspace({ 'ptm-lens.toml': '', 'a/b/c/app.py': '' }, (w) => {
      assert.equal(lookupConfigFile(w.path('a/b/c')).file, undefined);
      assert.equal(lookupConfigFile(w.path('a/b/c'), w.path('a/b')).file, undefined);
      assert.equal(lookupConfigFile(w.path('a/b/c'), w.root).file, w.path('ptm-lens.toml'));
    }),
  );

  test(
    'a FIFO or a folder named like a config file is passed over with a warning, never read',
    { timeout: 20_000 },
    withWorkspace({ 'a/app.py': '' }, (w) => {
      execFileSync('mkfifo', [w.path('pyproject.toml')]);
      mkdirSync(w.path('a/ptm-lens.toml'));
      const lookup = lookupConfigFile(w.path('a'), w.root);
      assert.equal(lookup.file, undefined);
      assert.deepEqual(
        lookup.notes.map((n) => [n.level, n.message.replace(w.root, '')]),
        [
          ['warning', '/a/ptm-lens.toml: ignored, it is a folder, not a config file.'],
          ['warning', '/pyproject.toml: ignored, it is a FIFO (named pipe), not a config file.'],
        ],
      );
    }),
  );

  test('a device named as the config file is refused, not read to its end', { timeout: 20_000 }, () => {
    const config = loadProjectConfig('/dev/zero', RULE_CODES);
    assert.deepEqual(levels(config.notes), ['error: /dev/zero: cannot read the config file: a device, not a regular file.']);
  });

  test(
    'a config file over the size cap is refused',
    withWorkspace({}, (w) => {
      const config = load(w, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
      assert.equal(config.notes.length, 1);
      assert.match(config.notes[0].message, /cannot read the config file: larger than 1 MB/);
    }),
  );
});

describe('config validation', () => {
  test(
    'patterns that match every rule are errors where they would silence rules',
    withWorkspace({}, (w) => {
      for (const text of ['ignore = [""]', 'ignore = ["P"]', 'ignore = [" ptm "]', '[severity]\n"" = "off"', '[per-file-ignores]\n"tests/**" = ["PT"]']) {
        const config = load(w, `${text}\n`);
        assert.deepEqual(config.notes.map((n) => n.level), ['error'], text);
        assert.match(config.notes[0].message, /matches every rule and would silence them all/, text);
      }
    }),
  );

  test(
    'the valid part is kept: bad entries go, good ones stay',
    withWorkspace({}, (w) => {
      const config = load(w, 'ignore = ["", "ptm402", "PTM999"]\nselect = ["PTM4"]\n');
      assert.deepEqual(config.settings.ignore, ['PTM402']);
      assert.deepEqual(config.settings.select, ['PTM4']);
      assert.deepEqual(config.notes.map((n) => n.level), ['error', 'warning']);
      assert.match(config.notes[1].message, /ignore: unknown rule code "PTM999" ignored/);
    }),
  );

  test(
    'a severity that is not a table is one error naming the key, not one per character',
    withWorkspace({}, (w) => {
      const config = load(w, 'severity = "error"\n');
      assert.deepEqual(levels(config.notes), ['error: severity must be a table of rule code = level (error, warning, info, hint or off), such as { PTM401 = "error" }, not the string "error".']);
    }),
  );

  test(
    'wrong types are errors naming the key; unknown keys and codes are warnings',
    withWorkspace({}, (w) => {
      const config = load(w, 'select = "PTM4"\nexclude = [1]\nignor = ["PTM402"]\n[severity]\nPTM401 = "loud"\nPTM777 = "info"\n[thresholds]\nstale-after-days = "long"\nmin-card = 1\n');
      assert.deepEqual(levels(config.notes), [
        'error: select must be a list of rule codes such as ["PTM402"], not the string "PTM4".',
        'error: exclude must hold globs as strings, not the number 1.',
        `warning: unknown key ignor ignored (known: ${Object.keys(CONFIG_KEYS).join(', ')}).`,
        'error: severity.PTM401 must be error, warning, info, hint or off, not the string "loud".',
        `warning: severity: unknown rule code "PTM777" ignored (rules: ${RULE_CODES.join(', ')}).`,
        'error: thresholds.stale-after-days must be a number from 1 to 36500, not the string "long".',
        'warning: unknown key thresholds.min-card ignored (known: stale-after-days, min-card-score, onnx-target-opset).',
      ]);
    }),
  );

  test(
    'keys in pyproject.toml are named as they are written there',
    withWorkspace({}, (w) => {
      const config = load(w, '[tool.ptm-lens]\nexclude = [""]\n', 'pyproject.toml');
      assert.deepEqual(levels(config.notes), ['error: tool.ptm-lens.exclude has an empty glob; remove it or name files such as "vendor/**".']);
    }),
  );

  test('checks for single values name the key and keep only what is valid', () => {
    const check = new SettingsValidator(RULE_CODES, (key) => `tool.ptm-lens.${key}`);
    assert.equal(check.level('unresolved-id-severity', 'hint'), 'hint');
    assert.equal(check.level('unresolved-id-severity', 'loud'), undefined);
    assert.equal(check.oneOf('intended-use', 'research', ['commercial', 'non-commercial', 'research'] as const), 'research');
    assert.equal(check.oneOf('intended-use', 3, ['commercial', 'non-commercial', 'research'] as const), undefined);
    assert.equal(check.text('project-license', ' MIT ', 'MIT'), 'MIT');
    assert.equal(check.text('project-license', '', 'MIT'), undefined);
    assert.deepEqual(check.notes.map((n) => n.message), [
      'tool.ptm-lens.unresolved-id-severity must be error, warning, info, hint or off, not the string "loud".',
      'tool.ptm-lens.intended-use must be commercial, non-commercial or research, not the number 3.',
      'tool.ptm-lens.project-license must be a non-empty string such as "MIT", not the string "".',
    ]);
  });

  test(
    'invalid TOML is an error',
    withWorkspace({}, (w) => {
      assert.deepEqual(load(w, 'ignore = [PTM402\n').notes.map((n) => n.level), ['error']);
    }),
  );
});

describe('settings from every layer (CLI and editor alike)', () => {
  const files = {
    'repo/.git/HEAD': '',
    'repo/ptm-lens.toml': 'exclude = ["pkg/vendor/**"]\n[per-file-ignores]\n"pkg/tests/**" = ["PTM402"]\n[thresholds]\nstale-after-days = 30\n',
    'repo/pkg/app.py': '',
    'repo/pkg/vendor/lib.py': '',
    'repo/pkg/tests/test_app.py': '',
    'repo/vendor/top.py': '',
  };

  test(
    'globs in a config file are relative to its folder, whatever folder is scanned',
    withWorkspace(files, async (w) => {
      const pkg = w.path('repo/pkg');
      const { settings, configFile, notes } = resolveSettings({ folder: pkg, boundary: w.root, knownCodes: RULE_CODES });
      assert.equal(configFile, w.path('repo/ptm-lens.toml'));
      assert.deepEqual(notes, []);
      assert.deepEqual((await listSourceFiles(pkg, settings)).map((f) => f.slice(pkg.length + 1)), ['app.py', 'tests/test_app.py']);
      assert.equal(effectiveSeverity(settings, 'PTM402', 'warning', 'tests/test_app.py'), undefined);
      assert.equal(effectiveSeverity(settings, 'PTM402', 'warning', 'app.py'), 'warning');
      // Scanned from the repository root, the same files are excluded.
      const fromRoot = resolveSettings({ folder: w.path('repo'), knownCodes: RULE_CODES }).settings;
      assert.deepEqual((await listSourceFiles(w.path('repo'), fromRoot)).map((f) => f.slice(w.path('repo').length + 1)), ['pkg/app.py', 'pkg/tests/test_app.py', 'vendor/top.py']);
      assert.equal(effectiveSeverity(fromRoot, 'PTM402', 'warning', 'pkg/tests/test_app.py'), undefined);
      // Open documents honour them too.
      assert.equal(isExcluded(settings, pkg, w.path('repo/pkg/vendor/lib.py')), true);
      assert.equal(isExcluded(settings, pkg, w.path('repo/pkg/app.py')), false);
    }),
  );

  test(
    'editor settings go over the config file; a threshold left at its default keeps the file\'s',
    withWorkspace(files, (w) => {
      const folder = w.path('repo');
      const { settings, notes } = resolveSettings({
        folder,
        overrides: { origin: 'editor', exclude: ['pkg/tests/**'], ignore: ['PTM601'], severity: { PTM401: 'error' }, thresholds: { staleAfterDays: 1095, minCardScore: 0.8 } },
        knownCodes: RULE_CODES,
      });
      assert.deepEqual(notes, []);
      assert.equal(settings.thresholds.staleAfterDays, 30);
      assert.equal(settings.thresholds.minCardScore, 0.8);
      assert.deepEqual(settings.ignore, ['PTM601']);
      assert.equal(effectiveSeverity(settings, 'PTM401', 'warning', 'pkg/app.py'), 'error');
      assert.equal(isExcluded(settings, folder, w.path('repo/pkg/tests/test_app.py')), true);
    }),
  );

  test(
    'bad editor settings are named as settings and the rest still applies',
    withWorkspace(files, (w) => {
      const { settings, notes, hasErrors } = resolveSettings({
        folder: w.path('repo'),
        overrides: { origin: 'editor', ignore: ['', 'PTM601'], severity: 'error', thresholds: { minCardScore: 7 } },
        knownCodes: RULE_CODES,
      });
      assert.equal(hasErrors, true);
      assert.equal(notes.length, 3);
      assert.match(notes[0].message, /^ptmLens\.rules\.ignore has "", which matches every rule and would silence them all/);
      assert.match(notes[1].message, /^ptmLens\.rules\.severity must be a table of rule code = level .* not the string "error"\.$/);
      assert.match(notes[2].message, /^ptmLens\.rules\.minCardScore must be a number from 0 to 1, not 7; using the default\.$/);
      assert.deepEqual(settings.ignore, ['PTM601']);
      assert.equal(settings.thresholds.staleAfterDays, 30);
    }),
  );
});
