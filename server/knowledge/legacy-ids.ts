// The un-namespaced model ids the Hub moved under an owner in February 2024 (the
// "canonical" models of transformers' early days). The Hub still answers the old names
// through redirects; this list lets PTM104 name the new id without asking it.
//
// Source: huggingface/transformers, src/transformers/models/deprecated/_archive_maps.py
// (v4.39; the archive maps list each checkpoint under its new owner), and the list of plain
// transformer ids in sentence-transformers' SentenceTransformer loader, which names the same
// 68 legacy ids. Facts only; nothing else is taken from either.

const MOVES: Record<string, string[]> = {
  albert: ['albert-base-v1', 'albert-large-v1', 'albert-xlarge-v1', 'albert-xxlarge-v1', 'albert-base-v2', 'albert-large-v2', 'albert-xlarge-v2', 'albert-xxlarge-v2'],
  'google-bert': [
    'bert-base-uncased',
    'bert-large-uncased',
    'bert-base-cased',
    'bert-large-cased',
    'bert-base-multilingual-uncased',
    'bert-base-multilingual-cased',
    'bert-base-chinese',
    'bert-base-german-cased',
    'bert-large-uncased-whole-word-masking',
    'bert-large-cased-whole-word-masking',
    'bert-large-uncased-whole-word-masking-finetuned-squad',
    'bert-large-cased-whole-word-masking-finetuned-squad',
    'bert-base-cased-finetuned-mrpc',
    'bert-base-german-dbmdz-cased',
    'bert-base-german-dbmdz-uncased',
  ],
  almanach: ['camembert-base'],
  Salesforce: ['ctrl'],
  distilbert: [
    'distilbert-base-uncased',
    'distilbert-base-uncased-distilled-squad',
    'distilbert-base-cased',
    'distilbert-base-cased-distilled-squad',
    'distilbert-base-german-cased',
    'distilbert-base-multilingual-cased',
    'distilbert-base-uncased-finetuned-sst-2-english',
    'distilgpt2',
    'distilroberta-base',
  ],
  'openai-community': ['gpt2', 'gpt2-medium', 'gpt2-large', 'gpt2-xl', 'openai-gpt', 'roberta-base-openai-detector', 'roberta-large-openai-detector'],
  FacebookAI: [
    'roberta-base',
    'roberta-large',
    'roberta-large-mnli',
    'xlm-roberta-base',
    'xlm-roberta-large',
    'xlm-roberta-large-finetuned-conll02-dutch',
    'xlm-roberta-large-finetuned-conll02-spanish',
    'xlm-roberta-large-finetuned-conll03-english',
    'xlm-roberta-large-finetuned-conll03-german',
    'xlm-mlm-en-2048',
    'xlm-mlm-ende-1024',
    'xlm-mlm-enfr-1024',
    'xlm-mlm-enro-1024',
    'xlm-mlm-tlm-xnli15-1024',
    'xlm-mlm-xnli15-1024',
    'xlm-clm-enfr-1024',
    'xlm-clm-ende-1024',
    'xlm-mlm-17-1280',
    'xlm-mlm-100-1280',
  ],
  'google-t5': ['t5-small', 't5-base', 't5-large', 't5-3b', 't5-11b'],
  'transfo-xl': ['transfo-xl-wt103'],
  xlnet: ['xlnet-base-cased', 'xlnet-large-cased'],
};

/** Lower-cased legacy id -> canonical id. */
export const LEGACY_IDS: ReadonlyMap<string, string> = new Map(
  Object.entries(MOVES).flatMap(([owner, names]) => names.map((name) => [name.toLowerCase(), `${owner}/${name}`] as [string, string])),
);

/** The id the Hub names a legacy id by now, or undefined when `id` is not one of them. */
export function canonicalForLegacyId(id: string): string | undefined {
  return id.includes('/') ? undefined : LEGACY_IDS.get(id.toLowerCase());
}
