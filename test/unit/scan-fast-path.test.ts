// The fast scan path (lexical pre-pass, parsing only what can matter, worker threads) must
// give exactly what the plain path gives (every file parsed whole, one file after another).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { emptySettings } from '../../server/config/settings';
import { scanWorkspace, type WorkspaceScanOptions } from '../../server/engine/workspace';
import { importedNames, lexPython, rangesToParse } from '../../server/scan/lexical-python';
import { rangeReader, scanPython } from '../../server/scan/python';
import { ScanPool } from '../../server/engine/parallel-scan';
import { scanJob } from '../../server/engine/scan-worker';
import { emptySymbols, mayCallWrapper, namesWrapper } from '../../server/scan/workspace-symbols';
import { wrapperIndex } from '../support/wrapper-index';
import { buildModelHeavyTree } from '../bench/corpus';
import { assertFastEqualsPlain } from '../support/fast-path';

const ROOT = resolve(__dirname, '../../..');

function options(extra: Partial<WorkspaceScanOptions>): WorkspaceScanOptions {
  return { settings: emptySettings(), localCommit: () => undefined, ...extra };
}

/** Both paths over a folder: the plain one on this thread, the fast one with two workers from the first file on. */
async function bothPaths(dir: string) {
  const plain = await scanWorkspace(dir, options({ parallel: false, plainParse: true }));
  const notes: string[] = [];
  const fast = await scanWorkspace(dir, options({ parallel: { workers: 2, inlineChars: 0 }, onNote: (n) => notes.push(n.message) }));
  return { plain, fast };
}

