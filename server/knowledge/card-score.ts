// A documentation score for a model card (the repository's README.md): which of the
// sections a reuser needs are present, plus how complete the card's metadata is.
// PTM601 and the hover card both read `cardScoreOf`, so they never disagree.
import type { ModelFacts } from '../core/model-facts';

export interface CardSection {
  key: string;
  label: string;
  headings: RegExp;
}

export const CARD_SECTIONS: readonly CardSection[] = [
  { key: 'description', label: 'description', headings: /model (description|details|summary|card)|overview|about|introduction/i },
  { key: 'intendedUse', label: 'intended use and limitations', headings: /intended use|uses|limitation|bias|risks|out-of-scope|ethical/i },
  { key: 'howToUse', label: 'how to use', headings: /how to (use|get started)|usage|quick ?start|getting started|example/i },
  { key: 'trainingData', label: 'training data', headings: /training (data|procedure|details)|pre-?training|dataset/i },
  { key: 'evaluation', label: 'evaluation', headings: /evaluation|results|benchmark|metrics|performance/i },
];

export const CARD_METADATA_FIELDS = ['license', 'pipeline_tag', 'language', 'datasets', 'base_model'] as const;

export interface CardScore {
  /** 0..1: three quarters sections, one quarter metadata. */
  score: number;
  present: string[];
  missing: string[];
  metadataPresent: string[];
  metadataMissing: string[];
  /** True when the repository has no README.md at all. */
  noCard: boolean;
}

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n?/;

export function scoreModelCard(readme: string | undefined, metadata: Record<string, unknown>): CardScore {
  const body = (readme ?? '').replace(FRONT_MATTER, '');
  const headings = [...body.matchAll(/^\s{0,3}#{1,6}\s+(.+)$/gm)].map((m) => m[1]);
  const prose = body.replace(/^\s{0,3}#.*$/gm, '').replace(/```[\s\S]*?```/g, '').trim();
  const present: string[] = [];
  const missing: string[] = [];
  for (const section of CARD_SECTIONS) {
    let found = headings.some((h) => section.headings.test(h));
    // A card without headings still describes the model if it has some prose; code blocks show usage.
    if (!found && section.key === 'description') found = prose.split(/\s+/).length >= 25;
    if (!found && section.key === 'howToUse') found = /```/.test(body);
    (found ? present : missing).push(section.label);
  }
  const metadataPresent = CARD_METADATA_FIELDS.filter((field) => hasValue(metadata[field]));
  const metadataMissing = CARD_METADATA_FIELDS.filter((field) => !hasValue(metadata[field]));
  const score = 0.75 * (present.length / CARD_SECTIONS.length) + 0.25 * (metadataPresent.length / CARD_METADATA_FIELDS.length);
  return { score: Math.round(score * 100) / 100, present, missing, metadataPresent: [...metadataPresent], metadataMissing: [...metadataMissing], noCard: readme === undefined || body.trim() === '' };
}

const scored = new WeakMap<ModelFacts, CardScore | undefined>();

/**
 * The card score of a model from its Hub facts, computed once per facts object; undefined
 * when the card is unknown (lookup failed, gated, or the README could not be fetched).
 */
export function cardScoreOf(facts: ModelFacts | undefined): CardScore | undefined {
  if (!facts) return undefined;
  if (scored.has(facts)) return scored.get(facts);
  const info = facts.info.ok ? facts.info.value : undefined;
  const readme = facts.readme;
  let card: CardScore | undefined;
  if (info && readme && (readme.ok || readme.error.kind === 'entry-not-found')) {
    const metadata = { ...(info.cardData ?? {}), pipeline_tag: info.pipeline_tag ?? info.cardData?.pipeline_tag };
    card = scoreModelCard(readme.ok ? readme.value : undefined, metadata);
  }
  scored.set(facts, card);
  return card;
}

function hasValue(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== '';
}
