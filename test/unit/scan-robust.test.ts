// Hostile Python files: one bad file costs only that file (a note), never the files after
// it, and deep or odd input never exhausts a stack or misplaces a position.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emptySettings } from '../../server/config/settings';
import { analyzeText } from '../../server/engine/analyze';
import { MAX_INDENT_LEVELS, MAX_PHYSICAL_INDENT_LEVELS, nestingProblem } from '../../server/scan/python-nesting';
import { parseAndScan, scanPython, UnscannableFile } from '../../server/scan/python';
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