describe('fast scan path', () => {
  it('finds the same references and findings as the plain path on the bench corpus generator output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ptm-fast-'));
    try {
      // The generator inserts loader calls of every shape into copies of the examples and fixtures.
      const tree = await buildModelHeavyTree(join(ROOT, 'examples'), join(dir, 'tree'), 7, 3);
      assert.ok(tree.insertedCalls >= 3);
      const { plain, fast } = await bothPaths(tree.dir);
      assert.ok(plain.flatMap((r) => r.references).length >= tree.insertedCalls - tree.insertedCalls / 4, 'the corpus has references');
      assert.deepEqual(fast, plain);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds the same on the test fixtures and examples', async () => {
    for (const dir of ['examples', 'test/fixtures']) {
      const { plain, fast } = await bothPaths(join(ROOT, dir));
      assert.deepEqual(fast, plain, dir);
    }
  });

  it('finds the same on generated files mixing loaders, constants, classes, aliases and docstrings', async () => {
    const pieces = [
      'from transformers import AutoModel, pipeline\n',
      'from transformers import pipeline as make_pipe\n',
      'import os\n',
      'import argparse\n',
      'MODEL = "org/model-a"\n',
      'class Config:\n    NAME = "org/model-b"\n',
      'class Holder:\n    def __init__(self):\n        self.name = "org/model-c"\n\n    def load(self):\n        return AutoModel.from_pretrained(self.name)\n',
      'def load_a():\n    return AutoModel.from_pretrained(MODEL)\n',
      'def load_b():\n    return AutoModel.from_pretrained(Config.NAME)\n',
      'def load_c():\n    return make_pipe("text-classification", model="org/model-d")\n',
      'def load_env():\n    return AutoModel.from_pretrained(os.environ.get("M", "org/model-e"))\n',
      'def parse():\n    p = argparse.ArgumentParser()\n    p.add_argument("--model", default="org/model-f")\n    return p.parse_args()\n',
      'def load_args(args):\n    return AutoModel.from_pretrained(args.model)\n',
      'def late_import():\n    from transformers import AutoTokenizer as AutoModel\n    return 1\n',
      'def saver(m):\n    m.save_pretrained("org/model-a")\n',
      'def doc():\n    """AutoModel.from_pretrained("org/doc")"""\n    # pipeline("x", model="org/comment")\n    return 2\n',
      'def fmt(x):\n    return f"{AutoModel.from_pretrained(\'org/model-g\')}"\n',
      '@decorator\nclass Decorated:\n    VALUE = 3\n',
      'from dataclasses import dataclass\n\n@dataclass\nclass Options:\n    model: str = "org/model-h"\n',
      'def load_opts(o):\n    return AutoModel.from_pretrained(o.model)\n',
      'def unrelated(a, b):\n    return [a + b for _ in range(3)]\n',
      'if True:\n    def nested():\n        return pipeline("fill-mask", model=MODEL)\n',
      'x = (\n    1,\n)\n',
      // Module-level assignments: left out unless kept code names what they bind.
      'TABLE = {"a": 1, "b": [2, 3]}\n',
      'ALIAS = MODEL\n',
      'def load_alias():\n    return AutoModel.from_pretrained(ALIAS)\n',
      'FIRST = SECOND = "org/model-i"\n',
      'def load_chain():\n    return AutoModel.from_pretrained(SECOND)\n',
      'MODEL += "-v2"\n',
      'MODEL = "org/model-j"; OTHER = 1\n',
      'TYPED: str = "org/model-k"\n',
      'def load_typed():\n    return pipeline("fill-mask", model=TYPED)\n',
      'CFG = Config.NAME\n',
      'def load_cfg():\n    return AutoModel.from_pretrained(CFG)\n',
      'MODEL = "org/model-l" if OTHER == 1 else "org/model-m"\n',
      'pick = lambda m=MODEL: m\n',
      'MODEL = (\n    "org/"\n    "model-n"\n)\n',
      'made = make_pipe("text-classification", model="org/model-o")\n',
      // Loaders found through another word (vllm's LLM, mlx_lm's load, flair's load).
      'from vllm import LLM\n',
      'from vllm import LLM as Engine\n',
      'from mlx_lm import load\n',
      'from flair.models import SequenceTagger\n',
      'engine = LLM(model="org/model-p")\n',
      'def run_llm():\n    return LLM("org/model-q")\n',
      'def run_engine():\n    return Engine("org/model-r")\n',
      'def run_mlx():\n    return load("org/model-s")\n',
      'def run_flair():\n    return SequenceTagger.load("org/model-t")\n',
      'def downloads():\n    snapshot_download("org/model-u", local_dir="org/model-a")\n',
      'def merged(m):\n    m.save_pretrained_merged("org/model-i")\n',
      // Imports anywhere a statement can be (found from the lexical pass's keywords on the fast path).
      'OTHER = 1; import transformers as tf\n',
      'if True: from transformers import AutoModel as AM\n',
      'am = AM.from_pretrained("org/model-w")\n',
      'tfm = tf.AutoModel.from_pretrained("org/model-x")\n',
      'from __future__ import annotations\n',
      'from . import AutoModel\n',
      'def gen():\n    yield from range(3)\n    raise ValueError("x") from None\n',
      'try:\n    from mine import pipeline\nexcept ImportError:\n    pass\n',
      'import transformers.models as pipeline\n',
      // Expression statements (left out unless they name a loader or an alias of one).
      '"""Module docstring naming AutoModel.from_pretrained("org/doc")."""\n',
      'TABLE.update({"a": MODEL})\n',
      'print(Config.NAME, MODEL)\n',
      'make_pipe\n',
      '(MODEL)\n',
      'xrom .pgen2 import pipeline\n',
      'xmport transformers\n',
      'print "org/model-a"\n',
      'x = 1 if MODEL else "a" "b"\n',
      // Classes of the same name: the last one is the one the resolver reads.
      'class Config:\n    def NAME(self):\n        return 1\n',
      'class Config:\n    OTHER = "org/model-v"\n    def __init__(self):\n        self.NAME2 = "org/model-y"\n',
      'def load_other():\n    return AutoModel.from_pretrained(Config.OTHER)\n',
      'def load_name2():\n    return AutoModel.from_pretrained(Config.NAME2)\n',
      'def load_split():\n    return AutoModel.from_pretrained(Config.\\\n        NAME)\n',
      '\uFEFFimport transformers\n',
      // Names in comments and plain strings of kept code name nothing; in formatted strings they do.
      'BASE2 = "org/model-z"\n',
      'def load_doc():\n    """Reads TABLE and Config.OTHER."""\n    # and MODEL\n    return AutoModel.from_pretrained(f"{BASE2}")\n',
      'def load_quoted():\n    return AutoModel.from_pretrained("FIRST" + r\'SECOND\')\n',
      // Import statements: kept when kept code names what they bind, or when they import a loader's library.
      'import json\n',
      'from mylib import AutoModel\n',
      'import mylib as tf\n',
      'from mylib import *\n',
      'from . import helpers, pipeline as make_pipe\n',
      'from os import environ\n',
      'from os import getenv as ge\n',
      'import sys\n',
      'from sys import argv\n',
      'from mylib import (\n    MODEL,  # the default\n    Config as Holder,\n)\n',
      'import unsloth\n',
      'def argv_model():\n    return AutoModel.from_pretrained(sys.argv[1] if len(sys.argv) > 1 else "org/model-argv")\n',
      'def argv_plain():\n    return AutoModel.from_pretrained(argv[1] if len(argv) > 1 else "org/model-argv2")\n',
      'def env_model():\n    return AutoModel.from_pretrained(ge("M", "org/model-env") + environ.get("X", ""))\n',
      'local_cls = make()\nlm = local_cls.from_pretrained("org/model-local")\n',
      // Syntax errors the lexical pass sees: the whole file is parsed then, as on the plain path.
      'def broken(:\n    pass\n',
      'def no_colon()\n    return 1\n',
      'def unclosed():\n    return "abc\n',
      'def stray():\n    return 1)\n',
    ];
    await assertFastEqualsPlain(pieces, { maxLength: 12, numRuns: 600, seed: 13 });
  });
});

