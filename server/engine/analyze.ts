// One file through the pipeline: scan -> rules -> settings and suppressions.
import type { Note } from '../core/notes';
import type { Finding, ModelReference } from '../core/types';
import { isSuppressed } from '../core/suppressions';
import { effectiveSeverity, type RuleSettings } from '../config/settings';
import { RULES } from '../rules';
import type { Surface } from '../rules/rule';
import { fileKindOf } from '../scan/file-kinds';
import type { ScanOptions } from '../scan/python';
import type { FactsProvider, ModelFacts } from '../core/model-facts';
import { pinnedRevision, referenceFactsKey as factsKey } from './model-facts';
import type { ProjectFacts } from '../core/project-facts';
import { factNotes } from './fact-notes';
import { cellSlotAt, type NotebookView } from '../core/notebook-view';
import type { WorkspaceSymbols } from '../scan/workspace-symbols';
import type { IncrementalScans } from '../scan/incremental-scan';

export interface AnalysisContext {
  /** Path relative to the project root, "/" separators (for per-file ignores). */
  relativePath: string;
  settings: RuleSettings;
  localCommit(modelId: string): string | undefined;
  isLocalPath?(path: string): boolean;
  /** Hub lookups; without it, rules that need metadata stay silent. */
  facts?: FactsProvider;
  /** The workspace folder's license and intended use, for the license rules. */
  project?: ProjectFacts;
  now?: number;
  /** Which surface shows the findings (advice names its way to set a token); default "cli". */
  surface?: Surface;
  /** Hub model classes and loader wrappers of the whole workspace, when the caller built them. */
  workspace?: WorkspaceSymbols;
  /** Documents being edited (the language server's workers): a Python file is re-scanned from its last version. */
  edits?: IncrementalScans;
}

export interface FileAnalysis {
  references: ModelReference[];
  findings: Finding[];
  /** What the user should know about this file that is not a finding (e.g. it could not be parsed). */
  notes?: Note[];
  /** Hub facts by reference key (see factsKey), for hovers. */
  facts?: Map<string, ModelFacts>;
  /** Notebooks: the module of their code cells, which the spans index (not the file's text). */
  notebook?: NotebookView;
}

export async function analyzeText(text: string, context: AnalysisContext): Promise<FileAnalysis> {
  let scanned: ScannedText;
  try {
    scanned = await scanText(text, context);
  } catch (error) {
    return scanFailed(error, context);
  }
  return analyzeReferences(text, scanned.references, context, scanned.notebook);
}

export interface ScannedText {
  references: ModelReference[];
  notebook?: NotebookView;
}

/** The scan step alone (a scan worker runs it): the file kind's scanner over the file's code. */
export async function scanText(text: string, options: ScanOptions & { relativePath: string; edits?: IncrementalScans }): Promise<ScannedText> {
  // A path no scanner claims is read as Python when it has no extension (an untitled editor
  // buffer, a script with a shebang); a file of another kind (package.json) is not read.
  const kind = fileKindOf(options.relativePath) ?? (/\.[^./\\]+$/.test(options.relativePath) ? undefined : fileKindOf('.py')!);
  const notebook = kind?.view?.(text);
  const scanOptions = { isLocalPath: options.isLocalPath, workspace: options.workspace, relativePath: options.relativePath, plainParse: options.plainParse };
  const edited = options.edits && kind?.language === 'python' && !kind.view ? options.edits : undefined;
  const references = kind ? await (edited ? edited.scan(text, scanOptions) : kind.scan(notebook?.text ?? text, scanOptions)) : [];
  if (notebook) for (const reference of references) reference.cell = notebook.cells[cellSlotAt(notebook, reference.idSpan.start) ?? 0]?.index;
  return { references, ...(notebook ? { notebook } : {}) };
}

/** One file the scanner cannot handle costs only that file: a note, never a crash. */
export function scanFailed(error: unknown, context: Pick<AnalysisContext, 'relativePath'>): FileAnalysis {
  const reason = error instanceof Error ? error.message : String(error);
  return { references: [], findings: [], notes: [{ level: 'warning', message: `not scanned: ${reason}`, file: context.relativePath }] };
}

