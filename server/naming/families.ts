// Which architecture names mean the same model type, and which model types derive from which,
// so that "distilbert" against a bert config or "deberta-v3" against deberta-v2 is not a mismatch.
import modelTypes from './data/model-types.json';
import { normalizeWord } from './vocabulary';

/**
 * Name written in a model name -> the transformers `model_type` it loads as. Only unambiguous
 * names: "e5" (bert or xlm-roberta) and "minilm" (bert, xlm-roberta) are families, not types.
 */
const NAME_TO_MODEL_TYPE_WRITTEN: Record<string, string> = {
  'xlm-r': 'xlm-roberta', xlmr: 'xlm-roberta', 'xlm-roberta': 'xlm-roberta',
  'gpt-2': 'gpt2', gpt2: 'gpt2', distilgpt2: 'gpt2', dialogpt: 'gpt2',
  'gpt-j': 'gptj', gptj: 'gptj', 'gpt-neo': 'gpt_neo', 'gpt-neox': 'gpt_neox', pythia: 'gpt_neox',
  'flan-t5': 't5', t5: 't5', 'flan-ul2': 't5', ul2: 't5', byt5: 't5', 'prot-t5': 't5', prott5: 't5', 'sentence-t5': 't5', 'gtr-t5': 't5', codet5: 't5',
  mt5: 'mt5', mt0: 'mt5', umt5: 'umt5',
  llama: 'llama', llama2: 'llama', llama3: 'llama', codellama: 'llama', tinyllama: 'llama', 'open-llama': 'llama', openllama: 'llama', vicuna: 'llama', alpaca: 'llama', wizardlm: 'llama',
  qwen: 'qwen2', qwen2: 'qwen2', 'qwen1.5': 'qwen2', 'qwen2.5': 'qwen2', qwq: 'qwen2', qwen3: 'qwen3',
  mistral: 'mistral', zephyr: 'mistral', mixtral: 'mixtral',
  phi: 'phi', 'phi-2': 'phi', 'phi-3': 'phi3', phi3: 'phi3', 'phi-4': 'phi3',
  gemma: 'gemma', codegemma: 'gemma', gemma2: 'gemma2', gemma3: 'gemma3',
  deberta: 'deberta', mdeberta: 'deberta-v2', 'deberta-v2': 'deberta-v2',
  distilroberta: 'roberta', bertweet: 'roberta', codebert: 'roberta', graphcodebert: 'roberta', chemberta: 'roberta',
  biobert: 'bert', scibert: 'bert', pubmedbert: 'bert', finbert: 'bert', bioclinicalbert: 'bert', clinicalbert: 'bert', sapbert: 'bert', rubert: 'bert', bertimbau: 'bert', mbert: 'bert', labse: 'bert', muril: 'bert', tinybert: 'bert', protbert: 'bert', 'prot-bert': 'bert', spanbert: 'bert',
  distilbert: 'distilbert', 'distil-whisper': 'whisper', 'wav2vec': 'wav2vec2', wav2vec2: 'wav2vec2', 'm2m100': 'm2m_100', 'm2m-100': 'm2m_100', 'opus-mt': 'marian', opus: 'marian', marian: 'marian',
  'blip-2': 'blip-2', blip2: 'blip-2', starcoder: 'gpt_bigcode', starcoderbase: 'gpt_bigcode', santacoder: 'gpt_bigcode',
  bloomz: 'bloom', 'stable-diffusion': 'stable-diffusion', falcon: 'falcon', esm2: 'esm', esm1b: 'esm', esm1v: 'esm',
};

const NAME_TO_MODEL_TYPE = new Map(Object.entries(NAME_TO_MODEL_TYPE_WRITTEN).map(([name, type]) => [normalizeWord(name), type]));
/** Normalized model type ('rt-detr') -> as transformers writes it ('rt_detr'). */
const MODEL_TYPE_SPELLING = new Map(modelTypes.modelTypes.map((t) => [normalizeWord(t), t]));

/**
 * Model type -> the family it derives from (one level up). distilbert is a bert, xlm-roberta a
 * roberta, roberta a bert; llama-derived families descend from llama.
 */
