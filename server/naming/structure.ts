// What a model is, from its weight layout: the architecture family its tensor names follow
// (DARA's structure vector without running the model), layer count, hidden size, vocabulary
// and parameter count. Rule-based: each family is known by the name of one tensor every
// layer has. The families' tensor names are those transformers' modelling code writes.
import type { TensorInfo } from '../hub/safetensors';

export interface LayoutFamily {
  /** Short name used in messages ("bert", "gpt2", "llama"). */
  id: string;
  /** The per-layer tensor that identifies the family; group 1 is the layer index. */
  layer: RegExp;
  /** Extra test on all names (e.g. llama's gated MLP), when the layer tensor alone is shared. */
  also?: RegExp;
  /** transformers model_types whose checkpoints have this layout. */
  modelTypes: readonly string[];
}

const LLAMA_LIKE = ['llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'qwen3', 'qwen3_moe', 'gemma', 'gemma2', 'gemma3', 'gemma3_text', 'yi', 'internlm', 'internlm2', 'baichuan', 'deepseek', 'deepseek_v2', 'deepseek_v3', 'granite', 'olmo', 'olmo2', 'cohere', 'cohere2', 'stablelm', 'smollm3', 'exaone', 'starcoder2', 'phi3', 'phimoe'];

/** Checked in order: more specific patterns first. */
export const LAYOUT_FAMILIES: readonly LayoutFamily[] = [
  { id: 'deberta', layer: /(?:^|\.)encoder\.layer\.(\d+)\.attention\.self\.query_proj\.weight$/, modelTypes: ['deberta', 'deberta-v2'] },
  { id: 'vit', layer: /(?:^|\.)encoder\.layer\.(\d+)\.attention\.attention\.query\.weight$/, modelTypes: ['vit', 'deit', 'vit_mae', 'vit_msn', 'dinov2', 'videomae', 'vivit'] },
  { id: 'mpnet', layer: /(?:^|\.)encoder\.layer\.(\d+)\.attention\.attn\.q\.weight$/, modelTypes: ['mpnet'] },
  {
    id: 'bert',
    layer: /(?:^|\.)encoder\.layer\.(\d+)\.attention\.self\.query\.weight$/,
    modelTypes: ['bert', 'roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'electra', 'ernie', 'data2vec-text', 'megatron-bert', 'roformer', 'nezha', 'layoutlm', 'luke', 'mluke', 'splinter', 'bert-generation', 'longformer', 'new', 'nomic_bert'],
  },
  { id: 'distilbert', layer: /(?:^|\.)transformer\.layer\.(\d+)\.attention\.q_lin\.weight$/, modelTypes: ['distilbert'] },
  { id: 'gpt2', layer: /(?:^|\.)h\.(\d+)\.attn\.c_attn\.weight$/, modelTypes: ['gpt2', 'gpt_bigcode', 'imagegpt'] },
  { id: 'falcon', layer: /(?:^|\.)h\.(\d+)\.self_attention\.query_key_value\.weight$/, modelTypes: ['falcon', 'RefinedWeb', 'RefinedWebModel', 'bloom'] },
  { id: 'gpt-neox', layer: /(?:^|\.)layers\.(\d+)\.attention\.query_key_value\.weight$/, modelTypes: ['gpt_neox', 'gpt_neox_japanese', 'stablelm'] },
  { id: 'gpt-neo', layer: /(?:^|\.)h\.(\d+)\.attn\.attention\.q_proj\.weight$/, modelTypes: ['gpt_neo'] },
  { id: 'gptj', layer: /(?:^|\.)h\.(\d+)\.attn\.q_proj\.weight$/, modelTypes: ['gptj', 'codegen'] },
  { id: 't5', layer: /(?:^|\.)block\.(\d+)\.layer\.0\.SelfAttention\.q\.weight$/, modelTypes: ['t5', 'mt5', 'umt5', 'longt5'] },
  { id: 'llama', layer: /(?:^|\.)layers\.(\d+)\.self_attn\.(?:q_proj|qkv_proj)\.weight$/, also: /layers\.\d+\.(?:mlp\.(?:gate_proj|gate_up_proj|experts)|block_sparse_moe)/, modelTypes: LLAMA_LIKE },
  { id: 'bart', layer: /(?:^|\.)layers\.(\d+)\.self_attn\.q_proj\.weight$/, also: /layers\.\d+\.(?:mlp\.)?fc1\./, modelTypes: ['bart', 'mbart', 'marian', 'whisper', 'pegasus', 'blenderbot', 'm2m_100', 'nllb-moe', 'opt', 'phi', 'xglm', 'speech_to_text', 'plbart'] },
];

export interface Structure {
  family: LayoutFamily;
  /** Blocks in the deepest stack (the encoder's for encoder-decoders of equal depth). */
  layers: number;
  hidden?: number;
  vocab?: number;
  /** Sum of the element counts of the tensors with a known shape. */
  parameters: number;
  /** True when every tensor's shape is known (parameters is the model's count). */
  complete: boolean;
  /** The base model's prefix inside a task model ("bert", "roberta", "model"), when present. */
  prefix?: string;
  /** The model_types this layout fits, narrowed where the layout tells them apart. */
  modelTypes: readonly string[];
}

/** Derives the structure; undefined when no known family's pattern appears. */
export function deriveStructure(tensors: readonly TensorInfo[], namesOnly: readonly string[] = []): Structure | undefined {
  const names = [...tensors.map((t) => t.name), ...namesOnly];
  for (const family of LAYOUT_FAMILIES) {
    const stacks = new Map<string, Set<number>>();
    let prefix: string | undefined;
    for (const name of names) {
      const m = family.layer.exec(name);
      if (!m) continue;
      // Encoder and decoder stacks are counted apart: "model.encoder" vs "model.decoder".
      const stack = name.slice(0, m.index);
      const indices = stacks.get(stack) ?? new Set<number>();
      indices.add(Number(m[1]));
      stacks.set(stack, indices);
      prefix ??= basePrefix(name.slice(0, m.index));
    }
    if (!stacks.size) continue;
    if (family.also && !names.some((n) => family.also!.test(n))) continue;
    const layers = Math.max(...[...stacks.values()].map((s) => Math.max(...s) + 1));
    const shapes = new Map(tensors.map((t) => [t.name, t.shape]));
    const embedding = findEmbedding(tensors);
    const hidden = embedding?.shape[1] ?? attentionWidth(family, tensors);
    const parameters = tensors.reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
    const structure: Structure = {
      family,
      layers,
      ...(hidden ? { hidden } : {}),
      ...(embedding ? { vocab: embedding.shape[0] } : {}),
      parameters,
      complete: namesOnly.length === 0,
      ...(prefix ? { prefix } : {}),
      modelTypes: narrow(family, prefix, shapes),
    };
    return structure;
  }
  return undefined;
}

/** The leading name a task model puts its base model under ("roberta" in roberta.encoder...). */
function basePrefix(before: string): string | undefined {
  const first = before.split('.')[0];
  return first && first !== 'encoder' && first !== 'decoder' ? first : undefined;
}

const EMBEDDING = /(?:^|\.)(?:word_embeddings|embed_tokens|wte|embed_in|shared|tok_embeddings)\.weight$/;

function findEmbedding(tensors: readonly TensorInfo[]): TensorInfo | undefined {
  return tensors.find((t) => EMBEDDING.test(t.name) && t.shape.length === 2);
}

/** Hidden size from the first layer's attention input when there is no embedding (vision models). */
function attentionWidth(family: LayoutFamily, tensors: readonly TensorInfo[]): number | undefined {
  const q = tensors.find((t) => family.layer.test(t.name) && t.shape.length === 2);
  if (!q) return undefined;
  // GPT-2's Conv1D stores [in, out]; every other layout stores Linear's [out, in].
  return family.id === 'gpt2' ? q.shape[0] : q.shape[1];
}

/**
 * A BERT-style layout fits bert and roberta alike, but the checkpoint tells them apart: the
 * prefix of a task model, or RoBERTa's 514 position rows and single token type.
 */
function narrow(family: LayoutFamily, prefix: string | undefined, shapes: Map<string, number[]>): readonly string[] {
  if (family.id !== 'bert') return family.modelTypes;
  if (prefix && family.modelTypes.includes(prefix)) return prefix === 'roberta' ? ROBERTA_STYLE : [prefix];
  const p = prefix ? `${prefix}.` : '';
  const positions = shapes.get(`${p}embeddings.position_embeddings.weight`)?.[0];
  const types = shapes.get(`${p}embeddings.token_type_embeddings.weight`)?.[0];
  if (positions !== undefined && types !== undefined) {
    if (positions % 2 === 0 && positions !== 514 && types === 2) return BERT_STYLE;
    if (positions === 514 || positions === 4098 || types === 1) return ROBERTA_STYLE;
  }
  return family.modelTypes;
}

/** Checkpoints saved under "roberta." (xlm-roberta and camembert keep that prefix), or with RoBERTa's embeddings. */
const ROBERTA_STYLE = ['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'data2vec-text', 'longformer', 'luke', 'mluke'];
/** BERT's embeddings: 512 (or another power of two) positions and two token types. */
const BERT_STYLE = ['bert', 'electra', 'ernie', 'megatron-bert', 'roformer', 'nezha', 'layoutlm', 'splinter', 'bert-generation', 'new', 'nomic_bert'];
