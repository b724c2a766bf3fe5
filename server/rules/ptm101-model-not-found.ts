import { suggestModelIds } from '../knowledge/model-index';
import type { FixData } from '../core/types';
import type { Rule } from './rule';
import { describeModel, tokenAdvice } from './describe';
import { replaceIdFix } from './fixes/replace-id';

export const modelNotFound: Rule = {
  code: 'PTM101',
  name: 'model-not-found',
  title: 'Model not found on the Hub',
  defaultSeverity: 'error',
  scope: 'model',
  docs: {
    what: 'Flags model ids the Hugging Face Hub does not know, and suggests close ids of well-known models.',
    why:
      'A load of a missing model fails at run time, often deep inside a training job. Worse, a mistyped id is free for anyone to ' +
      'register: whoever creates it later decides what your code downloads and, with remote code, runs. The Hub answers the same way ' +
      'for private repositories you have no access to.',
    example: 'model = AutoModel.from_pretrained("bert-base-uncasd")',
    useInstead: 'model = AutoModel.from_pretrained("google-bert/bert-base-uncased")',
    fixSafety: 'The quick fix replaces the id with a suggestion you choose. Check that it is the model you meant.',
  },
  check({ reference, text, facts, surface }) {
    const info = facts?.info;
    if (!reference.modelId || !info || info.ok || info.error.kind !== 'not-found') return [];
    const suggestions = suggestModelIds(reference.modelId);
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '';
    const message =
      `${describeModel(reference)} was not found on the Hugging Face Hub.${hint}` +
      ` If it is a private model, ${tokenAdvice(surface)}.`;
    const fixes = suggestions
      .map((id, i) => replaceIdFix(reference, text, id, `Replace with '${id}'`, i === 0))
      .filter((fix): fix is FixData => !!fix);
    return [{ message, fixes }];
  },
};
