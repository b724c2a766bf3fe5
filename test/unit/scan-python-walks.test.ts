// The Python scanner's walks over a parsed tree: each whole-tree walk visits every node inside
// the parser's runtime, so the scan shares one walk among the passes that need the same nodes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanPython } from '../../server/scan/python';
import { createParser, type SyntaxNode } from '../../server/scan/tree-sitter';

/** Counts the whole-tree walks (`descendantsOfType` on a root node) that `run` makes, by the types asked for. */
async function countRootWalks(run: () => Promise<unknown>): Promise<string[]> {
  const parser = await createParser('python');
  const tree = parser.parse('x = 1\n')!;
  const prototype = Object.getPrototypeOf(tree.rootNode) as SyntaxNode;
  tree.delete();
  parser.delete();
  const original = prototype.descendantsOfType;
  const walks: string[] = [];
  prototype.descendantsOfType = function (this: SyntaxNode, ...args: Parameters<SyntaxNode['descendantsOfType']>) {
    if (this.parent === null) walks.push([args[0]].flat().join('+'));
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    prototype.descendantsOfType = original;
  }
  return walks;
}

describe('Python scanner walks', () => {
  it('finds calls and classes in one walk of the tree (a class attribute as the id)', async () => {
    const text = [
      'from transformers import AutoModel',
      'class Config:',
      '    MODEL = "org/from-class"',
      'class Other:',
      '    pass',
      'def load():',
      '    helper(1)',
      '    return AutoModel.from_pretrained(Config.MODEL)',
      '',
    ].join('\n');
    let ids: (string | null)[] = [];
    const walks = await countRootWalks(async () => {
      ids = (await scanPython(text, { plainParse: true })).map((r) => r.modelId);
    });
    assert.deepEqual(ids, ['org/from-class']);
    assert.deepEqual(walks.filter((w) => w.includes('call') || w.includes('class_definition')), ['call+class_definition']);
  });

  it('resolves a class attribute from the last class of the name, as before', async () => {
    const text = [
      'from transformers import AutoModel',
      'class Config:',
      '    MODEL = "org/first"',
      'def f():',
      '    class Config:',
      '        MODEL = "org/second"',
      'AutoModel.from_pretrained(Config.MODEL)',
      '',
    ].join('\n');
    for (const plainParse of [true, false]) {
      assert.deepEqual((await scanPython(text, { plainParse })).map((r) => r.modelId), ['org/second']);
    }
  });
});
