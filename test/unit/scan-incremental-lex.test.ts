// The chunked lexical pass of edited documents (incremental-lex.ts): after any edit, its facts
// deep-equal lexPython's over the whole text, and an edit re-lexes only a little of the text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChunkedLex } from '../../server/scan/incremental-lex';
import { changedStretch } from '../../server/scan/incremental-trees';
import { lexPython } from '../../server/scan/lexical-python';

/** Pieces of Python (and of broken Python) whose concatenations try every state the lexer has. */
const PIECES = [
  '\n', '\n', '\n', ' ', '    ', '\t', '\r', '\r\n', '\f', '# comment\n', ' # c\n', '#', '"', "'", '"""', "'''", 'f"{x}"', 'rb"', 't"',
  '(', ')', '[', ']', '{', '}', '\\', '\\\n', '.', ':', '=', '==', '<=', '+=', ':=', ';', ',', '@', 'é', '1',
  'x', 'name', 'def ', 'class ', 'async ', 'import ', 'from ', ' as ', 'if ', 'match ', 'z',
  'from_pretrained', 'pipeline', 'AutoModel', 'LLM', 'vllm', 'load', 'mlx_lm', 'os', 'environ', 'getenv', 'add_argument',
  'save_pretrained', 'local_dir', 'dataclass', 'transformers', 'save', 'output_dir', 'm.save (x)\n', 't(output_dir = x)\n',
  'x = 1\n', 'MODEL = "org/m"\n', 'def f(a):\n    return a\n', 'class C:\n    X = 1\n', 'import os\n', '@decorator\n',
  'from transformers import pipeline as make\n', 'from vllm import LLM\n', 'm = AutoModel.from_pretrained(MODEL)\n', 'e = LLM("m")\n',
  '"""doc\nUsage: x\n"""\n', 'a = (\n1,\n2)\n', 'b = a.\\\nfrom_pretrained(x)\n', 'c = a.\nfrom_pretrained(x)\n', '.from_pretrained(y)\n',
  'def g(:\n', 'x = f"{os.environ.get(\'A\')}"\n', '    y = 2\n', 'if x:\n    pass\n',
];

const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((pieces) => pieces.join(''));
/**
 * An edit: where (a fraction of the length, or near the start of the n-th line, where chunks
 * start), how many characters go, and what comes in.
 */
const editArb = fc.record({
  at: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.record({ line: fc.nat(200), shift: fc.integer({ min: -2, max: 2 }) })),
  remove: fc.nat(6),
  insert: fc.oneof(fc.constant(''), fc.constantFrom(...PIECES)),
});

function applied(before: string, e: { at: number | { line: number; shift: number }; remove: number; insert: string }): string {
  let at: number;
  if (typeof e.at === 'number') at = Math.floor(e.at * before.length);
  else {
    const starts = [0, ...[...before.matchAll(/\n/g)].map((m) => m.index! + 1)];
    at = Math.min(before.length, Math.max(0, starts[e.at.line % starts.length] + e.at.shift));
  }
  return before.slice(0, at) + e.insert + before.slice(at + e.remove);
}

describe('chunked lexical pass', () => {
  it('has the facts of a whole-text lex, for any text and chunk size', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(1, 8, 32, 4096), (source, size) => {
        assert.deepStrictEqual(ChunkedLex.of(source, size).facts, lexPython(source));
      }),
      { numRuns: 400 },
    );
  });

  it('has the facts of a whole-text lex after any sequence of edits', () => {
    fc.assert(
      fc.property(text, fc.array(editArb, { minLength: 1, maxLength: 8 }), fc.constantFrom(1, 8, 32), (source, edits, size) => {
        let lexed = ChunkedLex.of(source, size);
        let current = source;
        for (const e of edits) {
          const next = applied(current, e);
          lexed = lexed.edited(next, changedStretch(current, next));
          current = next;
          assert.deepStrictEqual(lexed.facts, lexPython(current), JSON.stringify(current));
        }
      }),
      { numRuns: 600 },
    );
  });

  it('has the facts of a whole-text lex after edits that replace whole lines (a chunk start inside the replaced text)', () => {
    const line = fc.constantFrom('import os', 'x = 1', 'from vllm import LLM', 'e = LLM(1)', 'm = a.from_pretrained(b)', 'def f():', '    pass', 'class C:', 'y = os.environ', 'z', '@d', "'''", '(');
    const lines = (max: number) => fc.array(line, { maxLength: max }).map((items) => items.join('\n'));
    fc.assert(
      fc.property(lines(12), fc.nat(), fc.nat(20), lines(3), fc.boolean(), (body, at, remove, insert, newline) => {
        const source = `${body}\n`;
        const from = at % source.length;
        const next = source.slice(0, from) + insert + (newline ? '\n' : '') + source.slice(from + remove);
        const lexed = ChunkedLex.of(source, 1).edited(next, changedStretch(source, next));
        assert.deepStrictEqual(lexed.facts, lexPython(next));
      }),
      { numRuns: 3000 },
    );
    // Found by the property above when chunks starting inside the replaced text were reused.
    const source = 'z\nclass C:\nz\ndef f():\n    pass\n';
    const next = 'z\nclass C:from vllm import LLM\nimport os\n   pass\n';
    assert.deepStrictEqual(ChunkedLex.of(source, 1).edited(next, changedStretch(source, next)).facts, lexPython(next));
  });

  it('re-lexes a few chunks of a long file after a one-letter edit, not the whole text', () => {
    const block = (i: number) => `def helper_${i}(a, b):\n    """Adds."""\n    return [a + b for _ in range(${i})]\n\nVALUE_${i} = helper_${i}(1, 2)\n`;
    const source = `from transformers import AutoModel\n${Array.from({ length: 2000 }, (_, i) => block(i)).join('')}m = AutoModel.from_pretrained("org/x")\n`;
    const lexed = ChunkedLex.of(source);
    const at = source.indexOf('helper_1000(a') + 3;
    const next = `${source.slice(0, at)}x${source.slice(at + 1)}`;
    const before = ChunkedLex.lexedChars;
    const edited = lexed.edited(next, changedStretch(source, next));
    const lexedChars = ChunkedLex.lexedChars - before;
    assert.deepStrictEqual(edited.facts, lexPython(next));
    assert.ok(source.length > 100_000);
    // Two chunks of 4 KB at most, against the text's 100 KB and more.
    assert.ok(lexedChars <= 2 * 4096 + 1000, `re-lexed ${lexedChars} characters`);
  });

  it('gives every segment the same fields in the same order, whole or merged from chunks (one object shape for the passes that read them)', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(1, 8, 4096), (source, size) => {
        const shapes = new Set([...lexPython(source).segments, ...ChunkedLex.of(source, size).facts.segments].map((segment) => Object.keys(segment).join(',')));
        assert.ok(shapes.size <= 1, [...shapes].join('\n'));
      }),
      { numRuns: 200 },
    );
  });
});
