// The scan's main thread and read path: line indexes, the name search the workspace lookups use,
// and reading files through a reused buffer. Each fast path is held to what the plain one answers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySettings } from '../../server/config/settings';
import type { Note } from '../../server/core/notes';
import { fileBuffers } from '../../server/core/read-regular-file';
import { scanWorkspace } from '../../server/engine/workspace';
import { LineIndex } from '../../server/core/positions';
import { mayCallWrapper, mentionsWorkspaceLoader, NamesSearch, namesWrapper } from '../../server/scan/workspace-symbols';
import { wrapperIndex } from '../support/wrapper-index';

/** Line starts as the regular expression the index used before finds them. */
function lineStartsByPattern(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/\r\n?|\n/g)) starts.push(match.index + match[0].length);
  return starts;
}

describe('line index', () => {
  it('puts every line start where the pattern \\r\\n?|\\n puts it, with and without carriage returns', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'bc', ' ', '\n', '\r', '\r\n', '\n\r', 'é', '\ud83d\ude00'), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const index = new LineIndex(text);
        const starts = lineStartsByPattern(text);
        assert.equal(index.lineCount, starts.length, JSON.stringify(text));
        for (let offset = 0; offset <= text.length; offset++) {
          let line = 0;
          while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
          assert.deepEqual(index.positionAt(offset), { line, character: offset - starts[line] }, JSON.stringify(text));
        }
      }),
      { numRuns: 2000, seed: 5 },
    );
  });
});

describe('workspace name lookups through the name search', () => {
  const names = ['load_model', 'load_model_2', 'fetch_weights', '_hf_embedder_1', '_hf_embedder_12', 'get_tokenizer_x', 'load_pipeline', 'make_encoder', 'build_reranker'];
  const vocabulary = [...names, ...names.map((n) => n.slice(0, -1)), ...names.map((n) => `${n}x`), 'def', 'class', 'mod0', 'mod3', 'pkg1', 'import', 'x', 'café', '日本'];
  const parts = fc.array(fc.constantFrom(...vocabulary, ' ', '\t', '.', '(', ')', '\n', 'def ', 'é', '_', '1', '\ud83d\ude00'), { maxLength: 40 });

  it('offers every whole-word occurrence of a name', () => {
    fc.assert(
      fc.property(parts, fc.subarray(names, { minLength: 1 }), (chosen, wanted) => {
        const text = chosen.join('');
        const map = new Map(wanted.map((name) => [name, true]));
        const search = new NamesSearch([map]);
        assert.ok(search.current());
        const offered: string[] = [];
        search.someName(text, (word) => void offered.push(word) as unknown as boolean);
        const expected = wanted.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
        assert.deepEqual([...new Set(offered.filter((word) => map.has(word)))].sort(), expected.sort(), text);
      }),
      { numRuns: 3000, seed: 17 },
    );
  });

  it('answers namesWrapper, mayCallWrapper and mentionsWorkspaceLoader as the word-by-word lookup does', () => {
    fc.assert(
      fc.property(parts, fc.subarray(names, { minLength: 9 }), (chosen, wrappers) => {
        const text = chosen.join('');
        const searched = wrapperIndex(wrappers);
        // A name shorter than the search's window sends every lookup word by word (it occurs in no text here).
        const wordByWord = wrapperIndex([...wrappers, 'zq']);
        assert.equal(namesWrapper(text, searched), namesWrapper(text, wordByWord), text);
        assert.equal(mayCallWrapper(text, searched), mayCallWrapper(text, wordByWord), text);
        assert.equal(mentionsWorkspaceLoader(text, searched), mentionsWorkspaceLoader(text, wordByWord), text);
      }),
      { numRuns: 3000, seed: 19 },
    );
  });

  it('finds a name added to the map after the first lookup, and one added after a name was taken out', () => {
    const symbols = wrapperIndex(names);
    const spec = symbols.wrappers.get('load_model')![0];
    const add = (name: string) => symbols.wrappers.set(name, [{ ...spec, name, key: `pkg0/mod0.py:${name}` }]);
    const text = (name: string) => `import mod0\nm = ${name}("org/x")\n`;
    assert.equal(namesWrapper(text('late_loader'), symbols), false);
    add('late_loader');
    assert.equal(namesWrapper(text('late_loader'), symbols), true);
    symbols.wrappers.delete('fetch_weights');
    add('other_loader_a');
    add('other_loader_b');
    assert.equal(namesWrapper(text('other_loader_a'), symbols), true);
    assert.equal(namesWrapper(text('other_loader_b'), symbols), true);
    assert.equal(namesWrapper(text('fetch_weights'), symbols), false);
  });
});

