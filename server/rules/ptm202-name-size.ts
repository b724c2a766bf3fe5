import { namingReports } from './naming-report';
import type { Rule } from './rule';

export const nameSize: Rule = {
  code: 'PTM202',
  name: 'name-size-mismatch',
  title: 'Model name claims another size',
  defaultSeverity: 'warning',
  scope: 'model',
  docs: {
    what:
      'Flags a size word (base, large, xl) whose family reference size (BERT large: 24 layers, 1024 hidden) the model\'s hidden size contradicts, ' +
      'and a parameter count in the name (7b, 125m) more than 25% off the real count (the difference measured against the larger of the two). ' +
      'gemma-7b (8.5B parameters) and Llama-2-7b (6.7B) are within that. Counts of quantised, GGUF and adapter repositories are not judged. ' +
      'A warning needs config.json and the weights (or the weights and the Hub\'s count) to agree; one fact alone gives information.',
    why:
      'Size decides memory, latency and accuracy. A "large" model that is base-sized, or a "7B" model with a fraction of that, is not what the code was planned for, ' +
      'and benchmarks quoted for the named size do not apply.',
    example: 'model = AutoModel.from_pretrained("someone/roberta-large-finetuned")  # 12 layers, 768 hidden',
    useInstead: 'model = AutoModel.from_pretrained("FacebookAI/roberta-large")',
    fixSafety: 'No automatic fix: the right model depends on what you need; pick one whose size matches its name, or suppress the finding after checking.',
  },
  check: (context) => namingReports('PTM202', context),
};
