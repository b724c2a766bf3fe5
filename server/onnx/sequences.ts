// Finds chains of ops in a graph where each node consumes an output of the one before
// (data flow, not file order), e.g. Mul -> Softmax -> MatMul.
import type { OnnxGraph, OnnxNode } from './graph';

/** Every chain of nodes whose op types (default domain) spell `ops` along data-flow edges. */
export function findOpSequences(graph: OnnxGraph, ops: readonly string[]): OnnxNode[][] {
  const consumers = new Map<string, OnnxNode[]>();
  for (const node of graph.nodes) {
    for (const input of new Set(node.inputs)) {
      if (input) (consumers.get(input) ?? consumers.set(input, []).get(input)!).push(node);
    }
  }
  const matches: OnnxNode[][] = [];
  const extend = (chain: OnnxNode[]): void => {
    if (chain.length === ops.length) {
      matches.push(chain);
      return;
    }
    const last = chain[chain.length - 1];
    const next = new Set<OnnxNode>();
    for (const output of last.outputs) for (const consumer of consumers.get(output) ?? []) next.add(consumer);
    for (const node of next) if (node.domain === '' && node.opType === ops[chain.length]) extend([...chain, node]);
  };
  for (const node of graph.nodes) if (node.domain === '' && node.opType === ops[0]) extend([node]);
  return matches;
}
