// Unit tests for the notebook scanner (server/scan/notebook*.ts, server/core/notebook-view.ts):
// cells read as one module in order, IPython syntax masked without moving offsets, spans mapped
// back to a cell, a line within it and the .ipynb text, and broken notebooks turned into notes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/engine/analyze';
import { emptySettings } from '../../server/config/settings';
import { cellRange, fileSpan, viewOffset } from '../../server/core/notebook-view';
import { maskIPython } from '../../server/scan/notebook-magics';
import { notebookView } from '../../server/scan/notebook';
import { readNotebook } from '../../server/scan/notebook-json';
import { fileKindOf } from '../../server/scan/file-kinds';

type Cell = { cell_type: string; source: string | string[] };

/** An nbformat 4 notebook, pretty-printed as Jupyter writes it. */
function notebook(cells: Cell[], metadata: object = { kernelspec: { language: 'python', name: 'python3' } }): string {
  return JSON.stringify({ cells: cells.map((c) => ({ ...c, metadata: {}, ...(c.cell_type === 'code' ? { outputs: [], execution_count: null } : {}) })), metadata, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

const code = (source: string | string[]): Cell => ({ cell_type: 'code', source });
const markdown = (source: string): Cell => ({ cell_type: 'markdown', source });

async function analyze(text: string) {
  return analyzeText(text, { relativePath: 'nb.ipynb', settings: emptySettings(), localCommit: () => undefined });
}

describe('notebook scanner', () => {
  it('is the scanner for .ipynb files', () => {
    assert.equal(fileKindOf('analysis/Explore.IPYNB')?.name, 'Jupyter notebook');
  });

  it('reads code cells in order as one module: a constant from an earlier cell resolves', async () => {
    const text = notebook([
      markdown('# Setup'),
      code(['from transformers import AutoModel\n', 'MODEL_ID = "org/first-model"']),
      markdown('Now load it'),
      code('model = AutoModel.from_pretrained(MODEL_ID)\n'),
    ]);
    const result = await analyze(text);
    assert.equal(result.references.length, 1);
    const [reference] = result.references;
    assert.equal(reference.modelId, 'org/first-model');
    assert.equal(reference.idSource, 'constant MODEL_ID');
    // Cell 3: the index counts markdown cells too.
    assert.equal(reference.cell, 3);
    const range = cellRange(result.notebook!, reference.idSpan)!;
    assert.deepEqual([range.cell, range.start, range.end], [3, { line: 0, character: 34 }, { line: 0, character: 42 }]);
  });

  it('a later cell does not resolve a name only defined in a cell after it', async () => {
    const text = notebook([code('from transformers import AutoModel\nm = AutoModel.from_pretrained(NAME)'), code('NAME = "org/later"')]);
    const [reference] = (await analyze(text)).references;
    // The kernel would fail on this order too; the scanner must not pretend it resolves.
    assert.notEqual(reference?.modelId, 'org/later');
  });

  it('maps a span to the line within its cell and to the JSON text of the .ipynb', async () => {
    const text = notebook([
      code('x = 1'),
      code(['from transformers import pipeline\n', '# "quoted" \\ café\n', 'pipe = pipeline("fill-mask", model="org/unicode-model")  # ünï 😀\n']),
    ]);
    const result = await analyze(text);
    const [reference] = result.references;
    assert.equal(reference.modelId, 'org/unicode-model');
    const range = cellRange(result.notebook!, reference.idSpan)!;
    assert.equal(range.cell, 1);
    assert.deepEqual(range.start, { line: 2, character: 35 });
    const span = fileSpan(result.notebook!, text, reference.idSpan)!;
    // The JSON text of the literal, quotes and all, is what the file holds at that range.
    assert.equal(text.slice(span.start, span.end), '\\"org/unicode-model\\"');
    // And the inverse: a position in the cell gives back the offset in the module.
    assert.equal(viewOffset(result.notebook!, range.slot, range.start), reference.idSpan.start);
  });

  it('maps through JSON escapes (\\n, \\", \\u00e9) in single-string sources', async () => {
    const source = 'from transformers import AutoModel\n# é "q" \\ \t\nm = AutoModel.from_pretrained(\'org/escaped\')  # é\n';
    const text = JSON.stringify({ cells: [{ cell_type: 'code', source, metadata: {}, outputs: [] }], metadata: {}, nbformat: 4 }).replace('é', '\\u00e9');
    const result = await analyze(text);
    const [reference] = result.references;
    assert.equal(reference.modelId, 'org/escaped');
    const span = fileSpan(result.notebook!, text, reference.idSpan)!;
    assert.equal(text.slice(span.start, span.end), "'org/escaped'");
    assert.deepEqual(cellRange(result.notebook!, reference.idSpan)!.start, { line: 2, character: 30 });
  });

  it('reads CRLF line breaks inside cells', async () => {
    const text = notebook([code('from transformers import AutoModel\r\n\r\nm = AutoModel.from_pretrained("org/crlf")\r\n')]);
    const result = await analyze(text);
    assert.deepEqual(cellRange(result.notebook!, result.references[0].idSpan)!.start, { line: 2, character: 30 });
  });

  it('a span ending between the CR and LF of a line break maps to the end of that line', () => {
    const view = notebookView(notebook([code('x = "a\r\ny"')]));
    assert.deepEqual(cellRange(view, { start: 4, end: 7 }), { slot: 0, cell: 0, start: { line: 0, character: 4 }, end: { line: 0, character: 6 } });
  });

  it('reports findings with the cell and rules reading the cell text (suppressions work in cells)', async () => {
    const text = notebook([
      code('from transformers import AutoModel'),
      code('a = AutoModel.from_pretrained("org/kept")\nb = AutoModel.from_pretrained("org/quiet")  # ptm-lens: ignore[PTM402]'),
    ]);
    const result = await analyze(text);
    const unpinned = result.findings.filter((f) => f.code === 'PTM402');
    assert.deepEqual(unpinned.map((f) => [f.modelId, f.reference.cell]), [['org/kept', 1]]);
    // The fix edits the module text: applied there it pins the call in the cell.
    const fix = unpinned[0].fixes[0].edits[0];
    assert.match(result.notebook!.text.slice(0, fix.span.start) + fix.newText, /from_pretrained\("org\/kept", revision=/);
  });

  it('masks magics, shell, help and cell-magic lines without moving any offset', () => {
    const cases: [string, string][] = [
      ['%pip install transformers\nx = 1', '0                        \nx = 1'],
      ['  !pip install -q a \\\n    b\nx = 1', `  0${' '.repeat(18)}\n     \nx = 1`],
      ['files = !ls *.bin\nx = 1', 'files = 0        \nx = 1'],
      ['AutoModel?\n??pipeline\nx = 1', '0         \n0         \nx = 1'],
      ['%%time\nx = 1', '      \nx = 1'],
      ['%%bash\npython run.py --model org/x', `      \n${' '.repeat(27)}`],
      ['%%writefile app.py\nx = 1\r\ny = 2', '                  \n     \r\n     '],
      // A `%` inside brackets is a modulo, not a magic; `!=` is a comparison.
      ['y = (a\n     % b)\nz = a != b', 'y = (a\n     % b)\nz = a != b'],
    ];
    for (const [input, expected] of cases) {
      const masked = maskIPython(input);
      assert.equal(masked, expected, JSON.stringify(input));
      assert.equal(masked.length, input.length);
    }
  });

  it('finds loads after masked IPython lines, in %%time cells, and not in %%bash cells', async () => {
    const text = notebook([
      code(['%pip install transformers\n', '!nvidia-smi\n', 'from transformers import AutoModel\n', 'if True:\n', '    !echo inside a block\n', 'AutoModel?']),
      code('%%time\nm = AutoModel.from_pretrained("org/timed")'),
      code('%%bash\nhuggingface-cli download org/shell\nAutoModel.from_pretrained("org/bash")'),
    ]);
    const result = await analyze(text);
    assert.deepEqual(result.references.map((r) => [r.modelId, r.cell]), [['org/timed', 1]]);
    assert.equal(result.notes, undefined);
  });

  it('reads nbformat 3 (worksheets, code in "input")', async () => {
    const text = JSON.stringify({
      nbformat: 3,
      metadata: {},
      worksheets: [{ cells: [{ cell_type: 'heading', source: ['Title'] }, { cell_type: 'code', language: 'python', input: ['from transformers import AutoModel\n', 'AutoModel.from_pretrained("org/v3")'], outputs: [] }] }],
    });
    const result = await analyze(text);
    assert.deepEqual(result.references.map((r) => [r.modelId, r.cell]), [['org/v3', 1]]);
    const span = fileSpan(result.notebook!, text, result.references[0].idSpan)!;
    assert.equal(text.slice(span.start, span.end), '\\"org/v3\\"');
  });

  it('turns broken and foreign notebooks into one note each, never an exception', async () => {
    const cases: [string, RegExp][] = [
      ['{"cells": [', /^not scanned: the notebook is not valid JSON \(close bracket expected at line 1, column 12\)$/],
      // JSON.parse would quote the file, line breaks and all: the note stays one line.
      ['{"a": 1,\n "b": é\n}', /^not scanned: the notebook is not valid JSON \(invalid symbol at line 2, column 7\)$/],
      ['', /not valid JSON/],
      ['[1, 2]', /not a JSON object/],
      ['{"nbformat": 4}', /no "cells" list/],
      [notebook([code('library(x)')], { kernelspec: { language: 'R' } }), /a R notebook/],
      [notebook([code('x')], { language_info: { name: 'ju\nlia 1' } }), /^not scanned: a ju\?lia\?1 notebook; PTM Lens reads Python notebooks$/],
    ];
    for (const [text, message] of cases) {
      const result = await analyze(text);
      assert.deepEqual(result.references, []);
      assert.equal(result.notes?.length, 1, text);
      assert.match(result.notes![0].message, message);
    }
  });

  it('refuses code cells holding more text than a Python file may, with a note', async () => {
    const big = 'x = 1\n'.repeat(900_000);
    const result = await analyze(notebook([code('from transformers import AutoModel\nAutoModel.from_pretrained("org/x")'), code(big)]));
    assert.deepEqual(result.references, []);
    assert.deepEqual(result.notes?.map((n) => n.message), ['not scanned: its code cells hold more than 5 MB of text, the most PTM Lens reads']);
  });

  it('tolerates odd cell shapes: no source, numbers in the source list, non-object cells', async () => {
    const text = JSON.stringify({
      cells: [null, 7, { cell_type: 'code' }, { cell_type: 'code', source: ['from transformers import AutoModel\n', 5, 'AutoModel.from_pretrained("org/odd")'] }, { cell_type: 'code', source: { a: 'x' } }],
      metadata: {},
      nbformat: 4,
    });
    const result = await analyze(text);
    assert.deepEqual(result.references.map((r) => [r.modelId, r.cell]), [['org/odd', 3]]);
    assert.equal(result.notes, undefined);
  });

  it('keeps no file positions for a cell whose JSON has a duplicated source key (rather than wrong ones)', () => {
    const text = '{"cells": [{"cell_type": "code", "source": "a = 1", "source": "from transformers import AutoModel"}], "nbformat": 4}';
    const content = readNotebook(text);
    assert.equal(content.cells[0].source, 'from transformers import AutoModel');
    assert.deepEqual(content.cells[0].literals, []);
    assert.equal(fileSpan(notebookView(text), text, { start: 0, end: 4 }), undefined);
  });
});
