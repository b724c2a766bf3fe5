// A workspace scan sends files to its workers while it still reads the tree, with an index that
// holds no Hub class and no saved folder. A Python file read later that gives the class pass one
// makes those scans start again with the finished index: the results are those of the plain path.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySettings } from '../../server/config/settings';
import { filesStartedEarly, scanWorkspace, type FileResult } from '../../server/engine/workspace';
import { ScanPool, type ScanJob } from '../../server/engine/parallel-scan';
import { scanJob } from '../../server/engine/scan-worker';
import { emptySymbols } from '../../server/scan/workspace-symbols';

/** A tree of `count` loading files (a000.py...), a wrapper and its callers, and the files given (relative path -> text). */
async function tree(count: number, files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ptm-early-'));
  await mkdir(join(root, 'lib'));
  for (let i = 0; i < count; i++) {
    const name = `a${String(i).padStart(3, '0')}.py`;
    await writeFile(join(root, name), i % 4 ? `from transformers import AutoModel\n\nm = AutoModel.from_pretrained("org/m${i}")\n` : `from lib.wrap import load_weights\n\nm = load_weights("org/called${i}")\n`);
  }
  await writeFile(join(root, 'lib', 'wrap.py'), 'from transformers import AutoModel\n\ndef load_weights(name):\n    return AutoModel.from_pretrained(name)\n');
  for (const [path, text] of Object.entries(files)) await writeFile(join(root, path), text);
  return root;
}

