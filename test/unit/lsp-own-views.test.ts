// An edited document's view of the workspace index is the same object from one analysis to the
// next while nothing in it changed: the edit re-scan (incremental-scan.ts) reuses the last
// analysis only for the very same index object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OwnViews, runAnalysis } from '../../server/lsp/analysis-worker';
import { IncrementalScans } from '../../server/scan/incremental-scan';
import { emptySettings } from '../../server/config/settings';
import { emptySymbols, type WorkspaceSymbols, type WrapperSpec } from '../../server/scan/workspace-symbols';
import { tempWorkspace } from '../support/workspace';

function indexWith(...wrappers: Partial<WrapperSpec>[]): WorkspaceSymbols {
  const index = emptySymbols();
  for (const w of wrappers) index.wrappers.set(w.name!, [w as WrapperSpec]);
  return index;
}

test('the same index and names give the same view, emptied of the last scan\'s notes', () => {
  const views = new OwnViews();
  const index = indexWith({ name: 'fetch', file: 'utils/hub.py', key: 'utils/hub.py:fetch', modules: [] });
  const first = views.view(index, index, 'train.py');
  views.learnt('train.py', 0);
  first.resolvedCalls.add('utils/hub.py:fetch');
  first.wrappers.set('mine', []);
  const second = views.view(index, index, 'train.py');
  assert.equal(second, first);
  assert.equal(second.resolvedCalls.size, 0);
  assert.deepEqual([...second.wrappers.keys()], ['fetch']);
});

test('a new index, other names, or a file that defines wrappers gets a fresh view', () => {
  const views = new OwnViews();
  const index = indexWith({ name: 'fetch', file: 'utils/hub.py', key: 'utils/hub.py:fetch', modules: [] });
  const first = views.view(index, index, 'train.py');
  views.learnt('train.py', 0);
  assert.notEqual(views.view(indexWith({ name: 'fetch', file: 'utils/hub.py', key: 'utils/hub.py:fetch', modules: [] }), index, 'train.py'), first, 'another index object');
  const again = views.view(index, index, 'train.py');
  views.learnt('train.py', 1);
  assert.notEqual(views.view(index, index, 'train.py'), again, 'the file defines a wrapper: its statements must be read again');
  views.learnt('train.py', 0);
  const named = indexWith();
  assert.notEqual(views.view(index, named, 'train.py'), views.view(index, index, 'other.py'));
});

test('an edited document with a workspace index re-reads only what the edit touched', async () => {
  const lines = ['from transformers import AutoModel', 'NAME = "org/model"', ...Array.from({ length: 200 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`), 'model = AutoModel.from_pretrained(NAME)', ''];
  const text = lines.join('\n');
  const workspace = tempWorkspace({ 'train.py': text });
  try {
    const index = indexWith({ name: 'fetch', file: 'utils/hub.py', key: 'utils/hub.py:fetch', modules: [] });
    const edits = new IncrementalScans(4);
    const views = new OwnViews();
    const request = (body: string) => ({ root: workspace.root, file: workspace.path('train.py'), text: body, settings: emptySettings() });
    const first = await runAnalysis(request(text), undefined, index, edits, views);
    const edited = text.replace('return x + 7\n', 'return x + 8\n');
    const second = await runAnalysis(request(edited), undefined, index, edits, views);
    assert.ok('result' in first && 'result' in second);
    assert.deepEqual(second.result.references.map((r) => r.modelId), ['org/model']);
    assert.equal(edits.counts.full, 1, `only the first analysis scanned the whole file: ${JSON.stringify(edits.counts)}`);
    assert.ok(edits.counts.outsideKept + edits.counts.statements >= 1, `the second analysis built on the first: ${JSON.stringify(edits.counts)}`);
  } finally {
    workspace.dispose();
  }
});
