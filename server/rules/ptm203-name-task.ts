import { namingReports } from './naming-report';
import type { Rule } from './rule';

export const nameTask: Rule = {
  code: 'PTM203',
  name: 'name-task-mismatch',
  title: 'Model name claims another task',
  defaultSeverity: 'warning',
  scope: 'model',
  docs: {
    what:
      'Flags a task word in the name (sentiment, ner, qa, chat, summarization) that the model\'s head (config.json `architectures`, e.g. BertForMaskedLM) ' +
      'and its pipeline tag contradict. Bare models (BertModel) and generative heads for question answering are not mismatches. ' +
      'A warning needs the head and the pipeline tag to agree with each other and not with the name; one alone gives information.',
    why:
      'A model named for sentiment whose head is a masked-language-model head has no trained classifier: loading it for classification starts a random head, ' +
      'and predictions are noise unless it is fine-tuned first.',
    example: 'classifier = pipeline("text-classification", model="someone/bert-sentiment")  # head: BertForMaskedLM',
    useInstead: 'classifier = pipeline("text-classification", model="distilbert/distilbert-base-uncased-finetuned-sst-2-english")',
    fixSafety: 'No automatic fix: choose a model trained for the task, or fine-tune this one first.',
  },
  check: (context) => namingReports('PTM203', context),
};
