import { namingReports } from './naming-report';
import type { Rule } from './rule';

export const nameFormat: Rule = {
  code: 'PTM205',
  name: 'name-format-mismatch',
  title: 'Model name claims a format or precision its files lack',
  defaultSeverity: 'warning',
  scope: 'model',
  docs: {
    what:
      'Flags a format in the name (gguf, onnx, openvino, tf) with no file of that format in the repository, and a precision (fp16, bf16, fp32) ' +
      'that the safetensors weights\' dtypes do not have. Quantised repositories (a quantization_config, GGUF or ONNX files) are not judged on precision. ' +
      'A missing format is information; a precision is a warning when config.json\'s torch_dtype agrees with the weights.',
    why:
      'A name promising ONNX or GGUF files leads to code that expects them (an ONNX runtime, llama.cpp) and fails at run time; ' +
      'a name promising fp16 weights that are fp32 doubles the download and memory.',
    example: 'path = hf_hub_download("someone/bert-base-onnx", "model.onnx")  # the repository has only safetensors',
    useInstead: 'path = hf_hub_download("someone/bert-base-onnx", "model.safetensors")  # or export to ONNX yourself',
    fixSafety: 'No automatic fix: pick the file that exists, or a repository that has the format you need.',
  },
  check: (context) => namingReports('PTM205', context),
};
