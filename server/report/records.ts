// The CLI's JSON contract (docs/scan-output.schema.json): references and findings with
// 1-based lines and columns, paths relative to the scanned folder.
import type { Note } from '../core/notes';
import { cellRange, fileSpan } from '../core/notebook-view';
import { LineIndex } from '../core/positions';
import { sha256Hex } from '../core/sha256';
import type { Finding, ModelReference, Severity, Span } from '../core/types';
import type { FileResult } from '../engine/workspace';
import type { ScannedOnnxFile } from '../engine/onnx-file';

export const OUTPUT_VERSION = 1;

export interface Region {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Location extends Region {
  file: string;
  /** Notebooks: the cell (0-based among all cells); line and column count within it. */
  cell?: number;
  /** Notebooks: the same range in the .ipynb file's own text (its JSON), where SARIF points. */
  fileRegion?: Region;
}

export interface ReferenceRecord extends Location {
  modelId: string | null;
  writtenId?: string;
  unresolved?: string;
  unresolvedReason?: string;
  likelyPath?: boolean;
  idSource?: string;
  revision: string | null;
  language: string;
  loader: string;
  options: Record<string, string | boolean | number | null>;
}

export interface FindingRecord extends Location {
  code: string;
  severity: Severity;
  message: string;
  modelId: string | null;
  /** Stable across unrelated edits (the same value as SARIF partialFingerprints). */
  fingerprint: string;
  /** Model-level findings: the model's other references in the file. */
  related?: Location[];
  /** Findings on an .onnx file: the first node concerned, and all of them. */
  node?: string;
  nodes?: string[];
}

export interface ScanOutput {
  version: number;
  references: ReferenceRecord[];
  findings: FindingRecord[];
  /** What the user should know that is not a finding (DESIGN.md, Contracts: Notes). */
  notes: Note[];
}

/** Span -> location in one file; notebooks count lines within the cell and add the range in the file. */
type Locate = (span: Span) => Location;

function locator(result: FileResult): Locate {
  const file = result.relativePath;
  const lines = new LineIndex(result.text);
  const region = (start: number, end: number): Region => {
    const from = lines.positionAt(start);
    const to = lines.positionAt(end);
    return { line: from.line + 1, column: from.character + 1, endLine: to.line + 1, endColumn: to.character + 1 };
  };
  const notebook = result.notebook;
  if (!notebook) return (span) => ({ file, ...region(span.start, span.end) });
  return (span) => {
    const range = cellRange(notebook, span);
    const inFile = fileSpan(notebook, result.text, span);
    if (!range) return { file, ...region(0, 0) };
    return {
      file,
      cell: range.cell,
      line: range.start.line + 1,
      column: range.start.character + 1,
      endLine: range.end.line + 1,
      endColumn: range.end.character + 1,
      ...(inFile ? { fileRegion: region(inFile.start, inFile.end) } : {}),
    };
  };
}

/** Option values as the code states them: the constant when known, else the expression text. */
function optionValues(reference: ModelReference): Record<string, string | boolean | number | null> {
  return Object.fromEntries(Object.entries(reference.options).map(([key, arg]) => [key, arg.resolved ? arg.value! : arg.text]));
}

export function toScanOutput(results: FileResult[], notes: readonly Note[] = [], onnxFiles: readonly ScannedOnnxFile[] = []): ScanOutput {
  const output: ScanOutput = { version: OUTPUT_VERSION, references: [], findings: [], notes: notes.map(noteRecord) };
  const occurrences = new Map<string, number>();
  for (const result of results) {
    // Most files load nothing: no lines to index (nor a never-decoded file's text to read).
    if (!result.references.length && !result.findings.length) continue;
    const locate = locator(result);
    for (const reference of result.references) output.references.push(referenceRecord(locate, reference));
    for (const finding of result.findings) output.findings.push(findingRecord(result.relativePath, locate, finding, occurrences));
  }
  // A binary file has no lines: its findings sit at the first one and name their nodes.
  for (const file of onnxFiles) {
    for (const finding of file.findings) {
      output.findings.push({
        code: finding.code,
        severity: finding.severity,
        message: finding.message,
        modelId: null,
        file: file.relativePath,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        fingerprint: finding.fingerprint,
        ...(finding.nodes.length ? { node: finding.nodes[0], nodes: finding.nodes } : {}),
      });
    }
  }
  return output;
}

/** Only the contract's fields, in its order. */
function noteRecord(note: Note): Note {
  return { level: note.level, message: note.message, ...(note.file ? { file: note.file } : {}) };
}

/** Rule, file, model and the n-th occurrence of that triple; not the line, so edits above it keep it. */
function fingerprint(code: string, file: string, modelId: string | null, occurrences: Map<string, number>): string {
  const key = `${code}|${file}|${modelId ?? ''}`;
  const occurrence = (occurrences.get(key) ?? 0) + 1;
  occurrences.set(key, occurrence);
  return sha256Hex(`${key}|${occurrence}`).slice(0, 32);
}

function referenceRecord(locate: Locate, reference: ModelReference): ReferenceRecord {
  const revision = reference.revision;
  return {
    modelId: reference.modelId,
    ...(reference.writtenId !== undefined ? { writtenId: reference.writtenId } : {}),
    ...(reference.unresolved !== undefined ? { unresolved: reference.unresolved } : {}),
    ...(reference.unresolvedReason !== undefined ? { unresolvedReason: reference.unresolvedReason } : {}),
    ...(reference.likelyPath ? { likelyPath: true } : {}),
    ...(reference.idSource ? { idSource: reference.idSource } : {}),
    revision: revision ? (revision.resolved ? String(revision.value) : revision.text) : null,
    ...locate(reference.idSpan),
    language: reference.language,
    loader: reference.loader,
    options: optionValues(reference),
  };
}

function findingRecord(file: string, locate: Locate, finding: Finding, occurrences: Map<string, number>): FindingRecord {
  return {
    code: finding.code,
    severity: finding.severity,
    message: finding.message,
    modelId: finding.modelId,
    ...locate(finding.span),
    fingerprint: fingerprint(finding.code, file, finding.modelId, occurrences),
    ...(finding.related?.length ? { related: finding.related.map(locate) } : {}),
  };
}