describe('reading a tree through the reused buffer', () => {
  /** A tree of `count` files: every fifth loads a model, the others name no loader. */
  async function tree(count: number): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'ptm-read-path-'));
    for (let i = 0; i < count; i++) {
      const body = i % 5 ? `import os\n\ndef helper_${i}(path):\n    return os.path.join(path, "x${i}")\n` : `from transformers import AutoModel\n\nm = AutoModel.from_pretrained("org/m${i}")\n`;
      await writeFile(join(root, `f${String(i).padStart(3, '0')}.py`), body.repeat(1 + (i % 7)));
    }
    return root;
  }

  /** The loads in such a tree: a loading file repeats its body 1 + (i % 7) times. */
  const loads = (count: number) => Array.from({ length: count }, (_, i) => (i % 5 ? 0 : 1 + (i % 7))).reduce((a, b) => a + b, 0);

  it('gives no file bytes memory of their own, and finds what the plain path finds', async () => {
    const root = await tree(120);
    try {
      const settings = emptySettings();
      const before = fileBuffers.allocated;
      const fast = await scanWorkspace(root, { settings, localCommit: () => undefined, parallel: false });
      assert.equal(fileBuffers.allocated - before, 0, 'every file read into the reused buffer');
      const plain = await scanWorkspace(root, { settings, localCommit: () => undefined, parallel: false, plainParse: true });
      assert.deepEqual(fast, plain);
      assert.equal(fast.flatMap((r) => r.references).length, loads(120));
      // A file no scanner read still gives its text to whoever asks.
      assert.match(fast[1].text, /def helper_1\(path\)/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('scans a file that may load a model as it was first read, even if it disappears before its scan', async () => {
    const root = await tree(120);
    try {
      const notes: Note[] = [];
      // Files are read once before the first is finished; the 101st is scanned after that, from the text read then.
      const results = await scanWorkspace(root, {
        settings: emptySettings(),
        localCommit: () => undefined,
        parallel: false,
        onNote: (note) => notes.push(note),
        onProgress: (done) => void (done === 1 && unlinkSync(join(root, 'f100.py'))),
      });
      assert.deepEqual(notes, []);
      assert.equal(results.length, 120);
      assert.equal(results.find((r) => r.relativePath === 'f100.py')?.references.length, 3, 'f100.py has three loads');
      assert.equal(results.flatMap((r) => r.references).length, loads(120));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('files without a load hint in a scan that builds its own index', () => {
  /** Opens of each file while `run` runs (the read path opens a file once per read). */
  async function countingOpens<T>(run: () => Promise<T>): Promise<{ result: T; opens: Map<string, number> }> {
    const fs = require('node:fs') as typeof import('node:fs');
    const original = fs.openSync;
    const opens = new Map<string, number>();
    fs.openSync = ((path: string, ...rest: unknown[]) => {
      opens.set(String(path), (opens.get(String(path)) ?? 0) + 1);
      return (original as (...args: unknown[]) => number)(path, ...rest);
    }) as typeof fs.openSync;
    try {
      return { result: await run(), opens };
    } finally {
      fs.openSync = original;
    }
  }

  it('reads them once before the scan and once at its end, and finds the wrapper calls among them', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ptm-read-deferred-'));
    try {
      // The wrapper is known once its file is finished, before the scan starts the files after the first 64.
      await writeFile(join(root, 'a_loading.py'), 'from transformers import AutoModel\n\ndef load_weights(name):\n    return AutoModel.from_pretrained(name)\n');
      for (let i = 0; i < 80; i++) await writeFile(join(root, `p${String(i).padStart(3, '0')}.py`), `import os\n\ndef helper_${i}(path):\n    return os.path.join(path, "x")\n`);
      await writeFile(join(root, 'z_caller.py'), 'from a_loading import load_weights\n\nmodel = load_weights("org/called")\n');
      const { result, opens } = await countingOpens(() => scanWorkspace(root, { settings: emptySettings(), localCommit: () => undefined, parallel: false }));
      assert.deepEqual(
        result.flatMap((r) => r.references.map((ref) => [r.relativePath, ref.modelId])),
        [['z_caller.py', 'org/called']],
      );
      for (const file of ['p000.py', 'p079.py']) assert.equal(opens.get(join(root, file)), 2, `${file}: read, then searched for wrapper names at the end`);
      assert.equal(opens.get(join(root, 'z_caller.py')), 2, 'z_caller.py: read, then analysed at the end from the same read');
      assert.match(result.find((r) => r.relativePath === 'p079.py')!.text, /def helper_79/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
