// Rules that read an ONNX graph instead of a model reference (PTM502, PTM503). They are
// ordinary rules for docs and settings; the engine calls checkGraph on each .onnx file.
import type { OnnxGraph } from '../onnx/graph';
import type { Rule } from './rule';

export interface GraphRuleReport {
  message: string;
  /** Names of the nodes the finding is about (JSON "nodes"). */
  nodes: string[];
}

export interface GraphRule extends Rule {
  checkGraph(graph: OnnxGraph): GraphRuleReport[];
}

export function isGraphRule(rule: Rule): rule is GraphRule {
  return typeof (rule as Partial<GraphRule>).checkGraph === 'function';
}
