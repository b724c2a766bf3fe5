import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { emptySettings } from '../../server/config/settings';
import { checkOnnxGraph } from '../../server/engine/onnx-file';
import { classifyProbeError, probeModel, type OpSchema } from '../../server/onnx/op-probe';
import { opSupport, RUNTIME_MAX_OPSET } from '../../server/onnx/op-support';
import { onnx } from '../../server/onnx/proto';
import { readOnnxBytes } from '../../server/onnx/read-model';
import { loadOnnxRuntime, SILENT } from '../../server/onnx/runtime';
import table from '../../server/onnx/data/op-support.json';
import { buildModel, softmaxModel } from '../support/onnx-models';
import { SYSTEM_PYTHON } from '../support/python';

const ROOT = join(__dirname, '..', '..', '..');
const TABLE_OPS = table.ops as unknown as Record<string, Record<string, [number, string][]>>;

function findings(bytes: Uint8Array) {
  return checkOnnxGraph(readOnnxBytes(bytes), { relativePath: 'm.onnx', settings: emptySettings() });
}

function oneNode(op: string, opsets: Record<string, number>, domain = ''): Uint8Array {
  return buildModel({ nodes: [{ op, domain, inputs: ['x'], outputs: ['y'], name: `my_${op}` }], inputs: [{ name: 'x', shape: [2] }], outputs: [{ name: 'y', shape: [2] }], opsets });
}

async function loads(bytes: Uint8Array): Promise<boolean> {
  try {
    await loadOnnxRuntime().InferenceSession.create(bytes, { logSeverityLevel: SILENT });
    return true;
  } catch {
    return false;
  }
}

describe('PTM502 unsupported ONNX op', () => {
  test('names an op no runtime knows, with its node; the runtime indeed refuses the graph', async () => {
    const bytes = oneNode('PtmLensNoSuchOp', { '': 13 });
    const found = findings(bytes);
    assert.deepEqual(found.map((f) => [f.code, f.severity, f.nodes]), [['PTM502', 'error', ['my_PtmLensNoSuchOp']]]);
    assert.match(found[0].message, /PtmLensNoSuchOp is not an op of the ONNX domain at opset 13/);
    assert.equal(await loads(bytes), false);
  });

  test('an op deprecated at the model opset (Upsample at 10) is flagged; the same graph at opset 9 is not', async () => {
    const at10 = oneNode('Upsample', { '': 10 });
    assert.match(findings(at10)[0]?.message ?? '', /Upsample \(version 10, selected by opset 10\) has no onnxruntime CPU kernel/);
    assert.equal(await loads(at10), false);
    // At opset 9 the model selects Upsample-9, which still has a kernel.
    assert.deepEqual(findings(oneNode('Upsample', { '': 9 })), []);
  });

  test('an opset newer than the runtime accepts is flagged; a good model, custom domains and local functions are not', async () => {
    const future = oneNode('Relu', { '': RUNTIME_MAX_OPSET + 1 });
    assert.deepEqual(findings(future).map((f) => [f.code, f.nodes]), [['PTM502', []]]);
    assert.equal(await loads(future), false);
    assert.deepEqual(findings(softmaxModel()), []);
    assert.equal(await loads(softmaxModel()), true);
    assert.deepEqual(findings(oneNode('Gelu', { '': 13, 'com.microsoft': 1 }, 'com.microsoft')), []);
    const withFunction = onnx.ModelProto.decode(oneNode('Double', { '': 13, 'my.functions': 1 }, 'my.functions'));
    withFunction.functions = [onnx.FunctionProto.create({ name: 'Double', domain: 'my.functions', input: ['a'], output: ['b'], node: [{ opType: 'Add', input: ['a', 'a'], output: ['b'] }], opsetImport: [{ domain: '', version: 13 }] })];
    assert.deepEqual(findings(onnx.ModelProto.encode(withFunction).finish()), []);
  });

  test('one finding per op, listing every node that uses it', () => {
    const bytes = buildModel({
      nodes: [
        { op: 'Nope', inputs: ['x'], outputs: ['a'], name: 'n1' },
        { op: 'Relu', inputs: ['a'], outputs: ['b'], name: 'r' },
        { op: 'Nope', inputs: ['b'], outputs: ['y'], name: 'n2' },
      ],
      inputs: [{ name: 'x', shape: [2] }],
      outputs: [{ name: 'y' }],
    });
    assert.deepEqual(findings(bytes).map((f) => f.nodes), [['n1', 'n2']]);
  });
});

describe('op-support table (server/onnx/data/op-support.json)', () => {
  test('names its sources and the installed onnxruntime-node version', () => {
    const ort = require('onnxruntime-node/package.json').version as string;
    assert.match(table.source.runtime, new RegExp(`onnxruntime-node ${ort.replace(/\./g, '\\.')}`));
    assert.match(table.source.schemas, /python3-onnx .*get_all_schemas_with_history/);
    assert.ok(table.counts.kernel > 300, 'most schema versions have a kernel');
  });

  test('covers exactly the schema versions python3-onnx lists', () => {
    const dump = JSON.parse(execFileSync(SYSTEM_PYTHON, [join(ROOT, 'scripts', 'onnx', 'dump-op-schemas.py')], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { schemas: OpSchema[] };
    const fromPython = dump.schemas.map((s) => `${s.domain}:${s.op}@${s.since}`).sort();
    const fromTable = Object.entries(TABLE_OPS).flatMap(([d, ops]) => Object.entries(ops).flatMap(([op, versions]) => versions.map(([since]) => `${d}:${op}@${since}`))).sort();
    assert.deepEqual(fromTable, fromPython);
  });

  test('a re-probe of every 7th entry against the runtime gives the recorded status', async () => {
    const dump = JSON.parse(execFileSync(SYSTEM_PYTHON, [join(ROOT, 'scripts', 'onnx', 'dump-op-schemas.py')], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { schemas: OpSchema[] };
    const ort = loadOnnxRuntime();
    let probed = 0;
    for (const schema of dump.schemas.filter((_, i) => i % 7 === 0)) {
      let status: string;
      try {
        await ort.InferenceSession.create(probeModel(schema), { logSeverityLevel: SILENT });
        status = 'kernel';
      } catch (error) {
        status = classifyProbeError((error as Error).message);
      }
      const recorded = TABLE_OPS[schema.domain][schema.op].find(([since]) => since === schema.since)?.[1];
      assert.equal(status, recorded, `${schema.domain}:${schema.op}@${schema.since}`);
      probed++;
    }
    assert.ok(probed > 50);
  });

  test('lookups pick the newest version at or below the opset', () => {
    assert.deepEqual(opSupport('', 'Relu', 13), { status: 'kernel', version: 13 });
    assert.deepEqual(opSupport('', 'Relu', 12), { status: 'kernel', version: 6 });
    assert.deepEqual(opSupport('', 'Relu', 1), { status: 'no-kernel', version: 1 });
    assert.deepEqual(opSupport('', 'Trilu', 13), { status: 'unknown-op' }, 'Trilu arrives at opset 14');
    assert.deepEqual(opSupport('', 'SomeFutureOp', 25), { status: 'unlisted' });
    assert.deepEqual(opSupport('com.microsoft', 'Gelu', 1), { status: 'unlisted' });
  });
});
