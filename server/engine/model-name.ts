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

/** Markdown table cell text: pipes and line breaks would end the cell. */
const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** One hover row: the components in name order with what each is. */
export function nameHoverRow(modelId: string): [string, string] | undefined {
  const { components } = explainModelName(modelId);
  if (components.length === 0) return undefined;
  return ['Name', components.map((c) => `${code(c.text)} ${c.meaning}${c.inferred ? '?' : ''}`).join(' · ')];
}

/** What the name claims, in config terms, as short phrases ("architecture llama", "7B parameters"). */
function claimPhrases(explained: ExplainedName): string[] {
  const c = explained.claims;
  const compact = (n: number) => new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 }).format(n);
  return [
    c.architecture ? `architecture ${code(c.architecture)}${c.architectureText && c.architectureText.toLowerCase() !== c.architecture ? ` (written ${code(c.architectureText)})` : ''}` : '',
    c.size ? `size ${code(c.size)}` : '',
    c.experts ? `${c.experts.count} experts of ${compact(c.experts.parametersEach)} parameters` : c.parameters ? `${compact(c.parameters)} parameters` : '',
    c.layers ? `${c.layers} layers` : '',
    c.hidden ? `hidden size ${c.hidden}` : '',
    c.heads ? `${c.heads} attention heads` : '',
    c.tasks.length ? `task ${c.tasks.map(code).join(', ')}` : '',
    c.formats.length ? `format ${c.formats.map(code).join(', ')}` : '',
    c.precisions.length ? `precision ${c.precisions.map(code).join(', ')}` : '',
  ].filter(Boolean);
}

/** The page "Explain Model Name" shows: a table of the components, then what the name claims. */
export function nameMarkdown(explained: ExplainedName): string {
  const lines = [`# ${cell(explained.modelId)}`, ''];
  if (explained.components.length === 0) {
    lines.push('No name components found.');
  } else {
    lines.push('| Component | Category | Meaning |', '|---|---|---|');
    for (const c of explained.components) lines.push(`| ${code(cell(c.text))} | ${c.category} | ${c.meaning}${c.inferred ? ' (the model\'s own name; not a known architecture)' : ''} |`);
  }
  const claims = claimPhrases(explained);
  if (claims.length) lines.push('', `**The name claims:** ${claims.join('; ')}.`);
  lines.push('', '*Categories of the PTM naming study (Jiang et al.); see PTM Lens docs/naming.md.*');
  return lines.join('\n') + '\n';
}
