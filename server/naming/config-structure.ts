// The structure config.json declares, under the many names transformers' configs use for
// the same thing (hidden_size, n_embd, d_model, dim; num_hidden_layers, n_layer, ...).
import type { Structure } from './structure';

export interface ConfigStructure {
  modelType?: string;
  /** e.g. ["BertForMaskedLM"]. */
  architectures: string[];
  layers?: number;
  hidden?: number;
  heads?: number;
  vocab?: number;
  /** torch_dtype / dtype, e.g. "float16". */
  dtype?: string;
  /** True when config.json declares a quantization (quantization_config). */
  quantized: boolean;
}

const LAYERS = ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers', 'encoder_layers'];
const HIDDEN = ['hidden_size', 'n_embd', 'd_model', 'dim'];
const HEADS = ['num_attention_heads', 'n_head', 'num_heads', 'n_heads', 'encoder_attention_heads'];

function first(config: Record<string, unknown>, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const v = config[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  }
  return undefined;
}

/**
 * Reads a config.json (or the Hub's condensed config). Only top-level sizes count: a
 * multimodal config's text_config or vision_config describes a part, not the model.
 */
export function configStructure(config: Record<string, unknown>): ConfigStructure {
  const pick = (keys: readonly string[]) => first(config, keys);
  const architectures = Array.isArray(config.architectures) ? config.architectures.filter((a): a is string => typeof a === 'string') : [];
  const dtype = typeof config.torch_dtype === 'string' ? config.torch_dtype : typeof config.dtype === 'string' ? config.dtype : undefined;
  const out: ConfigStructure = { architectures, quantized: typeof config.quantization_config === 'object' && config.quantization_config !== null };
  if (typeof config.model_type === 'string' && config.model_type) out.modelType = config.model_type;
  const layers = pick(LAYERS);
  const hidden = pick(HIDDEN);
  const heads = pick(HEADS);
  const vocab = pick(['vocab_size']);
  if (layers) out.layers = layers;
  if (hidden) out.hidden = hidden;
  if (heads) out.heads = heads;
  if (vocab) out.vocab = vocab;
  if (dtype) out.dtype = dtype;
  return out;
}

/** How config.json and the weights compare: each field agrees, differs, or is known on one side only. */
export interface Agreement {
  family?: boolean;
  layers?: boolean;
  hidden?: boolean;
}

export function compareConfigAndWeights(config: ConfigStructure, weights: Structure): Agreement {
  const out: Agreement = {};
  if (config.modelType) out.family = weights.modelTypes.includes(config.modelType);
  if (config.layers) out.layers = config.layers === weights.layers;
  if (config.hidden && weights.hidden) out.hidden = config.hidden === weights.hidden;
  return out;
}
