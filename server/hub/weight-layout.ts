// A model's weight layout (tensor names, dtypes, shapes) from its safetensors headers:
// `model.safetensors` on its own, or the shards `model.safetensors.index.json` names.
// Only headers are read (range requests), never weights; at most MAX_SHARDS shard headers.
import { elementCount, type SafetensorsHeader, type SafetensorsIndex, type TensorInfo } from './safetensors';
import { hubErr, hubOk, type HubResult, type LookupOptions, type ModelInfo } from './types';

/** Shard headers read per model; the names of the other shards' tensors still come from the index. */
export const MAX_SHARDS = 8;

export interface WeightLayout {
  /** `model.safetensors`, or `model.safetensors.index.json` for a sharded checkpoint. */
  source: 'single' | 'sharded';
  /** The safetensors files whose headers were read. */
  files: string[];
  /** Shard files in the checkpoint (1 when not sharded). */
  shardCount: number;
  /** Tensors whose shape is known. */
  tensors: TensorInfo[];
  /** Tensors the index names in shards that were not read: names only. */
  namesOnly: string[];
  /** True when every tensor's shape is known, so the parameter count is exact. */
  complete: boolean;
  /** Sum of the known tensors' element counts. */
  parameters: number;
  /** Shards that could not be read, and why. */
  problems: string[];
}

/** What reading a layout needs from a Hub (the client and the fixture hub both have it). */
export interface SafetensorsSource {
  safetensorsHeader(id: string, file: string, options?: LookupOptions): Promise<HubResult<SafetensorsHeader>>;
  safetensorsIndex(id: string, options?: LookupOptions): Promise<HubResult<SafetensorsIndex>>;
}

export function hasSafetensorsSource(hub: object): hub is SafetensorsSource {
  const h = hub as Partial<SafetensorsSource>;
  return typeof h.safetensorsHeader === 'function' && typeof h.safetensorsIndex === 'function';
}

/** The root checkpoint a repository has, judged from its file list; undefined when none. */
export function rootCheckpoint(files: readonly string[]): 'single' | 'sharded' | undefined {
  if (files.includes('model.safetensors')) return 'single';
  if (files.includes('model.safetensors.index.json')) return 'sharded';
  return undefined;
}

/** Reads the layout of the model's root safetensors checkpoint; undefined when it has none. */
export async function readWeightLayout(hub: SafetensorsSource, info: ModelInfo): Promise<HubResult<WeightLayout> | undefined> {
  const files = info.siblings.map((s) => s.rfilename);
  const kind = rootCheckpoint(files);
  if (!kind) return undefined;
  const id = info.canonicalId;
  const options: LookupOptions = info.sha ?? info.revision ? { revision: info.sha ?? info.revision } : {};
  if (kind === 'single') {
    const header = await hub.safetensorsHeader(id, 'model.safetensors', options);
    if (!header.ok) return header;
    return hubOk(layoutOf('single', ['model.safetensors'], 1, header.value.tensors, [], []), header.source);
  }
  const index = await hub.safetensorsIndex(id, options);
  if (!index.ok) return index;
  const shards = [...new Set(Object.values(index.value.weightMap))].sort();
  const read = shards.slice(0, MAX_SHARDS);
  const headers = await Promise.all(read.map((file) => hub.safetensorsHeader(id, file, options)));
  const tensors: TensorInfo[] = [];
  const problems: string[] = [];
  const readFiles: string[] = [];
  headers.forEach((h, i) => {
    if (h.ok) {
      tensors.push(...h.value.tensors);
      readFiles.push(read[i]);
    } else problems.push(`${read[i]}: ${h.error.message}`);
  });
  if (!readFiles.length) return hubErr(headers.find((h) => !h.ok)?.error.kind ?? 'malformed', `no shard header of "${id}" could be read (${problems[0] ?? 'none'})`);
  const known = new Set(tensors.map((t) => t.name));
  const namesOnly = Object.keys(index.value.weightMap).filter((name) => !known.has(name));
  return hubOk(layoutOf('sharded', readFiles, shards.length, tensors, namesOnly, problems), index.source);
}

function layoutOf(source: WeightLayout['source'], files: string[], shardCount: number, tensors: TensorInfo[], namesOnly: string[], problems: string[]): WeightLayout {
  const parameters = tensors.reduce((sum, t) => sum + elementCount(t.shape), 0);
  return { source, files, shardCount, tensors, namesOnly, complete: namesOnly.length === 0 && problems.length === 0, parameters, problems };
}
