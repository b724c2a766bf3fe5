import { opKey } from '../onnx/graph';
import { OP_SUPPORT_SOURCE, opSupport, RUNTIME_MAX_OPSET } from '../onnx/op-support';
import type { GraphRule, GraphRuleReport } from './graph-rule';

export const unsupportedOnnxOp: GraphRule = {
  code: 'PTM502',
  name: 'unsupported-onnx-op',
  title: 'ONNX graph uses an op the bundled onnxruntime cannot run',
  scope: 'site',
  defaultSeverity: 'error',
  docs: {
    what:
      'Reads every node of an `.onnx` file (subgraphs included) and flags ops that onnxruntime cannot run at the opset the model imports: ' +
      'ops unknown in their domain, ops whose version at that opset has no CPU kernel or is deprecated, and opsets newer than the runtime accepts.',
    why:
      'A graph with such an op fails when the runtime loads it ("load crash"), usually far from where the model was exported. ' +
      `onnxruntime publishes no machine-readable kernel list, so PTM Lens derives one: ${OP_SUPPORT_SOURCE.schemas}, probed with ${OP_SUPPORT_SOURCE.runtime}. ` +
      'Ops the table cannot vouch for (custom domains such as com.microsoft, ops newer than the table) are not reported.',
    example:
      '# opset 9 selects Upsample, which onnxruntime no longer implements\n' +
      'torch.onnx.export(model, x, "model.onnx", opset_version=9)',
    useInstead: 'torch.onnx.export(model, x, "model.onnx", opset_version=17)',
    fixSafety: 'No automatic fix: re-export at a supported opset or replace the op in the model; then run the conversion check.',
  },
  check: () => [],
  checkGraph(graph) {
    const reports: GraphRuleReport[] = [];
    for (const [domain, version] of Object.entries(graph.opsets)) {
      if (domain === '' && version > RUNTIME_MAX_OPSET) {
        reports.push({ message: `The model imports ONNX opset ${version}; the bundled onnxruntime accepts up to ${RUNTIME_MAX_OPSET}.`, nodes: [] });
      }
    }
    const byOp = new Map<string, { message: string; nodes: string[] }>();
    const local = new Set(graph.functions ?? []);
    for (const node of graph.nodes) {
      const key = opKey(node);
      if (local.has(key)) continue;
      const opset = graph.opsets[node.domain];
      const known = byOp.get(key);
      if (known) {
        if (known.message) known.nodes.push(node.name);
        continue;
      }
      const support = opSupport(node.domain, node.opType, opset);
      const where = node.domain ? `domain ${node.domain}` : 'the ONNX domain';
      let message = '';
      if (support.status === 'unknown-op') message = `${key} is not an op of ${where} at opset ${opset}: onnxruntime will refuse to load the graph.`;
      else if (support.status === 'no-kernel') message = `${key} (version ${support.version}, selected by opset ${opset}) has no onnxruntime CPU kernel: the graph will not load. Re-export at a newer opset.`;
      else if (opset === undefined && node.domain) message = `${key} uses domain ${node.domain}, which the model does not import: onnxruntime will refuse to load the graph.`;
      byOp.set(key, { message, nodes: message ? [node.name] : [] });
    }
    for (const { message, nodes } of byOp.values()) if (message) reports.push({ message, nodes });
    return reports;
  },
};
