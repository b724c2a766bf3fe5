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

/** Where the findings are shown: advice names what that surface offers (a command, an environment variable). */
export type Surface = 'cli' | 'editor';

/**
 * `model`: the finding is about the model (it is reported once per model per file, at its first
 * reference, with the other references as related locations). `site`: about one call.
 */
export type RuleScope = 'model' | 'site';

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
  surface: Surface;
  /** Severity of findings about ids decided at run time (`unresolved-id-severity`). */
  unresolvedIdSeverity: Severity | 'off';
}

export interface RuleReport {
  message: string;
  /** Defaults to the id argument of the reference. */
  span?: Span;
  fixes?: FixData[];
  /** Replaces the rule's severity for this report (e.g. an id decided at run time); "off" drops it. */
  severity?: Severity | 'off';
}

export interface Rule {
  code: string;
  /** kebab-case name, e.g. "unpinned-revision". */
  name: string;
  title: string;
  defaultSeverity: Severity;
  scope: RuleScope;
  docs: RuleDocs;
  check(context: RuleContext): RuleReport[];
}
