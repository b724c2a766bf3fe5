import { assessModel, reasonsFor } from '../license/model-license';
import type { Rule } from './rule';

export const nonCommercialLicense: Rule = {
  code: 'PTM302',
  name: 'non-commercial-license',
  title: 'Non-commercial model license',
  scope: 'model',
  defaultSeverity: 'warning',
  docs: {
    what:
      'Flags a model under a non-commercial license (CC-BY-NC-*, the DeepFloyd IF license, Apple\'s research license) in a project whose intended use ' +
      'is commercial (`intended-use = "commercial"` in the config file). When the intended use is not set, it reports the same at information level; ' +
      'with `non-commercial` or `research` it stays a reminder.',
    why:
      'A non-commercial license forbids using the model, and usually its outputs, in a product or service that earns money. That includes internal ' +
      'use in a company. The code that loads the model looks the same either way, so the conflict shows up late, in a license review or a claim.',
    example: '# ptm-lens.toml: intended-use = "commercial"\nmodel = AutoModel.from_pretrained("someone/cc-by-nc-4.0-model")',
    useInstead: '# A model whose license allows commercial use, or a commercial license from the authors.\nmodel = AutoModel.from_pretrained("google-bert/bert-base-uncased")',
    fixSafety: 'No automatic fix: set `intended-use` in the config file to state how the project is used.',
  },
  check({ reference, facts, project }) {
    if (!reference.modelId) return [];
    const assessment = assessModel(facts, project);
    if (!assessment?.judgement.codes.includes('PTM302')) return [];
    const message = reasonsFor(assessment, 'PTM302').join(' ');
    return [project?.intendedUse === 'commercial' ? { message } : { message, severity: 'info' }];
  },
};
