import { assessModel, reasonsFor } from '../license/model-license';
import type { Rule } from './rule';

export const baseModelLicense: Rule = {
  code: 'PTM305',
  name: 'base-model-license',
  title: "License drops the base model's obligations",
  scope: 'model',
  defaultSeverity: 'warning',
  docs: {
    what:
      "Follows the model's `base_model` chain on the Hub (every parent of a merge, up to 10 levels, each model once) and flags a model whose own " +
      'license drops obligations of a model it was trained from: an MIT fine-tune of a Llama, Gemma or OpenRAIL model, an Apache-2.0 fine-tune of ' +
      'a non-commercial model, any fine-tune of a no-derivatives model.',
    why:
      'A fine-tune is a derivative of its base model, so the base license still applies to it whatever its own card says. Relicensed fine-tunes ' +
      'make a model look freer than it is; the project inherits the obligations it cannot see.',
    example: '# Card: license: apache-2.0, base_model: meta-llama/Llama-3.1-8B\nmodel = AutoModelForCausalLM.from_pretrained("someone/llama-3.1-finetune")',
    useInstead:
      '# Treat the model as licensed under its base model\'s terms too (here the Llama 3.1 Community License),\n' +
      '# or choose a model whose whole chain is under terms the project accepts.\n' +
      'model = AutoModelForCausalLM.from_pretrained("someone/llama-3.1-finetune")',
    fixSafety: 'No automatic fix: which terms apply is a question for the model authors; the message names the base model and its license.',
  },
  check({ reference, facts, project }) {
    if (!reference.modelId) return [];
    const assessment = assessModel(facts, project);
    if (!assessment?.judgement.codes.includes('PTM305')) return [];
    return [{ message: reasonsFor(assessment, 'PTM305').join(' ') }];
  },
};
