// Whether a reference builds a model (not a tokenizer, processor or config, nor a bare file
// download): the ONNX rules and the conversion-check action care only about those.
import type { ModelReference } from './types';

const MODEL_LIBRARIES = new Set(['transformers', 'optimum', 'sentence_transformers']);
const NOT_A_MODEL = /(Tokenizer|Processor|FeatureExtractor|Config)\w*$/;

export function loadsModel(reference: ModelReference): boolean {
  if (!MODEL_LIBRARIES.has(reference.library)) return false;
  return !(reference.receiver && NOT_A_MODEL.test(reference.receiver));
}
