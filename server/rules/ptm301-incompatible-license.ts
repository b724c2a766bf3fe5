import { assessModel, reasonsFor } from '../license/model-license';
import type { Rule } from './rule';

export const incompatibleLicense: Rule = {
  code: 'PTM301',
  name: 'incompatible-license',
  title: "Model license incompatible with the project's license",
  scope: 'model',
  defaultSeverity: 'error',
  docs: {
    what:
      "Flags a model whose license the project's own license cannot take in: a GPL or AGPL model in an MIT, Apache-2.0 or BSD project, " +
      'a GPL-2.0-only model in a GPL-3.0 project, an Apache-2.0 model in a GPL-2.0-only project. The project license comes from `project-license` ' +
      'in the config file, else from the LICENSE/COPYING file or the package metadata (see [license checks](../license.md)).',
    why:
      'Copyleft licenses require the work that includes the licensed material to be released under the same terms. A permissively licensed project ' +
      'that ships or serves a GPL model breaks either the model license or its own promise to its users. Studies of Hugging Face reuse (PeaTMOSS) found ' +
      'exactly these pairs in public projects.',
    example: '# LICENSE: MIT\nmodel = AutoModel.from_pretrained("someone/gpl-3.0-model")',
    useInstead: '# A model under a license the project can take in (MIT, Apache-2.0, BSD), or relicense the project under a compatible GPL version.\nmodel = AutoModel.from_pretrained("google-bert/bert-base-uncased")',
    fixSafety: 'No automatic fix: choosing another model or another project license is a decision for the project.',
  },
  check({ reference, facts, project }) {
    if (!reference.modelId) return [];
    const assessment = assessModel(facts, project);
    if (!assessment?.judgement.codes.includes('PTM301')) return [];
    return [{ message: reasonsFor(assessment, 'PTM301').join(' ') }];
  },
};
