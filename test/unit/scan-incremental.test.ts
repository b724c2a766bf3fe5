// Incremental re-parsing of edited documents (as the language server's analysis workers do):
// the edited version reuses the previous tree and finds what a fresh, whole parse finds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editBetween } from '../../server/scan/incremental-trees';
import { keepSyntaxTrees, scanPython } from '../../server/scan/python';

describe('incremental parsing', () => {
  it('computes the one changed stretch between two versions, with rows and columns', () => {
    const edit = editBetween('a = 1\nb = "x"\n', 'a = 1\nb = "xyz"\nc = 2\n');
    assert.deepEqual(edit, {
      // Shared: 'a = 1\nb = "x' before and '\n' after; '"' became 'yz"\nc = 2'.
      startIndex: 12,
      oldEndIndex: 13,
      newEndIndex: 21,
      startPosition: { row: 1, column: 6 },
      oldEndPosition: { row: 1, column: 7 },
      newEndPosition: { row: 2, column: 5 },
    });
  });

  it('re-parses edited versions from the kept tree and finds what a fresh parse finds', async () => {
    const cache = keepSyntaxTrees(2)!;
    try {
      const lines = ['from transformers import AutoModel', 'MODEL = "org/one"', 'def load():', '    return AutoModel.from_pretrained(MODEL)', ''];
      let text = lines.join('\n');
      await scanPython(text);
      for (const [from, to] of [['org/one', 'org/two'], ['load()', 'load_it()'], ['MODEL)', 'MODEL, revision="v1")'], ['def load_it():', 'def load_it(:']]) {
        text = text.replace(from, to);
        const incremental = await scanPython(text);
        assert.deepEqual(incremental, await scanPython(text, { plainParse: true }), to);
      }
      // Every edited version (not the plain parses, which keep no tree) started from a kept tree.
      assert.equal(cache.reused, 4);
    } finally {
      keepSyntaxTrees(0);
    }
  });
});
