// What the Hub says about one model, as the rules and surfaces see it. The engine
// gathers these; rules only read them, so the type lives below both.
import type { HubResult, ModelInfo } from '../hub/types';

export interface ModelFacts {
  info: HubResult<ModelInfo>;
  /** The model card; absent when not fetched (model not found, gated, or card rules off). */
  readme?: HubResult<string>;
}

export interface FactsProvider {
  /** Undefined when the provider chooses not to wait (the language server asks again later). */
  get(modelId: string, revision?: string): Promise<ModelFacts | undefined>;
}
