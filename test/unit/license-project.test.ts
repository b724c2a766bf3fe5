import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadProjectConfig } from '../../server/config/project-config';
import { emptySettings, mergeSettings } from '../../server/config/settings';
import { projectFacts } from '../../server/engine/project';
import { detectProjectLicense } from '../../server/license/project-license';
import { recogniseLicense } from '../../server/license/recognize';
import { tempWorkspace } from '../support/workspace';

const SAMPLES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'licenses');
const expected: Record<string, string> = JSON.parse(readFileSync(join(SAMPLES, 'expected.json'), 'utf8'));
const sample = (name: string) => readFileSync(join(SAMPLES, name), 'utf8');

describe('license text recognition', () => {
  test('a sample of real license files (Debian, npm) is recognised exactly', () => {
    const names = Object.keys(expected).filter((k) => !k.startsWith('_'));
    assert.ok(names.length >= 15);
    const wrong = names.filter((name) => recogniseLicense(sample(name))?.spdx !== expected[name]).map((n) => `${n}: ${recogniseLicense(sample(n))?.spdx}`);
    assert.deepEqual(wrong, []);
  });

  test('real-world variants: Markdown, re-wrapped lines, CRLF, copyright lines, an "or later" notice above the GPL', () => {
    const mit = sample('npm-undici-LICENSE');
    const markdown = `# MIT License\n\n**Copyright © 2026 Example Corp.**\n\n${mit.replace(/\n(?!\n)/g, ' ').replace(/"/g, '“')}`;
    assert.equal(recogniseLicense(markdown)?.spdx, 'MIT');
    assert.equal(recogniseLicense(sample('debian-Apache-2.0').replace(/\n/g, '\r\n'))?.spdx, 'Apache-2.0');
    const notice = 'Copyright (C) 2026 Example\n\nThis program is free software: you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version.\n\n';
    assert.equal(recogniseLicense(notice + sample('debian-GPL-3'))?.spdx, 'GPL-3.0-or-later');
    assert.equal(recogniseLicense(notice)?.spdx, 'GPL-3.0-or-later');
    assert.equal(recogniseLicense('// SPDX-License-Identifier: MPL-2.0\n')?.spdx, 'MPL-2.0');
  });

  test('text that is no license is not recognised', () => {
    for (const text of ['', 'All rights reserved.', 'Permission is hereby granted to read this README.', '\u0000\u0001binary\u00ff'.repeat(100)]) {
      assert.equal(recogniseLicense(text), undefined, text.slice(0, 20));
    }
  });
});

