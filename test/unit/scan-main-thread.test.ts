// What keeps the scan's own thread light on a big tree: file words hashed once (the wrapper
// rescan looks them up instead of reading every file again), and file bytes moved to the
// workers instead of texts cloned. Both must give exactly what the plain ways give.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FOUND_MAYBE, FOUND_NONE, FOUND_UNREADABLE, ScanPool } from '../../server/engine/parallel-scan';
import { RecordingWrappers, scanJob } from '../../server/engine/scan-worker';
import { emptySymbols, mayCallWrapper, mayMentionWorkspaceLoader, mayNameAny, mentionsWorkspaceLoader, NamesSearch, namesWrapper, wordHashes, wordHashesComputed } from '../../server/scan/workspace-symbols';
import { emptySettings } from '../../server/config/settings';
import { scanWorkspace } from '../../server/engine/workspace';
import { wrapperIndex } from '../support/wrapper-index';
import type { WrapperSpec } from '../../server/scan/workspace-symbols';

describe('file words', () => {
  const vocabulary = ['load', 'load_x', 'fetch', 'mod1', 'pkg0', 'def', 'undef', 'x', '_y', 'café', 'naïve', '日本', 'get_model'];
  const parts = fc.array(fc.constantFrom(...vocabulary, ' ', '  ', '\t', ' '.repeat(12), '.', '(', ')', '\n', 'def ', 'def\t', 'é', '1', '\u00a0', '\ud83d\ude00'), { maxLength: 40 });

  it('are the same hashed from the text or from its UTF-8 bytes', () => {
    fc.assert(
      fc.property(parts, (chosen) => {
        const text = chosen.join('');
        const fromBytes = wordHashes(Buffer.from(text, 'utf8'));
        const fromText = wordHashes(text);
        assert.deepEqual([...fromBytes.used].sort(), [...fromText.used].sort(), text);
        assert.deepEqual([...fromBytes.definedOnly].sort(), [...fromText.definedOnly].sort(), text);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  it('are distinct, and grow past the first table without losing one', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i}`);
    const hashes = wordHashes(`${words.map((w, i) => (i % 2 ? `def ${w}` : w)).join(' ')} ${words.join(' ')}`);
    // The 5,000 words and `def`, each once, each used outside a definition.
    assert.equal(hashes.used.length + hashes.definedOnly.length, 5001);
    assert.equal(new Set([...hashes.used, ...hashes.definedOnly]).size, 5001);
    assert.equal(hashes.used.length, 5001);
  });

  it('never rule out a file that names a wrapper (a lookup by words is a superset of namesWrapper)', () => {
    const names = ['load', 'load_x', 'fetch', 'get_model', 'a1', 'b2', 'c3', 'd4', 'e5', 'f6'];
    fc.assert(
      fc.property(parts, fc.subarray(names, { minLength: 1 }), (chosen, wrappers) => {
        const text = chosen.join('');
        const symbols = wrapperIndex(wrappers);
        if (namesWrapper(text, symbols)) assert.ok(mayNameAny(wordHashes(text), symbols.wrappers), text);
        if (mayCallWrapper(text, symbols)) assert.ok(mayNameAny(wordHashes(text), symbols.wrappers, true), text);
        // With words known, the byte prefilter answers what it answers without them.
        const bytes = Buffer.from(text, 'utf8');
        assert.equal(mayMentionWorkspaceLoader(bytes, symbols, wordHashes(bytes)), mayMentionWorkspaceLoader(bytes, symbols), text);
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('rule out a file whose words are no wrapper, among thousands of wrappers', () => {
    const symbols = wrapperIndex(Array.from({ length: 3000 }, (_, i) => `load_model_${i}`));
    const text = 'import os\n\ndef helper(path):\n    return os.path.join(path, "load_model_x")\n';
    assert.equal(mayNameAny(wordHashes(text), symbols.wrappers), false);
    assert.equal(mayNameAny(wordHashes(`${text}m = load_model_2999("org/x")\n`), symbols.wrappers), true);
    // A file that only defines a wrapper names it, but calls none.
    const defines = wordHashes('def load_model_7(name):\n    return AutoModel.from_pretrained(name)\n');
    assert.equal(mayNameAny(defines, symbols.wrappers), true);
    assert.equal(mayNameAny(defines, symbols.wrappers, true), false);
    assert.equal(mentionsWorkspaceLoader(text, symbols), false);
  });
});

describe('names search', () => {
  const names = ['load_model', 'load_model_2', 'fetch_weights', '_hf_embedder_1', '_hf_embedder_12', 'get_tokenizer_x'];
  const vocabulary = [...names, ...names.map((n) => n.slice(0, -1)), ...names.map((n) => n.slice(1)), 'def', 'undef', 'x', 'café', '日本', 'ModelHub'];
  const parts = fc.array(fc.constantFrom(...vocabulary, ' ', '  ', '\t', ' '.repeat(12), ' '.repeat(14), '.', '(', '\n', 'def ', 'def\t', 'é', '1', '_', '\u0161', '\ud83d\ude00'), { maxLength: 40 });

  it('answers what the lookup of the file\'s words answers, from its bytes or its text, for calls and for any mention', () => {
    fc.assert(
      fc.property(parts, fc.subarray(names, { minLength: 1 }), (chosen, wanted) => {
        const text = chosen.join('');
        const bytes = Buffer.from(text, 'utf8');
        const map = new Map(wanted.map((name) => [name, true]));
        const search = new NamesSearch([map]);
        const words = wordHashes(text);
        for (const calls of [false, true]) {
          assert.equal(search.mayName(bytes, calls), mayNameAny(words, map, calls), `${calls} ${text}`);
          assert.equal(search.mayName(text, calls), mayNameAny(words, map, calls), `${calls} ${text}`);
        }
      }),
      { numRuns: 3000, seed: 13 },
    );
  });

  it('jumps by up to the shortest name: where only a short prefix of a name occurs, no word is looked up', () => {
    const map = new Map<string, unknown>(Array.from({ length: 800 }, (_, i) => [`_hf_load_${1000 + i}`, true]));
    const search = new NamesSearch([map]);
    // Words that share a name's first six characters, as common words share a wrapper's first two.
    const text = 'x = _hf_lo(1) + _hf_lo.y\n'.repeat(1000);
    assert.equal(search.mayName(text), false);
    assert.equal(search.mayName(Buffer.from(text)), false);
    // A six-character window stops at each of the 2,000 words; the names' own length (13) never does.
    assert.equal(search.examined, 0);
    assert.equal(search.mayName(`${text}_hf_load_1799()\n`), true);
  });

  it('finds every name after a shorter one arrives (the window shrinks to it)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 6 }), parts, (order, chosen) => {
        const text = chosen.join('');
        const map = new Map<string, unknown>();
        const search = new NamesSearch([map]);
        for (const name of order) {
          map.set(name, true);
          assert.equal(search.mayName(text), mayNameAny(wordHashes(text), map), `${[...map.keys()]} ${text}`);
        }
      }),
      { numRuns: 1000, seed: 17 },
    );
  });

  it('learns the names added to its maps, once each, and cannot search once a name is short', () => {
    const wrappers = new Map<string, unknown>([['load_model', 1]]);
    const classes = new Map<string, unknown>();
    const search = new NamesSearch([wrappers, classes]);
    const text = 'x = MyHubNet.from_pretrained("org/x")\n';
    assert.equal(search.mayName(text), false);
    classes.set('MyHubNet', 1);
    assert.equal(search.mayName(text), true);
    assert.equal(search.mayName(Buffer.from(text)), true);
    assert.equal(search.added, 2, 'each name added once');
    assert.equal(search.current(), true);
    wrappers.set('get', 1);
    assert.equal(search.current(), false);
    assert.equal(search.mayName('nothing here'), true, 'without a search every file may name one');
  });
});

describe('workspace scan with many wrappers', () => {
  it('hashes no file\'s words when every name can be searched for, and finds the calls as the plain path does', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ptm-names-'));
    try {
      await mkdir(join(root, 'lib'));
      const count = 12;
      for (let i = 0; i < count; i++) {
        await writeFile(join(root, 'lib', `wrap${i}.py`), `from transformers import AutoModel\n\ndef load_model_${i}(name):\n    return AutoModel.from_pretrained(name)\n`);
        // Files without a loader hint: some call a wrapper, the others name none.
        await writeFile(join(root, `use${i}.py`), i % 3 ? `import os\nprint(os.getcwd())\n` : `from lib.wrap${i} import load_model_${i}\n\nm = load_model_${i}("org/m${i}")\n`);
      }
      const settings = emptySettings();
      const before = wordHashesComputed();
      const fast = await scanWorkspace(root, { settings, localCommit: () => undefined, parallel: false });
      assert.equal(wordHashesComputed() - before, 0, 'no file hashed word by word');
      const plain = await scanWorkspace(root, { settings, localCommit: () => undefined, parallel: false, plainParse: true });
      assert.deepEqual(fast, plain);
      const called = fast.flatMap((r) => r.references.map((ref) => ref.modelId)).filter((id) => id?.startsWith('org/m'));
      assert.deepEqual(called.sort(), ['org/m0', 'org/m3', 'org/m6', 'org/m9']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('name lookups of a growing index', () => {
  it('find each name as it is added, and after names were taken out and others added', () => {
    const symbols = wrapperIndex(Array.from({ length: 20 }, (_, i) => `early_${i}`));
    const text = (name: string) => `import mod0, mod3\nm = ${name}("org/x")\n`;
    for (let i = 0; i < 50; i++) {
      const name = `late_${i}`;
      assert.equal(namesWrapper(text(name), symbols), false, name);
      symbols.wrappers.set(name, [{ ...symbols.wrappers.get('early_0')![0], name, key: `pkg0/mod1.py:${name}` }]);
      assert.equal(namesWrapper(text(name), symbols), true, name);
    }
    // Taken out, then two added: the map grew, but its first names are not those hashed before.
    const spec = symbols.wrappers.get('early_3')!;
    symbols.wrappers.delete('early_3');
    symbols.wrappers.set('other_a', [{ ...spec[0], name: 'other_a', key: 'pkg0/mod1.py:other_a' }]);
    symbols.wrappers.set('other_b', [{ ...spec[0], name: 'other_b', key: 'pkg0/mod1.py:other_b' }]);
    assert.equal(namesWrapper(text('other_a'), symbols), true);
    assert.equal(namesWrapper(text('other_b'), symbols), true);
    assert.equal(namesWrapper(text('early_3'), symbols), false);
  });
});

describe('scan pool bytes', () => {
  it('moves a file\'s bytes to a worker and finds what the text finds', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ptm-pool-bytes-'));
    const pool = new ScanPool((job) => scanJob(job), { workers: 2, inlineChars: 0 });
    try {
      // Big enough to own its memory (small Buffers share a pool and are copied instead), with non-ASCII text.
      const text = `# café ✓\nfrom transformers import AutoModel\nm = AutoModel.from_pretrained("org/moved")\n${'# filler\n'.repeat(2000)}`;
      const bytes = Buffer.from(text, 'utf8');
      const job = { root, file: join(root, 'm.py'), relativePath: 'm.py', text };
      const expected = await scanJob(job);
      const moved = await pool.scan({ ...job, bytes });
      assert.equal(bytes.byteLength, 0, 'the bytes were moved, not copied');
      assert.deepEqual(moved, expected);
      assert.ok('references' in moved && moved.references.map((r) => r.modelId).join() === 'org/moved');
      // A small file's bytes share memory with other buffers: they stay, and the text goes.
      const small = Buffer.from('from transformers import AutoModel\nAutoModel.from_pretrained("org/small")\n', 'utf8');
      const outcome = await pool.scan({ ...job, text: small.toString('utf8'), bytes: small });
      assert.ok(small.byteLength > 0);
      assert.ok('references' in outcome && outcome.references.map((r) => r.modelId).join() === 'org/small');
    } finally {
      await pool.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('what a worker\'s scan learnt', () => {
  it('is read from the names the scan set, not from every wrapper, and is what a walk over them all gives', async () => {
    let walks = 0;
    class Counting extends RecordingWrappers {
      override values() {
        walks++;
        return super.values();
      }
    }
    const others = wrapperIndex(Array.from({ length: 2000 }, (_, i) => `load_model_${i}`)).wrappers;
    // The file defines a wrapper of a name another file defines too, and two new ones.
    const text = 'from transformers import AutoModel\n\ndef load_model_5(name):\n    return AutoModel.from_pretrained(name)\n\ndef fetch_b(name):\n    return AutoModel.from_pretrained(name)\n\ndef fetch_a(name):\n    return AutoModel.from_pretrained(name)\n';
    const job = (wrappers: Map<string, WrapperSpec[]>) => ({ root: '/r', file: '/r/own.py', relativePath: 'own.py', text, workspace: { ...emptySymbols(), wrappers } });
    const recording = new Counting();
    for (const [name, specs] of others) recording.set(name, specs);
    recording.reset();
    const fast = await scanJob(job(recording));
    const walked = await scanJob(job(new Map(others)));
    assert.equal(walks, 0, 'no walk over every wrapper');
    assert.ok('symbols' in fast && 'symbols' in walked);
    assert.deepEqual(fast.symbols, walked.symbols);
    assert.deepEqual(fast.symbols?.wrappers.map((w) => w.key), ['own.py:load_model_5', 'own.py:fetch_b', 'own.py:fetch_a']);
  });
});

describe('the wrapper search at the end of a scan, on the scan workers', () => {
  it('answers per file whether it may call one of the names, cannot be read, or names none', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ptm-pool-names-'));
    const pool = new ScanPool((job) => scanJob(job), { workers: 2, inlineChars: 0 });
    try {
      const write = async (name: string, text: string) => (await writeFile(join(root, name), text), join(root, name));
      const files = [
        await write('calls.py', 'from lib import load_weights_here\nm = load_weights_here("org/a")\n'),
        await write('defines.py', 'def load_weights_here(name):\n    return name\n'),
        join(root, 'gone.py'),
        await write('other.py', 'import os\nload_weights_hereafter = 1\n'),
        await write('imports.py', 'from lib import load_weights_here\n'),
      ];
      assert.equal(pool.searchNames(files, files.map(() => 1 << 20), ['load_weights_here']), undefined, 'no worker runs yet');
      pool.start();
      const found = await pool.searchNames(files, files.map(() => 1 << 20), ['load_weights_here']);
      assert.deepEqual([...found!], [FOUND_MAYBE, FOUND_NONE, FOUND_UNREADABLE, FOUND_NONE, FOUND_MAYBE]);
      // The workers share the files out: the answers come back in the files' order whatever their count.
      const many = Array.from({ length: 7 }, (_, i) => files[i % files.length]);
      assert.deepEqual([...(await pool.searchNames(many, many.map(() => 1 << 20), ['load_weights_here']))!], [1, 0, 2, 0, 1, 1, 0]);
      assert.equal(await pool.searchNames(files, files.map(() => 1 << 20), ['ld']), undefined, 'a name too short to search for: the caller searches');
      await pool.close();
      assert.equal(pool.searchNames(files, files.map(() => 1 << 20), ['load_weights_here']), undefined, 'closed');
    } finally {
      await pool.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('finds what the scan on this thread finds, with wrappers called from files without a load hint', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ptm-tail-names-'));
    try {
      await mkdir(join(root, 'lib'));
      for (let i = 0; i < 40; i++) {
        await writeFile(join(root, 'lib', `wrap${i}.py`), `from transformers import AutoModel\n\ndef load_model_${i}(name):\n    return AutoModel.from_pretrained(name)\n`);
        await writeFile(join(root, `use${String(i).padStart(2, '0')}.py`), i % 3 ? `import os\nprint(os.getcwd())\n` : `from lib.wrap${39 - i} import load_model_${39 - i}\n\nm = load_model_${39 - i}("org/m${i}")\n`);
      }
      const settings = emptySettings();
      const inline = await scanWorkspace(root, { settings, localCommit: () => undefined, parallel: false });
      const onWorkers = await scanWorkspace(root, { settings, localCommit: () => undefined, parallel: { workers: 2, inlineChars: 0 } });
      assert.deepEqual(onWorkers, inline);
      const called = onWorkers.flatMap((r) => r.references.map((ref) => ref.modelId)).filter((id) => id?.startsWith('org/m'));
      assert.deepEqual(called.sort(), Array.from({ length: 14 }, (_, k) => `org/m${k * 3}`).sort());
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
