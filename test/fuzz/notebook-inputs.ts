// Notebook text for the fuzzer: nbformat 4 and 3 documents whose code cells are generated Python
// with IPython syntax mixed in (magics, shell and help lines, cell magics), odd cell shapes
// (no source, numbers in a source list, cells that are not objects, duplicated keys), unicode
// and every line ending, pretty-printed or not, then sometimes broken (cut short, a character
// flipped, a bracket dropped). And the check that every range lands inside its cell and file.
import fc from 'fast-check';
import { cellRange, fileSpan } from '../../server/core/notebook-view';
import type { Span } from '../../server/core/types';
import type { FileAnalysis } from '../../server/engine/analyze';
import { generatedPython } from './python-inputs';

const lineBreak = fc.constantFrom('\n', '\n', '\r\n', '\r');
const ipythonLine = fc.constantFrom(
  '%pip install transformers', '!pip install -q torch \\', '  !echo inside', 'files = !ls *.bin', 'x = %who_ls', '%matplotlib inline',
  'AutoModel?', '??pipeline', 'model.from_pretrained??', '%%time', '%', '!', '?', '%%', 'y = (a\n  % b)', 'a != b', '# %pip in a comment',
);
const cellMagic = fc.constantFrom('', '', '', '%%time\n', '%%timeit -n1\n', '%%capture out\n', '%%bash\n', '%%writefile app.py\n', '%%sh\n', '%%html\n', '%%\n', '%%time');

/** A code cell's source: generated Python with IPython lines woven in. */
const codeSource = fc
  .tuple(cellMagic, fc.array(fc.oneof(generatedPython, ipythonLine), { minLength: 0, maxLength: 4 }), lineBreak)
  .map(([magic, parts, br]) => magic + parts.join(br).replace(/\n/g, br));

/** `source` as Jupyter writes it (a list of lines), as one string, or something odd. */
const sourceValue = (text: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant<unknown>(text.split(/(?<=\n)/)) },
    { weight: 4, arbitrary: fc.constant<unknown>(text) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>([text, 5, null], { text }, 7, null) },
  );

const markdownCell = fc.constantFrom<unknown>(
  { cell_type: 'markdown', metadata: {}, source: ['# Title ✓\n', 'Loads `AutoModel.from_pretrained("org/x")`'] },
  { cell_type: 'raw', metadata: {}, source: 'from transformers import AutoModel\nAutoModel.from_pretrained("org/raw")' },
  { cell_type: 'heading', level: 1, source: ['Old heading'] },
);

/** Cells that surely load something, so spans are mapped in most notebooks (generated Python rarely imports and calls together). */
const loadSource = fc
  .tuple(
    fc.constantFrom(
      'from transformers import AutoModel, pipeline\nMODEL = "org/model"\n',
      'from transformers import AutoModel\nm = AutoModel.from_pretrained("org/self")  # ünï\n',
      'from huggingface_hub import hf_hub_download\r\n%pip install x\r\npath = hf_hub_download(repo_id="org/file", filename="w.bin")',
      'import transformers as tf  # é 😀\n',
      'm = AutoModel.from_pretrained(MODEL, revision="main")\n',
      '%%time\np = pipeline("fill-mask", model="google-bert/bert-base-uncased", trust_remote_code=True)',
      '  !pip install x\nx = tf.AutoModel.from_pretrained(\n    "org/other",  # 😀\n)\n',
      'AutoModel.from_pretrained(MODEL',
      ')\nAutoModel.from_pretrained("org/after-unclosed")',
    ),
    lineBreak,
  )
  .map(([text, br]) => text.replace(/\n/g, br));

const codeCell = fc.oneof(codeSource, loadSource).chain((text) =>
  fc.tuple(sourceValue(text), fc.boolean()).map(([source, v3]) => (v3 ? { cell_type: 'code', input: source, outputs: [] } : { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source })),
);

const oddCell = fc.constantFrom<unknown>(null, 7, 'cell', [], {}, { cell_type: 'code' }, { cell_type: 'code', source: [] }, { cell_type: 42, source: 'x' });

