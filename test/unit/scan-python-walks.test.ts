// The Python scanner's walks over a parsed tree: each whole-tree walk visits every node inside
// the parser's runtime, so the scan shares one walk among the passes that need the same nodes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DOWNLOAD_FOLDER_KEYWORD, SAVE_KEYWORDS, saveKeywordOffsets, scanPython } from '../../server/scan/python';
import { createParser, type SyntaxNode } from '../../server/scan/tree-sitter';
import { guardValues } from '../../server/scan/python-guards';
import { PythonImports } from '../../server/scan/python-imports';
import { localBindings, PythonValueResolver } from '../../server/scan/python-values';

/**
 * Runs `run` with one method of the syntax nodes' shared prototype wrapped by `wrap` (given the
 * original), and puts the original back afterwards.
 */
async function withNodeMethod<K extends 'descendantsOfType' | 'childForFieldName'>(name: K, wrap: (original: SyntaxNode[K]) => SyntaxNode[K], run: () => Promise<unknown>): Promise<void> {
  const parser = await createParser('python');
  const tree = parser.parse('x = 1\n')!;
  const prototype = Object.getPrototypeOf(tree.rootNode) as SyntaxNode;
  tree.delete();
  parser.delete();
  const original = prototype[name];
  prototype[name] = wrap(original);
  try {
    await run();
  } finally {
    prototype[name] = original;
  }
}

