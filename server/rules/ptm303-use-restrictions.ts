import { assessModel, reasonsFor } from '../license/model-license';
import type { Rule } from './rule';

export const useRestrictions: Rule = {
  code: 'PTM303',
  name: 'use-restrictions',
  title: 'Use restrictions to respect and pass on',
  scope: 'model',
  defaultSeverity: 'info',
  docs: {
    what:
      'Flags models whose license comes with conditions the project must respect and pass on to its own users: the use restrictions of the RAIL ' +
      'family (OpenRAIL, CreativeML OpenRAIL-M, BigScience BLOOM RAIL, BigCode OpenRAIL-M), the Llama community licenses (user-count clause, ' +
      '"Built with Llama", naming, acceptable use policy), the Gemma terms and prohibited use policy, no-derivatives licenses, and licenses of ' +
      'their own linked from the card.',
    why:
      'These licenses allow use, including commercial use, on conditions that travel with the model: the project has to include the restrictions ' +
      'in its own terms, show attributions, and keep uses within the policy. Nothing in the code shows that, so a project can ship without meeting them.',
    example: 'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")',
    useInstead:
      '# Keep the model, and: include the license and acceptable use policy with what you ship,\n' +
      '# pass the use restrictions on in your own terms, and show the attribution the license asks for.\n' +
      'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")',
    fixSafety: 'No automatic fix: the conditions are met in documentation and terms of use, not in code.',
  },
  check({ reference, facts, project }) {
    if (!reference.modelId) return [];
    const assessment = assessModel(facts, project);
    if (!assessment?.judgement.codes.includes('PTM303')) return [];
    return [{ message: reasonsFor(assessment, 'PTM303').join(' ') }];
  },
};