/** The rest of analyzeText, for references found elsewhere (a scan worker). */
export async function analyzeReferences(text: string, references: ModelReference[], context: AnalysisContext, notebook?: NotebookView): Promise<FileAnalysis> {
  // Most files of a big tree load nothing: no facts to look up, no rule to run.
  if (!references.length) return loadsNothing(references, notebook);
  const facts = await gatherFacts(references, context.facts);
  const notes = factNotes(new Set(facts.values()), context.relativePath);
  return { references, findings: runRules(references, notebook?.text ?? text, context, facts), facts, ...(notebook ? { notebook } : {}), ...(notes.length ? { notes } : {}) };
}

/** analyzeReferences of a file without references (it needs no context). */
export function loadsNothing(references: ModelReference[] = [], notebook?: NotebookView): FileAnalysis {
  return { references, findings: [], facts: new Map(), ...(notebook ? { notebook } : {}) };
}

/** Facts per reference key (id and pinned revision), looked up concurrently. */
export async function gatherFacts(references: ModelReference[], provider: FactsProvider | undefined): Promise<Map<string, ModelFacts>> {
  const facts = new Map<string, ModelFacts>();
  if (!provider) return facts;
  const keys = new Map<string, [string, string | undefined]>();
  for (const reference of references) {
    if (reference.modelId) keys.set(factsKey(reference), [reference.modelId, pinnedRevision(reference)]);
  }
  await Promise.all(
    [...keys].map(async ([key, [id, revision]]) => {
      const found = await provider.get(id, revision);
      if (found) facts.set(key, found);
    }),
  );
  return facts;
}

export { referenceFactsKey as factsKey } from './model-facts';

/**
 * Site-level rules report per reference. Model-level rules report once per model (and pinned
 * revision) per file: at the first reference not suppressed for that rule, with the other
 * unsuppressed references as related locations and their fix edits merged into the same fixes.
 */
export function runRules(references: ModelReference[], text: string, context: AnalysisContext, facts = new Map<string, ModelFacts>()): Finding[] {
  const now = context.now ?? Date.now();
  const findings: Finding[] = [];
  const firstOfModel = new Map<string, Finding>();
  // A rule's severity depends on the file only: settled once, not per reference.
  const severities = references.length ? RULES.map((rule) => effectiveSeverity(context.settings, rule.code, rule.defaultSeverity, context.relativePath)) : [];
  for (const reference of references) {
    const lines = [reference.callSpan.start, reference.idSpan.start];
    const key = factsKey(reference);
    const referenceFacts = facts.get(key);
    for (let r = 0; r < RULES.length; r++) {
      const rule = RULES[r];
      const ruleSeverity = severities[r];
      if (!ruleSeverity || isSuppressed(text, lines, rule.code)) continue;
      const ruleContext = {
        reference,
        text,
        localCommit: context.localCommit,
        facts: referenceFacts,
        thresholds: context.settings.thresholds,
        now,
        surface: context.surface ?? 'cli',
        unresolvedIdSeverity: context.settings.unresolvedIdSeverity,
        project: context.project,
      };
      for (const report of rule.check(ruleContext)) {
        // A report may ask for its own severity (an id decided at run time, an unknown intended use);
        // a severity the user set for the rule wins over it.
        const severity = report.severity && (report.severity === 'off' || !userSetSeverity(context.settings, rule.code)) ? report.severity : ruleSeverity;
        if (severity === 'off') continue;
        const finding: Finding = { code: rule.code, severity, message: report.message, modelId: reference.modelId, span: report.span ?? reference.idSpan, fixes: report.fixes ?? [], reference };
        if (rule.scope === 'model' && reference.modelId) {
          const modelKey = `${rule.code}|${key}`;
          const first = firstOfModel.get(modelKey);
          if (first) {
            relate(first, finding);
            continue;
          }
          firstOfModel.set(modelKey, finding);
        }
        findings.push(finding);
      }
    }
  }
  return findings.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
}

/** Folds a later reference's finding into the first one: a related location, and its edits join fixes of the same title. */
function relate(first: Finding, later: Finding): void {
  first.related = [...(first.related ?? []), later.span];
  for (const fix of later.fixes) {
    const same = first.fixes.find((f) => f.title === fix.title);
    if (same) same.edits = [...same.edits, ...fix.edits];
    else first.fixes = [...first.fixes, { ...fix, preferred: false }];
  }
}

/** True when the settings name a severity for this rule (by its code or a prefix of it). */
function userSetSeverity(settings: RuleSettings, code: string): boolean {
  return Object.keys(settings.severity).some((prefix) => prefix && code.startsWith(prefix));
}