describe('project license detection', () => {
  const detect = (files: Record<string, string>, override?: { license: string; source: string }) => {
    const workspace = tempWorkspace(files);
    try {
      return detectProjectLicense(workspace.root, override);
    } finally {
      workspace.dispose();
    }
  };

  test('a LICENSE file is read first', () => {
    const { found, notes } = detect({ LICENSE: sample('npm-undici-LICENSE'), 'package.json': '{"license": "Apache-2.0"}' });
    assert.deepEqual(found, { license: 'MIT', spdx: 'MIT', source: 'LICENSE' });
    assert.deepEqual(notes, []);
    assert.equal(detect({ 'COPYING.txt': sample('debian-GPL-2') }).found?.spdx, 'GPL-2.0-only');
    assert.equal(detect({ 'LICENCE.md': sample('npm-chownr-LICENSE') }).found?.spdx, 'ISC');
  });

  test('LICENSE-MIT beside LICENSE-APACHE offers a choice', () => {
    const { found } = detect({ 'LICENSE-MIT': sample('npm-undici-LICENSE'), 'LICENSE-APACHE': sample('debian-Apache-2.0') });
    assert.equal(found?.spdx, 'Apache-2.0 OR MIT');
    assert.equal(found?.source, 'LICENSE-APACHE, LICENSE-MIT');
  });

  test('package metadata: package.json, pyproject.toml (PEP 639, table, license-files, classifiers, Poetry), setup.cfg, setup.py', () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ 'package.json': '{"license": "(MIT OR Apache-2.0)"}' }, 'MIT OR Apache-2.0', 'package.json'],
      [{ 'package.json': '{"license": {"type": "BSD-3-Clause"}}' }, 'BSD-3-Clause', 'package.json'],
      [{ 'pyproject.toml': '[project]\nname = "x"\nlicense = "GPL-3.0-or-later"\n' }, 'GPL-3.0-or-later', 'pyproject.toml'],
      [{ 'pyproject.toml': '[project]\nlicense = {text = "Apache-2.0"}\n' }, 'Apache-2.0', 'pyproject.toml'],
      [{ 'pyproject.toml': '[project]\nlicense = {file = "docs/TERMS.txt"}\n', 'docs/TERMS.txt': sample('debian-MPL-2.0') }, 'MPL-2.0', 'docs/TERMS.txt (named in pyproject.toml)'],
      [{ 'pyproject.toml': '[project]\nlicense-files = ["legal/LICENSE.txt"]\n', 'legal/LICENSE.txt': sample('npm-css-select-LICENSE') }, 'BSD-2-Clause', 'legal/LICENSE.txt (named in pyproject.toml)'],
      [{ 'pyproject.toml': '[project]\nclassifiers = ["Programming Language :: Python", "License :: OSI Approved :: GNU Affero General Public License v3"]\n' }, 'AGPL-3.0-only', 'pyproject.toml'],
      [{ 'pyproject.toml': '[tool.poetry]\nlicense = "MIT"\n' }, 'MIT', 'pyproject.toml'],
      [{ 'setup.cfg': '[metadata]\nname = x\nlicense = Apache-2.0\n\n[options]\nlicense = GPL\n' }, 'Apache-2.0', 'setup.cfg'],
      [{ 'setup.cfg': '[metadata]\nclassifiers =\n    Development Status :: 4 - Beta\n    License :: OSI Approved :: MIT License\n' }, 'MIT', 'setup.cfg'],
      [{ 'setup.py': 'from setuptools import setup\nsetup(name="x", license="BSD-3-Clause")\n' }, 'BSD-3-Clause', 'setup.py'],
      [{ 'setup.py': 'setup(classifiers=["License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)"])\n' }, 'GPL-2.0-or-later', 'setup.py'],
    ];
    for (const [files, spdx, source] of cases) {
      const { found } = detect(files);
      assert.equal(found?.spdx, spdx, JSON.stringify(files));
      assert.equal(found?.source, source);
    }
  });

  test('a setting or config key overrides the files; an unusable one says so and falls back', () => {
    assert.deepEqual(detect({ LICENSE: sample('npm-undici-LICENSE') }, { license: 'gpl-3.0', source: 'config' }).found, { license: 'gpl-3.0', spdx: 'GPL-3.0-only', source: 'config' });
    const bad = detect({ LICENSE: sample('npm-undici-LICENSE') }, { license: 'my own', source: 'config' });
    assert.equal(bad.found?.spdx, 'MIT');
    assert.match(bad.notes[0].message, /project license from config is not usable: "my" is neither/);
  });

  test('bad input: binary LICENSE, unrecognised text, malformed metadata give a note each and lose nothing', () => {
    const { found, notes } = detect({
      LICENSE: '\u0000\u0001\u0002PK\u0003\u0004',
      'COPYING': 'You may do what I say you may do.',
      'package.json': '{"license": ',
      'pyproject.toml': '[project\nlicense = "MIT"',
      'setup.py': 'setup(license="Proprietary-ish ☺")',
      'setup.cfg': '[metadata]\nlicense = ISC\n',
    });
    assert.deepEqual(found, { license: 'ISC', spdx: 'ISC', source: 'setup.cfg' });
    assert.deepEqual(notes.map((n) => n.message), [
      'COPYING: the license text was not recognised; set project-license in ptm-lens.toml to say which it is.',
      'LICENSE is not a text file; its license was not read.',
      'package.json is not valid JSON; its license was not read.',
      'pyproject.toml is not valid TOML; its license was not read.',
    ]);
    assert.deepEqual(detect({}), { notes: [] });
  });

  test('a huge LICENSE file is read only up to the limit', () => {
    const workspace = tempWorkspace();
    try {
      writeFileSync(join(workspace.root, 'LICENSE'), sample('npm-undici-LICENSE') + 'x'.repeat(20 * 1024 * 1024));
      assert.equal(detectProjectLicense(workspace.root).found?.spdx, 'MIT');
    } finally {
      workspace.dispose();
    }
  });
});

describe('project-license and intended-use config keys', () => {
  test('are read from ptm-lens.toml and decide the project facts', () => {
    const workspace = tempWorkspace({ 'ptm-lens.toml': 'project-license = "Apache-2.0"\nintended-use = "commercial"\n', LICENSE: sample('npm-undici-LICENSE') });
    try {
      const config = loadProjectConfig(workspace.path('ptm-lens.toml'));
      assert.deepEqual(config.problems, []);
      const { facts } = projectFacts(workspace.root, mergeSettings(emptySettings(), config.settings));
      assert.deepEqual(facts, { license: { license: 'Apache-2.0', spdx: 'Apache-2.0', source: 'config' }, intendedUse: 'commercial' });
    } finally {
      workspace.dispose();
    }
  });

  test('bad values are reported, not fatal', () => {
    const workspace = tempWorkspace({ 'pyproject.toml': '[tool.ptm-lens]\nproject-license = 3\nintended-use = "hobby"\n' });
    try {
      const config = loadProjectConfig(workspace.path('pyproject.toml'));
      assert.equal(config.problems.length, 2);
      assert.match(config.problems.join(' '), /project-license must be a non-empty string.*intended-use must be commercial, non-commercial or research/);
      assert.equal(config.settings.license, undefined);
    } finally {
      workspace.dispose();
    }
  });
});
