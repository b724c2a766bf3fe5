// The one place that knows where the rule pages live.
export const DOCS_BASE_URL = 'https://github.com/ptm-lens/ptm-lens/blob/main/docs/rules/';

export function ruleDocsUrl(code: string): string {
  return `${DOCS_BASE_URL}${code}.md`;
}
