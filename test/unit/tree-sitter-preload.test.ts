// A scan worker loads the Python grammar before its first file arrives: the parser of that
// first file must come from the very runtime and grammar the preload made, not a second load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createParser, preloadGrammar, resetTreeSitter } from '../../server/scan/tree-sitter';

test('createParser after preloadGrammar uses the preloaded grammar and parses', async () => {
  const pool = 'preload-test';
  resetTreeSitter(pool);
  await preloadGrammar('python', pool);
  const first = await createParser('python', pool);
  const second = await createParser('python', pool);
  assert.ok(first.language, 'the parser has a language');
  assert.equal(first.language, second.language, 'one grammar load serves every parser of the pool');
  const tree = first.parse('model = AutoModel.from_pretrained("org/name")\n');
  assert.equal(tree?.rootNode.type, 'module');
  assert.equal(tree?.rootNode.hasError, false);
  resetTreeSitter(pool);
});
