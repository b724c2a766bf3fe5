// Messages between the language server and its analysis workers.
import type { ProjectFacts } from '../core/project-facts';
import type { ModelFacts } from '../core/model-facts';
import type { RuleSettings } from '../config/settings';
import type { FileResult } from '../engine/workspace';
import type { SymbolsLearnt, WorkspaceSymbols } from '../scan/workspace-symbols';

export interface AnalysisRequest {
  /** Folder that relative paths and globs are measured from. */
  root: string;
  file: string;
  /** The open document's text; absent means read the file from disk. */
  text?: string;
  settings: RuleSettings;
  /** The folder's license and intended use, for the license rules. */
  project?: ProjectFacts;
  /** Only what the file adds to the workspace index is wanted (no Hub facts are asked for). */
  symbolsOnly?: boolean;
}

/**
 * What an analysis gives: the result, or why the file was skipped; with the folder's
 * workspace index, also what the file adds to it (its wrappers and wrapper calls).
 */
export type AnalysisOutcome = ({ result: FileResult } | { skipped: string }) & { symbols?: SymbolsLearnt; textLeftOut?: TextLeftOut };

/**
 * A file read from disk with nothing to show keeps its text on the worker (the result's text is
 * empty): the server needs only its length and, for a Python file, what it adds to the index.
 */
export interface TextLeftOut {
  chars: number;
  /** symbolSkeleton of the text (Python files only). */
  skeleton?: string;
}

export type ToWorker =
  | { type: 'analyze'; job: number; request: AnalysisRequest }
  | { type: 'facts'; call: number; facts?: ModelFacts }
  /** The folder's workspace index, sent once per change (not with every request). */
  | { type: 'workspace'; root: string; symbols: WorkspaceSymbols };

export type FromWorker =
  | { type: 'facts'; call: number; modelId: string; revision?: string }
  | { type: 'done'; job: number; outcome: AnalysisOutcome }
  | { type: 'failed'; job: number; message: string };
