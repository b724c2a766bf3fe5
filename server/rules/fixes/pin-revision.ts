// Builds the edit that pins a loader call to a commit: replace an existing revision
// argument, or add one after the last argument in the call's own layout.
import type { FixData, ModelReference, TextEditData } from '../../core/types';

const SHA = /^[0-9a-f]{7,40}$/i;

/** True when a resolved revision value is a commit sha (7 to 40 hex digits). */
export function isCommitSha(value: unknown): boolean {
  return typeof value === 'string' && SHA.test(value);
}

/** True when the call pins a commit, or passes a revision we cannot read (not ours to judge). */
export function isPinnedOrUnknown(reference: ModelReference): boolean {
  const revision = reference.revision;
  return !!revision && (!revision.resolved || isCommitSha(revision.value));
}

export function pinRevisionFix(reference: ModelReference, text: string, commit: string | undefined): FixData {
  const value = commit ? JSON.stringify(commit) : '"${1:commit-sha}"';
  const edit: TextEditData = reference.revision
    ? { span: reference.revision.span, newText: value }
    : { span: { start: reference.argsEnd, end: reference.argsEnd }, newText: `${separator(reference, text)}revision=${value}` };
  return commit
    ? { title: `Pin revision to ${commit.slice(0, 12)} (from the local Hugging Face cache)`, edits: [edit], preferred: true }
    : { title: 'Pin revision to a commit sha (fill in the sha)', edits: [edit], snippet: true };
}

/** ", " on one line; a new line with the last argument's indentation when the call spans lines. */
function separator(reference: ModelReference, text: string): string {
  const lineStart = text.lastIndexOf('\n', reference.argsEnd - 1) + 1;
  if (lineStart <= reference.callSpan.start) return ', ';
  return `,\n${/^[ \t]*/.exec(text.slice(lineStart))![0]}`;
}
