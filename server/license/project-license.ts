// Finds a project's own license in its folder: LICENSE/LICENCE/COPYING text, then the
// package metadata (package.json, pyproject.toml, setup.cfg, literal values in setup.py).
// A config key or setting overrides all of this (the caller passes it as `override`).
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseToml } from '../config/toml';
import type { Note } from '../core/notes';
import { parseLicense, printable } from './expression';
import { MAX_LICENSE_BYTES, recogniseLicense } from './recognize';

export interface DetectedLicense {
  /** What the project declares, as written (an id, an expression, or a classifier). */
  license: string;
  /** The SPDX expression it maps to. */
  spdx: string;
  /** Where it was found: a file name relative to the root, "config" or "setting". */
  source: string;
}

export interface Detection {
  found?: DetectedLicense;
  notes: Note[];
}

const LICENSE_FILE = /^(licen[cs]e|copying)([-._][a-z0-9.-]*)?(\.md|\.txt|\.rst)?$/i;
const MAX_METADATA_BYTES = 1024 * 1024;

/** Trove classifiers (PyPI) to SPDX; the common ones. */
const CLASSIFIERS: [RegExp, string][] = [
  [/MIT License$/, 'MIT'],
  [/MIT No Attribution License/, 'MIT-0'],
  [/Apache Software License$/, 'Apache-2.0'],
  [/BSD License$/, 'BSD-3-Clause'],
  [/ISC License/, 'ISC'],
  [/GNU Affero General Public License v3 or later/, 'AGPL-3.0-or-later'],
  [/GNU Affero General Public License v3$/, 'AGPL-3.0-only'],
  [/GNU Lesser General Public License v3 or later/, 'LGPL-3.0-or-later'],
  [/GNU Lesser General Public License v3 \(LGPLv3\)/, 'LGPL-3.0-only'],
  [/GNU Lesser General Public License v2 or later/, 'LGPL-2.0-or-later'],
  [/GNU Lesser General Public License v2 \(LGPLv2\)/, 'LGPL-2.0-only'],
  [/GNU General Public License v3 or later/, 'GPL-3.0-or-later'],
  [/GNU General Public License v3 \(GPLv3\)/, 'GPL-3.0-only'],
  [/GNU General Public License v2 or later/, 'GPL-2.0-or-later'],
  [/GNU General Public License v2 \(GPLv2\)/, 'GPL-2.0-only'],
  [/Mozilla Public License 2\.0/, 'MPL-2.0'],
  [/The Unlicense/, 'Unlicense'],
  [/Boost Software License 1\.0/, 'BSL-1.0'],
  [/Eclipse Public License 2\.0/, 'EPL-2.0'],
];

/** The project license declared or written in `root`, with notes for what could not be read. */
export function detectProjectLicense(root: string, override?: { license: string; source: string }): Detection {
  const notes: Note[] = [];
  if (override) {
    const parsed = parseLicense(override.license);
    if (parsed.ok) return { found: { license: override.license, spdx: parsed.spdx, source: override.source }, notes };
    notes.push({ level: 'warning', message: `project license from ${override.source} is not usable: ${parsed.problem}; looking for it in the project files.` });
  }
  for (const detect of [fromLicenseFiles, fromPackageJson, fromPyproject, fromSetupCfg, fromSetupPy]) {
    const found = detect(root, notes);
    if (found) return { found, notes };
  }
  return { notes };
}

function readSmall(path: string, limit: number): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(limit, statSync(path).size));
      const read = readSync(fd, buffer, 0, buffer.length, 0);
      return buffer.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function fromLicenseFiles(root: string, notes: Note[]): DetectedLicense | undefined {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => LICENSE_FILE.test(n)).sort();
  } catch {
    return undefined;
  }
  const found: DetectedLicense[] = [];
  for (const name of names) {
    const text = readSmall(join(root, name), MAX_LICENSE_BYTES);
    if (text === undefined) continue;
    if (text.includes('\u0000')) {
      notes.push({ level: 'warning', message: `${name} is not a text file; its license was not read.`, file: name });
      continue;
    }
    const recognised = recogniseLicense(text);
    if (!recognised) {
      notes.push({ level: 'info', message: `${name}: the license text was not recognised; set project-license in ptm-lens.toml to say which it is.`, file: name });
      continue;
    }
    const parsed = parseLicense(recognised.spdx);
    if (parsed.ok) found.push({ license: recognised.spdx, spdx: parsed.spdx, source: name });
  }
  if (found.length <= 1) return found[0];
  // LICENSE-MIT and LICENSE-APACHE side by side: the usual way to offer a choice.
  const spdx = [...new Set(found.map((f) => f.spdx))];
  const joined = spdx.length === 1 ? spdx[0] : spdx.map((s) => (/ /.test(s) ? `(${s})` : s)).join(' OR ');
  return { license: joined, spdx: joined, source: found.map((f) => f.source).join(', ') };
}

