// The name and the model side by side, computed once per model's facts and shared by the
// five naming rules (and the hover card's "Name vs model" row).
import type { ModelFacts } from '../core/model-facts';
import { nameClaims, type NameClaims } from './claims';
import { evidenceOf, type ModelEvidence } from './evidence';
import { architectureMismatch, formatMismatch, sizeMismatch, structureClaimMismatch, taskMismatch, type Mismatch } from './mismatch';
import { parseModelName } from './parse-name';

export interface NameAssessment {
  modelId: string;
  claims: NameClaims;
  evidence: ModelEvidence;
  /** By rule code, only the codes with a mismatch. */
  mismatches: Partial<Record<NamingCode, Mismatch>>;
}

export type NamingCode = 'PTM201' | 'PTM202' | 'PTM203' | 'PTM204' | 'PTM205';

const CHECKS: Record<NamingCode, (claims: NameClaims, evidence: ModelEvidence) => Mismatch | undefined> = {
  PTM201: architectureMismatch,
  PTM202: sizeMismatch,
  PTM203: taskMismatch,
  PTM204: structureClaimMismatch,
  PTM205: formatMismatch,
};

const memo = new WeakMap<ModelFacts, NameAssessment | null>();

/** The assessment of a model's name; undefined when the Hub gave no model info. */
export function assessName(facts: ModelFacts | undefined): NameAssessment | undefined {
  if (!facts) return undefined;
  const known = memo.get(facts);
  if (known !== undefined) return known ?? undefined;
  const evidence = evidenceOf(facts);
  const result = evidence ? assess(evidence) : undefined;
  memo.set(facts, result ?? null);
  return result;
}

/** The assessment from evidence gathered elsewhere (the eval builds evidence from its cases). */
export function assess(evidence: ModelEvidence): NameAssessment {
  const claims = nameClaims(parseModelName(evidence.modelId));
  const mismatches: NameAssessment['mismatches'] = {};
  for (const [code, check] of Object.entries(CHECKS) as [NamingCode, (typeof CHECKS)[NamingCode]][]) {
    const found = check(claims, evidence);
    if (found) mismatches[code] = found;
  }
  return { modelId: evidence.modelId, claims, evidence, mismatches };
}

/**
 * The hover card's "Name vs model" row: the mismatches, or what the name was checked against;
 * undefined when there is nothing to compare (no model info, no claim, no config or weights).
 */
export function nameVsModel(facts: ModelFacts | undefined): string | undefined {
  const assessment = assessName(facts);
  if (!assessment) return undefined;
  const found = Object.entries(assessment.mismatches).map(([code, m]) => `${code}: ${m.message}`);
  if (found.length) return found.join(' · ');
  const { config, weights } = assessment.evidence;
  const sides = [
    config?.modelType ? `config.json: ${[config.modelType, config.layers ? `${config.layers} layers` : '', config.hidden ? `${config.hidden} hidden` : ''].filter(Boolean).join(', ')}` : '',
    weights ? `weights: ${weights.family.id}-style, ${weights.layers} layers${weights.hidden ? `, ${weights.hidden} hidden` : ''}` : '',
  ].filter(Boolean);
  return sides.length ? `no contradiction found (${sides.join('; ')})` : undefined;
}
