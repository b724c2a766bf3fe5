// Reads the cells of a Jupyter notebook file (nbformat 4, and 3's worksheets): each cell's kind,
// its source, and where that source sits in the file's JSON text.
import { printParseErrorCode, visit, type JSONPath } from 'jsonc-parser';
import { UnscannableFile } from './python';

export interface NotebookCell {
  /** 0-based index among all cells, markdown included. */
  index: number;
  /** True for a code cell (the only kind that runs). */
  code: boolean;
  source: string;
  /** The source's JSON string literals as [offset, length] in the file text, quotes included. */
  literals: [number, number][];
}

export interface NotebookContent {
  cells: NotebookCell[];
  /** The kernel's language, when the notebook names one. */
  language?: string;
}

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The cells of a notebook; throws UnscannableFile (a note, not a crash) for anything that is not a notebook. */
export function readNotebook(text: string): NotebookContent {
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UnscannableFile(`the notebook is not valid JSON (${firstSyntaxError(text)})`);
  }
  if (!isObject(json)) throw new UnscannableFile('the notebook is not a JSON object');
  const { list, path } = cellList(json);
  if (!list) throw new UnscannableFile('the notebook has no "cells" list (not nbformat 3 or 4)');
  const language = kernelLanguage(json);
  const cells: NotebookCell[] = list.map((cell, index) => {
    const raw = isObject(cell) ? (path === 'cells' ? cell.source : (cell.input ?? cell.source)) : undefined;
    const source = typeof raw === 'string' ? raw : Array.isArray(raw) ? raw.filter((part) => typeof part === 'string').join('') : '';
    return { index, code: isObject(cell) && cell.cell_type === 'code', source, literals: [] };
  });
  attachLiterals(text, cells, path);
  return { cells, ...(language ? { language } : {}) };
}

/** nbformat 4 keeps cells at the top; nbformat 3 in worksheets (read in order, numbered across them). */
function cellList(json: Record<string, Json>): { list?: Json[]; path: 'cells' | 'worksheets' } {
  if (Array.isArray(json.cells)) return { list: json.cells, path: 'cells' };
  if (Array.isArray(json.worksheets)) {
    const list = json.worksheets.flatMap((sheet) => (isObject(sheet) && Array.isArray(sheet.cells) ? sheet.cells : []));
    return { list, path: 'worksheets' };
  }
  return { path: 'cells' };
}

function kernelLanguage(json: Record<string, Json>): string | undefined {
  const metadata = isObject(json.metadata) ? json.metadata : {};
  const info = isObject(metadata.language_info) ? metadata.language_info.name : undefined;
  const kernel = isObject(metadata.kernelspec) ? metadata.kernelspec.language : undefined;
  const language = typeof info === 'string' ? info : typeof kernel === 'string' ? kernel : metadata.language;
  return typeof language === 'string' && language ? language : undefined;
}

/**
 * Finds each cell's source literals in the text. A cell whose literals do not spell its source
 * exactly (a duplicated key, which JSON.parse resolves to the last) keeps none: its positions in
 * the file are then unknown rather than wrong.
 */
function attachLiterals(text: string, cells: NotebookCell[], layout: 'cells' | 'worksheets'): void {
  const found = new Map<number, { literals: [number, number][]; values: string[] }>();
  let failed = false;
  try {
    visit(
      text,
      {
        onLiteralValue(value, offset, length, _line, _character, pathSupplier) {
          if (typeof value !== 'string') return;
          const index = sourceCell(pathSupplier(), layout);
          if (index === undefined) return;
          const entry = found.get(index) ?? { literals: [], values: [] };
          entry.literals.push([offset, length]);
          entry.values.push(value);
          found.set(index, entry);
        },
      },
      { disallowComments: true },
    );
  } catch {
    // Nested too deeply for the visitor's recursion: positions in the file stay unknown.
    failed = true;
  }
  if (failed) return;
  for (const [index, entry] of found) {
    const cell = cells[index];
    if (cell && entry.values.join('') === cell.source) cell.literals = entry.literals;
  }
}

/**
 * The cell index when `path` is a source string (or one of its list items), else undefined.
 * nbformat 3 notebooks have one worksheet in practice: cells of later ones keep no positions.
 */
function sourceCell(path: JSONPath, layout: 'cells' | 'worksheets'): number | undefined {
  if (layout === 'cells') {
    if (path[0] !== 'cells' || typeof path[1] !== 'number' || path[2] !== 'source' || path.length > 4) return undefined;
    return path[1];
  }
  if (path[0] !== 'worksheets' || path[1] !== 0 || path[2] !== 'cells' || typeof path[3] !== 'number') return undefined;
  if ((path[4] !== 'input' && path[4] !== 'source') || path.length > 6) return undefined;
  return path[3];
}

/**
 * Where the JSON first goes wrong, as one short line ("comma expected at line 3, column 7").
 * JSON.parse's own message may quote the file, line breaks included: never shown.
 */
function firstSyntaxError(text: string): string {
  let found: string | undefined;
  try {
    visit(
      text,
      {
        onError(code, _offset, _length, line, character) {
          found ??= `${printParseErrorCode(code).replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase()} at line ${line + 1}, column ${character + 1}`;
        },
      },
      { disallowComments: true },
    );
  } catch {
    // Nested too deeply to walk: no position to give.
  }
  return found ?? (text.trim() ? 'a syntax error' : 'the file is empty');
}