describe('lexical pre-pass', () => {
  it('says a file names no loader when loader names sit only in strings and comments', () => {
    assert.equal(lexPython('"""AutoModel.from_pretrained("x")"""\n# pipeline("a")\ns = \'snapshot_download\'\n').namesLoader, false);
    assert.equal(lexPython('x = AutoModel.from_pretrained("x")\n').namesLoader, true);
    // f-strings hold code.
    assert.equal(lexPython('x = f"{AutoModel.from_pretrained(\'x\')}"\n').namesLoader, true);
  });

  it('leaves out top-level definitions that cannot matter, and keeps module-level code', () => {
    const text = ['import os', 'from transformers import AutoModel', 'MODEL = "a/b"', 'def helper():', '    return 1', '', 'class Unused:', '    X = 1', '', 'def load():', '    return AutoModel.from_pretrained(MODEL)', ''].join('\n');
    const kept = rangesToParse(text)!.map((r) => text.slice(r.start, r.end));
    assert.equal(kept.length, 2);
    assert.ok(kept[0].includes('MODEL = "a/b"') && !kept.join('').includes('helper') && !kept.join('').includes('Unused'));
    assert.ok(kept[1].startsWith('def load():'));
  });

  it('leaves out module-level assignments of names no kept code mentions, and keeps chains of constants that feed a loader', () => {
    const text = [
      'from transformers import AutoModel',
      'TABLE = {"a": 1,',
      '         "b": 2}',
      'BASE = "org"',
      'FIRST = SECOND = BASE + "/model"',
      'UNUSED: int = 3',
      'COUNT = 1',
      'COUNT += 1',
      'def helper():',
      '    return TABLE',
      '',
      'model = AutoModel.from_pretrained(SECOND)',
      '',
    ].join('\n');
    const kept = rangesToParse(text)!.map((r) => text.slice(r.start, r.end)).join('');
    // An augmented assignment is kept as it is, and keeps what it names.
    for (const line of ['BASE = "org"', 'FIRST = SECOND', 'COUNT += 1', 'COUNT = 1', 'model = AutoModel']) assert.ok(kept.includes(line), line);
    // TABLE is named only by a definition that is left out itself.
    for (const line of ['TABLE', 'UNUSED', 'helper']) assert.ok(!kept.includes(line), line);
  });

  it('keeps definitions calling a loader known by another word once the file names that word (vllm, mlx_lm)', () => {
    const text = ['from vllm import LLM', 'from mlx_lm import load as fetch', '', 'def a():', '    return LLM("org/a")', '', 'def b():', '    return fetch("org/b")', '', 'def c():', '    return 1', ''].join('\n');
    const kept = rangesToParse(text)!.map((r) => text.slice(r.start, r.end)).join('');
    assert.ok(kept.includes('def a():') && kept.includes('def b():') && !kept.includes('def c():'), kept);
    // Without the hint in code the same call loads nothing: the definition is left out.
    const other = ['from mine import LLM', 'from transformers import pipeline', '', 'def a():', '    return LLM("org/a")', '', 'p = pipeline("x")', ''].join('\n');
    assert.ok(!rangesToParse(other)!.map((r) => other.slice(r.start, r.end)).join('').includes('def a():'));
  });

  it('leaves out expression statements that bind nothing, and keeps the ones holding import words or a loader', () => {
    const text = [
      '"""A module docstring."""',
      'from transformers import AutoModel',
      'from transformers import pipeline as make',
      'MODEL = "a/b"',
      'TABLE = {}',
      'TABLE.update({"x": MODEL})',
      'print(MODEL)',
      'xrom .m import y',
      'xmport os',
      'print "x"',
      'print(MODEL) if MODEL else "a" "b"',
      'note: str',
      'print(make)',
      'model = AutoModel.from_pretrained(MODEL)',
      '',
    ].join('\n');
    const kept = rangesToParse(text)!.map((r) => text.slice(r.start, r.end)).join('');
    // Two operands in a row are a syntax error the parser must see: such statements are kept.
    for (const line of ['from transformers', 'MODEL = "a/b"', 'xrom .m import y', 'xmport os', 'print "x"', 'note: str', 'print(make)', 'model = AutoModel']) assert.ok(kept.includes(line), line);
    // TABLE is named only by a statement left out itself.
    for (const line of ['docstring', 'TABLE', 'print(MODEL)']) assert.ok(!kept.includes(line), line);
    assert.ok(!kept.includes('"a" "b"'));
  });

  it('reads only code for the names kept code uses: comments and plain strings name nothing, formatted strings do', () => {
    const text = [
      'from transformers import AutoModel',
      'IN_DOCSTRING = "a/b"',
      'IN_COMMENT = "c/d"',
      'IN_STRING = "e/f"',
      'IN_FSTRING = "g/h"',
      'class Config:',
      '    NAME = "i/j"',
      '',
      'def load():',
      '    """Reads IN_DOCSTRING and Config.NAME."""',
      '    # IN_COMMENT',
      '    return AutoModel.from_pretrained("IN_STRING" + rb\'IN_STRING\' + f"{IN_FSTRING}")',
      '',
    ].join('\n');
    const kept = rangesToParse(text)!.map((r) => text.slice(r.start, r.end)).join('');
    assert.ok(kept.includes('IN_FSTRING = "g/h"'), kept);
    for (const line of ['IN_DOCSTRING = ', 'IN_COMMENT = ', 'IN_STRING = ', 'class Config']) assert.ok(!kept.includes(line), line);
  });

  it('reads what an import statement binds', () => {
    const read = (text: string) => importedNames(text, 0, text.length);
    assert.deepEqual(read('import a.b.c, d as e\n'), { names: ['a', 'e'], modules: ['a', 'd'] });
    assert.deepEqual(read('from m.n import (x,\n    y as z,  # why\n)\n\n# after\n'), { names: ['x', 'z'], modules: ['m'] });
    assert.deepEqual(read('from .. import x \\\n  as y\n'), { names: ['y'], modules: [] });
    assert.deepEqual(read('from .m import x\n'), { names: ['x'], modules: [] });
    for (const text of ['from m import *\n', 'import a; b = 1\n', 'from m import a.b\n', 'import a as\n', 'from m import\n']) assert.equal(read(text), undefined, text);
  });

  it('leaves out import statements whose names no kept code uses, unless they import a loader library', () => {
    const text = [
      'import json',
      'import os, sys as system',
      'from collections import OrderedDict as OD',
      'from transformers import AutoConfig',
      'import unsloth',
      'from helpers import MODEL',
      'model = AutoModel.from_pretrained(MODEL, cache_dir=os.sep)',
      '',
    ].join('\n');
    const kept = rangesToParse(text)!.map((r) => text.slice(r.start, r.end)).join('');
    for (const line of ['import os, sys', 'from transformers import', 'import unsloth', 'from helpers import MODEL']) assert.ok(kept.includes(line), line);
    for (const line of ['import json', 'OrderedDict']) assert.ok(!kept.includes(line), line);
  });

  it('keeps a class kept code reads an attribute of only when a class of that name assigns the attribute', () => {
    const text = (reads: string) =>
      [
        'from transformers import AutoModel',
        'class Config:',
        '    def NAME(self):',
        '        return 1',
        '',
        'class Settings:',
        '    def __init__(self):',
        '        self.NAME = "a/b"',
        '',
        'class Config:',
        '    OTHER = "c/d"',
        '',
        `model = AutoModel.from_pretrained(${reads})`,
        '',
      ].join('\n');
    const kept = (reads: string) => rangesToParse(text(reads))!.map((r) => text(reads).slice(r.start, r.end)).join('');
    // A method of the name defines nothing the resolver reads: neither Config is needed.
    assert.ok(!kept('Config.NAME').includes('class Config'), kept('Config.NAME'));
    // `OTHER` is assigned in one Config: both are kept (the resolver takes the last of the name).
    assert.equal(kept('Config.OTHER').split('class Config').length, 3);
    assert.ok(kept('Settings.NAME').includes('class Settings') && !kept('Settings.NAME').includes('class Config'));
    // The attribute after a line continuation is not read: the class is kept.
    assert.ok(kept('Config.\\\n    NAME').includes('class Config'));
  });

  it('reads a leading byte-order mark as no part of the first name, as the parser does', async () => {
    for (const text of ['\uFEFFMODEL = "org/x"\nfrom transformers import AutoModel\nm = AutoModel.from_pretrained(MODEL)\n', '\uFEFFimport transformers\nm = transformers.AutoModel.from_pretrained("a/b")\n']) {
      const fast = await scanPython(text);
      assert.equal(fast.length, 1, text);
      assert.deepEqual(fast, await scanPython(text, { plainParse: true }));
    }
  });

  it('keeps a class whose attribute kept code reads, and a definition importing a Hub library', () => {
    const text = ['class Config:', '    NAME = "a/b"', '', 'def imports():', '    import transformers', '', 'def load():', '    return transformers.AutoModel.from_pretrained(Config.NAME)', ''].join('\n');
    const kept = rangesToParse(text)!.map((r) => text.slice(r.start, r.end)).join('');
    assert.equal(kept, text);
  });
});

