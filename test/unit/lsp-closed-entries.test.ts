// A closed file's analysis keeps no text (a big workspace's text would stay in the server's
// memory): its text and lines are read again when asked for; open documents keep theirs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentAnalyses, withText, type AnalysisEntry } from '../../server/lsp/document-analyses';

const TEXT = 'line one\nline two\n';

function harness() {
  const rereads: string[] = [];
  const published: AnalysisEntry[] = [];
  const analyses = new DocumentAnalyses(
    async (_uri, text) => ({ text: text ?? TEXT, references: [], findings: [] }),
    (entry) => published.push(entry),
    2,
    (uri) => {
      rereads.push(uri);
      return TEXT;
    },
  );
  return { analyses, rereads, published };
}

test('a closed file is published with its text, then kept without it', async () => {
  const { analyses, rereads, published } = harness();
  await analyses.run('file:///closed.py', -1);
  assert.equal(published[0].text, TEXT, 'published with the text it was analysed from');
  const kept = analyses.get('file:///closed.py')!;
  assert.equal(typeof Object.getOwnPropertyDescriptor(kept, 'text')?.get, 'function', 'the kept entry holds no text');
  assert.equal(rereads.length, 0);
  // Asked for (a republish): read again, once, and usable.
  const full = withText(kept);
  assert.equal(rereads.length, 1);
  assert.equal(full.text, TEXT);
  assert.deepEqual(full.lines.positionAt(TEXT.indexOf('two')), { line: 1, character: 5 });
  assert.equal(withText(full), full, 'an entry with its text is returned as it is');
});

test('an open document keeps its text', async () => {
  const { analyses, rereads } = harness();
  await analyses.run('file:///open.py', 3, 'x = 1\n');
  const kept = analyses.get('file:///open.py')!;
  assert.equal(Object.getOwnPropertyDescriptor(kept, 'text')?.value, 'x = 1\n');
  assert.equal(rereads.length, 0);
});