/** Runs `body` on a fresh tree (see `tree`), removed afterwards. */
async function inTree(count: number, files: Record<string, string>, body: (root: string) => Promise<void>): Promise<void> {
  const root = await tree(count, files);
  try {
    await body(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Each file's references as [file, model id, loader, library]. */
const loads = (results: FileResult[]) => results.flatMap((r) => r.references.map((ref) => [r.relativePath, ref.modelId, ref.loader, ref.library]));

/** The scan on two workers (every job to them, from the first file read), then inline, then the plain full parse: all equal. */
async function scansAgree(root: string): Promise<{ results: FileResult[]; early: { started: number; dropped: number } }> {
  const settings = emptySettings();
  const before = filesStartedEarly();
  const onWorkers = await scanWorkspace(root, { settings, localCommit: () => undefined, parallel: { workers: 2, inlineChars: 0 } });
  const after = filesStartedEarly();
  const inline = await scanWorkspace(root, { settings, localCommit: () => undefined, parallel: false });
  const plain = await scanWorkspace(root, { settings, localCommit: () => undefined, parallel: false, plainParse: true });
  assert.deepEqual(loads(onWorkers), loads(plain));
  assert.deepEqual(onWorkers, inline);
  assert.deepEqual(inline, plain);
  return { results: onWorkers, early: { started: after.started - before.started, dropped: after.dropped - before.dropped } };
}

describe('files sent to the scan workers while the tree is read', () => {
  it('are scanned with the empty index when no file gives the class pass anything, and find what the plain path finds', async () => {
    await inTree(40, { 'zz_tail.py': 'import torch\n\ntorch.save(model.state_dict(), path)\n' }, async (root) => {
      const { results, early } = await scansAgree(root);
      assert.equal(early.started, 42, 'every file started as it was read');
      assert.equal(early.dropped, 0);
      // The wrapper's callers before and after its file: found through the end-of-scan rescan.
      assert.deepEqual(results.flatMap((r) => r.references.map((ref) => ref.modelId)).filter((id) => id?.startsWith('org/called')).sort(), Array.from({ length: 10 }, (_, k) => `org/called${k * 4}`).sort());
    });
  });

  it('are scanned again with the finished index when a Hub model class is defined in a file read after them', async () => {
    await inTree(40, {
      'b_use.py': 'from zz_nets import TinyNet\nfrom b_more import MoreNet\n\nnet = TinyNet.from_pretrained("acme/tiny")\nmore = MoreNet.from_pretrained("acme/more")\n',
      // A subclass of a workspace class that is a Hub class only through the late file.
      'b_more.py': 'from zz_nets import TinyNet\n\nclass MoreNet(TinyNet):\n    pass\n',
      'zz_nets.py': 'from transformers import PreTrainedModel\n\nclass TinyNet(PreTrainedModel):\n    pass\n',
    }, async (root) => {
      const { results, early } = await scansAgree(root);
      assert.ok(early.started >= 40, `files started before the class was read (${early.started})`);
      assert.equal(early.dropped, early.started, 'every file started early is started again');
      const use = results.find((r) => r.relativePath === 'b_use.py')!;
      assert.deepEqual(use.references.map((ref) => [ref.modelId, ref.library]), [['acme/tiny', 'transformers'], ['acme/more', 'transformers']]);
    });
  });

  it('are scanned again with the finished index when a folder is saved in a file read after them', async () => {
    // Loading a folder some file saves to reads that folder: no Hub reference.
    await inTree(40, {
      'b_tuned.py': 'from transformers import AutoModel\n\nm = AutoModel.from_pretrained("acme/tuned")\n',
      'zz_train.py': 'def train(model):\n    model.save_pretrained("acme/tuned")\n',
    }, async (root) => {
      const { results, early } = await scansAgree(root);
      assert.ok(early.started >= 40, `files started before the folder was read (${early.started})`);
      assert.equal(early.dropped, early.started);
      assert.deepEqual(results.find((r) => r.relativePath === 'b_tuned.py')!.references, []);
    });
  });

  it('are not started once a file read gives the class pass something', async () => {
    await inTree(40, { '0_nets.py': 'from transformers import PreTrainedModel\n\nclass TinyNet(PreTrainedModel):\n    pass\n', 'b_use.py': 'from _0_nets import TinyNet\n\nnet = TinyNet.from_pretrained("acme/tiny")\n' }, async (root) => {
      const { early } = await scansAgree(root);
      assert.deepEqual(early, { started: 0, dropped: 0 });
    });
  });
});

describe('a scan pool given a second index', () => {
  it('passes on to the workers holding it only what scans with that index learnt', async () => {
    const pool = new ScanPool((job) => scanJob(job), { workers: 2, inlineChars: 0 });
    try {
      const job = (relativePath: string, text: string, workspace: ScanJob['workspace']): ScanJob => ({ root: '/r', file: `/r/${relativePath}`, relativePath, text, workspace });
      const dropped = emptySymbols();
      const kept = emptySymbols();
      const wrapper = 'from transformers import AutoModel\n\ndef load_weights(name):\n    return AutoModel.from_pretrained(name)\n';
      const caller = 'from lib.wrap import load_weights\n\nm = load_weights("org/x")\n';
      // One worker learns a wrapper with the index given up, while the other gets the new index.
      const [learnt] = await Promise.all([pool.scan(job('lib/wrap.py', wrapper, dropped)), pool.scan(job('a.py', 'import os\n', kept))]);
      assert.ok('symbols' in learnt && learnt.symbols?.wrappers.length === 1, 'the first scan learnt the wrapper');
      // Both workers idle: the first holds the dropped index (it is sent the new one whole), the second the new one (sent what was learnt since).
      const [, called] = await Promise.all([pool.scan(job('b.py', 'import os\n', kept)), pool.scan(job('c.py', caller, kept))]);
      assert.deepEqual(called, await scanJob(job('c.py', caller, emptySymbols())), 'the wrapper learnt with the other index is unknown here');
      assert.ok('references' in called && called.references.length === 0);
    } finally {
      await pool.close();
    }
  });

  it('drops the jobs of an index still queued, unscanned', async () => {
    const pool = new ScanPool(() => Promise.reject(new Error('no job is scanned on this thread')), { workers: 2, inlineChars: 0 });
    try {
      const dropped = emptySymbols();
      const kept = emptySymbols();
      const text = 'from transformers import AutoModel\n\nm = AutoModel.from_pretrained("org/m")\n';
      // The workers hold a few jobs each: the rest wait in the pool's queue.
      const jobs = Array.from({ length: 60 }, (_, i) => pool.scan({ root: '/r', file: `/r/f${i}.py`, relativePath: `f${i}.py`, text, workspace: i % 2 ? kept : dropped }));
      pool.dropQueued(dropped);
      const outcomes = await Promise.all(jobs);
      const firstDropped = outcomes.findIndex((outcome) => 'error' in outcome);
      assert.ok(firstDropped > 0, 'some jobs were sent before, some dropped');
      outcomes.forEach((outcome, i) => {
        if (i % 2 === 0 && i >= firstDropped) assert.deepEqual(outcome, { error: 'dropped' }, `job ${i} dropped`);
        else assert.deepEqual(outcome, outcomes[1], `job ${i} scanned`);
      });
    } finally {
      await pool.close();
    }
  });
});