const PARENT: Record<string, string> = {
  distilbert: 'bert', roberta: 'bert', 'xlm-roberta': 'roberta', camembert: 'roberta', 'xlm-roberta-xl': 'xlm-roberta',
  albert: 'bert', electra: 'bert', mobilebert: 'bert', squeezebert: 'bert', convbert: 'bert', 'megatron-bert': 'bert', modernbert: 'bert', neobert: 'bert', eurobert: 'bert', nomic_bert: 'bert', roformer: 'bert', minilm: 'bert',
  'deberta-v2': 'deberta', mpnet: 'bert', longformer: 'roberta', luke: 'roberta', mluke: 'xlm-roberta', e5: 'bert', bge: 'bert', gte: 'bert',
  mistral: 'llama', mixtral: 'mistral', qwen2: 'llama', qwen2_moe: 'qwen2', qwen3: 'qwen2', qwen3_moe: 'qwen3', yi: 'llama', deepseek: 'llama', internlm: 'llama', baichuan: 'llama', granite: 'llama', olmo: 'llama', smollm3: 'llama', phi3: 'phi', gemma2: 'gemma', gemma3: 'gemma2', gemma3_text: 'gemma3', cohere2: 'cohere',
  mt5: 't5', umt5: 'mt5', longt5: 't5', mbart: 'bart', marian: 'bart', blenderbot: 'bart', pegasus: 'bart',
  gptj: 'gpt2', gpt_neo: 'gpt2', gpt_neox: 'gpt2', gpt_bigcode: 'gpt2', codegen: 'gptj', opt: 'gpt2', bloom: 'gpt2',
  deit: 'vit', beit: 'vit', vit_mae: 'vit', vit_msn: 'vit', dinov2: 'vit', convnextv2: 'convnext', swinv2: 'swin', 'donut-swin': 'swin',
  wavlm: 'wav2vec2', hubert: 'wav2vec2', unispeech: 'wav2vec2', 'unispeech-sat': 'wav2vec2', 'wav2vec2-bert': 'wav2vec2', 'lite-whisper': 'whisper',
};

/** Extra names dara or later rules register (kept apart so the tables above stay data). */
const added: Record<string, string> = {};

/** Registers `name` as belonging to `parent` (e.g. a new llama-derived family). */
export function addFamilyEntry(name: string, parent: string): void {
  added[normalizeKey(name)] = normalizeKey(parent);
}

const normalizeKey = (name: string) => canonicalArchitecture(name);

/**
 * The transformers model_type a name written in a model id loads as, when it is unambiguous;
 * otherwise the name itself, lower case with '-' between words ('minilm', 'e5').
 */
export function canonicalArchitecture(name: string, version?: string): string {
  const key = normalizeWord(name);
  const v = version?.toLowerCase().replace(/^v/, '');
  // The version decides the type for a few families: deberta-v3 loads as deberta-v2, Llama-2 stays llama.
  if (key === 'deberta' && v && /^[23]/.test(v)) return 'deberta-v2';
  if (key === 'phi' && v && /^[34]/.test(v)) return 'phi3';
  if (key === 'gemma' && v && /^2/.test(v)) return 'gemma2';
  if (key === 'gemma' && v && /^3/.test(v)) return 'gemma3';
  if (key === 'qwen' && v && /^3/.test(v)) return 'qwen3';
  return NAME_TO_MODEL_TYPE.get(key) ?? MODEL_TYPE_SPELLING.get(key) ?? key;
}

/**
 * The chain of families a name or model type belongs to, itself first:
 * architectureFamily('distilbert') -> ['distilbert', 'bert'];
 * architectureFamily('xlm-roberta') -> ['xlm-roberta', 'roberta', 'bert'].
 */
export function architectureFamily(name: string): string[] {
  const chain: string[] = [];
  let current: string | undefined = canonicalArchitecture(name);
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = added[current] ?? PARENT[current];
  }
  return chain;
}

/** Whether two architecture names (or model types) are the same model or one derives from the other. */
export function sameFamily(a: string, b: string): boolean {
  const fa = architectureFamily(a);
  const fb = architectureFamily(b);
  return fa.includes(fb[0]) || fb.includes(fa[0]);
}
