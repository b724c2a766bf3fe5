// Replaces the model id at the call, when the call writes it as a plain string literal.
import type { FixData, ModelReference } from '../../core/types';

export function replaceIdFix(reference: ModelReference, text: string, newId: string, title: string, preferred = false): FixData | undefined {
  if (reference.idSource) return undefined; // the id comes from elsewhere: edit it there
  const literal = text.slice(reference.idSpan.start, reference.idSpan.end);
  const quoted = /^([rRuU]?)(['"])([^'"\\\n]*)\2$/.exec(literal);
  if (!quoted) return undefined;
  return { title, preferred, edits: [{ span: reference.idSpan, newText: `${quoted[1]}${quoted[2]}${newId}${quoted[2]}` }] };
}
