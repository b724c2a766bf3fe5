import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLicense, type LicenseTree } from '../../server/license/expression';
import { allHubLicenseIds, HUB_LICENSE_IDS } from '../../server/license/hub-license-ids';
import { entryByHubId, LICENSE_ENTRIES, LICENSE_KINDS } from '../../server/license/knowledge-base';
import { judge, type IntendedUse, type Verdict } from '../../server/license/verdict';

function tree(text: string): LicenseTree {
  const parsed = parseLicense(text);
  assert.ok(parsed.ok, `${text}: ${parsed.ok ? '' : parsed.problem}`);
  return parsed.tree;
}

function verdictOf(model: string, project: string, use?: IntendedUse) {
  return judge(tree(model), tree(project), { use });
}

describe('license knowledge base', () => {
  test('every Hub license id, including ids added by hand, has an entry with a kind, a link and a source', () => {
    const ids = allHubLicenseIds();
    assert.ok(HUB_LICENSE_IDS.length === 75 && ids.includes('llama4'));
    for (const id of ids) {
      const entry = entryByHubId(id);
      assert.ok(entry, `no entry for Hub id ${id}`);
      assert.ok(LICENSE_KINDS.includes(entry.kind), `${id}: kind ${entry.kind}`);
      assert.match(entry.url, /^https:\/\//, `${id}: url`);
      assert.ok(entry.source.length > 10, `${id}: source`);
      assert.ok(entry.obligations.length > 5, `${id}: obligations`);
    }
  });

  test('only licenses that genuinely say nothing are of kind unknown', () => {
    const unknown = allHubLicenseIds().filter((id) => entryByHubId(id)!.kind === 'unknown').sort();
    assert.deepEqual(unknown, ['cc', 'other', 'unknown']);
  });

  test('every entry maps to an SPDX id or a named LicenseRef that parses as an SPDX expression', () => {
    for (const entry of LICENSE_ENTRIES) {
      const parsed = parseLicense(entry.spdx);
      assert.ok(parsed.ok, `${entry.spdx}: ${parsed.ok ? '' : parsed.problem}`);
      assert.equal(parsed.spdx, entry.spdx);
    }
  });

  test('the model licenses without an SPDX id get named LicenseRef- entries', () => {
    for (const id of ['openrail', 'openrail++', 'creativeml-openrail-m', 'bigscience-openrail-m', 'bigscience-bloom-rail-1.0', 'bigcode-openrail-m', 'llama2', 'llama3', 'llama3.1', 'llama3.2', 'llama3.3', 'llama4', 'gemma', 'deepfloyd-if-license', 'apple-ascl', 'other', 'unknown']) {
      assert.match(entryByHubId(id)!.spdx, /^LicenseRef-[A-Za-z0-9.-]+$/, id);
    }
  });
});

describe('license ids and expressions', () => {
  const cases: [string, string][] = [
    ['gpl-3.0', 'GPL-3.0-only'],
    ['GPL-3.0', 'GPL-3.0-only'],
    ['GPL-3.0+', 'GPL-3.0-or-later'],
    ['gpl-3.0-or-later', 'GPL-3.0-or-later'],
    ['agpl-3.0', 'AGPL-3.0-only'],
    ['apache-2.0', 'Apache-2.0'],
    ['mit or APACHE-2.0', 'MIT OR Apache-2.0'],
    ['(mit OR apache-2.0) AND llama3.1', '(MIT OR Apache-2.0) AND LicenseRef-Llama-3.1-Community'],
    ['openrail++', 'LicenseRef-OpenRAIL-PlusPlus'],
    ['GPL-2.0-or-later WITH Classpath-exception-2.0', 'GPL-2.0-or-later WITH Classpath-exception-2.0'],
    ['UNLICENSED', 'LicenseRef-Proprietary'],
    ['0bsd', '0BSD'],
  ];
  for (const [input, spdx] of cases) {
    test(`${input} -> ${spdx}`, () => {
      const parsed = parseLicense(input);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
      assert.equal(parsed.spdx, spdx);
    });
  }

  test('bad input gets one clear problem, never an exception', () => {
    for (const [input, problem] of [
      ['', /empty/],
      ['not-a-license', /neither a Hub license id nor an SPDX license id/],
      ['MIT OR', /not a valid license expression/],
      ['MIT\u0000', /control characters/],
      ['x'.repeat(5000), /longer than/],
      ['mit; rm -rf /', /"mit;" is neither/],
      ['(((', /not a valid license expression/],
    ] as const) {
      const parsed = parseLicense(input);
      assert.equal(parsed.ok, false, input);
      assert.match((parsed as { problem: string }).problem, problem);
    }
  });
});

describe('license verdicts', () => {
  // [model, project, use, verdict, codes]
  const table: [string, string, IntendedUse | undefined, Verdict, string[]][] = [
    // The incompatible pairs the PeaTMOSS study reports
    ['gpl-3.0', 'MIT', undefined, 'incompatible', ['PTM301']],
    ['gpl-3.0', 'Apache-2.0', undefined, 'incompatible', ['PTM301']],
    ['gpl-3.0', 'BSD-3-Clause', undefined, 'incompatible', ['PTM301']],
    ['agpl-3.0', 'MIT', undefined, 'incompatible', ['PTM301']],
    ['agpl-3.0', 'Apache-2.0', undefined, 'incompatible', ['PTM301']],
    // Copyleft meets copyleft
    ['gpl-3.0', 'GPL-3.0-or-later', undefined, 'compatible', []],
    ['gpl-2.0', 'GPL-3.0-only', undefined, 'incompatible', ['PTM301']],
    ['GPL-2.0-or-later', 'GPL-3.0-only', undefined, 'compatible', []],
    ['gpl', 'GPL-2.0-only', undefined, 'compatible', []],
    ['agpl-3.0', 'GPL-3.0-only', undefined, 'compatible', []],
    ['gpl-3.0', 'AGPL-3.0-only', undefined, 'compatible', []],
    ['agpl-3.0', 'GPL-2.0-only', undefined, 'incompatible', ['PTM301']],
    ['eupl-1.1', 'GPL-2.0-only', undefined, 'compatible', []],
    ['gpl-3.0', 'UNLICENSED', undefined, 'incompatible', ['PTM301']],
    // Permissive and weak copyleft models, with the known GPL clashes
    ['apache-2.0', 'GPL-3.0-only', undefined, 'compatible', []],
    ['apache-2.0', 'GPL-2.0-only', undefined, 'incompatible', ['PTM301']],
    ['epl-1.0', 'GPL-3.0-only', undefined, 'incompatible', ['PTM301']],
    ['mpl-2.0', 'MIT', undefined, 'compatible', []],
    ['lgpl-3.0', 'Apache-2.0', undefined, 'compatible', []],
    ['cc-by-sa-4.0', 'MIT', undefined, 'compatible', []],
    ['mit', 'UNLICENSED', 'commercial', 'compatible', []],
    // Non-commercial: the --use variants
    ['cc-by-nc-4.0', 'MIT', 'commercial', 'incompatible', ['PTM302']],
    ['cc-by-nc-4.0', 'MIT', 'non-commercial', 'conditional', ['PTM302']],
    ['cc-by-nc-4.0', 'MIT', 'research', 'conditional', ['PTM302']],
    ['cc-by-nc-4.0', 'MIT', undefined, 'conditional', ['PTM302']],
    ['cc-by-nc-nd-4.0', 'MIT', 'commercial', 'incompatible', ['PTM302', 'PTM303']],
    ['deepfloyd-if-license', 'Apache-2.0', 'research', 'conditional', ['PTM302']],
    ['apple-amlr', 'MIT', 'commercial', 'incompatible', ['PTM302']],
    // Use restrictions to pass on
    ['openrail', 'MIT', 'commercial', 'conditional', ['PTM303']],
    ['creativeml-openrail-m', 'Apache-2.0', undefined, 'conditional', ['PTM303']],
    ['bigscience-bloom-rail-1.0', 'MIT', undefined, 'conditional', ['PTM303']],
    ['llama2', 'MIT', 'commercial', 'conditional', ['PTM303']],
    ['llama4', 'Apache-2.0', undefined, 'conditional', ['PTM303']],
    ['gemma', 'MIT', 'research', 'conditional', ['PTM303']],
    ['cc-by-nd-4.0', 'MIT', undefined, 'conditional', ['PTM303']],
    // Licenses that say nothing
    ['unknown', 'MIT', undefined, 'unknown', ['PTM304']],
    ['other', 'MIT', 'commercial', 'unknown', ['PTM304']],
    ['cc', 'MIT', undefined, 'unknown', ['PTM304']],
    // Expressions: the most favourable branch decides; AND needs every part
    ['MIT OR Apache-2.0', 'MIT', undefined, 'compatible', []],
    ['gpl-3.0 OR mit', 'Apache-2.0', undefined, 'compatible', []],
    ['gpl-3.0 AND mit', 'Apache-2.0', undefined, 'incompatible', ['PTM301']],
    ['cc-by-nc-4.0 OR gpl-3.0', 'MIT', 'commercial', 'incompatible', ['PTM302']],
    ['cc-by-nc-4.0 OR llama3', 'MIT', 'commercial', 'conditional', ['PTM303']],
    ['gpl-3.0', 'MIT OR GPL-3.0-or-later', undefined, 'compatible', []],
    ['gpl-3.0', 'MIT AND GPL-3.0-only', undefined, 'incompatible', ['PTM301']],
    ['unknown AND llama3', 'MIT', undefined, 'unknown', ['PTM303', 'PTM304']],
  ];
  for (const [model, project, use, verdict, codes] of table) {
    test(`${model} model in a ${project} project${use ? ` (${use})` : ''}: ${verdict}`, () => {
      const result = verdictOf(model, project, use);
      assert.equal(result.verdict, verdict, result.reasons.join(' | '));
      assert.deepEqual(result.codes, codes);
      assert.ok(result.reasons.length >= 1 && result.reasons.every((r) => r.length > 20));
    });
  }

  test('identical pairs are compatible for every license without use conditions', () => {
    let checked = 0;
    for (const entry of LICENSE_ENTRIES) {
      if (!['permissive', 'weak-copyleft', 'strong-copyleft', 'network-copyleft'].includes(entry.kind)) continue;
      const result = judge(tree(entry.spdx), tree(entry.spdx));
      assert.equal(result.verdict, 'compatible', `${entry.spdx}: ${result.reasons.join(' | ')}`);
      checked++;
    }
    assert.ok(checked >= 45, `checked ${checked}`);
  });

  test('every Hub license id gets a verdict other than unknown unless it says nothing', () => {
    for (const id of allHubLicenseIds()) {
      const result = judge(tree(id), tree('MIT'), { use: 'commercial' });
      assert.equal(result.verdict === 'unknown', ['cc', 'other', 'unknown'].includes(id), `${id}: ${result.verdict}`);
    }
  });

  test('an OR expression says which branch decided', () => {
    const result = verdictOf('gpl-3.0 OR mit', 'Apache-2.0');
    assert.match(result.reasons[0], /"MIT" is the most favourable choice and decides/);
  });

  test('reasons link to the license text', () => {
    assert.match(verdictOf('gpl-3.0', 'MIT').reasons.join(' '), /https:\/\/spdx\.org\/licenses\/GPL-3\.0-only\.html/);
    assert.match(verdictOf('llama3.1', 'MIT').reasons.join(' '), /https:\/\/llama\.meta\.com\/llama3_1\/license\//);
  });

  test('a copyleft model with an unknown project license cannot be judged', () => {
    const result = judge(tree('gpl-3.0'), undefined);
    assert.equal(result.verdict, 'unknown');
    assert.deepEqual(result.codes, []);
    assert.equal(judge(tree('mit'), undefined).verdict, 'compatible');
  });

  test('no model license at all is PTM304', () => {
    const result = judge(undefined, tree('MIT'));
    assert.equal(result.verdict, 'unknown');
    assert.deepEqual(result.codes, ['PTM304']);
    assert.deepEqual(result.details.map((d) => d.code), ['PTM304']);
    assert.match(result.reasons[0], /states no license/);
  });

  test('PTM305: a model whose license drops its base model obligations', () => {
    const fineTuneOfNd = judge(tree('mit'), tree('MIT'), { bases: [{ modelId: 'org/base', tree: tree('cc-by-nc-nd-4.0') }] });
    assert.equal(fineTuneOfNd.verdict, 'conditional');
    assert.deepEqual(fineTuneOfNd.codes, ['PTM305']);
    assert.match(fineTuneOfNd.reasons.join(' '), /derived from 'org\/base'.*forbids modified versions/);
    const relicensedLlama = judge(tree('apache-2.0'), tree('MIT'), { bases: [{ modelId: 'meta-llama/Llama-3.1-8B', tree: tree('llama3.1') }] });
    assert.deepEqual(relicensedLlama.codes, ['PTM305']);
    const gplBase = judge(tree('mit'), tree('MIT'), { bases: [{ modelId: 'org/gpl', tree: tree('gpl-3.0') }] });
    assert.deepEqual(gplBase.codes, ['PTM305']);
    const same = judge(tree('llama3.1'), tree('MIT'), { bases: [{ modelId: 'meta-llama/Llama-3.1-8B', tree: tree('llama3.1') }] });
    assert.deepEqual(same.codes, ['PTM303']);
    const stricterChild = judge(tree('cc-by-nc-4.0'), tree('MIT'), { bases: [{ modelId: 'org/mit', tree: tree('mit') }] });
    assert.deepEqual(stricterChild.codes, ['PTM302']);
  });
});
