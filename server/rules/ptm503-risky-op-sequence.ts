import table from '../onnx/data/risky-sequences.json';
import { findOpSequences } from '../onnx/sequences';
import type { GraphRule, GraphRuleReport } from './graph-rule';

const SEQUENCES = table.sequences;

export const riskyOpSequence: GraphRule = {
  code: 'PTM503',
  name: 'risky-onnx-op-sequence',
  title: 'ONNX graph contains an op sequence linked to wrong conversions',
  scope: 'site',
  defaultSeverity: 'warning',
  docs: {
    what:
      'Looks for chains of ops, connected by data flow, that a study of ONNX converter failures found in models whose conversion computed something else: ' +
      SEQUENCES.map((s) => s.ops.join(' -> ')).join('; ') + '.',
    why:
      'About a third of the converter failures the study analysed were silent: the export succeeded and the model ran, with different outputs. ' +
      'Such models shared operator sequences. A graph holding one is not wrong by itself, but is worth comparing with the source model before it ships. ' +
      `Source: ${table.source}`,
    example: '# attention exported as Mul -> Softmax -> MatMul\ntorch.onnx.export(attention_block, x, "block.onnx", opset_version=13)',
    useInstead:
      '# Compare the export with the PyTorch model on real and edge-case inputs:\n# ptm-lens check-onnx --module block.py:build --onnx block.onnx',
    fixSafety: 'No automatic fix: run the conversion check (PTM Lens: Run ONNX Conversion Check, or `ptm-lens check-onnx`) to see whether this export is affected.',
  },
  check: () => [],
  checkGraph(graph) {
    const reports: GraphRuleReport[] = [];
    for (const sequence of SEQUENCES) {
      const matches = findOpSequences(graph, sequence.ops);
      if (!matches.length) continue;
      const nodes = [...new Set(matches.flat().map((n) => n.name))];
      const times = matches.length === 1 ? 'once' : `${matches.length} times`;
      reports.push({
        message: `${sequence.ops.join(' -> ')} (${sequence.why}) occurs ${times}; converters have produced wrong outputs around this sequence (${sequence.source}). Run the conversion check to compare outputs.`,
        nodes,
      });
    }
    return reports;
  },
};
