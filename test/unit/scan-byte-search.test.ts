// The one-pass byte search that lets workspace scans skip files without decoding them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ByteSearch } from '../../server/scan/byte-search';
import { LOADER_HINTS } from '../../server/scan/loaders';
import { emptySettings } from '../../server/config/settings';
import { scanWorkspace } from '../../server/engine/workspace';

const GROUPS = [LOADER_HINTS, ['ModelHubMixin', 'PreTrainedModel', 'ModelMixin'], ['.save', 'output_dir', 'save_directory']];

/** What the search must answer: the groups with a word in the decoded text. */
function expected(text: string): number {
  return GROUPS.reduce((mask, words, group) => (words.some((word) => text.includes(word)) ? mask | (1 << group) : mask), 0);
}

describe('byte search', () => {
  const search = new ByteSearch(GROUPS);

  it('finds a word at the start, the end, alone, and not when cut short', () => {
    assert.equal(search.groupsIn(Buffer.from('vllm')), 1);
    assert.equal(search.groupsIn(Buffer.from('x = AutoModel.from_pretrained')), 1);
    assert.equal(search.groupsIn(Buffer.from('from_pretraine')), 0);
    assert.equal(search.groupsIn(Buffer.from('class A(PreTrainedModel): pass\nA().save_pretrained("out")')), 2 | 4);
    assert.equal(search.groupsIn(Buffer.from('')), 0);
  });

  it('stops once the wanted groups are found, and still reports them', () => {
    assert.equal(search.groupsIn(Buffer.from('pipeline ModelMixin'), 1), 1);
  });

  it('agrees with a substring search of the decoded text, also around multi-byte characters and invalid bytes', () => {
    const fragments = [...GROUPS.flat(), ...GROUPS.flat().map((w) => w.slice(0, -1)), ...GROUPS.flat().map((w) => w.slice(1)), 'é', '模型', '\u{1F600}', '\n', ' ', '_', 'x'];
    const piece = fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 }), fc.uint8Array({ maxLength: 3 }).map((b) => Buffer.from(b).toString('latin1')));
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, fc.boolean()), { maxLength: 12 }), (parts) => {
        // Each piece as UTF-8, or (for raw bytes) as the bytes themselves: invalid UTF-8 included.
        const bytes = Buffer.concat(parts.map(([p, raw]) => Buffer.from(p, raw ? 'latin1' : 'utf8')));
        assert.equal(search.groupsIn(bytes), expected(bytes.toString('utf8')));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('byte search with short words', () => {
  // Words shorter than the jump table's window are searched for one by one: the table then
  // jumps further over every file (with "vllm" in it, it jumped at most three bytes).
  const groups = [['ab', 'vllm', 'pipeline'], ['from_pretrained', 'xyz'], ['.save', 'output_dir']];
  const mixed = new ByteSearch(groups);
  const expect = (text: string) => groups.reduce((mask, words, group) => (words.some((word) => text.includes(word)) ? mask | (1 << group) : mask), 0);

  it("keeps the loader hints' jumps longer than the shortest hint", () => {
    assert.ok(Math.min(...LOADER_HINTS.map((hint) => hint.length)) < 5);
    assert.ok(new ByteSearch(GROUPS).window >= 5, `window ${new ByteSearch(GROUPS).window}`);
  });

  it('agrees with a substring search for short and long words in every group, stopping early or not', () => {
    const fragments = [...groups.flat(), ...groups.flat().map((w) => w.slice(1)), 'a', 'b', 'vll', 'é', '\n', ' '];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 3 })), { maxLength: 10 }), fc.integer({ min: 1, max: 7 }), (parts, wanted) => {
        const text = parts.join('');
        const found = mixed.groupsIn(Buffer.from(text));
        const all = expect(text);
        assert.equal(found & wanted, all & wanted);
        assert.equal(found & ~all, 0, 'no group without its word');
        if ((all & wanted) !== wanted) assert.equal(found, all);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('workspace scan without decoding', () => {
  it('leaves a file that names no loader undecoded until its text is read, and gives the same text then', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ptm-bytes-'));
    try {
      await writeFile(join(root, 'plain.py'), 'x = "é"\n');
      await writeFile(join(root, 'loads.py'), 'from transformers import AutoModel\nAutoModel.from_pretrained("org/model")\n');
      const results = await scanWorkspace(root, { settings: emptySettings(), localCommit: () => undefined, parallel: false });
      const [loads, plain] = results;
      assert.equal(loads.relativePath, 'loads.py');
      assert.equal(loads.references.length, 1);
      assert.equal(Object.getOwnPropertyDescriptor(loads, 'text')?.get, undefined);
      assert.equal(plain.relativePath, 'plain.py');
      assert.notEqual(Object.getOwnPropertyDescriptor(plain, 'text')?.get, undefined, 'decoded only on demand');
      assert.equal(plain.text, 'x = "é"\n');
      assert.deepEqual(plain.references, []);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
