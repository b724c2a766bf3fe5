import { imitatedModel } from '../knowledge/model-index';
import type { Rule } from './rule';

/** Repositories this popular themselves are not treated as look-alikes. */
const WELL_ADOPTED_DOWNLOADS = 50_000;

export const lookAlikeModel: Rule = {
  code: 'PTM102',
  name: 'look-alike-model',
  title: 'Look-alike of a popular model under another owner',
  defaultSeverity: 'warning',
  scope: 'model',
  docs: {
    what:
      'Flags models whose id imitates a well-known model: the same name under an owner whose name is one or two letters away, ' +
      'or a name one letter away from the original under another owner.',
    why:
      'Typosquatting works on model hubs as it does on package registries: a repository named like a popular model, under a ' +
      'look-alike owner, catches mistyped ids and copy-pasted snippets. It can ship other weights, malicious pickle files or remote code.',
    example: 'model = AutoModelForCausalLM.from_pretrained("meta-llamma/Llama-2-7b-hf")',
    useInstead: 'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")',
    fixSafety: 'No automatic fix: only you know which repository you meant. The message names the model it resembles.',
  },
  check({ reference, facts }) {
    const info = facts?.info;
    if (!reference.modelId || !info?.ok) return [];
    const id = info.value.canonicalId;
    const original = imitatedModel(id);
    if (!original || (info.value.downloads ?? 0) >= WELL_ADOPTED_DOWNLOADS) return [];
    const downloads = info.value.downloads === undefined ? '' : ` (${info.value.downloads.toLocaleString('en-US')} downloads)`;
    return [{ message: `'${id}'${downloads} looks like the popular model '${original}' under another owner. Make sure this is the repository you meant.` }];
  },
};
