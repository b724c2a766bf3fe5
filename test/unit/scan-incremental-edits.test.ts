// The contract of re-analysing edited documents by their changed statements: after any edit,
// the incremental analysis deep-equals a from-scratch analysis of the same text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySettings } from '../../server/config/settings';
import { analyzeText, type AnalysisContext, type FileAnalysis } from '../../server/engine/analyze';
import { IncrementalScans } from '../../server/scan/incremental-scan';
import { changedStretch } from '../../server/scan/incremental-trees';
import { keepSyntaxTrees } from '../../server/scan/python';
import { seededRandom } from '../bench/corpus';
import fc from 'fast-check';

/** Module-level code feeding loaders in every shape, among definitions no loader needs. */
const BASE = [
  'import argparse',
  'import os',
  'from dataclasses import dataclass',
  'from transformers import AutoModel, AutoTokenizer, pipeline',
  'from transformers import pipeline as make_pipe',
  'from vllm import LLM as Engine',
  '',
  'MODEL = "org/model-a"',
  'OTHER = MODEL',
  'REVISION = "0123456789abcdef0123456789abcdef01234567"',
  'SAVED = "out/saved-model"',
  '__all__ = ["load_a", "helper"]',
  '_TIMEOUT = 5',
  '',
  'def helper(a, b):',
  '    """Adds."""',
  '    return [a + b for _ in range(_TIMEOUT)]',
  '',
  'class Config:',
  '    NAME = "org/model-b"',
  '',
  'class Unused:',
  '    X = 1',
  '',
  '    def method(self):',
  '        return self.X',
  '',
  'class Holder:',
  '    def __init__(self):',
  '        self.name = "org/model-c"',
  '',
  '    def load(self):',
  '        return AutoModel.from_pretrained(self.name)',
  '',
  'def load_a():',
  '    return AutoModel.from_pretrained(MODEL, revision=REVISION)',
  '',
  'def load_b():',
  '    return AutoModel.from_pretrained(Config.NAME)',
  '',
  'def load_c(name="org/model-d"):',
  '    return make_pipe("text-classification", model=name, trust_remote_code=True)',
  '',
  'def pick(choice):',
  '    if choice == "org/guard-a" or choice == "org/guard-b":',
  '        return AutoTokenizer.from_pretrained(choice)',
  '',
  'def parse():',
  '    p = argparse.ArgumentParser()',
  '    p.add_argument("--model-name", default="org/model-f")',
  '    return p.parse_args()',
  '',
  'def load_args(args):',
  '    return AutoModel.from_pretrained(args.model_name)',
  '',
  '@dataclass',
  'class Options:',
  '    model: str = "org/model-h"',
  '',
  'def load_opts(o):',
  '    return AutoModel.from_pretrained(o.model)',
  '',
  'def unrelated(x):',
  '    total = 0',
  '    for i in range(x):',
  '        total += i * 2',
  '    return total',
  '',
  'env_model = AutoModel.from_pretrained(os.environ.get("HF_MODEL", "org/model-e"))',
  'engine = Engine("org/model-v")',
  'saved = AutoModel.from_pretrained(SAVED)',
  'other = pipeline("fill-mask", model=OTHER)',
  'path_model = AutoModel.from_pretrained(os.path.join("a", "b"))',
  '',
  'if __name__ == "__main__":',
  '    args = parse()',
  '    model = load_args(args)',
  '    model.save_pretrained(SAVED)',
  '    print(helper(1, 2))  # ptm-lens: ignore[PTM402]',
  '',
].join('\n');

/** Whole lines the edits insert: constants that change what loaders resolve to, imports, calls, broken code. */
const LINES = [
  'MODEL = "org/model-z"',
  'OTHER = "org/other"',
  'Config = None',
  'make_pipe = print',
  'from transformers import AutoModel as Engine',
  'late = AutoModel.from_pretrained("org/late")',
  'x = 1',
  '    y = 2',
  '# a comment',
  '',
  'def f(:',
  'class Config:\n    NAME = "org/model-y"',
  'parser = argparse.ArgumentParser(); parser.add_argument("--model-name", default="org/p")',
  'AutoModel.from_pretrained(MODEL).save_pretrained("org/model-a")',
];
const CHARACTERS = [...'abxyz_ ."\'()=:#\n\t1-/'];

