// Hostile Python files: one bad file costs only that file (a note), never the files after
// it, and deep or odd input never exhausts a stack or misplaces a position.
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import assert from 'node:assert/strict';
import { emptySettings } from '../../server/config/settings';
import { analyzeText } from '../../server/engine/analyze';
import { MAX_INDENT_LEVELS, MAX_PHYSICAL_INDENT_LEVELS, nestingProblem } from '../../server/scan/python-nesting';
import { LineIndex } from '../../server/core/positions';
import { isSuppressed, suppressedCodesAt, suppressionLinesIndexed, suppressionTablesBuilt } from '../../server/core/suppressions';
import { parseAndScan, RECYCLE_AFTER_CHARS, scanPython, UnscannableFile } from '../../server/scan/python';
import { MAX_FOLDED_LENGTH, STEP_BUDGET } from '../../server/scan/python-values';
import { pinRevisionFix } from '../../server/rules/fixes/pin-revision';
import { treeSitterResets } from '../../server/scan/tree-sitter';

const NORMAL = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("bert-base-uncased")\n';

/** `levels` nested if blocks, one space deeper each, with a load at the bottom. */
function nestedBlocks(levels: number): string {
  let text = 'from transformers import AutoModel\n';
  for (let i = 0; i < levels; i++) text += `${' '.repeat(i)}if x:\n`;
  return `${text}${' '.repeat(levels)}m = AutoModel.from_pretrained("gpt2")\n`;
}

function context(relativePath = 'app.py') {
  return { relativePath, settings: emptySettings(), localCommit: () => undefined };
}

describe('a file that breaks the parser', () => {
  it('costs only that file: the runtime is replaced and the next file still scans', async () => {
    assert.deepEqual((await scanPython(NORMAL)).map((r) => r.modelId), ['bert-base-uncased']);
    const resets = treeSitterResets();
    // 600 nested blocks make tree-sitter's WASM fail with "memory access out of bounds".
    await assert.rejects(parseAndScan(nestedBlocks(600)), (error: Error) => error instanceof UnscannableFile && /parser failed/.test(error.message));
    assert.equal(treeSitterResets(), resets + 1);
    assert.deepEqual((await scanPython(NORMAL)).map((r) => r.modelId), ['bert-base-uncased']);
    assert.deepEqual((await scanPython(nestedBlocks(20))).map((r) => r.modelId), ['gpt2']);
  });

  it('scans waiting at the time of a failure get the fresh parser too', async () => {
    const results = await Promise.allSettled([parseAndScan(nestedBlocks(600)), scanPython(NORMAL), scanPython(NORMAL)]);
    assert.equal(results[0].status, 'rejected');
    for (const result of results.slice(1)) {
      assert.equal(result.status, 'fulfilled');
      assert.deepEqual((result as PromiseFulfilledResult<{ modelId: string | null }[]>).value.map((r) => r.modelId), ['bert-base-uncased']);
    }
  });

  it('analyzeText turns the failure into a note on that file and goes on with the next', async () => {
    const bad = await analyzeText(nestedBlocks(600), context('deep.py'));
    assert.deepEqual(bad.references, []);
    assert.deepEqual(bad.findings, []);
    assert.equal(bad.notes?.length, 1);
    assert.equal(bad.notes![0].file, 'deep.py');
    assert.equal(bad.notes![0].level, 'warning');
    assert.match(bad.notes![0].message, /^not scanned: more than 200 levels of indentation$/);
    const good = await analyzeText(NORMAL, context());
    assert.deepEqual(good.references.map((r) => r.modelId), ['bert-base-uncased']);
    assert.equal(good.notes, undefined);
  });
});

describe('found by the fuzzer', () => {
  it('a syntax error at offset 0 of a file starting with a line break is retried, not a crash', async () => {
    const text = '\rfrom . import x\r\nfrom diffusers import StableDiffusionPipeline\r\n  🤗\n}🤗é"\ntry:\nm = huggingface_hub.snapshot_download(cls.args.os.tok)\nStableDiffusionPipeline.from_pretrained(field(getenv(1e309)),\n    *u\"\"\"\"\"\" if x else F\"\"\"bert-base-uncased\"\"\")\r\n';
    const analysis = await analyzeText(text, context());
    assert.equal(analysis.notes, undefined);
    assert.equal(analysis.references.length, 1);
  });
});

