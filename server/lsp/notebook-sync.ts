// Open Jupyter notebooks (LSP notebook document sync). An open notebook is analysed like its
// file: its cells are written out as a small nbformat 4 document (each cell's URI in its
// metadata) and that text goes through the engine, keyed by the notebook's URI. Results are
// then cut per cell: every cell URI gets its own diagnostics, and hovers and code actions on a
// cell read a cell-sized view of the analysis. The notebook's file on disk is then not reported
// as well (no duplicates); when it is not open, its problems point into the .ipynb text.
import { NotebookCellKind, NotebookDocuments, type Connection, type NotebookDocument } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { cellSlotAt, fileSpan, type NotebookView } from '../core/notebook-view';
import { LineIndex } from '../core/positions';
import type { Finding, ModelReference, Span } from '../core/types';
import type { AnalysisEntry } from './document-analyses';

/** Notebook types whose code cells are read as Python. */
export const NOTEBOOK_SELECTOR = [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }];

export class NotebookSync {
  readonly notebooks = new NotebookDocuments(TextDocument);
  /** Cell URIs that were sent diagnostics, per notebook, so removed cells and closed notebooks are cleared. */
  private readonly published = new Map<string, Set<string>>();

  listen(connection: Connection): void {
    this.notebooks.listen(connection);
  }

  isOpen(uri: string): boolean {
    return this.notebooks.getNotebookDocument(uri) !== undefined;
  }

  openUris(): string[] {
    return [...this.openNotebooks()].map((notebook) => notebook.uri);
  }

  /** The open notebook a cell document belongs to. */
  notebookOfCell(cellUri: string): NotebookDocument | undefined {
    return this.notebooks.findNotebookDocumentForCell(cellUri);
  }

  /** The version of an open cell document (what edits to it must name). */
  cellVersion(cellUri: string): number | undefined {
    const cell = this.notebooks.getNotebookCell(cellUri);
    return cell ? this.notebooks.getCellTextDocument(cell)?.version : undefined;
  }

  /** The text an open notebook is analysed as: nbformat 4 JSON of its cells, each cell's URI in its metadata. */
  serialize(notebook: NotebookDocument): string {
    const cells = notebook.cells.map((cell) => {
      const document = this.notebooks.getCellTextDocument(cell);
      const python = cell.kind === NotebookCellKind.Code && (document?.languageId ?? 'python') === 'python';
      return { cell_type: python ? 'code' : 'raw', metadata: { uri: cell.document }, source: python ? (document?.getText() ?? '') : '' };
    });
    return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
  }

  /** The notebook's text when it is open (undefined otherwise). */
  openText(uri: string): string | undefined {
    const notebook = this.notebooks.getNotebookDocument(uri);
    return notebook ? this.serialize(notebook) : undefined;
  }

  /** Publishes an open notebook's analysis on its cells; the file URI itself is cleared. */
  publishCells(entry: AnalysisEntry, send: (uri: string, version: number | undefined, entry: AnalysisEntry | undefined) => void): void {
    const uris = cellUris(entry.text);
    const sent = new Set<string>();
    for (const uri of uris) {
      if (!uri || sent.has(uri)) continue;
      sent.add(uri);
      const version = this.cellVersion(uri);
      send(uri, version, cellEntry(entry, uri, version));
    }
    for (const uri of this.published.get(entry.uri) ?? []) if (!sent.has(uri)) send(uri, undefined, undefined);
    this.published.set(entry.uri, sent);
    send(entry.uri, undefined, undefined);
  }

  /** Cell URIs that were sent diagnostics for a notebook that has just closed. */
  takePublished(uri: string): string[] {
    const uris = [...(this.published.get(uri) ?? [])];
    this.published.delete(uri);
    return uris;
  }

  private *openNotebooks(): Iterable<NotebookDocument> {
    const seen = new Set<string>();
    for (const document of this.notebooks.cellTextDocuments.all()) {
      const notebook = this.notebooks.findNotebookDocumentForCell(document.uri);
      if (notebook && !seen.has(notebook.uri)) {
        seen.add(notebook.uri);
        yield notebook;
      }
    }
  }
}