const metadata = fc.constantFrom<unknown>(
  {},
  { kernelspec: { language: 'python', name: 'python3' } },
  { language_info: { name: 'python' } },
  { kernelspec: { language: 'R' } },
  { language_info: { name: 7 } },
  null,
);

const document = fc
  .tuple(fc.array(fc.oneof({ weight: 6, arbitrary: codeCell }, { weight: 2, arbitrary: markdownCell }, { weight: 1, arbitrary: oddCell }), { maxLength: 6 }), metadata, fc.constantFrom('cells', 'cells', 'cells', 'worksheets', 'none'))
  .map(([cells, meta, layout]) => {
    if (layout === 'worksheets') return { nbformat: 3, metadata: meta, worksheets: [{ cells }] };
    if (layout === 'none') return { nbformat: 4, metadata: meta };
    return { cells, metadata: meta, nbformat: 4, nbformat_minor: 5 };
  });

/** Serialised as Jupyter does (indent 1), compact, with CRLF, or with ASCII-only escapes. */
const serialised = fc.tuple(document, fc.constantFrom(0, 1, 2, 3)).map(([doc, style]) => {
  if (style === 0) return JSON.stringify(doc);
  if (style === 1) return JSON.stringify(doc, null, 1) + '\n';
  if (style === 2) return JSON.stringify(doc, null, 2).replace(/\n/g, '\r\n');
  return JSON.stringify(doc, null, 1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
});

/** Breaks a valid document: cut short, a character replaced, a duplicated source key, a nested bomb. */
const broken = fc.tuple(serialised, fc.nat(), fc.constantFrom('', '"', '{', ']', '\\', '\u0000', ',', 'é')).map(([text, at, c]) => {
  const i = text.length ? at % text.length : 0;
  return [text.slice(0, i), text.slice(0, i) + c + text.slice(i + 1), text.replace('"source": ', '"source": "x = 1", "source": '), '['.repeat(5000) + ']'.repeat(5000)][at % 4];
});

export const notebookText: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: serialised }, { weight: 1, arbitrary: broken });

/** Notes a notebook may legitimately get (not one, not a notebook, another kernel language). */
export const EXPECTED_NOTEBOOK_NOTE = /^not scanned: (the notebook is not valid JSON \([a-z ]+( at line \d+, column \d+)?\)|the notebook is not a JSON object|the notebook has no "cells" list \(not nbformat 3 or 4\)|an? \S+ notebook; PTM Lens reads Python notebooks)$/;

/** Every span of a notebook analysis lies in the module, maps into one cell's lines, and into the file. */
export function checkNotebookRanges(text: string, analysis: FileAnalysis): void {
  const view = analysis.notebook;
  if (!view) {
    if (analysis.references.length) throw new Error('references in a notebook without its module');
    return;
  }
  const check = (span: Span, what: string) => {
    const range = cellRange(view, span);
    if (!range) throw new Error(`${what} ${JSON.stringify(span)} maps to no cell`);
    const cell = view.cells[range.slot];
    const lines = view.text.slice(cell.start, cell.start + cell.length).split(/\r\n?|\n/);
    for (const position of [range.start, range.end]) {
      if (position.line >= lines.length || position.character > lines[position.line].length) throw new Error(`${what} ${JSON.stringify(span)} maps outside cell ${range.cell}`);
    }
    if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) throw new Error(`${what} maps to a reversed range`);
    const inFile = fileSpan(view, text, span);
    if (inFile && !(inFile.start >= 0 && inFile.start <= inFile.end && inFile.end <= text.length)) throw new Error(`${what} maps outside the file: ${JSON.stringify(inFile)}`);
  };
  for (const reference of analysis.references) {
    check(reference.idSpan, 'idSpan');
    if (reference.cell !== view.cells[cellRange(view, reference.idSpan)!.slot].index) throw new Error('reference.cell is not the cell of its id');
  }
  for (const finding of analysis.findings) {
    check(finding.span, `${finding.code} span`);
    for (const related of finding.related ?? []) check(related, 'related span');
  }
}
