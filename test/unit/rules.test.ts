import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectConfig } from '../../server/config/project-config';
import { emptySettings, mergeSettings } from '../../server/config/settings';
import type { Finding } from '../../server/core/types';
import { analyzeText } from '../../server/engine/analyze';

const SHA = '0123456789abcdef0123456789abcdef01234567';

async function findings(text: string, options: { commit?: string; settings?: Parameters<typeof mergeSettings>[1]; path?: string } = {}): Promise<Finding[]> {
  const result = await analyzeText(text, {
    relativePath: options.path ?? 'app.py',
    settings: mergeSettings(emptySettings(), options.settings ?? {}),
    localCommit: () => options.commit,
  });
  return result.findings;
}

function applyFix(text: string, finding: Finding, index = 0): string {
  const edits = [...finding.fixes[index].edits].sort((a, b) => b.span.start - a.span.start);
  return edits.reduce((out, e) => out.slice(0, e.span.start) + e.newText + out.slice(e.span.end), text);
}

const HEADER = 'from transformers import AutoModel\n';

describe('PTM402 unpinned revision', () => {
  test('flags a missing revision, a branch and a tag; accepts 7 to 40 hex digits', async () => {
    const text = HEADER + [
      'a = AutoModel.from_pretrained("org/a")',
      'b = AutoModel.from_pretrained("org/b", revision="main")',
      'c = AutoModel.from_pretrained("org/c", revision="v1.0")',
      'd = AutoModel.from_pretrained("org/d", revision="abc1234")',
      `e = AutoModel.from_pretrained("org/e", revision="${SHA}")`,
      'f = AutoModel.from_pretrained("org/f", revision="abc123")',
      'g = AutoModel.from_pretrained("org/g", revision=REVISION_FROM_ELSEWHERE)',
    ].join('\n');
    const found = await findings(text);
    assert.deepEqual(found.map((f) => [f.code, f.modelId]), [['PTM402', 'org/a'], ['PTM402', 'org/b'], ['PTM402', 'org/c'], ['PTM402', 'org/f']]);
    assert.match(found[1].message, /branch or tag/);
  });

  test('the fix pins the local cache commit, inline for one-line calls', async () => {
    const text = HEADER + 'm = AutoModel.from_pretrained("org/a", num_labels=2)\n';
    const [finding] = await findings(text, { commit: SHA });
    assert.equal(finding.fixes[0].preferred, true);
    assert.equal(applyFix(text, finding), HEADER + `m = AutoModel.from_pretrained("org/a", num_labels=2, revision="${SHA}")\n`);
  });

  test('the fix adds a line in the call\'s layout for multi-line calls, keeping a trailing comma', async () => {
    const text = HEADER + 'm = AutoModel.from_pretrained(\n    "org/a",\n    num_labels=2,\n)\n';
    const [finding] = await findings(text, { commit: SHA });
    assert.equal(applyFix(text, finding), HEADER + `m = AutoModel.from_pretrained(\n    "org/a",\n    num_labels=2,\n    revision="${SHA}",\n)\n`);
  });

  test('the fix replaces a branch revision, and offers a snippet when the cache does not hold the model', async () => {
    const text = HEADER + 'm = AutoModel.from_pretrained("org/a", revision="main")\n';
    const [cached] = await findings(text, { commit: SHA });
    assert.equal(applyFix(text, cached), HEADER + `m = AutoModel.from_pretrained("org/a", revision="${SHA}")\n`);
    const [uncached] = await findings(text);
    assert.equal(uncached.fixes[0].snippet, true);
    assert.equal(applyFix(text, uncached), HEADER + 'm = AutoModel.from_pretrained("org/a", revision="${1:commit-sha}")\n');
  });
});

describe('PTM401 trust_remote_code', () => {
  test('flags trust_remote_code=True (also through a constant) and offers the pin alongside', async () => {
    const text = HEADER + 'TRUST = True\nm = AutoModel.from_pretrained("org/a", trust_remote_code=TRUST)\nn = AutoModel.from_pretrained("org/b", trust_remote_code=False)\n';
    const found = await findings(text, { commit: SHA });
    const remote = found.filter((f) => f.code === 'PTM401');
    assert.equal(remote.length, 1);
    assert.equal(text.slice(remote[0].span.start, remote[0].span.end), 'TRUST');
    assert.match(applyFix(text, remote[0]), new RegExp(`trust_remote_code=TRUST, revision="${SHA}"\\)`));
  });

  test('a pinned call with remote code is still flagged, without a fix', async () => {
    const text = HEADER + `m = AutoModel.from_pretrained("org/a", trust_remote_code=True, revision="${SHA}")\n`;
    const found = await findings(text);
    assert.deepEqual(found.map((f) => [f.code, f.fixes.length]), [['PTM401', 0]]);
    assert.match(found[0].message, /Review that code at the pinned revision/);
  });
});