/** The last text read by cellUris: publishing a notebook asks once per cell. */
let lastUris: { text: string; uris: string[] } | undefined;

/** The cell URIs of a serialized open notebook, by cell index (empty strings for text from disk). */
export function cellUris(text: string): string[] {
  if (lastUris?.text === text) return lastUris.uris;
  let uris: string[];
  try {
    const cells = (JSON.parse(text) as { cells?: { metadata?: { uri?: unknown } }[] }).cells ?? [];
    uris = Array.isArray(cells) ? cells.map((cell) => (typeof cell?.metadata?.uri === 'string' ? cell.metadata.uri : '')) : [];
  } catch {
    uris = [];
  }
  lastUris = { text, uris };
  return uris;
}

/**
 * The part of a notebook analysis that falls in one cell, as an entry of its own: the cell's text,
 * and findings, references and fix edits moved to offsets in the cell (edits in other cells are
 * left out). Undefined when the analysis has no such cell.
 */
export function cellEntry(entry: AnalysisEntry, cellUri: string, version = entry.version): AnalysisEntry | undefined {
  const view = entry.notebook;
  if (!view) return undefined;
  const uris = cellUris(entry.text);
  const slot = view.cells.findIndex((cell) => uris[cell.index] === cellUri);
  if (slot < 0) return undefined;
  const cell = view.cells[slot];
  const inCell = (span: Span) => cellSlotAt(view, span.start) === slot;
  const move = (span: Span): Span => ({ start: span.start - cell.start, end: Math.min(span.end, cell.start + cell.length) - cell.start });
  const text = view.text.slice(cell.start, cell.start + cell.length);
  const references = entry.references.filter((r) => inCell(r.idSpan)).map((r) => moveReference(r, move));
  const findings = entry.findings
    .filter((f) => inCell(f.span))
    .map((f) => ({
      ...f,
      span: move(f.span),
      reference: moveReference(f.reference, move),
      ...(f.related ? { related: f.related.filter(inCell).map(move) } : {}),
      fixes: f.fixes.map((fix) => ({ ...fix, edits: fix.edits.filter((e) => inCell(e.span)).map((e) => ({ ...e, span: move(e.span) })) })).filter((fix) => fix.edits.length),
    }));
  const { notebook: _notebook, ...rest } = entry;
  return { ...rest, uri: cellUri, version, text, lines: new LineIndex(text), references, findings, notes: undefined };
}

/**
 * A notebook analysed from disk, for its file URI: spans moved into the .ipynb text (where the
 * Problems panel points), fixes dropped (they edit cell text, not JSON).
 */
export function fileEntry(entry: AnalysisEntry): AnalysisEntry {
  const view: NotebookView | undefined = entry.notebook;
  if (!view) return entry;
  const move = (span: Span): Span => fileSpan(view, entry.text, span) ?? { start: 0, end: 0 };
  return {
    ...entry,
    references: entry.references.map((r) => moveReference(r, move)),
    findings: entry.findings.map((f): Finding => ({ ...f, span: move(f.span), reference: moveReference(f.reference, move), ...(f.related ? { related: f.related.map(move) } : {}), fixes: [] })),
  };
}

function moveReference(reference: ModelReference, move: (span: Span) => Span): ModelReference {
  const moveArg = <T extends { span: Span } | undefined>(arg: T): T => (arg ? { ...arg, span: move(arg.span) } : arg);
  const callSpan = move(reference.callSpan);
  return {
    ...reference,
    idSpan: move(reference.idSpan),
    callSpan,
    argsEnd: move({ start: reference.argsEnd, end: reference.argsEnd }).start,
    revision: moveArg(reference.revision),
    options: Object.fromEntries(Object.entries(reference.options).map(([key, arg]) => [key, moveArg(arg)])),
  };
}
