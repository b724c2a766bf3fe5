// What the Hub says about one model, as the rules and surfaces see it. The engine
// gathers these; rules only read them, so the type lives below both.
import type { HubResult, ModelConfig, ModelInfo } from '../hub/types';
import type { WeightLayout } from '../hub/weight-layout';

export interface ModelFacts {
  info: HubResult<ModelInfo>;
  /** The model card; absent when not fetched (model not found, gated, or card rules off). */
  readme?: HubResult<string>;
  /**
   * The models this one was trained or merged from (`base_model` in card data), followed
   * recursively, breadth first; absent when the card names none or lookups were not made.
   */
  baseModels?: BaseModelFact[];
  /** config.json (model_type, architectures, hidden size, layers, heads, vocab); absent when the repository has none. */
  config?: HubResult<ModelConfig>;
  /** Tensor names, dtypes and shapes from the safetensors headers; absent when there is no root safetensors checkpoint. */
  layout?: HubResult<WeightLayout>;
}

export interface BaseModelFact {
  /** The id as the child's card names it. */
  modelId: string;
  /** The canonical id of the model whose card names it. */
  childId: string;
  /** 1 for a direct parent of the loaded model. */
  depth: number;
  /** The Hub's answer; absent where the chain stops. */
  info?: HubResult<ModelInfo>;
  /** Why the chain was not followed here: the id was met before (a cycle, or an ancestor two parents of a merge share), the chain is too deep, or the id is no Hub id. */
  stop?: 'repeated' | 'too-deep' | 'invalid-id';
}

export interface FactsProvider {
  /** Undefined when the provider chooses not to wait (the language server asks again later). */
  get(modelId: string, revision?: string): Promise<ModelFacts | undefined>;
}