function declared(license: string, source: string, notes: Note[]): DetectedLicense | undefined {
  const parsed = parseLicense(license);
  if (parsed.ok) return { license, spdx: parsed.spdx, source };
  notes.push({ level: 'info', message: `${source}: license "${printable(license)}" is not an SPDX id or expression (${parsed.problem}).`, file: source });
  return undefined;
}

function fromPackageJson(root: string, notes: Note[]): DetectedLicense | undefined {
  const text = readSmall(join(root, 'package.json'), MAX_METADATA_BYTES);
  if (text === undefined) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    notes.push({ level: 'warning', message: 'package.json is not valid JSON; its license was not read.', file: 'package.json' });
    return undefined;
  }
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const license = (manifest as { license?: unknown }).license;
  if (typeof license === 'string') return declared(license, 'package.json', notes);
  const type = (license as { type?: unknown } | undefined)?.type;
  if (typeof type === 'string') return declared(type, 'package.json', notes);
  return undefined;
}

function fromPyproject(root: string, notes: Note[]): DetectedLicense | undefined {
  const text = readSmall(join(root, 'pyproject.toml'), MAX_METADATA_BYTES);
  if (text === undefined) return undefined;
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch {
    notes.push({ level: 'warning', message: 'pyproject.toml is not valid TOML; its license was not read.', file: 'pyproject.toml' });
    return undefined;
  }
  const project = (document.project ?? {}) as Record<string, unknown>;
  const poetry = ((document.tool as Record<string, unknown> | undefined)?.poetry ?? {}) as Record<string, unknown>;
  // PEP 639: license is an SPDX expression; the older table form has "text" or "file".
  const license = project.license ?? poetry.license;
  if (typeof license === 'string') return declared(license, 'pyproject.toml', notes);
  if (license && typeof license === 'object') {
    const table = license as { text?: unknown; file?: unknown };
    if (typeof table.text === 'string') {
      const byId = parseLicense(table.text);
      if (byId.ok) return { license: table.text, spdx: byId.spdx, source: 'pyproject.toml' };
      const recognised = recogniseLicense(table.text);
      if (recognised) return { license: recognised.spdx, spdx: recognised.spdx, source: 'pyproject.toml' };
    }
    if (typeof table.file === 'string') {
      const found = licenseFileAt(root, table.file, 'pyproject.toml');
      if (found) return found;
    }
  }
  const files = project['license-files'];
  if (Array.isArray(files)) {
    for (const file of files) if (typeof file === 'string' && !/[*?[]/.test(file)) {
      const found = licenseFileAt(root, file, 'pyproject.toml');
      if (found) return found;
    }
  }
  return fromClassifiers(project.classifiers, 'pyproject.toml');
}

function licenseFileAt(root: string, relative: string, source: string): DetectedLicense | undefined {
  if (relative.includes('..')) return undefined;
  const text = readSmall(join(root, relative), MAX_LICENSE_BYTES);
  const recognised = text === undefined || text.includes('\u0000') ? undefined : recogniseLicense(text);
  return recognised ? { license: recognised.spdx, spdx: recognised.spdx, source: `${relative} (named in ${source})` } : undefined;
}

function fromClassifiers(classifiers: unknown, source: string): DetectedLicense | undefined {
  if (!Array.isArray(classifiers)) return undefined;
  for (const classifier of classifiers) {
    if (typeof classifier !== 'string' || !classifier.startsWith('License ::')) continue;
    const match = CLASSIFIERS.find(([pattern]) => pattern.test(classifier.trim()));
    if (match) return { license: classifier.trim(), spdx: match[1], source };
  }
  return undefined;
}

function fromSetupCfg(root: string, notes: Note[]): DetectedLicense | undefined {
  const text = readSmall(join(root, 'setup.cfg'), MAX_METADATA_BYTES);
  if (text === undefined) return undefined;
  const metadata = /^\[metadata\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text)?.[1] ?? '';
  const license = /^license\s*=\s*(.+)$/m.exec(metadata)?.[1].trim();
  if (license) {
    const found = declared(license, 'setup.cfg', notes);
    if (found) return found;
  }
  const classifiers = /^classifiers\s*=\s*((?:\n[ \t]+.*)+)/m.exec(metadata)?.[1].split('\n').map((l) => l.trim()).filter(Boolean);
  return fromClassifiers(classifiers, 'setup.cfg');
}

function fromSetupPy(root: string, notes: Note[]): DetectedLicense | undefined {
  const text = readSmall(join(root, 'setup.py'), MAX_METADATA_BYTES);
  if (text === undefined) return undefined;
  // Only literal values: setup.py is never run.
  const license = /\blicense\s*=\s*(['"])([^'"\n]{1,200})\1/.exec(text)?.[2];
  if (license) {
    const found = declared(license, 'setup.py', notes);
    if (found) return found;
  }
  const classifiers = [...text.matchAll(/(['"])(License :: [^'"\n]+)\1/g)].map((m) => m[2]);
  return fromClassifiers(classifiers, 'setup.py');
}
