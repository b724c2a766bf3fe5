import { namingReports } from './naming-report';
import type { Rule } from './rule';

export const nameStructure: Rule = {
  code: 'PTM204',
  name: 'name-structure-mismatch',
  title: 'Model name claims other layers or heads',
  defaultSeverity: 'warning',
  scope: 'model',
  docs: {
    what:
      'Flags layer, hidden-size and head counts written in the name (L6, L-12, H-768, A-12) that config.json and the weight layout contradict. ' +
      'A count one source confirms is left alone; a warning needs config.json and the weights to agree with each other and not with the name.',
    why:
      'Layer and width counts in a name are how people choose between distilled variants (MiniLM-L6 vs L12): a wrong count means another speed and accuracy than planned.',
    example: 'model = SentenceTransformer("someone/MiniLM-L6-H384-finetuned")  # config: 12 layers',
    useInstead: 'model = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")',
    fixSafety: 'No automatic fix: pick the variant you meant, or suppress the finding after checking the model.',
  },
  check: (context) => namingReports('PTM204', context),
};
