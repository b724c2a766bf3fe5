import table from '../onnx/data/export-support.json';
import opsets from '../onnx/data/minimum-opsets.json';
import { loadsModel } from '../core/model-loads';
import type { Rule } from './rule';

const EXPORTABLE = new Set(table.exportableModelTypes);
const MINIMUM_OPSET: Record<string, number> = opsets.minimumOpset;
const GENERATION_HEAD = new RegExp(table.generationHeads.pattern);
export const onnxExportRisk: Rule = {
  code: 'PTM501',
  name: 'onnx-export-risk',
  title: 'Model likely to hit ONNX export trouble',
  scope: 'model',
  defaultSeverity: 'info',
  docs: {
    what:
      'Reads the model\'s Hub metadata (its config: `model_type`, `architectures`, `auto_map`) and says when exporting it to ONNX is likely to need work: ' +
      'custom modeling code loaded with `trust_remote_code=True`, a model type no exporter config covers, a generation head whose decoding loop and key/value cache are not one traced graph, ' +
      'or a model type whose export needs a later ONNX opset than the one the project targets (`thresholds.onnx-target-opset` in the config file, `ptmLens.rules.onnxTargetOpset` in the editor; default 17).',
    why:
      'Converters most often fail by crashing, and node conversion is where most of their defects sit (Jajal et al., ISSTA 2024). ' +
      'Models whose architecture has an export config in optimum are exported with known inputs, dynamic axes and past-key-value variants; ' +
      'other models go through a raw trace of Python code, where data-dependent control flow is frozen or fails. ' +
      'An export at an opset below what the graph needs fails, or falls back to slower decompositions, because the ops it uses do not exist there yet. ' +
      `Source of the model type list: ${table.source} Source of the minimum opsets: ${opsets.source}`,
    example: 'model = AutoModel.from_pretrained("org/custom-model", trust_remote_code=True)\n# later: torch.onnx.export(model, ...)',
    useInstead:
      '# Check the export before relying on it:\n# ptm-lens check-onnx --model org/custom-model --python .venv/bin/python\n' +
      '# or pick a model whose architecture has an ONNX export config.',
    fixSafety: 'No automatic fix. The finding is a heads-up; the conversion check (PTM Lens: Run ONNX Conversion Check) gives the verdict.',
  },
  check({ reference, facts, thresholds }) {
    const info = facts?.info;
    if (!info?.ok || !loadsModel(reference)) return [];
    const config = info.value.config;
    if (!config) return [];
    const modelType = typeof config.model_type === 'string' ? config.model_type : undefined;
    const architectures = Array.isArray(config.architectures) ? config.architectures.filter((a): a is string => typeof a === 'string') : [];
    const reasons: string[] = [];
    const remote = reference.options.trust_remote_code;
    if (config.auto_map && typeof config.auto_map === 'object' && remote?.resolved && remote.value === true) {
      reasons.push('it runs custom modeling code from the repository (auto_map with trust_remote_code=True), which no exporter config covers');
    }
    if (modelType && !EXPORTABLE.has(modelType)) {
      reasons.push(`optimum has no ONNX export config for model_type '${modelType}', so torch.onnx.export must trace it as is`);
    }
    const head = architectures.find((a) => GENERATION_HEAD.test(a));
    if (head && reasons.length) {
      reasons.push(`${head} generates step by step: the decoding loop and its key/value cache are not part of one traced graph`);
    }
    const needed = modelType ? MINIMUM_OPSET[modelType] : undefined;
    if (needed && needed > thresholds.onnxTargetOpset) {
      reasons.push(`optimum exports model_type '${modelType}' at opset ${needed} or later, because its graph uses ops that earlier opsets lack, and the project targets opset ${thresholds.onnxTargetOpset}`);
    }
    if (!reasons.length) return [];
    return [{ message: `ONNX export of '${reference.modelId}' is likely to need work: ${reasons.join('; ')}. Run the conversion check before relying on an export.` }];
  },
};
