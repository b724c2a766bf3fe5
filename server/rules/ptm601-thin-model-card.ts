import { cardScoreOf } from '../knowledge/card-score';
import type { Rule } from './rule';

export const thinModelCard: Rule = {
  code: 'PTM601',
  name: 'thin-model-card',
  title: 'Thin model card',
  defaultSeverity: 'info',
  scope: 'model',
  docs: {
    what:
      'Scores the model card (the repository\'s README.md): description, intended use and limitations, how to use, training data and ' +
      'evaluation, plus metadata (license, task, language, datasets, base model). Flags cards below the threshold ' +
      '(`min-card-score`, default 0.5) and repositories without a card.',
    why:
      'Without a card you cannot tell what the model was trained on, what it is for, where it fails or under which terms you may use it. ' +
      'Studies of Hugging Face reuse find missing documentation among the most common obstacles to reusing a model safely.',
    example: 'model = AutoModel.from_pretrained("someone/undocumented-model")',
    useInstead: '# Prefer a documented model, or record what you learned about this one next to the code that loads it.',
    fixSafety: 'No automatic fix: better documentation has to come from the model authors. The message lists the sections that are missing.',
  },
  check({ reference, facts, thresholds }) {
    const info = facts?.info;
    const card = cardScoreOf(facts);
    if (!reference.modelId || !info?.ok || !card) return [];
    if (card.noCard) return [{ message: `'${info.value.canonicalId}' has no model card: nothing says what it was trained on, what it is for or where it fails.` }];
    if (card.score >= thresholds.minCardScore) return [];
    const missing = [...card.missing, ...card.metadataMissing.map((m) => `${m} metadata`)];
    return [{ message: `The model card of '${info.value.canonicalId}' is thin (documentation score ${card.score.toFixed(2)} < ${thresholds.minCardScore}): missing ${missing.join(', ')}.` }];
  },
};
