// The name parse as the surfaces show it (CLI `name`, hover row, "Explain Model Name"):
// surfaces reach the naming knowledge through here, not directly.
import { nameClaims, type NameClaims } from '../naming/claims';
import { CATEGORY_NAMES } from '../naming/categories';
import { parseModelName, type NameCategory } from '../naming/parse-name';

export interface ExplainedComponent {
  text: string;
  category: NameCategory;
  /** What the category means, e.g. "architecture". */
  meaning: string;
  /** Set when an architecture is the model's own name, not a known architecture. */
  inferred?: boolean;
}

export interface ExplainedName {
  modelId: string;
  components: ExplainedComponent[];
  claims: NameClaims;
}

export function explainModelName(modelId: string): ExplainedName {
  const parsed = parseModelName(modelId);
  return {
    modelId,
    components: parsed.components.map((c) => ({
      text: c.text,
      category: c.category,
      meaning: CATEGORY_NAMES[c.category],
      ...(c.inferred ? { inferred: true } : {}),
    })),
    claims: nameClaims(parsed),
  };
}

export { CATEGORY_NAMES };