describe('nesting pre-check (CPython limits)', () => {
  it('accepts the deepest indentation Python accepts and refuses one level more', async () => {
    assert.equal(nestingProblem(nestedBlocks(MAX_INDENT_LEVELS - 1)), undefined);
    assert.deepEqual((await scanPython(nestedBlocks(MAX_INDENT_LEVELS - 1))).map((r) => r.modelId), ['gpt2']);
    assert.match(nestingProblem(nestedBlocks(MAX_INDENT_LEVELS + 1)) ?? '', /100 levels of indentation/);
  });

  it('refuses deep indentation that only an unclosed string or bracket hides from Python', async () => {
    for (const opener of ['s = """\n', 'x = (\n']) {
      // Both crash the parser at a few hundred levels.
      const hidden = (levels: number) => nestedBlocks(levels).replace('\n', `\n${opener}`);
      assert.equal(nestingProblem(hidden(MAX_PHYSICAL_INDENT_LEVELS)), undefined);
      assert.match(nestingProblem(hidden(MAX_PHYSICAL_INDENT_LEVELS + 1)) ?? '', /200 levels of indentation/);
      await assert.rejects(scanPython(hidden(600)), UnscannableFile);
      assert.deepEqual((await scanPython(NORMAL)).map((r) => r.modelId), ['bert-base-uncased']);
    }
  });

  it('leaves deep brackets to the parser', async () => {
    const id = `${'('.repeat(20_000)}"gpt2"${')'.repeat(20_000)}`;
    const text = `from transformers import AutoModel\nm = AutoModel.from_pretrained(${id})\n`;
    assert.equal(nestingProblem(text), undefined);
    const [reference] = await scanPython(text);
    assert.equal(reference.unresolved, id);
  });

  it('ignores what only looks nested: strings, comments, continuation lines, dedents', () => {
    const deepLooking = (prefix: (i: number) => string) => Array.from({ length: MAX_PHYSICAL_INDENT_LEVELS }, (_, i) => `${prefix(i)}\n`).join('');
    assert.equal(nestingProblem(`s = """\n${deepLooking((i) => `${' '.repeat(i)}if x:`)}"""\n`), undefined);
    assert.equal(nestingProblem(deepLooking((i) => `${' '.repeat(i)}# comment`)), undefined);
    assert.equal(nestingProblem(`x = [\n${deepLooking((i) => `${' '.repeat(i)}${i},`)}]\n`), undefined);
    assert.equal(nestingProblem(`x = 1 + \\\n${deepLooking((i) => `${' '.repeat(i)}${i} + \\`)}0\n`), undefined);
    assert.equal(nestingProblem(deepLooking((i) => `${' '.repeat(i % 50)}if x:`)), undefined);
  });

  it('reads CR-only and CRLF line endings as Python does', () => {
    const cr = nestedBlocks(MAX_INDENT_LEVELS + 1).replace(/\n/g, '\r');
    const crlf = nestedBlocks(MAX_INDENT_LEVELS + 1).replace(/\n/g, '\r\n');
    assert.match(nestingProblem(cr) ?? '', /indentation/);
    assert.match(nestingProblem(crlf) ?? '', /indentation/);
    assert.equal(nestingProblem(nestedBlocks(MAX_INDENT_LEVELS - 1).replace(/\n/g, '\r')), undefined);
  });

  it('counts tabs to the next multiple of eight', () => {
    const tabs = Array.from({ length: 120 }, (_, i) => `${'\t'.repeat(i)}if x:\n`).join('');
    assert.match(nestingProblem(tabs) ?? '', /indentation/);
  });
});

describe('deep trees', () => {
  it('a 100,000-part dotted receiver does not exhaust the stack', async () => {
    const chain = Array.from({ length: 100_000 }, () => 'a').join('.');
    const references = await scanPython(`from transformers import AutoModel\nm = ${chain}.from_pretrained("gpt2")\n`);
    assert.deepEqual(references.map((r) => r.modelId), ['gpt2']);
  });

  it('a name looked up through a deeply nested function body resolves without recursion', async () => {
    // 20,000 nested brackets: a deep expression tree to walk past.
    const noise = `    v = ${'['.repeat(20_000)}x${']'.repeat(20_000)}\n`;
    const text = `from transformers import AutoModel\ndef load():\n    name = "gpt2"\n${noise}    return AutoModel.from_pretrained(name)\n`;
    assert.deepEqual((await scanPython(text)).map((r) => r.modelId), ['gpt2']);
  });

  it('a name resolved from inside 20,000 brackets does not walk up parent by parent (quadratic)', { timeout: 120_000 }, async () => {
    // Walking `parent` 20,000 times costs 20,000 steps each: over a minute before, well under a second now.
    const started = Date.now();
    const text = `from transformers import AutoModel\nX = "gpt2"\nm = ${'('.repeat(20_000)}AutoModel.from_pretrained(X)${')'.repeat(20_000)}\n`;
    assert.deepEqual((await scanPython(text)).map((r) => r.modelId), ['gpt2']);
    assert.ok(Date.now() - started < 30_000);
  });

  it('module constants nested in 90 levels of if blocks are found', async () => {
    let text = 'from transformers import AutoModel\n';
    for (let i = 0; i < 90; i++) text += `${' '.repeat(i)}if x:\n`;
    text += `${' '.repeat(90)}NAME = "gpt2"\nm = AutoModel.from_pretrained(NAME)\n`;
    assert.deepEqual((await scanPython(text)).map((r) => r.modelId), ['gpt2']);
  });
});