describe('workspace index lookups', () => {
  /** What mayUse means, name by name (the oracle for the word-set lookup of big indexes). */
  const naive = (text: string, name: string, modules: string[]) =>
    new RegExp(`\\b${name}\\b`).test(text) && (new RegExp(`\\b(?:def|class)\\s+${name}\\b`).test(text) || modules.some((m) => text.includes(m.slice(m.lastIndexOf('.') + 1))));


  it('finds a named wrapper in a big index exactly as a search name by name does', () => {
    const vocabulary = ['load', 'load_x', 'fetch', 'mod1', 'mod2', 'pkg0', 'def', 'class', 'café', 'x', '_y'];
    const names = ['load', 'load_x', 'fetch', 'get_model', 'café', 'a1', 'b2', 'c3', 'd4', 'e5', 'f6'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocabulary, ' ', '.', '(', ')', '\n', 'def ', 'class ', 'é', '1'), { maxLength: 30 }), fc.subarray(names, { minLength: 9 }), (parts, chosen) => {
        const text = parts.join('');
        const symbols = wrapperIndex(chosen);
        const expected = [...symbols.wrappers].some(([name, specs]) => naive(text, name, specs.flatMap((s) => s.modules)));
        assert.equal(namesWrapper(text, symbols), expected, text);
      }),
      { numRuns: 2000, seed: 5 },
    );
  });

  it('needs no second scan for a file that only defines its wrappers, and one for a file that calls one', () => {
    const symbols = wrapperIndex(['load_model', 'a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8']);
    const defines = 'def load_model(name):\n    return AutoModel.from_pretrained(name)\n';
    assert.equal(namesWrapper(defines, symbols), true);
    assert.equal(mayCallWrapper(defines, symbols), false);
    assert.equal(mayCallWrapper(`${defines}\nm = load_model("org/x")\n`, symbols), true);
    assert.equal(mayCallWrapper(`${defines}\nf = getattr(mod, "load_model")\n`, symbols), true);
  });
});

