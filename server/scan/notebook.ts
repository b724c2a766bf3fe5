// Jupyter notebooks: the code cells, in order, read as one Python module (as the kernel runs
// them, so a constant from an earlier cell resolves in a later one), with IPython syntax masked
// without moving any offset. The Python scanner reads that module; NotebookView maps its spans
// back to cells and to the .ipynb text.
import type { NotebookCellSpan, NotebookView } from '../core/notebook-view';
import { readNotebook, type NotebookCell } from './notebook-json';
import { maskIPython } from './notebook-magics';
import { UnscannableFile } from './python';

/** The file may be larger (outputs are not read), but its code no larger than a Python file may be. */
export const MAX_CODE_CHARS = 5 * 1024 * 1024;

/** Kernel languages read as Python (an R or Julia notebook is not). */
const PYTHON_LANGUAGES = /^(?:python|ipython)\d*$/i;

/** The Python module of a notebook file's text; throws UnscannableFile when it is not a Python notebook. */
export function notebookView(text: string): NotebookView {
  const notebook = readNotebook(text);
  if (notebook.language && !PYTHON_LANGUAGES.test(notebook.language)) {
    // The name comes from the file: kept to one short line of plain characters.
    const language = notebook.language.slice(0, 40).replace(/[^\w+.#-]/g, '?');
    throw new UnscannableFile(`a ${language} notebook; PTM Lens reads Python notebooks`);
  }
  const view = moduleOf(notebook.cells);
  if (view.text.length > MAX_CODE_CHARS) throw new UnscannableFile(`its code cells hold more than ${MAX_CODE_CHARS / 1024 / 1024} MB of text, the most PTM Lens reads`);
  return view;
}

/** Joins code cells into one module, each masked and followed by a line break. */
export function moduleOf(cells: readonly NotebookCell[]): NotebookView {
  const parts: string[] = [];
  const spans: NotebookCellSpan[] = [];
  let start = 0;
  for (const cell of cells) {
    if (!cell.code) continue;
    const masked = maskIPython(cell.source);
    spans.push({ index: cell.index, start, length: masked.length, literals: cell.literals });
    parts.push(masked, '\n');
    start += masked.length + 1;
  }
  return { text: parts.join(''), cells: spans };
}
