// The shape every rule module has: identity, default severity, its documentation
// (the single source of the docs pages) and one check over a model reference.
import type { FixData, ModelReference, Severity, Span } from '../core/types';
import type { Thresholds } from '../config/settings';
import type { ModelFacts } from '../core/model-facts';
import type { ProjectFacts } from '../core/project-facts';

export interface RuleDocs {
  /** What it does: one or two sentences. */
  what: string;
  /** Why is this bad? */
  why: string;
  /** Python code that triggers the rule. */
  example: string;
  /** The same code, fixed. */
  useInstead: string;
  /** What the quick fix changes and whether it is safe to apply blindly. */
  fixSafety: string;
}

export interface RuleContext {
  reference: ModelReference;
  /** Full text of the scanned file (or notebook cell). */
  text: string;
  /** The commit the local Hugging Face cache holds for a model's main branch, if any. */
  localCommit(modelId: string): string | undefined;
  /** What the Hub says about the model; absent when lookups are off or the id is unresolved. */
  facts?: ModelFacts;
  thresholds: Thresholds;
  /** The project's license and intended use (license rules); absent when not gathered. */
  project?: ProjectFacts;
  /** Milliseconds since the epoch (injected so tests are repeatable). */
  now: number;
}

export interface RuleReport {
  message: string;
  /** Defaults to the id argument of the reference. */
  span?: Span;
  fixes?: FixData[];
  /** A lower severity for this report (e.g. PTM302 when the intended use is not known); a user's setting wins. */
  severity?: Severity;
}

export interface Rule {
  code: string;
  /** kebab-case name, e.g. "unpinned-revision". */
  name: string;
  title: string;
  defaultSeverity: Severity;
  docs: RuleDocs;
  check(context: RuleContext): RuleReport[];
}
