// How messages name things: the model (or the expression that names it), a revision with
// where its value comes from, and how to provide a token on the surface that shows them.
import type { ArgumentValue, ModelReference } from '../core/types';
import type { Surface } from './rule';

/**
 * `'org/name'`, `'sentence-transformers/x' (requested for 'x')`, `'gpt2' (argparse default of --model)`,
 * or `the model named by args.model`.
 */
export function describeModel(reference: ModelReference, id = reference.modelId): string {
  if (!id) return `the model named by ${reference.unresolved ?? 'this argument'}`;
  const notes = [
    ...(reference.writtenId && reference.writtenId !== id ? [`requested for '${reference.writtenId}'`] : []),
    ...(reference.idOverridable && reference.idSource ? [reference.idSource] : []),
  ];
  return notes.length ? `'${id}' (${notes.join('; ')})` : `'${id}'`;
}

/** `'refs/pr/1' (from variable revision)`: the value, and where it comes from when not written at the call. */
export function describeRevision(revision: ArgumentValue): string {
  if (!revision.resolved) return revision.text;
  const value = typeof revision.value === 'string' ? `'${revision.value}'` : String(revision.value);
  return revision.source ? `${value} (from ${revision.source})` : value;
}

/** What to do to give the tool (and the code) a Hugging Face token. */
export function tokenAdvice(surface: Surface): string {
  return surface === 'editor'
    ? 'set a token with "PTM Lens: Set Hugging Face Token"'
    : 'set HF_TOKEN or log in with `hf auth login`';
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
