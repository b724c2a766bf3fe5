// A notebook's code cells read as one Python module, and the way back from an offset in that
// module to a cell (and a line within it) and to the notebook file's own text. Plain data, so
// it crosses worker threads with the rest of an analysis.
import { LineIndex, type Position } from './positions';
import type { Span } from './types';

export interface NotebookView {
  /** The code cells in notebook order, IPython syntax masked, each followed by "\n": the text the spans index. */
  text: string;
  /** The code cells, in order (markdown and raw cells have no place in `text`). */
  cells: NotebookCellSpan[];
}

export interface NotebookCellSpan {
  /** 0-based index among all cells of the notebook, markdown included (the JSON `cell`). */
  index: number;
  /** Where the cell's source starts in the view's text. */
  start: number;
  /** Length of the cell's source (the "\n" joining it to the next cell not counted). */
  length: number;
  /**
   * The JSON string literals the source was read from, as [offset, length] in the .ipynb text
   * (quotes included), in order. Empty when the source did not come from a file (an open notebook).
   */
  literals: [number, number][];
}

/** A range inside one cell: zero-based line and character within the cell's source. */
export interface CellRange {
  /** Position of the cell in NotebookView.cells. */
  slot: number;
  cell: number;
  start: Position;
  end: Position;
}

/** The code cell holding `offset` (the last cell for an offset past the end); undefined without code cells. */
export function cellSlotAt(view: NotebookView, offset: number): number | undefined {
  if (!view.cells.length) return undefined;
  let low = 0;
  let high = view.cells.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (view.cells[mid].start <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

const cellLines = new WeakMap<NotebookView, Map<number, LineIndex>>();

/** Line index of one cell's source (cached per view). */
export function cellLineIndex(view: NotebookView, slot: number): LineIndex {
  let byCell = cellLines.get(view);
  if (!byCell) cellLines.set(view, (byCell = new Map()));
  let lines = byCell.get(slot);
  if (!lines) {
    const cell = view.cells[slot];
    byCell.set(slot, (lines = new LineIndex(view.text.slice(cell.start, cell.start + cell.length))));
  }
  return lines;
}

/**
 * A span of the view as a range in one cell: the cell of its start. A span running on into the
 * next cell (an unclosed bracket) ends at the end of its first cell, so it never leaves the cell.
 */
export function cellRange(view: NotebookView, span: Span): CellRange | undefined {
  const slot = cellSlotAt(view, span.start);
  if (slot === undefined) return undefined;
  const cell = view.cells[slot];
  const clamp = (offset: number) => Math.max(0, Math.min(offset - cell.start, cell.length));
  const lines = cellLineIndex(view, slot);
  // An offset between the CR and LF of a line break (the parser's recovery can end a node there)
  // is the end of its line: a position never points past its line.
  const position = (offset: number) => {
    const at = lines.positionAt(offset);
    return { line: at.line, character: Math.min(at.character, lines.lineEnd(at.line) - lines.lineStart(at.line)) };
  };
  const start = clamp(span.start);
  return { slot, cell: cell.index, start: position(start), end: position(Math.max(start, clamp(span.end))) };
}

/** The view offset of a position in a cell (the inverse of cellRange), clamped to the cell. */
export function viewOffset(view: NotebookView, slot: number, position: Position): number {
  const cell = view.cells[slot];
  return cell.start + Math.min(cellLineIndex(view, slot).offsetAt(position), cell.length);
}

/**
 * Where a view span sits in the .ipynb file's own text (`fileText`, the JSON the view was read
 * from), or undefined when the cell's literals are not known.
 */
export function fileSpan(view: NotebookView, fileText: string, span: Span): Span | undefined {
  const range = cellRange(view, span);
  if (!range) return undefined;
  const cell = view.cells[range.slot];
  const start = Math.max(0, Math.min(span.start - cell.start, cell.length));
  const end = Math.max(start, Math.min(span.end - cell.start, cell.length));
  const from = fileOffset(cell, fileText, start, false);
  const to = end === start ? from : fileOffset(cell, fileText, end, true);
  return from === undefined || to === undefined ? undefined : { start: from, end: to };
}

/**
 * The file offset of the `target`-th UTF-16 unit of a cell's source, walking its JSON literals
 * and counting an escape (`\n`, `\"`, `\u00e9`) as the one unit it stands for. An end offset
 * maps to just after the unit before it, so a range never spills into the next literal.
 */
function fileOffset(cell: NotebookCellSpan, fileText: string, target: number, isEnd: boolean): number | undefined {
  if (!cell.literals.length) return undefined;
  let decoded = 0;
  let last = cell.literals[0][0] + 1;
  for (const [offset, length] of cell.literals) {
    const stop = offset + length - 1; // the closing quote
    for (let raw = offset + 1; raw < stop; ) {
      if (decoded === target && !(isEnd && decoded > 0)) return raw;
      const width = fileText[raw] !== '\\' ? 1 : fileText[raw + 1] === 'u' ? 6 : 2;
      raw = Math.min(raw + width, stop);
      decoded++;
      last = raw;
      if (isEnd && decoded === target) return raw;
    }
  }
  return last;
}