describe('scan pool', () => {
  it('gives each worker the index once, then what other workers learnt', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ptm-pool-'));
    const pool = new ScanPool((job) => scanJob(job), { workers: 2, inlineChars: 0 });
    try {
      const workspace = emptySymbols();
      const job = (relativePath: string, text: string) => ({ root, file: join(root, relativePath), relativePath, text, workspace });
      const defines = 'from transformers import AutoModel\n\ndef load_model(name):\n    return AutoModel.from_pretrained(name)\n';
      const filler = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/filler")\n';
      // The wrapper is learnt on the first worker while the second scans something else.
      const [first] = await Promise.all([pool.scan(job('wrappers.py', defines)), pool.scan(job('filler.py', filler))]);
      assert.ok('references' in first && first.symbols?.wrappers.some((w) => w.name === 'load_model'));
      // Two callers at once: one goes to each worker, so one is scanned by the worker that did not learn it.
      const calls = 'from wrappers import load_model\n\nmodel = load_model("org/called")\n';
      const outcomes = await Promise.all([pool.scan(job('a.py', calls)), pool.scan(job('b.py', calls))]);
      for (const outcome of outcomes) {
        assert.ok('references' in outcome, JSON.stringify(outcome));
        assert.deepEqual(outcome.references.map((r) => r.modelId), ['org/called']);
      }
      assert.equal(pool.started, 2);
    } finally {
      await pool.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('parser read callback for kept ranges', () => {
  it('hands the text from the index to its range end, never nothing before the end of the text', () => {
    const text = 'a = 1\n' + 'x'.repeat(9000) + '\nb = 2\nc = 3\n';
    const ranges = [{ start: 0, end: 6 }, { start: 9007, end: 9013 }, { start: 9013, end: text.length }];
    const read = rangeReader(text, ranges);
    assert.equal(read(0), 'a = 1\n');
    assert.equal(read(2), '= 1\n');
    assert.equal(read(9007), 'b = 2\n');
    // Back to an earlier range, and into a gap: the text from there, a chunk at most.
    assert.equal(read(1), ' = 1\n');
    const gap = read(100);
    assert.ok(gap.length > 0 && text.startsWith(gap, 100) && gap.length <= 4096);
    for (let index = 0; index < text.length; index += 97) assert.ok(read(index).length > 0 && text.startsWith(read(index), index), String(index));
    assert.equal(read(text.length), '');
  });
});