/** Counts the whole-tree walks (`descendantsOfType` on a root node) that `run` makes, by the types asked for. */
async function countRootWalks(run: () => Promise<unknown>): Promise<string[]> {
  const walks: string[] = [];
  await withNodeMethod(
    'descendantsOfType',
    (original) =>
      function (this: SyntaxNode, ...args: Parameters<SyntaxNode['descendantsOfType']>) {
        if (this.parent === null) walks.push([args[0]].flat().join('+'));
        return original.apply(this, args);
      },
    run,
  );
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
    assert.equal(walks.filter((w) => w.split('+').includes('call') || w.split('+').includes('class_definition')).length, 1);
  });

  it('finds calls, classes and module-level assignments in one walk of the tree', async () => {
    const text = ['from transformers import AutoModel', 'NAME = "org/constant"', 'class Config:', '    pass', 'def load():', '    return AutoModel.from_pretrained(NAME)', ''].join('\n');
    let ids: (string | null)[] = [];
    const walks = await countRootWalks(async () => {
      ids = (await scanPython(text, { plainParse: true })).map((r) => r.modelId);
    });
    assert.deepEqual(ids, ['org/constant']);
    const wanted = ['call', 'class_definition', 'expression_statement', 'assignment'];
    const walking = walks.filter((w) => w.split('+').some((type) => wanted.includes(type)));
    assert.equal(walking.length, 1, walking.join(', '));
    for (const type of wanted) assert.ok(walking[0].split('+').includes(type), type);
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

describe('save keyword offsets', () => {
  const naive = (text: string) =>
    [...SAVE_KEYWORDS, DOWNLOAD_FOLDER_KEYWORD]
      .flatMap((word) => {
        const out: number[] = [];
        for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) out.push(at);
        return out;
      })
      .sort((a, b) => a - b);

  it('finds every keyword where a search per keyword finds it', () => {
    const pieces = ['output_dir', 'save_directory', 'local_dir', '_dir', 'save', 'output', 'local', '_directory', 'x', ' ', '(', '=', '\n', 'cache_dir', 'ectory'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        assert.deepEqual(saveKeywordOffsets(text), naive(text));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the offsets of each keyword, in order', () => {
    const text = 'f(output_dir=a, local_dir=b)\nm.save_pretrained(save_directory=c)  # data_dir\n';
    assert.deepEqual(saveKeywordOffsets(text), [text.indexOf('output_dir'), text.indexOf('local_dir'), text.indexOf('save_directory')]);
  });
});

describe('guard look-up', () => {
  it('reads the fields of if, elif and case ancestors only, and still finds the guard', async () => {
    const parser = await createParser('python');
    const text = ['if name == "org/a":', '    model = load(wrap(wrap(wrap(name))))', 'other = load(wrap(wrap(wrap(name))))', ''].join('\n');
    const tree = parser.parse(text)!;
    const root = tree.rootNode;
    const values = new PythonValueResolver(root, new PythonImports(root));
    const names = root.descendantsOfType('identifier').filter((n) => n?.text === 'name').map((n) => n!);
    const prototype = Object.getPrototypeOf(root) as SyntaxNode;
    const original = prototype.childForFieldName;
    const asked: string[] = [];
    prototype.childForFieldName = function (this: SyntaxNode, field: string) {
      if (field === 'consequence') asked.push(this.type);
      return original.call(this, field);
    };
    let guarded, unguarded;
    try {
      guarded = guardValues(names[1], values);
      unguarded = guardValues(names[2], values);
    } finally {
      prototype.childForFieldName = original;
      tree.delete();
      parser.delete();
    }
    assert.deepEqual(guarded?.values, ['org/a']);
    assert.equal(unguarded, undefined);
    // The if statement once; none of the eight calls, argument lists and statements around the second use.
    assert.deepEqual(asked, ['if_statement']);
  });
});

describe('function bindings', () => {
  /** Statements of a function body binding and using a few names, nested scopes among them. */
  const statement = fc.constantFrom(
    'a = "org/a"',
    'b = a',
    'a += "x"',
    'a, b = f()',
    'self.a = 1',
    'c = [a for a in items]',
    'for b in items:\n        a = b',
    'def inner():\n        a = 2',
    'class K:\n        b = 3',
    'g = lambda a=1: a',
    '@deco\n    def h():\n        c = 4',
    'if a:\n        c = "org/c"\n    else:\n        b = c',
    'with open(a) as c:\n        b = 1',
    'x = (a := 5)',
    'load(a, b, c)',
    'b = 1 +* 2',
    'c = lambda',
    'for a in :\n        b = 1',
  );

  it('yields what a walk per name yields, for every name and position', async () => {
    const parser = await createParser('python');
    try {
      fc.assert(
        fc.property(fc.array(statement, { minLength: 1, maxLength: 12 }), (lines) => {
          const text = `def f(a, b=None):\n    ${lines.join('\n    ')}\n`;
          const tree = parser.parse(text)!;
          try {
            const root = tree.rootNode;
            const fn = root.namedChildren[0];
            // Broken code can leave no function to look in.
            const body = fn?.type === 'function_definition' ? fn.childForFieldName('body') : null;
            if (!body) return;
            const values = new PythonValueResolver(root, new PythonImports(root));
            const spans = (nodes: Iterable<SyntaxNode>) => [...nodes].map((n) => `${n.type}@${n.startIndex}`);
            for (const name of ['a', 'b', 'c', 'x', 'self']) {
              for (const before of [Infinity, ...lines.map((_, i) => text.indexOf(lines[i]) + 1)]) {
                assert.deepEqual(spans(values.bindingsIn(body, name, before)), spans(localBindings(body, name, before)), `${name} before ${before} in\n${text}`);
              }
            }
          } finally {
            tree.delete();
          }
        }),
        { numRuns: 300 },
      );
    } finally {
      parser.delete();
    }
  });

  it('walks a function body once for every name resolved in it, without making a node of each statement', async () => {
    const filler = Array.from({ length: 40 }, (_, i) => `    step_${i} = compute(step_${i}, {"k": [1, 2, 3]})`);
    const text = [
      'from transformers import AutoModel, AutoTokenizer',
      'def load():',
      '    name = "org/model"',
      '    revision = "main"',
      ...filler,
      '    tokenizer = AutoTokenizer.from_pretrained(name, revision=revision)',
      '    return AutoModel.from_pretrained(name, revision=revision)',
      '',
    ].join('\n');
    const { made, references } = await countChildLists(() => scanPython(text, { plainParse: true }));
    assert.deepEqual(references.map((r) => [r.modelId, r.revision?.value]), [['org/model', 'main'], ['org/model', 'main']]);
    // A walk per name looked up lists the children of every node of the body up to the call (2,844 here).
    assert.ok(made < 100, `${made} child lists made`);
  });
});

describe('module-level assignments', () => {
  /** The walk the resolver made before (every statement made into a node): the reference. */
  function referenceModuleValue(root: SyntaxNode, name: string): SyntaxNode | undefined {
    let last: SyntaxNode | undefined;
    const stack: SyntaxNode[] = [...root.namedChildren].reverse().filter((c): c is SyntaxNode => !!c);
    for (let child = stack.pop(); child; child = stack.pop()) {
      if (['function_definition', 'class_definition', 'lambda', 'decorated_definition'].includes(child.type)) continue;
      if (child.type === 'expression_statement') {
        const assignment = child.namedChildren[0];
        const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
        const right = assignment?.childForFieldName('right');
        if (left?.type === 'identifier' && left.text === name && right) last = right;
      } else if (/_statement$|_clause$|^block$/.test(child.type)) stack.push(...[...child.namedChildren].reverse().filter((c): c is SyntaxNode => !!c));
    }
    return last;
  }

  const statement = fc.constantFrom(
    'a = "org/a"',
    'b = a',
    'a, c = 1, 2',
    'if x:\n    a = "org/if"\nelif y:\n    b = 2\nelse:\n    c = 3',
    'try:\n    a = 1\nexcept E:\n    b = 2\nfinally:\n    c = 3',
    'with f() as g:\n    a = 4',
    'for i in r:\n    b = 5',
    'while t:\n    c = 6',
    'match v:\n    case 1:\n        a = 7',
    'def f():\n    a = 8',
    'class K:\n    b = 9',
    '@d\ndef h():\n    c = 10',
    'h = lambda: (a := 1)',
    'a = (',
    'b = 1 +* 2',
    'def broken(:\n    c = 11',
    'c = [a for a in b]',
  );

  it('finds what a walk over every statement finds, broken code included', async () => {
    const parser = await createParser('python');
    try {
      fc.assert(
        fc.property(fc.array(statement, { minLength: 1, maxLength: 10 }), (lines) => {
          const text = `${lines.join('\n')}\n`;
          const tree = parser.parse(text)!;
          try {
            const root = tree.rootNode;
            const values = new PythonValueResolver(root, new PythonImports(root));
            for (const name of ['a', 'b', 'c', 'g', 'h']) {
              const expected = referenceModuleValue(root, name);
              const actual = values.moduleValue(name);
              assert.equal(actual && `${actual.type}@${actual.startIndex}`, expected && `${expected.type}@${expected.startIndex}`, `${name} in\n${text}`);
            }
          } finally {
            tree.delete();
          }
        }),
        // A text that parses as one syntax error (the root is an ERROR node).
        { numRuns: 300, examples: [[['a = "org/a"', 'a = (', 'a, c = 1, 2', 'b = 1 +* 2', 'a = (', 'a = "org/a"', 'def broken(:\n    c = 11']]] },
      );
    } finally {
      parser.delete();
    }
  });

  it('makes no node of each top-level statement to find them', async () => {
    const text = ['from transformers import AutoModel', 'NAME = "org/model"', ...Array.from({ length: 200 }, (_, i) => `if flag_${i}:\n    step(${i})`), 'AutoModel.from_pretrained(NAME)', ''].join('\n');
    const { made, references } = await countChildLists(() => scanPython(text, { plainParse: true }));
    assert.deepEqual(references.map((r) => r.modelId), ['org/model']);
    // Listing the children of every top-level statement and block took over 400 here.
    assert.ok(made < 100, `${made} child lists made`);
  });
});

/** Runs `scan` counting the child lists it makes (reads of a node's `namedChildren`, each a list of new nodes). */
async function countChildLists<T>(scan: () => Promise<T>): Promise<{ made: number; references: T }> {
  const parser = await createParser('python');
  const tree = parser.parse('x = 1\n')!;
  const prototype = Object.getPrototypeOf(tree.rootNode) as SyntaxNode;
  tree.delete();
  parser.delete();
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'namedChildren')!;
  let made = 0;
  Object.defineProperty(prototype, 'namedChildren', {
    ...descriptor,
    get(this: SyntaxNode) {
      made++;
      return descriptor.get!.call(this);
    },
  });
  try {
    const references = await scan();
    return { made, references };
  } finally {
    Object.defineProperty(prototype, 'namedChildren', descriptor);
  }
}

describe('Python scanner lookups in the parsed ranges', () => {
  it('looks for import statements only at the import keywords of the parsed ranges, and finds the same loads', async () => {
    // Many functions that import and load nothing: the lexical pass leaves them out of the parse.
    const unused = Array.from({ length: 40 }, (_, i) => `def helper_${i}():\n    import json\n    from string import digits\n    return digits\n`).join('\n');
    const text = `import os\nfrom transformers import AutoModel\n\n${unused}\nMODEL = os.environ.get("M", "org/ranged")\nmodel = AutoModel.from_pretrained(MODEL)\n`;
    const parser = await createParser('python');
    const tree = parser.parse('x = 1\n')!;
    const prototype = Object.getPrototypeOf(tree.rootNode) as SyntaxNode;
    tree.delete();
    parser.delete();
    const original = prototype.namedDescendantForIndex;
    let lookups = 0;
    prototype.namedDescendantForIndex = function (this: SyntaxNode, ...args: Parameters<SyntaxNode['namedDescendantForIndex']>) {
      lookups++;
      return original.apply(this, args);
    };
    let fast: (string | null)[] = [];
    try {
      fast = (await scanPython(text)).map((r) => r.modelId);
    } finally {
      prototype.namedDescendantForIndex = original;
    }
    assert.deepEqual(fast, ['org/ranged']);
    assert.deepEqual((await scanPython(text, { plainParse: true })).map((r) => r.modelId), fast);
    // The two kept import statements' three keywords, not the 160 of the functions left out.
    assert.ok(lookups <= 3, `${lookups} lookups`);
  });
});

describe('Python scanner calls into the parser runtime', () => {
  /** Counts the field look-ups by field name while `run` runs. */
  async function countFieldLookups(run: () => Promise<unknown>): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    await withNodeMethod(
      'childForFieldName',
      (original) =>
        function (this: SyntaxNode, field: string) {
          counts.set(field, (counts.get(field) ?? 0) + 1);
          return original.call(this, field);
        },
      run,
    );
    return counts;
  }

  it('asks only keyword arguments of a loader call for their name and value', async () => {
    const text = 'from transformers import pipeline\nclassify = pipeline("text-classification", "org/positional", 1, 2, 3, 4, 5, 6)\n';
    let ids: (string | null)[] = [];
    const counts = await countFieldLookups(async () => {
      ids = (await scanPython(text)).map((r) => r.modelId);
    });
    assert.deepEqual(ids, ['org/positional']);
    // Eight positional arguments: none has a value field to look for.
    assert.equal(counts.get('value') ?? 0, 0);
  });
});