/** A random edit of `text`: a character replaced, inserted or deleted, a whole line inserted or deleted, or a model id changed. */
function edit(text: string, random: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const at = Math.floor(random() * text.length);
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)].filter((s) => s < text.length);
  switch (Math.floor(random() * 6)) {
    case 0:
      return text.slice(0, at) + pick(CHARACTERS) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + pick(CHARACTERS) + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + 1);
    case 3: {
      const start = pick(lineStarts);
      return `${text.slice(0, start)}${pick(LINES)}\n${text.slice(start)}`;
    }
    case 4: {
      const start = pick(lineStarts);
      const end = text.indexOf('\n', start);
      return text.slice(0, start) + (end < 0 ? '' : text.slice(end + 1));
    }
    default: {
      // Inside a module-level constant or an id: changes what loaders elsewhere resolve to.
      const ids = [...text.matchAll(/"org\/[\w-]+"|\b[A-Z_]{4,}\b/g)];
      if (!ids.length) return text;
      const id = pick(ids);
      const offset = id.index! + 1 + Math.floor(random() * (id[0].length - 2));
      return text.slice(0, offset) + pick([...'xyzAB_-']) + text.slice(offset + 1);
    }
  }
}

function context(extra: Partial<AnalysisContext> = {}): AnalysisContext {
  return { relativePath: 'edited.py', settings: emptySettings(), localCommit: () => undefined, now: 0, ...extra };
}

/** Versions of BASE after random edits: mostly one edit after another, sometimes back to the base (so syntax errors do not pile up). */
function versions(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const out: string[] = [];
  let text = BASE;
  for (let i = 0; i < count; i++) {
    if (random() < 0.25) text = BASE;
    text = edit(text, random);
    out.push(text);
  }
  return out;
}

/** Analyses every version as an editor would (kept trees and references), then each afresh. */
async function bothWays(texts: string[], extra: Partial<AnalysisContext> = {}, first = BASE) {
  const edits = new IncrementalScans();
  const incremental: FileAnalysis[] = [];
  keepSyntaxTrees(4);
  try {
    await analyzeText(first, context({ ...extra, edits }));
    for (const text of texts) incremental.push(await analyzeText(text, context({ ...extra, edits })));
  } finally {
    keepSyntaxTrees(0);
  }
  const fresh: FileAnalysis[] = [];
  for (const text of texts) fresh.push(await analyzeText(text, context(extra)));
  return { incremental, fresh, counts: edits.counts };
}

