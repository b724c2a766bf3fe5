// `ptm-lens scan --baseline FILE`: only findings not in a previous JSON or SARIF report,
// matched by fingerprints that survive code moving above a finding; a baseline that cannot
// be used stops the run with exit 2 and one line.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { runCli } from '../support/cli';
import { tempWorkspace } from '../support/workspace';

const BEFORE = ['from transformers import AutoModel', 'a = AutoModel.from_pretrained("google-bert/bert-base-uncased")', ''].join('\n');
// A new load above the old one: the old finding moves down two lines and keeps its fingerprint.
const AFTER = ['from transformers import AutoModel', 'b = AutoModel.from_pretrained("openai-community/gpt2")', '', 'a = AutoModel.from_pretrained("google-bert/bert-base-uncased")', ''].join('\n');

for (const format of ['json', 'sarif'] as const) {
  test(`a ${format} baseline hides the findings it holds and reports the new one`, () => {
    const workspace = tempWorkspace({ 'app.py': BEFORE });
    try {
      const baselineFile = workspace.path(`baseline.${format}`);
      const first = runCli(['scan', workspace.root, '--format', format, '--output', baselineFile, '--exclude', 'baseline.*']);
      assert.equal(first.status, 1, first.stderr);

      const same = runCli(['scan', workspace.root, '--format', 'json', '--baseline', baselineFile, '--exclude', 'baseline.*']);
      assert.equal(same.status, 0, same.stderr);
      const sameOutput = JSON.parse(same.stdout);
      assert.deepEqual(sameOutput.findings, []);
      assert.equal(sameOutput.references.length, 1, 'references are still listed');
      assert.match(same.stderr, /baseline: 1 finding already in .* not reported/);

      workspace.write('app.py', AFTER);
      const next = runCli(['scan', workspace.root, '--format', 'json', '--baseline', baselineFile, '--exclude', 'baseline.*']);
      assert.equal(next.status, 1, next.stderr);
      const findings = JSON.parse(next.stdout).findings;
      assert.deepEqual(findings.map((f: { code: string; modelId: string; line: number }) => [f.code, f.modelId, f.line]), [['PTM402', 'openai-community/gpt2', 2]]);
    } finally {
      workspace.dispose();
    }
  });
}

describe('a baseline that cannot be used: exit 2, one clear line', () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['missing', undefined, /cannot read the baseline .*missing\.json/],
    ['not JSON', 'PTM402 somewhere\n', /is not JSON/],
    ['another tool', '{"results": []}', /neither a PTM Lens JSON report \(version 1\) nor a SARIF 2\.1\.0 log/],
    ['no fingerprints', '{"version": 1, "references": [], "findings": [{"code": "PTM402"}]}', /findings without a PTM Lens fingerprint/],
    ['SARIF of another tool', '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Bandit"}}, "results": []}]}', /SARIF log without a PTM Lens run/],
  ];
  for (const [name, content, message] of cases) {
    test(name, () => {
      const workspace = tempWorkspace({ 'app.py': BEFORE });
      try {
        const file = workspace.path(content === undefined ? 'missing.json' : 'baseline.json');
        if (content !== undefined) writeFileSync(file, content);
        const result = runCli(['scan', workspace.root, '--baseline', file, '--exclude', 'baseline.json']);
        assert.equal(result.status, 2);
        assert.match(result.stderr, message);
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
        assert.equal(result.stdout, '');
      } finally {
        workspace.dispose();
      }
    });
  }
  test('an empty --baseline is a usage error', () => {
    const result = runCli(['scan', '.', '--baseline', '']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--baseline needs a value/);
  });
});