describe('line endings as Python reads them', () => {
  const lf = [
    'from transformers import AutoModel',
    '# a comment',
    'm = AutoModel.from_pretrained("gpt2")',
    'n = AutoModel.from_pretrained("bert-base-uncased")  # ptm-lens: ignore[PTM402]',
    'if True:',
    '    o = AutoModel.from_pretrained("distilgpt2")',
    '',
  ].join('\n');

  for (const [name, ending] of [['CR', '\r'], ['CRLF', '\r\n']] as const) {
    it(`${name}: the same loads, lines and suppressions as LF`, async () => {
      const text = lf.replace(/\n/g, ending);
      const expected = await analyzeText(lf, context());
      const actual = await analyzeText(text, context());
      const where = (source: string, offset: number) => {
        const lines = new LineIndex(source);
        return lines.positionAt(offset);
      };
      assert.deepEqual(actual.references.map((r) => [r.modelId, where(text, r.idSpan.start)]), expected.references.map((r) => [r.modelId, where(lf, r.idSpan.start)]));
      assert.deepEqual(actual.references.map((r) => r.modelId), ['gpt2', 'bert-base-uncased', 'distilgpt2']);
      const unpinned = actual.findings.filter((f) => f.code === 'PTM402');
      assert.deepEqual(unpinned.map((f) => [f.code, f.modelId, where(text, f.span.start).line]), [['PTM402', 'gpt2', 2], ['PTM402', 'distilgpt2', 5]]);
    });
  }

  it('CR: the pin-revision fix sees that a call spans lines', async () => {
    const text = 'from transformers import AutoModel\rm = AutoModel.from_pretrained(\r    "gpt2"\r)\r';
    const [reference] = await scanPython(text);
    const [edit] = pinRevisionFix(reference, text, undefined).edits;
    assert.match(edit.newText, /^,\n {4}revision=/);
  });

  it('LineIndex counts \\r, \\n and \\r\\n as one break each', () => {
    const lines = new LineIndex('a\rb\r\nc\nd');
    assert.equal(lines.lineCount, 4);
    assert.deepEqual([0, 2, 5, 7].map((offset) => lines.positionAt(offset)), [0, 1, 2, 3].map((line) => ({ line, character: 0 })));
    assert.deepEqual([0, 1, 2, 3].map((line) => [lines.lineStart(line), lines.lineEnd(line)]), [[0, 1], [2, 3], [5, 6], [7, 8]]);
    assert.equal(lines.offsetAt({ line: 2, character: 0 }), 5);
  });

  it('a suppression comment covers its own line only', () => {
    const text = 'x = 1  # ptm-lens: ignore[PTM402]\ry = 2\r\nz = 3  # ptm-lens: ignore\n';
    assert.deepEqual(suppressedCodesAt(text, 0), ['PTM402']);
    assert.deepEqual(suppressedCodesAt(text, text.indexOf('y')), []);
    assert.deepEqual(suppressedCodesAt(text, text.indexOf('z')), ['*']);
    assert.ok(isSuppressed(text, [text.indexOf('z')], 'PTM101'));
    assert.ok(!isSuppressed(text, [text.indexOf('y')], 'PTM402'));
    // An unclosed bracket does not reach into the next line.
    assert.deepEqual(suppressedCodesAt('a  # ptm-lens: ignore[PTM4\rb]\r', 0), ['*']);
  });
});