describe('settings and suppressions', () => {
  const text = HEADER + 'm = AutoModel.from_pretrained("org/a", trust_remote_code=True)\n';

  test('ignore, select, severity overrides and per-file ignores', async () => {
    assert.deepEqual((await findings(text, { settings: { ignore: ['PTM402'] } })).map((f) => f.code), ['PTM401']);
    assert.deepEqual((await findings(text, { settings: { select: ['PTM40'], ignore: ['ptm401'] } })).map((f) => f.code), ['PTM402']);
    assert.deepEqual((await findings(text, { settings: { select: ['PTM6'] } })).map((f) => f.code), []);
    const severities = (await findings(text, { settings: { severity: { PTM4: 'info', PTM402: 'error' } } })).map((f) => `${f.code}:${f.severity}`);
    assert.deepEqual(severities.sort(), ['PTM401:info', 'PTM402:error']);
    assert.deepEqual((await findings(text, { settings: { severity: { PTM401: 'off' } } })).map((f) => f.code), ['PTM402']);
    assert.deepEqual((await findings(text, { path: 'tests/test_x.py', settings: { perFileIgnores: { 'tests/**': ['PTM4'] } } })).length, 0);
  });

  test('inline directives on the line of the call or of the id', async () => {
    const onCall = HEADER + 'm = AutoModel.from_pretrained(  # ptm-lens: ignore[PTM402]\n    "org/a", trust_remote_code=True)\n';
    assert.deepEqual((await findings(onCall)).map((f) => f.code), ['PTM401']);
    const onId = HEADER + 'm = AutoModel.from_pretrained(\n    "org/a",  # ptm-lens: ignore[PTM401, PTM402]\n    trust_remote_code=True)\n';
    assert.deepEqual((await findings(onId)).map((f) => f.code), []);
    const bare = HEADER + 'm = AutoModel.from_pretrained("org/a")  # ptm-lens: ignore\n';
    assert.deepEqual(await findings(bare), []);
    const other = HEADER + 'm = AutoModel.from_pretrained("org/a")  # ptm-lens: ignore[PTM401]\n';
    assert.deepEqual((await findings(other)).map((f) => f.code), ['PTM402']);
  });
});

