// What the model itself says, gathered from its facts once for the five naming rules:
// config.json, the weight layout's structure, the Hub's pipeline tag, tags, parameter count
// and file list.
import type { ModelFacts } from '../core/model-facts';
import { configStructure, type ConfigStructure } from './config-structure';
import { deriveStructure, type Structure } from './structure';

export interface ModelEvidence {
  modelId: string;
  /** From config.json, else from the Hub's condensed config (model_type and architectures only). */
  config?: ConfigStructure;
  /** True when `config` comes from config.json itself (so its sizes are known). */
  fullConfig: boolean;
  weights?: Structure;
  pipelineTag?: string;
  tags: string[];
  files: string[];
  /** False when the file list is what the local HF cache holds (not the whole repository). */
  filesComplete: boolean;
  /** The Hub's count of parameters in the safetensors files. */
  hubParameters?: number;
  /** Parameters per dtype, from the layout when read, else from the Hub. */
  dtypes: Record<string, number>;
}

export function evidenceOf(facts: ModelFacts | undefined): ModelEvidence | undefined {
  if (!facts?.info.ok) return undefined;
  const info = facts.info.value;
  const configFile = facts.config?.ok ? facts.config.value : undefined;
  const rawConfig = configFile ?? info.config;
  const layout = facts.layout?.ok ? facts.layout.value : undefined;
  const weights = layout ? deriveStructure(layout.tensors, layout.namesOnly) : undefined;
  const dtypes: Record<string, number> = {};
  if (layout) for (const t of layout.tensors) dtypes[t.dtype] = (dtypes[t.dtype] ?? 0) + t.shape.reduce((a, b) => a * b, 1);
  else Object.assign(dtypes, info.safetensors?.parameters ?? {});
  const evidence: ModelEvidence = {
    modelId: info.canonicalId,
    fullConfig: configFile !== undefined,
    tags: info.tags,
    files: info.siblings.map((s) => s.rfilename),
    filesComplete: !info.partial,
    dtypes,
  };
  if (rawConfig) evidence.config = configStructure(rawConfig);
  if (weights) evidence.weights = weights;
  if (info.pipeline_tag) evidence.pipelineTag = info.pipeline_tag;
  if (info.safetensors?.total) evidence.hubParameters = info.safetensors.total;
  return evidence;
}
