// Regenerates server/onnx/data/op-support.json: which ONNX ops, at which opset version, the
// bundled onnxruntime-node can run. onnxruntime publishes no machine-readable kernel list, so
// the table is derived: every operator schema of python3-onnx (onnx.defs), probed by
// building a one-node model of it and asking onnxruntime-node for a session.
//
//   npm run compile && node out/scripts/generate-onnx-ops.js [--python /usr/bin/python3]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyProbeError, probeModel, type OpSchema, type ProbeStatus } from '../server/onnx/op-probe';
import { loadOnnxRuntime, SILENT } from '../server/onnx/runtime';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'server', 'onnx', 'data', 'op-support.json');

async function main(): Promise<void> {
  const pythonFlag = process.argv.indexOf('--python');
  const python = pythonFlag > 0 ? process.argv[pythonFlag + 1] : '/usr/bin/python3';
  const dump = JSON.parse(execFileSync(python, [join(ROOT, 'scripts', 'onnx', 'dump-op-schemas.py')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as {
    onnxVersion: string;
    maxOpset: number;
    schemas: OpSchema[];
  };
  const ort = loadOnnxRuntime();
  const ortVersion = (require('onnxruntime-node/package.json') as { version: string }).version;
  const ops: Record<string, Record<string, [number, ProbeStatus][]>> = {};
  const counts: Record<string, number> = {};
  for (const schema of dump.schemas) {
    let status: ProbeStatus;
    try {
      const session = await ort.InferenceSession.create(probeModel(schema), { logSeverityLevel: SILENT, graphOptimizationLevel: 'disabled' });
      await session.release();
      status = 'kernel';
    } catch (error) {
      status = classifyProbeError((error as Error).message);
    }
    ((ops[schema.domain] ??= {})[schema.op] ??= []).push([schema.since, status]);
    counts[status] = (counts[status] ?? 0) + 1;
  }
  const maxOpset = await highestDefaultOpset(ort);
  const table = {
    source: {
      schemas: `python3-onnx ${dump.onnxVersion} (Debian), onnx.defs.get_all_schemas_with_history(); schemas up to opset ${dump.maxOpset}`,
      runtime: `onnxruntime-node ${ortVersion}, CPU execution provider: one-node model per schema version, InferenceSession.create`,
      script: 'scripts/generate-onnx-ops.ts with scripts/onnx/dump-op-schemas.py',
      statuses: 'kernel: session created; no-kernel: op known, no implementation or deprecated at that version; unknown-op: runtime has no such op; inconclusive: the probe could not build a valid node (nothing claimed)',
    },
    schemaMaxOpset: dump.maxOpset,
    runtimeMaxOpset: maxOpset,
    counts,
    ops,
  };
  writeFileSync(OUT, JSON.stringify(table, null, 1) + '\n');
  console.log(`Wrote ${OUT}: ${dump.schemas.length} schema versions, ${JSON.stringify(counts)}, runtime opset up to ${maxOpset}`);
}

/** The highest default-domain opset the runtime accepts (probed with Abs). */
async function highestDefaultOpset(ort: ReturnType<typeof loadOnnxRuntime>): Promise<number> {
  const abs: OpSchema = { domain: '', op: 'Abs', since: 13, deprecated: false, inputs: [{ name: 'X', type: 'tensor(float)', option: 'Single' }], outputs: [{ name: 'Y', type: 'tensor(float)', option: 'Single' }], requiredAttributes: [] };
  let highest = 0;
  for (let opset = 13; opset <= 40; opset++) {
    try {
      await ort.InferenceSession.create(probeModel(abs, opset), { logSeverityLevel: SILENT });
      highest = opset;
    } catch {
      break;
    }
  }
  return highest;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
