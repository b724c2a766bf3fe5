import { namingReports } from './naming-report';
import type { Rule } from './rule';

export const nameArchitecture: Rule = {
  code: 'PTM201',
  name: 'name-architecture-mismatch',
  title: 'Model name claims another architecture',
  defaultSeverity: 'warning',
  scope: 'model',
  docs: {
    what:
      'Flags a model whose name claims an architecture (roberta, llama, gpt2) that its config.json `model_type` and its weight layout contradict. ' +
      'The weight layout is read from the safetensors headers (tensor names such as `encoder.layer.N.attention.self.query` or `transformer.h.N.attn.c_attn`), never the weights. ' +
      'A warning needs config.json and the weights to agree with each other and not with the name; one fact alone gives information. ' +
      'Known relations are not mismatches: distilbert and roberta are BERT-style, xlm-roberta and roberta, deberta-v3 loading as deberta-v2, llama-derived families.',
    why:
      'Engineers pick a model by its name. A model named roberta-large that is a BERT-base classifier has another tokenizer, another size and other ' +
      'accuracy than the name promises, and code written for the named architecture (tokenizer, layer names for fine-tuning, ONNX export settings) breaks or silently underperforms. ' +
      'The PTM naming study found such naming defects common on the Hub.',
    example: 'model = AutoModelForSequenceClassification.from_pretrained("textminer/roberta-large-imdb-sentiment")  # config and weights are BERT',
    useInstead: 'model = AutoModelForSequenceClassification.from_pretrained("textminer/roberta-large-imdb-sentiment")  # ptm-lens: ignore[PTM201] checked: BERT tokenizer used',
    fixSafety: 'No automatic fix: choose a model whose name matches what it is, or load it knowing what it is (its tokenizer and size) and suppress the finding.',
  },
  check: (context) => namingReports('PTM201', context),
};
