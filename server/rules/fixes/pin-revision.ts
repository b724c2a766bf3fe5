// Builds the edit that pins a loader call to a commit: replace an existing revision
// argument, or add one after the last argument in the call's own layout.
import { lineStartAt } from '../../core/positions';
import type { FixData, ModelReference, TextEditData } from '../../core/types';
import type { RuleContext } from '../rule';

const SHA = /^[0-9a-f]{7,40}$/i;

/** True when a resolved revision value is a commit sha (7 to 40 hex digits). */
export function isCommitSha(value: unknown): boolean {
  return typeof value === 'string' && SHA.test(value);
}

/**
 * The pin fix pins one commit of one model: offered only where the id is fixed in code (a
 * literal or a constant). An id from argparse, the environment, a dataclass default or a
 * parameter takes other values at run time, and a pinned commit of one model breaks them.
 */
export function canOfferPin(reference: ModelReference): boolean {
  // Outside Python the scanner says how a revision is written there; without that, no fix.
  const writable = reference.language === 'python' || !!reference.revision || !!reference.revisionInsert;
  return reference.canPin && !!reference.modelId && !reference.idOverridable && writable;
}

/** True when the call pins a commit, or passes a revision we cannot read (not ours to judge). */
export function isPinnedOrUnknown(reference: ModelReference): boolean {
  const revision = reference.revision;
  return !!revision && (!revision.resolved || isCommitSha(revision.value));
}

export interface PinTarget {
  commit: string;
  /** Where the commit comes from, for the fix title. */
  origin: string;
}

/** The commit to pin: what the local cache holds (what the user already runs), else the Hub's current one. */
export function pinTarget(context: RuleContext): PinTarget | undefined {
  const id = context.reference.modelId;
  const local = id ? context.localCommit(id) : undefined;
  if (local) return { commit: local, origin: 'from the local Hugging Face cache' };
  const info = context.facts?.info;
  return info?.ok && info.value.sha && !info.value.partial ? { commit: info.value.sha, origin: 'current commit on the Hub' } : undefined;
}

export function pinRevisionFix(reference: ModelReference, text: string, target: PinTarget | undefined): FixData {
  const commit = target?.commit;
  const value = commit ? JSON.stringify(commit) : '"${1:commit-sha}"';
  const insert = reference.revisionInsert;
  const edit: TextEditData = reference.revision
    ? { span: reference.revision.span, newText: value }
    : insert
      ? { span: { start: insert.offset, end: insert.offset }, newText: `${insert.prefix}${value}${insert.suffix}` }
      : { span: { start: reference.argsEnd, end: reference.argsEnd }, newText: `${separator(reference, text)}revision=${value}` };
  return commit
    ? { title: `Pin revision to ${commit.slice(0, 12)} (${target!.origin})`, edits: [edit], preferred: true }
    : { title: 'Pin revision to a commit sha (fill in the sha)', edits: [edit], snippet: true };
}

/** ", " on one line; a new line with the last argument's indentation when the call spans lines. */
function separator(reference: ModelReference, text: string): string {
  const lineStart = lineStartAt(text, reference.argsEnd, reference.callSpan.start);
  if (lineStart <= reference.callSpan.start) return ', ';
  return `,\n${/^[ \t]*/.exec(text.slice(lineStart))![0]}`;
}
