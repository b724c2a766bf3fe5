// Which ops the bundled onnxruntime can run, from the derived table in data/op-support.json
// (see its "source" and scripts/generate-onnx-ops.ts). Answers only what the table backs.
import table from './data/op-support.json';
import type { ProbeStatus } from './op-probe';

export type OpSupport =
  /** The runtime has a kernel for the op at the version the model's opset selects. */
  | { status: 'kernel'; version: number }
  /** The runtime knows the op but has no implementation at that version (or it is deprecated there). */
  | { status: 'no-kernel'; version: number }
  /** No such op at that opset in that domain: the runtime will refuse the graph. */
  | { status: 'unknown-op' }
  /** The table cannot tell: a domain it does not cover, an op newer than its schemas, or a probe that proved nothing. */
  | { status: 'unlisted' | 'inconclusive' };

type Table = { schemaMaxOpset: number; runtimeMaxOpset: number; ops: Record<string, Record<string, [number, string][]>> };
const TABLE = table as unknown as Table;

export const RUNTIME_MAX_OPSET = TABLE.runtimeMaxOpset;
export const SCHEMA_MAX_OPSET = TABLE.schemaMaxOpset;
export const OP_SUPPORT_SOURCE = (table as { source: { schemas: string; runtime: string } }).source;

export function opSupport(domain: string, opType: string, opset: number | undefined): OpSupport {
  const ops = TABLE.ops[domain];
  if (!ops || opset === undefined) return { status: 'unlisted' };
  const versions = ops[opType];
  if (!versions) return opset > TABLE.schemaMaxOpset ? { status: 'unlisted' } : { status: 'unknown-op' };
  const selected = versions.filter(([since]) => since <= opset).pop();
  if (!selected) return { status: 'unknown-op' };
  const [version, status] = selected as [number, ProbeStatus];
  if (status === 'kernel' || status === 'no-kernel') return { status, version };
  if (status === 'unknown-op') return { status };
  return { status: 'inconclusive' };
}
