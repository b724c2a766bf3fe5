// Messages between the language server and its analysis workers.
import type { ProjectFacts } from '../core/project-facts';
import type { ModelFacts } from '../core/model-facts';
import type { RuleSettings } from '../config/settings';
import type { FileResult } from '../engine/workspace';

export interface AnalysisRequest {
  /** Folder that relative paths and globs are measured from. */
  root: string;
  file: string;
  /** The open document's text; absent means read the file from disk. */
  text?: string;
  settings: RuleSettings;
  /** The folder's license and intended use, for the license rules. */
  project?: ProjectFacts;
}

/** What an analysis gives: the result, or why the file was skipped. */
export type AnalysisOutcome = { result: FileResult } | { skipped: string };

export type ToWorker =
  | { type: 'analyze'; job: number; request: AnalysisRequest }
  | { type: 'facts'; call: number; facts?: ModelFacts };

export type FromWorker =
  | { type: 'facts'; call: number; modelId: string; revision?: string }
  | { type: 'done'; job: number; outcome: AnalysisOutcome }
  | { type: 'failed'; job: number; message: string };
