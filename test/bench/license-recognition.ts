// Accuracy of license-text recognition on the real license files of this machine:
// Debian's common-licenses folder, the stand-alone License paragraphs of Debian's
// machine-readable copyright files, and the LICENSE files in node_modules (checked against
// each package's own "license" field). Run: npm run compile && node out/test/bench/license-recognition.js [--misses]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { recogniseLicense } from '../../server/license/recognize';

export interface Sample {
  corpus: string;
  name: string;
  text: string;
  expected: string;
}

const COMMON: Record<string, string> = {
  'Apache-2.0': 'Apache-2.0', Artistic: 'Artistic-1.0-Perl', BSD: 'BSD-3-Clause', 'CC0-1.0': 'CC0-1.0', 'GFDL-1.2': 'GFDL-1.2-only',
  'GFDL-1.3': 'GFDL-1.3-only', 'GPL-1': 'GPL-1.0-only', 'GPL-2': 'GPL-2.0-only', 'GPL-3': 'GPL-3.0-only', 'LGPL-2': 'LGPL-2.0-only',
  'LGPL-2.1': 'LGPL-2.1-only', 'LGPL-3': 'LGPL-3.0-only', 'MPL-1.1': 'MPL-1.1', 'MPL-2.0': 'MPL-2.0',
};

/** Debian short names (DEP-5) of licenses whose paragraphs carry text we should recognise. */
const DEBIAN: Record<string, string> = {
  expat: 'MIT', mit: 'MIT', 'bsd-2-clause': 'BSD-2-Clause', 'bsd-3-clause': 'BSD-3-Clause', 'bsd-4-clause': 'BSD-4-Clause', isc: 'ISC',
  'apache-2.0': 'Apache-2.0', zlib: 'Zlib', 'bsl-1.0': 'BSL-1.0', 'mpl-2.0': 'MPL-2.0', 'cc0-1.0': 'CC0-1.0', unlicense: 'Unlicense',
  'gpl-2': 'GPL-2.0-only', 'gpl-2+': 'GPL-2.0-or-later', 'gpl-3': 'GPL-3.0-only', 'gpl-3+': 'GPL-3.0-or-later',
  'lgpl-2.1': 'LGPL-2.1-only', 'lgpl-2.1+': 'LGPL-2.1-or-later', 'lgpl-3': 'LGPL-3.0-only', 'lgpl-3+': 'LGPL-3.0-or-later',
  'lgpl-2': 'LGPL-2.0-only', 'lgpl-2+': 'LGPL-2.0-or-later', 'agpl-3': 'AGPL-3.0-only', 'agpl-3+': 'AGPL-3.0-or-later',
};

export function commonLicenses(dir = '/usr/share/common-licenses'): Sample[] {
  if (!existsSync(dir)) return [];
  return Object.entries(COMMON)
    .filter(([file]) => existsSync(join(dir, file)))
    .map(([file, expected]) => ({ corpus: 'debian-common-licenses', name: file, text: readFileSync(join(dir, file), 'utf8'), expected }));
}

/** Stand-alone "License: NAME" paragraphs with their text, from DEP-5 copyright files. */
export function debianCopyrightParagraphs(dir = '/usr/share/doc'): Sample[] {
  if (!existsSync(dir)) return [];
  const samples: Sample[] = [];
  for (const pkg of readdirSync(dir).sort()) {
    const file = join(dir, pkg, 'copyright');
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    if (!/^Format:/m.test(text)) continue;
    for (const paragraph of text.split(/\n\s*\n/)) {
      const match = /^License:[ \t]*(\S+)[ \t]*\n((?:[ \t].*\n?)+)/.exec(paragraph);
      if (!match) continue;
      const expected = DEBIAN[match[1].toLowerCase()];
      if (!expected) continue;
      const body = match[2].split('\n').map((l) => l.replace(/^[ \t]/, '').replace(/^\.$/, '')).join('\n');
      if (body.length < 200) continue;
      samples.push({ corpus: 'debian-copyright', name: `${pkg}: ${match[1]}`, text: body, expected });
    }
  }
  return samples;
}

/** LICENSE files of installed npm packages whose package.json names one plain SPDX id. */
export function nodeModulesLicenses(dir: string): Sample[] {
  const samples: Sample[] = [];
  const visit = (pkgDir: string, name: string) => {
    let manifest: { license?: unknown };
    try {
      manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    } catch {
      return;
    }
    if (typeof manifest.license !== 'string' || !/^[A-Za-z0-9.-]+$/.test(manifest.license)) return;
    const file = readdirSync(pkgDir).find((f) => /^(licen[cs]e|copying)(\.md|\.txt)?$/i.test(f));
    if (!file || !statSync(join(pkgDir, file)).isFile()) return;
    samples.push({ corpus: 'node_modules', name: `${name}/${file}`, text: readFileSync(join(pkgDir, file), 'utf8'), expected: manifest.license });
  };
  if (!existsSync(dir)) return samples;
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const sub of readdirSync(join(dir, entry)).sort()) visit(join(dir, entry, sub), `${entry}/${sub}`);
    else visit(join(dir, entry), entry);
  }
  return samples;
}

/** Same license, allowing for SPDX's deprecated short forms ("GPL-2.0" for GPL-2.0-only). */
export function sameLicense(found: string | undefined, expected: string): boolean {
  if (!found) return false;
  const canon = (id: string) => id.toLowerCase().replace(/^(a?gpl|lgpl|gfdl)-(\d\.\d)$/, '$1-$2-only').replace(/\+$/, '-or-later');
  return canon(found) === canon(expected);
}

function main(): void {
  const showMisses = process.argv.includes('--misses');
  const root = join(__dirname, '..', '..', '..');
  const corpora = [commonLicenses(), debianCopyrightParagraphs(), nodeModulesLicenses(join(root, 'node_modules'))];
  for (const samples of corpora) {
    if (!samples.length) continue;
    let right = 0;
    let unrecognised = 0;
    const wrong: string[] = [];
    for (const sample of samples) {
      const found = recogniseLicense(sample.text);
      if (sameLicense(found?.spdx, sample.expected)) right++;
      else if (!found) unrecognised++;
      else wrong.push(`${sample.name}: expected ${sample.expected}, found ${found.spdx}`);
      if (showMisses && !sameLicense(found?.spdx, sample.expected)) console.log(`  miss ${sample.name}: expected ${sample.expected}, found ${found?.spdx ?? 'nothing'}`);
    }
    const pct = ((100 * right) / samples.length).toFixed(1);
    console.log(`${samples[0].corpus}: ${right}/${samples.length} recognised correctly (${pct}%), ${unrecognised} not recognised, ${wrong.length} wrong`);
    for (const line of wrong.slice(0, 20)) console.log(`  wrong ${line}`);
  }
}

if (require.main === module) main();
