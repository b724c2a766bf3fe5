// The fuzzer's short run inside `npm test` (a fixed seed, a few thousand inputs); `npm run fuzz`
// runs the same properties on 100,000+.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReport, runFuzz } from './harness';

test('fuzz: scanner, config loader and Hub answer checks survive a few thousand hostile inputs', { timeout: 600_000 }, async () => {
  const counts = { generatedPython: 1000, hostilePython: 12, mutatedPython: 250, config: 1000, hub: 2000, javascript: 500, hostileJavaScript: 10, shell: 500, hostileShell: 10, yaml: 500, json: 500, toml: 500, notebook: 500 };
  const report = await runFuzz(counts, 20261127);
  console.log(formatReport(report));
  for (const [kind, count] of Object.entries(counts)) {
    if (kind === 'mutatedPython' && report.corpusFiles === 0) continue;
    assert.equal(report.kinds[kind as keyof typeof counts].inputs, count, kind);
  }
  assert.ok(report.corpusFiles >= 3, 'the bundled examples are part of the corpus');
});