describe('PTM402 where nothing is downloaded, and ids decided at run time', () => {
  test('no finding for model objects, path expressions and names that read as paths', async () => {
    const text = [
      'import os',
      'from pathlib import Path',
      'from transformers import AutoModel, AutoModelForTokenClassification, pipeline',
      `model = AutoModelForTokenClassification.from_pretrained("dslim/bert-base-NER", revision="${SHA}")`,
      'ner = pipeline("ner", model=model)',
      'def load(output_dir, ckpt_dir, step, args):',
      '    for ckpt in Path(output_dir).glob("checkpoint-*"):',
      '        AutoModel.from_pretrained(ckpt)',
      '    AutoModel.from_pretrained(os.path.join(output_dir, "best"))',
      '    AutoModel.from_pretrained(f"{output_dir}/checkpoint-{step}")',
      '    AutoModel.from_pretrained(ckpt_dir)',
      '    AutoModel.from_pretrained(args.output_dir)',
      '',
    ].join('\n');
    assert.deepEqual(await findings(text), []);
  });

  test('an id decided at run time gets the unresolved-id severity (info by default), names the expression and has no pin fix', async () => {
    const text = HEADER + 'def load(args, model_name_or_path):\n    a = AutoModel.from_pretrained(args.model)\n    b = AutoModel.from_pretrained(model_name_or_path)\n';
    const found = await findings(text, { commit: SHA });
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.fixes.length]), [['PTM402', 'info', 0], ['PTM402', 'info', 0]]);
    assert.match(found[0].message, /^The model named by args\.model is loaded without a pinned revision/);
    assert.ok(found.every((f) => !/This model/.test(f.message)));
    assert.deepEqual((await findings(text, { settings: { unresolvedIdSeverity: 'warning' } })).map((f) => f.severity), ['warning', 'warning']);
    assert.deepEqual(await findings(text, { settings: { unresolvedIdSeverity: 'off' } }), []);
    // A resolved id keeps the rule's severity.
    assert.deepEqual((await findings(HEADER + 'm = AutoModel.from_pretrained("org/a")\n')).map((f) => f.severity), ['warning']);
  });

  test('the config file sets unresolved-id-severity and rejects a bad value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptm-rules-'));
    try {
      writeFileSync(join(dir, 'ptm-lens.toml'), 'unresolved-id-severity = "hint"\n');
      assert.equal(loadProjectConfig(join(dir, 'ptm-lens.toml')).settings.unresolvedIdSeverity, 'hint');
      writeFileSync(join(dir, 'ptm-lens.toml'), 'unresolved-id-severity = "loud"\n');
      const bad = loadProjectConfig(join(dir, 'ptm-lens.toml'));
      assert.equal(bad.settings.unresolvedIdSeverity, undefined);
      assert.match(bad.problems.join('\n'), /unresolved-id-severity must be/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the pin fix is offered only where the id is fixed in code', async () => {
    const text = [
      'import argparse, os',
      'from dataclasses import dataclass, field',
      'from transformers import AutoModel',
      'MODEL = "org/constant"',
      '@dataclass',
      'class Args:',
      '    model_id: str = field(default="org/dataclass")',
      'parser = argparse.ArgumentParser()',
      'parser.add_argument("--model", default="org/argparse")',
      'def load(args: Args, cli, name="org/parameter"):',
      '    a = AutoModel.from_pretrained("org/literal")',
      '    b = AutoModel.from_pretrained(MODEL)',
      '    c = AutoModel.from_pretrained(cli.model)',
      '    d = AutoModel.from_pretrained(args.model_id)',
      '    e = AutoModel.from_pretrained(name)',
      '    f = AutoModel.from_pretrained(os.getenv("MODEL", "org/environment"))',
      '',
    ].join('\n');
    const found = await findings(text, { commit: SHA });
    assert.deepEqual(
      found.map((f) => [f.modelId, f.severity, f.fixes.length]),
      [
        ['org/literal', 'warning', 1],
        ['org/constant', 'warning', 1],
        ['org/argparse', 'warning', 0],
        ['org/dataclass', 'warning', 0],
        ['org/parameter', 'warning', 0],
        ['org/environment', 'warning', 0],
      ],
    );
    assert.match(found[2].message, /^'org\/argparse' \(argparse default of --model\) is loaded without a pinned revision/);
  });

  test('revision messages show the value and where it comes from, not the variable name', async () => {
    const text = HEADER + 'def load():\n    revision = "refs/pr/1"\n    return AutoModel.from_pretrained("org/a", revision=revision)\n';
    const [finding] = await findings(text);
    assert.equal(finding.message, "'org/a' is loaded at revision 'refs/pr/1' (from variable revision), a branch or tag that can move. Pin a commit sha instead.");
  });

  test('PTM401 names the expression of an id decided at run time and offers no pin there', async () => {
    const text = HEADER + 'def load(args):\n    return AutoModel.from_pretrained(args.model, trust_remote_code=True)\n';
    const found = (await findings(text, { commit: SHA })).filter((f) => f.code === 'PTM401');
    assert.deepEqual(found.map((f) => [f.severity, f.fixes.length]), [['warning', 0]]);
    assert.match(found[0].message, /runs Python code from the model named by args\.model/);
  });

  test('sentence-transformers: messages name the requested id and the id as written', async () => {
    const text = 'from sentence_transformers import SentenceTransformer\nm = SentenceTransformer("all-MiniLM-L6-v2")\n';
    const [finding] = await findings(text);
    assert.equal(finding.modelId, 'sentence-transformers/all-MiniLM-L6-v2');
    assert.match(finding.message, /^'sentence-transformers\/all-MiniLM-L6-v2' \(requested for 'all-MiniLM-L6-v2'\) is loaded without a pinned revision/);
    assert.equal(text.slice(finding.span.start, finding.span.end), '"all-MiniLM-L6-v2"');
  });
});
