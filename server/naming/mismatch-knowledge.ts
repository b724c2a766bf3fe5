// What the naming rules compare against: which model types a claimed architecture may load
// as (known relations are not mismatches), the sizes that size words mean per family, and
// what task words and model heads say. Sizes are facts from the public config.json files
// of the reference checkpoints (google-bert/bert-base-uncased, FacebookAI/roberta-large,
// openai/whisper-*, google/vit-*, google-t5/t5-*, openai-community/gpt2-*, ...).

const LLAMA_LIKE = ['llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'qwen3', 'qwen3_moe', 'yi', 'internlm', 'internlm2', 'baichuan', 'deepseek', 'deepseek_v2', 'deepseek_v3', 'granite', 'olmo', 'olmo2', 'cohere', 'smollm3', 'exaone', 'phi3'];
const GEMMA = ['gemma', 'gemma2', 'gemma3', 'gemma3_text'];
const BERT_LIKE = [
  'bert', 'distilbert', 'roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'electra', 'albert', 'mobilebert', 'megatron-bert', 'roformer', 'nezha', 'ernie', 'modernbert',
  'nomic_bert', 'new', 'mpnet', 'deberta', 'deberta-v2', 'convbert', 'squeezebert', 'layoutlm', 'longformer', 'luke', 'mluke', 'bert-generation', 'data2vec-text', 'esm', 'big_bird',
];
const ROBERTA_LIKE = ['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'longformer', 'luke', 'mluke', 'data2vec-text'];

/**
 * Claimed architecture (a transformers model_type) -> the model types it may load as. "bert"
 * is used loosely for any BERT-style encoder; llama-derived families accept each other
 * (llamafied conversions are common). A claim not listed here is never judged.
 */
const ACCEPTS: Record<string, readonly string[]> = {
  bert: BERT_LIKE,
  roberta: ROBERTA_LIKE,
  'xlm-roberta': ROBERTA_LIKE,
  camembert: ['camembert', 'roberta'],
  distilbert: ['distilbert'],
  electra: ['electra'],
  albert: ['albert'],
  deberta: ['deberta', 'deberta-v2'],
  'deberta-v2': ['deberta', 'deberta-v2'],
  mpnet: ['mpnet'],
  gpt2: ['gpt2'],
  gpt_neo: ['gpt_neo'],
  gptj: ['gptj'],
  gpt_neox: ['gpt_neox'],
  bloom: ['bloom'],
  opt: ['opt'],
  falcon: ['falcon', 'RefinedWeb', 'RefinedWebModel'],
  llama: LLAMA_LIKE,
  mistral: LLAMA_LIKE,
  mixtral: LLAMA_LIKE,
  qwen2: LLAMA_LIKE,
  qwen3: LLAMA_LIKE,
  gemma: GEMMA,
  gemma2: GEMMA,
  gemma3: GEMMA,
  phi: ['phi', 'phi3', 'phimoe', 'phi-msft', 'mixformer-sequential'],
  phi3: ['phi3', 'phi', 'phimoe', 'llama', 'mistral'],
  t5: ['t5', 'mt5', 'umt5', 'longt5'],
  mt5: ['mt5', 't5', 'umt5'],
  umt5: ['umt5', 'mt5', 't5'],
  bart: ['bart', 'mbart'],
  mbart: ['mbart', 'bart'],
  marian: ['marian'],
  whisper: ['whisper'],
  vit: ['vit', 'deit', 'vit_mae', 'vit_msn', 'dinov2'],
  wav2vec2: ['wav2vec2', 'wav2vec2-conformer', 'wav2vec2-bert', 'hubert', 'wavlm', 'data2vec-audio'],
  gpt_bigcode: ['gpt_bigcode', 'starcoder2'],
};

/** The model types a claimed architecture may load as; undefined when the claim is not judged. */
export function acceptedModelTypes(claimed: string): readonly string[] | undefined {
  return ACCEPTS[claimed];
}

export interface SizeReference {
  layers: number;
  hidden: number;
}

const S = (layers: number, hidden: number): SizeReference => ({ layers, hidden });
const ENCODER = { base: S(12, 768), large: S(24, 1024) };

/** Family -> size word -> the reference checkpoint's layers and hidden size. Only sizes every checkpoint of the family shares. */
const SIZES: Record<string, Record<string, SizeReference>> = {
  bert: ENCODER,
  roberta: ENCODER,
  'xlm-roberta': { ...ENCODER, xl: S(36, 2560), xxl: S(48, 4096) },
  camembert: ENCODER,
  electra: { small: S(12, 256), ...ENCODER },
  albert: { ...ENCODER, xlarge: S(24, 2048), xxlarge: S(12, 4096) },
  deberta: ENCODER,
  'deberta-v2': ENCODER,
  distilbert: { base: S(6, 768) },
  mpnet: { base: S(12, 768) },
  t5: { small: S(6, 512), base: S(12, 768), large: S(24, 1024), xl: S(24, 2048), xxl: S(24, 4096) },
  mt5: { small: S(8, 512), base: S(12, 768), large: S(24, 1024), xl: S(24, 2048), xxl: S(24, 4096) },
  bart: { base: S(6, 768), large: S(12, 1024) },
  vit: { tiny: S(12, 192), small: S(12, 384), base: S(12, 768), large: S(24, 1024), huge: S(32, 1280) },
  whisper: { tiny: S(4, 384), base: S(6, 512), small: S(12, 768), medium: S(24, 1024), large: S(32, 1280) },
  gpt2: { small: S(12, 768), medium: S(24, 1024), large: S(36, 1280), xl: S(48, 1600) },
  wav2vec2: ENCODER,
};

export function sizeReference(family: string | undefined, size: string | undefined): SizeReference | undefined {
  return family && size ? SIZES[family]?.[size] : undefined;
}

/** What a model is for, in the terms of a head class or a pipeline tag. */
export type TaskKind = 'classification' | 'token' | 'qa' | 'fill-mask' | 'generation' | 'seq2seq' | 'embedding';

/** Task words in names -> kind. Only words whose meaning fixes the head. */
const TASK_WORDS: Record<string, TaskKind> = {
  sentiment: 'classification', classification: 'classification', classifier: 'classification', 'text-classification': 'classification', emotion: 'classification',
  toxicity: 'classification', toxic: 'classification', 'hate-speech': 'classification', spam: 'classification', nli: 'classification', mnli: 'classification',
  reranker: 'classification', 'cross-encoder': 'classification', 'sequence-classification': 'classification', 'zero-shot': 'classification', 'zero-shot-classification': 'classification',
  ner: 'token', pos: 'token', 'token-classification': 'token', 'named-entity-recognition': 'token', chunking: 'token',
  qa: 'qa', 'question-answering': 'qa', squad: 'qa',
  chat: 'generation', instruct: 'generation', coder: 'generation', 'text-generation': 'generation',
  summarization: 'seq2seq', translation: 'seq2seq', summarize: 'seq2seq', 'text2text-generation': 'seq2seq',
};

export function taskKindOfWord(word: string): TaskKind | undefined {
  return TASK_WORDS[word.toLowerCase()];
}

/** A head class name (config.json `architectures`) -> kind; bare models (BertModel) say nothing. */
export function taskKindOfHead(head: string): TaskKind | undefined {
  if (/ForSequenceClassification$/.test(head)) return 'classification';
  if (/ForTokenClassification$/.test(head)) return 'token';
  if (/ForQuestionAnswering$/.test(head)) return 'qa';
  if (/For(MaskedLM|PreTraining)$/.test(head)) return 'fill-mask';
  if (/(ForCausalLM|LMHeadModel)$/.test(head)) return 'generation';
  if (/(ForConditionalGeneration|Seq2SeqLM)$/.test(head)) return 'seq2seq';
  return undefined;
}

const PIPELINE: Record<string, TaskKind> = {
  'text-classification': 'classification', 'zero-shot-classification': 'classification', 'text-ranking': 'classification',
  'token-classification': 'token', 'question-answering': 'qa', 'fill-mask': 'fill-mask',
  'text-generation': 'generation', 'text2text-generation': 'seq2seq', summarization: 'seq2seq', translation: 'seq2seq',
  'feature-extraction': 'embedding', 'sentence-similarity': 'embedding',
};

export function taskKindOfPipeline(tag: string): TaskKind | undefined {
  return PIPELINE[tag];
}

/** Which kinds a claimed kind is consistent with (generative models answer questions and summarise too). */
const CONSISTENT: Record<TaskKind, readonly TaskKind[]> = {
  classification: ['classification'],
  token: ['token'],
  qa: ['qa', 'generation', 'seq2seq'],
  'fill-mask': ['fill-mask'],
  generation: ['generation', 'seq2seq'],
  seq2seq: ['seq2seq', 'generation'],
  embedding: ['embedding'],
};

export function taskConsistent(claimed: TaskKind, actual: TaskKind): boolean {
  return CONSISTENT[claimed].includes(actual);
}

export const TASK_LABEL: Record<TaskKind, string> = {
  classification: 'sequence classification', token: 'token classification', qa: 'question answering', 'fill-mask': 'masked language modelling',
  generation: 'text generation', seq2seq: 'sequence-to-sequence generation', embedding: 'embeddings',
};
