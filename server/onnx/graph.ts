// What PTM Lens knows about an ONNX model after reading it: plain data, no protobuf
// objects, so rules, the CLI and the editor share it.

export interface OnnxNode {
  /** The node's name, or a generated "OpType_N" when the file leaves it empty. */
  name: string;
  opType: string;
  /** "" for the default ONNX domain ("ai.onnx" is folded into ""). */
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Name of the subgraph holder ("If_3/then_branch") when the node sits in a subgraph. */
  subgraph?: string;
}

export interface OnnxValue {
  name: string;
  /** ONNX type string, e.g. "tensor(float)"; "unknown" when the file gives none. */
  type: string;
  /** Per dimension: a size, a symbolic name (dynamic), or null (unknown). Absent for unknown rank. */
  shape?: (number | string | null)[];
}

export interface OnnxInitializers {
  count: number;
  /** Bytes of weight data stored inside the file. */
  bytes: number;
  /** Tensors whose data lives in other files (never read). */
  external: { count: number; bytes: number; files: string[] };
}

export interface OnnxGraph {
  irVersion: number;
  /** Domain ("" for the default) -> opset version the model imports. */
  opsets: Record<string, number>;
  producer: { name: string; version: string };
  /** Every node in graph order, subgraph nodes after their holder. */
  nodes: OnnxNode[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  initializers: OnnxInitializers;
  /** Model-local functions ("domain::name" keys, as opKey spells them): ops the model defines itself. */
  functions?: string[];
}

/** Folds the default domain's long name into "". */
export function normalizeDomain(domain: string | null | undefined): string {
  return !domain || domain === 'ai.onnx' ? '' : domain;
}

/** "Conv" for the default domain, "com.microsoft::FusedConv" for others. */
export function opKey(node: { domain: string; opType: string }): string {
  return node.domain ? `${node.domain}::${node.opType}` : node.opType;
}

/** Op histogram: opKey -> count, sorted by key. */
export function opHistogram(graph: OnnxGraph): Record<string, number> {
  const counts = new Map<string, number>();
  for (const node of graph.nodes) counts.set(opKey(node), (counts.get(opKey(node)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The opset version a node of this domain runs at, if the model imports the domain. */
export function opsetFor(graph: OnnxGraph, domain: string): number | undefined {
  return graph.opsets[domain];
}
