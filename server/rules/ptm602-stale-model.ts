import type { Rule } from './rule';

const DAY_MS = 24 * 60 * 60 * 1000;

export const staleModel: Rule = {
  code: 'PTM602',
  name: 'stale-model',
  title: 'Stale model',
  defaultSeverity: 'info',
  scope: 'model',
  docs: {
    what: 'Flags models whose repository has not changed for longer than the threshold (`stale-after-days`, default 1095, three years).',
    why:
      'An abandoned model gets no fixes for its tokenizer, config or remote code, no security updates for its files, and often ' +
      'has better maintained successors. Knowing that a dependency is unmaintained is the first step to planning its replacement.',
    example: 'model = AutoModel.from_pretrained("someone/model-last-updated-in-2020")',
    useInstead: '# Prefer a maintained successor, or pin the commit and take ownership of the risk.',
    fixSafety: 'No automatic fix: replacing a model needs an evaluation on your task. The message gives the date of the last change.',
  },
  check({ reference, facts, thresholds, now }) {
    const info = facts?.info;
    if (!reference.modelId || !info?.ok || !info.value.lastModified) return [];
    const modified = Date.parse(info.value.lastModified);
    if (Number.isNaN(modified)) return [];
    const days = Math.floor((now - modified) / DAY_MS);
    if (days <= thresholds.staleAfterDays) return [];
    const years = (days / 365).toFixed(1);
    return [{ message: `'${info.value.canonicalId}' has not been updated since ${info.value.lastModified.slice(0, 10)} (${years} years). Check whether it is still maintained.` }];
  },
};
