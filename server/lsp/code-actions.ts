// Quick fixes: the fixes a finding carries, plus "ignore on this line".
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { Finding, FixData, Language } from '../core/types';
import type { AnalysisEntry } from './document-analyses';
import { toDiagnostic, toRange } from './convert';

const PLACEHOLDER = /\$\{\d+:([^}]*)\}/g;

export interface EditCapabilities {
  snippetEdits: boolean;
}

export function codeActionsFor(entry: AnalysisEntry, range: Range, wanted: Diagnostic[], capabilities: EditCapabilities): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of entry.findings) {
    const diagnostic = toDiagnostic(entry.lines, finding);
    const matches = wanted.length
      ? wanted.some((d) => d.code === finding.code && sameRange(d.range, diagnostic.range))
      : overlaps(diagnostic.range, range);
    if (!matches) continue;
    for (const fix of finding.fixes) actions.push(fixAction(entry, fix, diagnostic, capabilities));
    const ignore = ignoreAction(entry, finding, diagnostic);
    if (ignore) actions.push(ignore);
  }
  return actions;
}

function fixAction(entry: AnalysisEntry, fix: FixData, diagnostic: Diagnostic, capabilities: EditCapabilities): CodeAction {
  const edits = fix.edits.map((edit) => ({ range: toRange(entry.lines, edit.span), newText: edit.newText }));
  let edit: WorkspaceEdit;
  if (fix.snippet && capabilities.snippetEdits) {
    edit = {
      documentChanges: [
        {
          textDocument: { uri: entry.uri, version: entry.version < 0 ? null : entry.version },
          edits: edits.map((e) => ({ range: e.range, snippet: { kind: 'snippet', value: e.newText } })),
        },
      ],
    } as WorkspaceEdit;
  } else {
    const plain: TextEdit[] = edits.map((e) => ({ range: e.range, newText: fix.snippet ? e.newText.replace(PLACEHOLDER, '<$1>') : e.newText }));
    edit = { changes: { [entry.uri]: plain } };
  }
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit };
}

/** Comment markers by language; JSON has none, so it gets no ignore action. */
const COMMENT: Partial<Record<Language, string>> = { javascript: '//', typescript: '//', json: undefined };

/** Appends `# ptm-lens: ignore[CODE]` (`//` in JavaScript) to the line of the call (or extends an existing directive). */
function ignoreAction(entry: AnalysisEntry, finding: Finding, diagnostic: Diagnostic): CodeAction | undefined {
  const language = finding.reference.language;
  const comment = language in COMMENT ? COMMENT[language] : '#';
  if (!comment) return undefined;
  const line = entry.lines.positionAt(finding.reference.callSpan.start).line;
  const lineStart = entry.lines.offsetAt({ line, character: 0 });
  const lineText = entry.text.slice(lineStart, entry.lines.lineEnd(line));
  const existing = /((?:#|\/\/)\s*ptm-lens:\s*ignore\[)([^\]]*)\]/i.exec(lineText);
  const at = (character: number) => ({ line, character });
  const edit: TextEdit = existing
    ? { range: { start: at(existing.index), end: at(existing.index + existing[0].length) }, newText: `${existing[1]}${existing[2]}, ${finding.code}]` }
    : { range: { start: at(lineText.length), end: at(lineText.length) }, newText: `  ${comment} ptm-lens: ignore[${finding.code}]` };
  return { title: `Ignore ${finding.code} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [entry.uri]: [edit] } } };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function overlaps(a: Range, b: Range): boolean {
  const before = (x: { line: number; character: number }, y: { line: number; character: number }) => x.line < y.line || (x.line === y.line && x.character <= y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}
