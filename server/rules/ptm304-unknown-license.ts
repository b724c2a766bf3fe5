import { assessModel, reasonsFor } from '../license/model-license';
import type { Rule } from './rule';

export const unknownLicense: Rule = {
  code: 'PTM304',
  name: 'unknown-license',
  title: 'Model license missing or unknown',
  scope: 'model',
  defaultSeverity: 'warning',
  docs: {
    what:
      'Flags models whose card states no license, states `unknown`, states `other` without a license link that can be opened (a URL, or a ' +
      'file the repository has), states a bare `cc` without saying which Creative Commons license, or names a license id that cannot be read.',
    why:
      'Without a license nobody has been given the right to copy, modify or use the weights: the default is "all rights reserved". About half of ' +
      'model-project pairs in studies of Hugging Face reuse could not be judged for this reason. Ask the authors, or choose a model with a clear license.',
    example: 'model = AutoModel.from_pretrained("someone/model-without-license")',
    useInstead: '# A model whose card states its license.\nmodel = AutoModel.from_pretrained("google-bert/bert-base-uncased")',
    fixSafety: 'No automatic fix: only the model authors can state a license.',
  },
  check({ reference, facts, project }) {
    if (!reference.modelId) return [];
    const assessment = assessModel(facts, project);
    if (!assessment?.judgement.codes.includes('PTM304')) return [];
    return [{ message: reasonsFor(assessment, 'PTM304').join(' ') }];
  },
};