describe('cost stays linear', () => {
  it('8,000 loads on one line: directives are read once for the file, every finding is reported', { timeout: 120_000 }, async () => {
    const line = Array.from({ length: 8000 }, () => 'AutoModel.from_pretrained("gpt2")').join('; ');
    const text = `from transformers import AutoModel\n${line}  # ptm-lens: ignore[PTM401]\n`;
    const before = suppressionTablesBuilt();
    const analysis = await analyzeText(text, context());
    assert.equal(analysis.references.length, 8000);
    assert.equal(analysis.findings.filter((f) => f.code === 'PTM402').length, 8000);
    assert.equal(suppressionTablesBuilt() - before, 1);
  });

  it('a file without a directive has no line indexed for its suppressions; one with a directive has', async () => {
    const loads = 'from transformers import AutoModel\nm = AutoModel.from_pretrained("gpt2")\nn = AutoModel.from_pretrained("gpt2")\n';
    const before = suppressionLinesIndexed();
    const plain = await analyzeText(loads, context());
    assert.equal(plain.findings.filter((f) => f.code === 'PTM402').length, 2);
    assert.equal(suppressionLinesIndexed() - before, 0);
    const ignored = await analyzeText(loads.replace('("gpt2")\n', '("gpt2")  # ptm-lens: ignore[PTM402]\n'), context());
    assert.equal(ignored.findings.filter((f) => f.code === 'PTM402').length, 1);
    assert.equal(suppressionLinesIndexed() - before, 1);
  });

  it('folded strings stop at MAX_FOLDED_LENGTH: doubling constants stay unresolved, short ones fold', async () => {
    const doubling = ['A0 = "' + 'x'.repeat(1000) + '"', ...Array.from({ length: 12 }, (_, i) => `A${i + 1} = A${i} + A${i}`)].join('\n');
    const text = `from transformers import AutoModel\n${doubling}\nm = AutoModel.from_pretrained(A12)\nn = AutoModel.from_pretrained("open" + "ai-gpt")\n`;
    const references = await scanPython(text);
    assert.deepEqual(references.map((r) => r.modelId), [null, 'openai-gpt']);
    assert.ok(MAX_FOLDED_LENGTH < 1000 * 2 ** 12);
  });

  it('a long "a"+"a"+... concatenation resolves nothing and costs at most the step budget', { timeout: 300_000 }, async () => {
    const terms = 20_000;
    const text = `from transformers import AutoModel\nM = ${Array.from({ length: terms }, () => '"a"').join('+')}\nm = AutoModel.from_pretrained(M)\n`;
    const [reference] = await scanPython(text);
    assert.equal(reference.modelId, null);
    assert.equal(reference.unresolved, 'M');
  });

  it('resolution steps are budgeted per file: a quadratic lookup pattern ends unresolved, not slow', { timeout: 300_000 }, async () => {
    // Every call looks its argument up through a function body of thousands of nodes.
    const body = Array.from({ length: 3000 }, (_, i) => `    v${i} = [${i}, ${i}, ${i}]\n`).join('');
    const calls = Array.from({ length: 400 }, () => '    AutoModel.from_pretrained(name)\n').join('');
    const text = `from transformers import AutoModel\ndef load():\n    name = "gpt2"\n${body}${calls}`;
    const references = await scanPython(text);
    assert.equal(references.length, 400);
    // Early calls resolve; once the budget is spent the rest stay unresolved rather than guessed.
    assert.equal(references[0].modelId, 'gpt2');
    assert.ok(references.every((r) => r.modelId === 'gpt2' || (r.modelId === null && r.unresolved === 'name')));
    assert.ok(references.some((r) => r.modelId === null), 'the budget ran out');
    assert.ok(STEP_BUDGET >= 100_000);
  });

  it('a parse that outlasts its budget gives a note-worthy error and the next file still scans', async () => {
    // Statements the parser must read (an assignment of a name nothing reads, a bare call or a block binding nothing would be left out).
    const big = `${NORMAL}${'assert x, print([1, 2, 3])\n'.repeat(200_000)}`;
    await assert.rejects(scanPython(big, { parseBudgetMs: 1 }), (error: Error) => error instanceof UnscannableFile && /parsing took longer than/.test(error.message));
    assert.deepEqual((await scanPython(NORMAL)).map((r) => r.modelId), ['bert-base-uncased']);
  });

  it('a recycled runtime gives its memory back: five huge files in a row do not add up', { timeout: 300_000 }, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // About 200 MB of WASM memory each to parse; before, every discarded runtime stayed alive.
    const big = `${NORMAL}M = ${Array.from({ length: 250_000 }, () => '"a"').join('+')}\nm = AutoModel.from_pretrained(M)\n`;
    await scanPython(big);
    gc();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 5; i++) await scanPython(big);
    await scanPython(NORMAL);
    gc();
    const grownMb = (process.memoryUsage().rss - before) / 1024 / 1024;
    assert.ok(grownMb < 400, `resident memory grew by ${Math.round(grownMb)} MB`);
  });

  it('after a text over RECYCLE_AFTER_CHARS the runtime is recycled (WASM memory only grows)', async () => {
    const resets = treeSitterResets();
    await scanPython(`${NORMAL}${'#'.repeat(RECYCLE_AFTER_CHARS)}\n`);
    assert.equal(treeSitterResets(), resets + 1);
    await scanPython(NORMAL);
    assert.equal(treeSitterResets(), resets + 1);
  });
});
