// The analysis workers: real worker threads running the engine on real code.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { emptySettings } from '../../server/config/settings';
import type { ModelFacts } from '../../server/core/model-facts';
import { AnalysisPool, WORKER_FILE } from '../../server/lsp/analysis-pool';
import { existsSync } from 'node:fs';

const SMALL = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/model")\n';
const request = (text: string) => ({ root: '/project', file: '/project/app.py', text, settings: emptySettings() });

describe('analysis pool', () => {
  const asked: string[] = [];
  const log: string[] = [];
  const pool = new AnalysisPool({ get: async (id): Promise<ModelFacts | undefined> => void asked.push(id) as undefined }, (line) => log.push(line));
  after(() => pool.close());

  test('runs the engine on a worker thread, asking this thread for Hub facts', async () => {
    assert.ok(existsSync(WORKER_FILE), 'the compiled worker exists');
    const outcome = await pool.analyze(request(SMALL));
    assert.ok(outcome && 'result' in outcome);
    assert.deepEqual(outcome.result.findings.map((f) => [f.code, f.modelId]), [['PTM402', 'org/model']]);
    assert.equal(outcome.result.findings[0].reference, outcome.result.references[0], 'shared objects survive the copy');
    assert.deepEqual(asked, ['org/model']);
    assert.equal(pool.started, 1);
  });

  test('an aborted analysis ends its worker; the next one gets a fresh worker', async () => {
    const filler = 'value = compute(alpha, beta) + 1\n'.repeat(60_000);
    const controller = new AbortController();
    const big = pool.analyze(request(`from transformers import AutoModel\n${filler}m = AutoModel.from_pretrained("org/big")\n`), controller.signal);
    setTimeout(() => controller.abort(), 100);
    assert.equal(await big, undefined);
    const before = pool.started;
    const outcome = await pool.analyze(request(SMALL));
    assert.ok(outcome && 'result' in outcome && outcome.result.findings.length === 1);
    assert.ok(pool.started <= before + 1);
  });

  test('a text over the size cap is skipped with the reason', async () => {
    const outcome = await pool.analyze(request('#'.repeat(5 * 1024 * 1024 + 1)));
    assert.deepEqual(outcome, { skipped: 'larger than 5 MB' });
  });

  test('a text that crashes the parser costs only that text', async () => {
    let deep = 'from transformers import AutoModel\n';
    for (let i = 0; i < 600; i++) deep += `${' '.repeat(i)}if x:\n`;
    deep += `${' '.repeat(600)}m = AutoModel.from_pretrained("org/deep")\n`;
    const crashed = await pool.analyze(request(deep));
    // Analysed, refused with a note (nesting deeper than CPython allows), or the worker crashed and was replaced.
    const said = (outcome: typeof crashed) =>
      !!outcome && ('skipped' in outcome ? /analysis failed/.test(outcome.skipped) : outcome.result.references.length === 1 || !!outcome.result.notes?.some((n) => /not scanned/.test(n.message)));
    assert.ok(said(crashed), JSON.stringify(crashed).slice(0, 300));
    for (let i = 0; i < 3; i++) {
      const outcome = await pool.analyze(request(SMALL));
      assert.ok(outcome && 'result' in outcome, JSON.stringify(outcome));
      assert.deepEqual(outcome.result.findings.map((f) => f.code), ['PTM402']);
    }
  });
});
