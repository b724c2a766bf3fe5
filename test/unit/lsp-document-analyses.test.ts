// The per-document analysis queue: versions, cancellation, priorities and stale answers.
// The analyzer is a controllable stand-in: what is under test is the bookkeeping.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DocumentAnalyses, type AnalysisEntry, type AnalyzerResult } from '../../server/lsp/document-analyses';

interface Call {
  uri: string;
  text: string | undefined;
  signal: AbortSignal;
  finish(result?: AnalyzerResult): void;
}

function harness(concurrency = 2) {
  const calls: Call[] = [];
  const published: AnalysisEntry[] = [];
  const analyses = new DocumentAnalyses(
    (uri, text, signal) => new Promise((resolve) => calls.push({ uri, text, signal, finish: (result) => resolve(result ?? { text: text ?? '', references: [], findings: [] }) })),
    (entry) => published.push(entry),
    concurrency,
  );
  return { analyses, calls, published };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('document analyses', () => {
  test("an older version's result never overwrites a newer one, even when it finishes last", async () => {
    const { analyses, calls, published } = harness();
    const first = analyses.run('a', 1, 'one');
    const second = analyses.run('a', 2, 'two');
    await tick();
    assert.deepEqual(calls.map((c) => [c.text, c.signal.aborted]), [['two', false]], 'version 1 was cancelled before it started');
    calls[0].finish();
    assert.equal((await second)?.version, 2);
    assert.equal(await first, undefined);
    // Version 3 starts, version 4 supersedes it while it runs; 3 finishes after 4.
    const third = analyses.run('a', 3, 'three');
    await tick();
    const fourth = analyses.run('a', 4, 'four');
    await tick();
    assert.equal(calls[1].signal.aborted, true, 'the running analysis of version 3 was told to stop');
    calls[2].finish();
    await fourth;
    calls[1].finish();
    assert.equal(await third, undefined);
    assert.deepEqual(published.map((e) => e.version), [2, 4]);
    assert.equal(analyses.get('a')?.text, 'four');
  });

  test("settled waits for the analysis that superseded the one asked for (a workspace scan's file analysed again meanwhile)", async () => {
    const { analyses, calls } = harness();
    const scanned = analyses.run('a', -1);
    await tick();
    const again = analyses.run('a', -1);
    await tick();
    let settled = false;
    const waiting = analyses.settled('a').then(() => (settled = true));
    calls[0].finish({ text: 'old', references: [], findings: [] });
    assert.equal(await scanned, undefined, 'the superseded analysis resolves early, with nothing');
    await tick();
    assert.equal(settled, false, 'the newer analysis still runs');
    calls[1].finish({ text: 'new', references: [], findings: [] });
    await waiting;
    assert.equal((await again)?.text, 'new');
    assert.equal(analyses.get('a')?.text, 'new');
    await analyses.settled('b');
  });

  test('a scheduled edit cancels the running analysis of the previous version', async () => {
    const { analyses, calls, published } = harness();
    void analyses.run('a', 1, 'one');
    await tick();
    analyses.schedule('a', 2, 'two', 10);
    assert.equal(calls[0].signal.aborted, true);
    calls[0].finish();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await tick();
    calls[1].finish();
    await tick();
    assert.deepEqual(published.map((e) => e.version), [2]);
  });

  test('open documents go first and short texts before long ones; concurrency is bounded', async () => {
    const { analyses, calls } = harness(1);
    const blocker = analyses.run('busy', 1, 'x');
    void analyses.run('disk', -1);
    void analyses.run('long', 1, 'x'.repeat(1000));
    void analyses.run('short', 1, 'x');
    await tick();
    assert.deepEqual(calls.map((c) => c.uri), ['busy']);
    calls[0].finish();
    await blocker;
    for (let i = 1; i <= 3; i++) {
      for (let n = 0; n < 5 && calls.length === i; n++) await tick();
      calls[i].finish();
    }
    assert.deepEqual(calls.map((c) => c.uri), ['busy', 'short', 'long', 'disk']);
  });

  test('hovers answer from the last analysis while a newer one runs; exact-version requests wait for it', async () => {
    const { analyses, calls } = harness();
    void analyses.run('a', 1, 'one');
    await tick();
    calls[0].finish();
    await tick();
    void analyses.run('a', 2, 'two');
    await tick();
    const stale = await analyses.current('a', 2, 'two', true);
    assert.equal(stale?.version, 1);
    assert.equal(calls.length, 2, 'no extra analysis started for the hover');
    const exact = analyses.current('a', 2, 'two');
    assert.equal(calls.length, 2, 'the request joined the running analysis');
    calls[1].finish();
    assert.equal((await exact)?.version, 2);
  });
});
