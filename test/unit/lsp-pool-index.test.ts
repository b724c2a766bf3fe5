// The analysis workers and the workspace index: sent once per change, used by the scans on the
// worker; and workers replaced after much text from disk (their memory only grows).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { emptySettings } from '../../server/config/settings';
import { AnalysisPool, RECYCLE_AFTER_DISK_CHARS } from '../../server/lsp/analysis-pool';
import { FolderIndex } from '../../server/lsp/workspace-index';
import { tempWorkspace } from '../support/workspace';

const HUB = 'from huggingface_hub import hf_hub_download\n\n\ndef fetch(repo):\n    return hf_hub_download(repo, "config.json")\n';
const TRAIN = 'from utils.hub import fetch\n\npath = fetch("org/model")\n';

const workspace = tempWorkspace({ 'utils/hub.py': HUB, 'train.py': TRAIN });
const index = new FolderIndex();
let resendAfterMs: number | undefined;
const pool = new AnalysisPool({ get: async () => undefined }, () => undefined, 2, undefined, (root) => (root === workspace.root ? { version: index.version, symbols: () => index.forWorkers(), resendAfterMs } : undefined));
after(async () => {
  await pool.close();
  workspace.dispose();
});

const analyze = (file: string, text?: string) => pool.analyze({ root: workspace.root, file: workspace.path(file), text, settings: emptySettings() });

test('the index reaches the workers once per change, and their scans use it', async () => {
  const hub = await analyze('utils/hub.py');
  assert.ok(hub?.symbols, 'what the file adds to the index comes back');
  assert.deepEqual(hub.symbols.wrappers.map((w) => w.key), ['utils/hub.py:fetch']);
  const sentFirst = pool.indexesSent;
  index.learn('utils/hub.py', hub.symbols);
  const train = await analyze('train.py');
  assert.ok(train && 'result' in train);
  assert.deepEqual(train.result.references.map((r) => r.modelId), ['org/model']);
  assert.deepEqual(train.symbols?.resolvedCalls, ['utils/hub.py:fetch']);
  const sentAfterChange = pool.indexesSent;
  assert.ok(sentAfterChange > sentFirst, 'the changed index was sent');
  // No change: the next requests send nothing.
  await analyze('train.py');
  await analyze('train.py', TRAIN);
  assert.equal(pool.indexesSent, sentAfterChange);
});

test('during a workspace scan a worker holding the index is sent a newer one only after a while', async () => {
  await analyze('train.py');
  const sent = pool.indexesSent;
  resendAfterMs = 60_000;
  try {
    index.learn('other.py', { wrappers: [{ ...(await analyze('utils/hub.py'))!.symbols!.wrappers[0], file: 'other.py', key: 'other.py:fetch' }], resolvedCalls: [], unresolvedCalls: [] });
    for (let i = 0; i < 4; i++) await analyze('train.py');
    assert.equal(pool.indexesSent, sent, 'no index sent within the interval');
  } finally {
    resendAfterMs = undefined;
  }
  await analyze('train.py');
  await analyze('train.py');
  assert.ok(pool.indexesSent > sent, 'sent once the interval no longer applies');
});

test('files from disk queue two deep on each worker; a cancelled waiting one costs nobody else', async () => {
  const files = ['train.py', 'utils/hub.py', 'train.py', 'utils/hub.py'];
  const queued = pool.queuedBehind;
  const controller = new AbortController();
  const outcomes = files.map((file, i) => pool.analyze({ root: workspace.root, file: workspace.path(file), settings: emptySettings() }, i === 3 ? controller.signal : undefined));
  controller.abort();
  const results = await Promise.all(outcomes);
  assert.ok(pool.queuedBehind > queued, 'a file waited on a busy worker rather than on this thread');
  assert.equal(results[3], undefined);
  for (const [i, outcome] of results.slice(0, 3).entries()) {
    assert.ok(outcome && 'result' in outcome, JSON.stringify(outcome));
    assert.equal(outcome.result.relativePath, files[i]);
  }
  assert.ok(pool.started <= 4, `${pool.started} workers started`);
});

test('a file from disk with no reference comes back without its text: its length and index skeleton only', async () => {
  const text = 'from transformers import PreTrainedModel\n\n\nclass Net(PreTrainedModel):\n    pass\n';
  workspace.write('models/net.py', text);
  const outcome = await analyze('models/net.py');
  assert.ok(outcome && 'result' in outcome);
  assert.equal(outcome.result.text, '');
  assert.equal(outcome.textLeftOut?.chars, text.length);
  const fromText = new FolderIndex();
  fromText.setText('models/net.py', text);
  const fromSkeleton = new FolderIndex();
  fromSkeleton.setSkeleton('models/net.py', outcome.textLeftOut!.skeleton!);
  assert.deepEqual([...fromSkeleton.symbols().hubClasses.keys()], ['Net']);
  assert.deepEqual([...fromSkeleton.symbols().hubClasses.keys()], [...fromText.symbols().hubClasses.keys()]);
  // A file with a reference keeps its text (its diagnostics are placed in it).
  const train = await analyze('train.py');
  assert.ok(train && 'result' in train && train.result.text.length > 0 && !train.textLeftOut);
});

test('a worker that analysed much text from disk is replaced, and analyses go on', async () => {
  const filler = '# filler line that loads nothing\n'.repeat(Math.ceil(RECYCLE_AFTER_DISK_CHARS / 2 / 34));
  workspace.write('big1.py', filler);
  workspace.write('big2.py', filler);
  workspace.write('big3.py', filler);
  for (const file of ['big1.py', 'big2.py', 'big3.py']) assert.ok(await analyze(file));
  assert.ok(pool.recycled >= 1);
  const train = await analyze('train.py');
  assert.ok(train && 'result' in train && train.result.references.length === 1);
});