describe('re-analysis of edited documents by their changed statements', () => {
  it('gives what a fresh analysis gives after random edits, and re-reads only the touched statements for most of them', async () => {
    const texts = versions(400, 11);
    const { incremental, fresh, counts } = await bothWays(texts);
    for (let i = 0; i < texts.length; i++) assert.deepEqual(incremental[i], fresh[i], `version ${i}:\n${texts[i]}`);
    // The base has references of every kind, and the edits kept most of them.
    assert.ok(fresh[0].references.length >= 10, `references: ${fresh[0].references.length}`);
    // Both shortcuts are taken, and many edits still needed the whole file.
    assert.ok(counts.outsideKept >= 5, JSON.stringify(counts));
    assert.ok(counts.statements >= 30, JSON.stringify(counts));
    assert.ok(counts.full >= 40, JSON.stringify(counts));
  });

  it('moves what names a line (a guard compared "on line N") when lines are added above, and re-reads only what it must', async () => {
    const targeted: [string, string][] = [
      // Inside definitions no loader needs: nothing is re-read, but the lines below move.
      ['    """Adds."""', '    """Adds."""\n'],
      ['        total += i * 2', '        total += i * 2\n        total -= 1'],
      ['        return self.X', '        return self.X\n\n'],
      ['return [a + b', 'return [a - b'],
      ['    X = 1', '    X = 2'],
      // Module-level code that no loader reads, and code that one does.
      ['__all__ = ["load_a", "helper"]', '__all__ = ["load_a", "helper", "pick"]\nVERSION = "1.0"'],
      ['_TIMEOUT = 5', '_TIMEOUT = 6'],
      ['MODEL = "org/model-a"', 'MODEL = "org/model-b"'],
      ['self.name = "org/model-c"', 'self.name = "org/model-cc"'],
      ['"org/guard-b"', '"org/guard-c"'],
    ];
    const texts = targeted.map(([from, to]) => {
      assert.ok(BASE.includes(from), from);
      return BASE.replace(from, to);
    });
    // Each version once after the base, and once after the version before it.
    const { incremental, fresh, counts } = await bothWays(texts.flatMap((text) => [BASE, text]));
    for (let i = 0; i < incremental.length; i++) assert.deepEqual(incremental[i], fresh[i], `version ${i}`);
    assert.ok(fresh[1].references.some((r) => /compared in the if on line \d+/.test(r.idSource ?? '')));
    // Module-level assignments nothing kept reads (`_TIMEOUT`, `__all__`) are outside the kept ranges.
    assert.ok(counts.outsideKept >= 4 && counts.statements >= 2, JSON.stringify(counts));
  });

  it('gives what a fresh analysis gives after edits that break the syntax, and re-reads only the broken statements when the error stays in them', async () => {
    // Typing in progress: an unclosed bracket or string, a half-typed keyword, a stray token, a missing colon.
    const breakers = ['(', ')', '[', '"', "'", ':', ',', 'def ', 'class ', 'if ', ' x y', '0y1', '=', '@', '\\', 'import', '\n    '];
    const breakAt = fc.record({ at: fc.nat(), breaker: fc.constantFrom(...breakers), cut: fc.nat({ max: 2 }) });
    const totals = { brokenStatements: 0, versions: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(breakAt, { minLength: 1, maxLength: 6 }), fc.boolean(), async (breaks, fromBase) => {
        // Each break on the base alone (as one keystroke away from clean code), or piled up.
        let text = BASE;
        const texts = breaks.map(({ at, breaker, cut }) => {
          const source = fromBase ? BASE : text;
          const offset = at % source.length;
          text = source.slice(0, offset) + breaker + source.slice(offset + cut);
          return text;
        });
        const { incremental, fresh, counts } = await bothWays(texts);
        for (let i = 0; i < texts.length; i++) assert.deepEqual(incremental[i], fresh[i], `version ${i}:\n${texts[i]}`);
        totals.brokenStatements += counts.brokenStatements;
        totals.versions += texts.length;
      }),
      { numRuns: 60, seed: 20240601 },
    );
    // Many of those edits left the error inside the statements they touched: only those were re-read.
    assert.ok(totals.brokenStatements >= totals.versions / 10, JSON.stringify(totals));
  });

  it('sees a saved folder change through a local name or a module constant in the touched statement', async () => {
    const base = [
      'from transformers import AutoModel',
      '',
      'def keep(m):',
      '    d = "org/out1"',
      '    m.save_pretrained(d)',
      '',
      'if True:',
      '    OUT = "org/out3"',
      '    AutoModel.from_pretrained("org/x").save_pretrained(OUT)',
      '',
      'x = AutoModel.from_pretrained("org/out2")',
      'y = AutoModel.from_pretrained("org/out4")',
      '',
    ].join('\n');
    const texts = [base.replace('org/out1', 'org/out2'), base, base.replace('org/out3', 'org/out4'), base.replace('org/out3', 'org/out4(')];
    const { incremental, fresh } = await bothWays(texts.flatMap((text) => [base, text]), {});
    for (let i = 0; i < incremental.length; i++) assert.deepEqual(incremental[i], fresh[i], `version ${i}`);
    // The saved folder hides the load of the same id.
    assert.ok(!fresh[1].references.some((r) => r.modelId === 'org/out2'));
    assert.ok(!fresh[5].references.some((r) => r.modelId === 'org/out4'));
  });

  it('reads each function and class of a touched statement for its own save calls (several of them in one class)', async () => {
    const base = [
      'from transformers import AutoModel',
      '',
      'class Trainer:',
      '    def first(self, m):',
      '        a = "org/out1"',
      '        m.save_pretrained(a)',
      '',
      '    def second(self, m):',
      '        b = "org/out5"',
      '        m.save_pretrained(b)',
      '',
      'class Other:',
      '    def third(self, m):',
      '        m.save_pretrained(self.c)',
      '',
      'x = AutoModel.from_pretrained("org/out2")',
      '',
    ].join('\n');
    // The second function's folder, then the first's, become the id loaded below.
    const texts = [base.replace('org/out5', 'org/out2'), base.replace('org/out1', 'org/out2')];
    const { incremental, fresh } = await bothWays(texts.flatMap((text) => [base, text]), {});
    for (let i = 0; i < incremental.length; i++) assert.deepEqual(incremental[i], fresh[i], `version ${i}`);
    assert.ok(fresh[0].references.some((r) => r.modelId === 'org/out2'));
    assert.ok(!fresh[1].references.some((r) => r.modelId === 'org/out2'));
    assert.ok(!fresh[3].references.some((r) => r.modelId === 'org/out2'));
  });

  it('compares a save call\'s folder by the bindings it reads: edits elsewhere in its function re-read only that function, edits to them change what is loaded', async () => {
    // Functions that save to folders named every way the resolver follows, beside loads of those same ids.
    const base = [
      'import os',
      'import transformers',
      'from transformers import AutoModel',
      '',
      'ROOT = "org/out-root"',
      '',
      'def train(model, steps=3, where="org/out-param"):',
      '    log = []',
      '    d = "org/out-a"',
      '    for i in range(steps):',
      '        log.append(i * 2)',
      '    total = sum(log)',
      '    model.save_pretrained(d)',
      '    model.save_pretrained(where)',
      '    e = "org/out-b"',
      '    model.save_pretrained(e)',
      '    e = "org/out-c"',
      '    print(total, steps)',
      '    return total',
      '',
      'def nested(model):',
      '    f = "org/out-d"',
      '    def inner():',
      '        g = f',
      '        model.save_pretrained(g)',
      '    unused = "org/out-e"',
      '    args = transformers.TrainingArguments(output_dir=os.environ.get("OUT", "org/out-f"))',
      '    return inner',
      '',
      'class Trainer:',
      '    def __init__(self):',
      '        self.where = "org/out-g"',
      '        self.count = 1',
      '',
      '    def run(self, model):',
      '        self.count += 1',
      '        model.save_pretrained(self.where)',
      '        return ROOT',
      '',
      'def fetch(hub):',
      '    hub.snapshot_download("org/x", local_dir=ROOT)',
      '',
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'param', 'root', 'z', 'a/sub', 'root/sub'].map((id, i) => `m${i} = AutoModel.from_pretrained("org/out-${id}")`),
      'model_cls = AutoModel',
      'local = model_cls.from_pretrained("org/by-receiver")',
      '',
    ].join('\n');
    // Lines typed into the functions: new bindings of the names read, loops, nested scopes, unrelated code.
    const lines = ['    d = "org/out-z"', '    e = d', '    where = "org/out-a"', '    for d in log:', '    def inner2():', '    total = 3', '    log.clear()', '    g = "org/out-z"', '        self.where = ROOT', '    ROOT = "org/out-z"', '    steps += 1'];
    const firstDef = base.indexOf('def train');
    const lastDef = base.indexOf('\nm0 = ');
    const anEdit = fc.record({ at: fc.nat(), kind: fc.nat({ max: 4 }), char: fc.constantFrom(...'azd_ ."()=:#\n1-/'), line: fc.constantFrom(...lines) });
    let statements = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anEdit, { minLength: 1, maxLength: 5 }), async (edits) => {
        const texts = edits.map(({ at, kind, char, line }) => {
          // Inside the functions that save, one edit each on the base.
          const offset = firstDef + (at % (lastDef - firstDef));
          const lineStart = base.lastIndexOf('\n', offset - 1) + 1;
          if (kind === 0) return base.slice(0, offset) + char + base.slice(offset + 1);
          if (kind === 1) return base.slice(0, offset) + char + base.slice(offset);
          if (kind === 2) return base.slice(0, offset) + base.slice(offset + 1);
          return `${base.slice(0, lineStart)}${line}\n${base.slice(lineStart)}`;
        });
        const { incremental, fresh, counts } = await bothWays(texts.flatMap((text) => [base, text]), {}, base);
        for (let i = 0; i < incremental.length; i++) assert.deepEqual(incremental[i], fresh[i], `version ${i}:\n${texts[Math.floor(i / 2)]}`);
        statements += counts.statements;
      }),
      { numRuns: 60, seed: 7 },
    );
    // The edits no save call's folder feels were re-read by statement.
    assert.ok(statements >= 60, `statements: ${statements}`);
    // The base hides loads of the folders it saves to, and only those.
    const saved = (await analyzeText(base, context())).references.map((r) => r.modelId);
    assert.deepEqual(saved.filter((id) => id?.startsWith('org/out-')), ['org/out-c', 'org/out-e', 'org/out-root', 'org/out-z']);
  });

  it('sees an import of a loader library go or come, which a local receiver relies on', async () => {
    const base = [
      'import os',
      'import transformers',
      'from .pgen2 import driver, token, tokenize',
      'import mlx_lm as tm',
      'from mlx_lm import load as cm',
      '',
      'model_cls = make()',
      'm = model_cls.from_pretrained("org/by-receiver")',
      'assert os.sep or ox or transformerx or print(driver, token, tokenize(driver.parse("x")))',
      'a = tm.load("org/mlx-a")',
      'b = cm("org/mlx-b")',
      '',
    ].join('\n');
    const texts = [
      base.replace('import transformers', 'import transformerx'),
      base.replace('import transformers', 'xmport transformers'),
      base.replace('from .pgen2 import driver, token, tokenize', 'xrom .pgen2 import driver, token, tokenize'),
      base.replace('from .pgen2 import driver, token, tokenize', 'from .pgen2 import driver, token, tokenizx'),
      base.replace('import os', 'import ox'),
      base.replace('import os', 'import peft, os'),
      // The head of a loader's dotted call, and a name that imports a loader function.
      base.replace('import mlx_lm as tm', 'import mlx_lx as tm'),
      base.replace('from mlx_lm import load as cm', 'from mlx_lx import load as cm'),
    ];
    const { incremental, fresh, counts } = await bothWays(texts.flatMap((text) => [base, text]), {}, base);
    for (let i = 0; i < incremental.length; i++) assert.deepEqual(incremental[i], fresh[i], `version ${i}`);
    assert.ok(fresh[0].references.some((r) => r.modelId === 'org/by-receiver'));
    assert.ok(!fresh[1].references.some((r) => r.modelId === 'org/by-receiver'));
    assert.ok(fresh[0].references.some((r) => r.modelId === 'org/mlx-a') && !fresh[13].references.some((r) => r.modelId === 'org/mlx-a'));
    assert.ok(fresh[0].references.some((r) => r.modelId === 'org/mlx-b') && !fresh[15].references.some((r) => r.modelId === 'org/mlx-b'));
    // Imports of other modules are compared by the names they bind, and those only where a
    // loader call reads them: the edits of the other imports re-read their statement.
    assert.ok(counts.statements + counts.brokenStatements >= 3, JSON.stringify(counts));
    assert.ok((counts.fallbacks['an imported name a loader call reads changed'] ?? 0) >= 2, JSON.stringify(counts));
  });

  it('finds the changed stretch between two versions as a character-by-character comparison does, across whole chunks', () => {
    const naive = (before: string, after: string) => {
      const shorter = Math.min(before.length, after.length);
      let start = 0;
      while (start < shorter && before[start] === after[start]) start++;
      let end = 0;
      while (end < shorter - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
      return { start, oldEnd: before.length - end, newEnd: after.length - end };
    };
    // Long repetitive texts: the same chunk can match on either side of an edit (the prefix and suffix found must not overlap).
    const text = fc.oneof(
      fc.tuple(fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 5000 }), fc.nat({ max: 3 })).map(([t, n]) => t.repeat(n + 1)),
      fc.nat({ max: 5000 }).map((n) => 'a'.repeat(n)),
    );
    fc.assert(
      fc.property(text, fc.nat(), fc.nat({ max: 2100 }), fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 3 }), (before, at, cut, insert) => {
        const offset = before.length ? at % before.length : 0;
        const after = before.slice(0, offset) + insert + before.slice(offset + cut);
        assert.deepEqual(changedStretch(before, after), naive(before, after));
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('sees a folder appear between two edits (a relative id becomes a local path)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ptm-edits-'));
    try {
      const isLocalPath = (path: string) => existsSync(join(dir, path));
      const edits = new IncrementalScans();
      const first = await analyzeText(BASE, context({ isLocalPath, edits }));
      assert.ok(first.references.some((r) => r.modelId === 'org/model-a'));
      await mkdir(join(dir, 'org', 'model-a'), { recursive: true });
      const text = BASE.replace('_TIMEOUT = 5', '_TIMEOUT = 6');
      const edited = await analyzeText(text, context({ isLocalPath, edits }));
      assert.deepEqual(edited, await analyzeText(text, context({ isLocalPath })));
      assert.ok(!edited.references.some((r) => r.modelId === 'org/model-a'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('scans an edit whose syntax error reaches past the touched statements from the trees it parsed for them, as a fresh scan would', async () => {
    // An unclosed bracket or string at module level runs into the rest of the file; a broken
    // constant changes what code elsewhere reads.
    const breaks: [string, string][] = [
      ['OTHER = MODEL', '('],
      ['OTHER = MODEL', '"""'],
      ['SAVED = ', 'x = ['],
    ];
    const texts = breaks.flatMap(([before, inserted]) => {
      const at = BASE.indexOf(before);
      assert.ok(at >= 0, before);
      return [BASE, BASE.slice(0, at) + inserted + BASE.slice(at)];
    });
    const { incremental, fresh, counts } = await bothWays(texts);
    for (let i = 0; i < texts.length; i++) assert.deepEqual(incremental[i], fresh[i], `version ${i}:\n${texts[i]}`);
    // Each broken version was scanned whole from the trees parsed from the base's, none parsed again.
    assert.equal(counts.scannedWhole, breaks.length, JSON.stringify(counts));
  });

  it('searches the whole text for a loader hint only when an edit touches the one the last version had', async () => {
    // Edits at the end of the file, far from the first hint (the imports at the top).
    const texts = Array.from({ length: 8 }, (_, i) => `${BASE}\nVALUE_${i} = ${i}\n`);
    const { incremental, fresh, counts } = await bothWays(texts);
    for (let i = 0; i < texts.length; i++) assert.deepEqual(incremental[i], fresh[i], `version ${i}`);
    // The base's own search, then none.
    assert.equal(counts.hintSearches, 1, JSON.stringify(counts));
    // An edit through that hint (the first in the text: no hint comes before `pipeline`) searches again.
    assert.ok(BASE.indexOf('pipeline') < BASE.indexOf('from_pretrained'));
    const cut = BASE.replace('AutoTokenizer, pipeline', 'AutoTokenizer, Other');
    const again = await bothWays([cut]);
    assert.deepEqual(again.incremental[0], again.fresh[0]);
    assert.equal(again.counts.hintSearches, 2, JSON.stringify(again.counts));
  });
});
