// Builds the one-node model that asks onnxruntime "can you run this op?" and sorts its
// answer. Used by scripts/generate-onnx-ops.ts to derive the op-support table and by its
// test to re-check a sample against the runtime.
import { onnx } from './proto';

/** One entry of scripts/onnx/dump-op-schemas.py's output. */
export interface OpSchema {
  domain: string;
  op: string;
  since: number;
  deprecated: boolean;
  inputs: { name: string; type: string; option: 'Single' | 'Optional' | 'Variadic' }[];
  outputs: { name: string; type: string; option: 'Single' | 'Optional' | 'Variadic' }[];
  requiredAttributes: { name: string; type: string }[];
}

/**
 * kernel: a session with the op was created. no-kernel: the runtime knows the op but has no
 * implementation at that version (or it is deprecated there). unknown-op: the runtime has no
 * such op in that domain. inconclusive: the probe model itself was rejected for another
 * reason (a required attribute or input the probe cannot fake), so nothing is claimed.
 */
export type ProbeStatus = 'kernel' | 'no-kernel' | 'unknown-op' | 'inconclusive';

export function classifyProbeError(message: string): ProbeStatus {
  // The kernel was found and its constructor ran; it only disliked the probe's attributes.
  if (/Exception during initialization|OpKernelInfo/.test(message)) return 'kernel';
  if (/Could not find an implementation for/i.test(message)) return 'no-kernel';
  if (/is deprecated in domain_version/i.test(message)) return 'no-kernel';
  if (/No Op registered for|is not a registered function\/op/i.test(message)) return 'unknown-op';
  return 'inconclusive';
}

function valueType(type: string): onnx.ITypeProto {
  const seq = /^seq\((.*)\)$/.exec(type);
  if (seq) return { sequenceType: { elemType: valueType(seq[1]) } };
  const tensor = /^tensor\((.*)\)$/.exec(type);
  const name = (tensor ? tensor[1] : 'float').toUpperCase();
  const elemType = (onnx.TensorProto.DataType as unknown as Record<string, number>)[name] ?? onnx.TensorProto.DataType.FLOAT;
  return { tensorType: { elemType } };
}

function attributeFor(name: string, type: string): onnx.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  switch (type) {
    case 'INT': return { name, type: A.INT, i: 1 };
    case 'FLOAT': return { name, type: A.FLOAT, f: 1 };
    case 'STRING': return { name, type: A.STRING, s: new Uint8Array() };
    case 'INTS': return { name, type: A.INTS, ints: [1] };
    case 'FLOATS': return { name, type: A.FLOATS, floats: [1] };
    case 'STRINGS': return { name, type: A.STRINGS, strings: [new Uint8Array([97])] };
    case 'TENSOR': return { name, type: A.TENSOR, t: { dims: [1], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [1] } };
    default: return { name, type: A.UNDEFINED };
  }
}

/** A model holding one node of the op, its required inputs fed as graph inputs. */
export function probeModel(schema: OpSchema, opset: number = schema.since): Uint8Array {
  const inputs = schema.inputs.filter((p) => p.option !== 'Optional');
  const outputs = schema.outputs.filter((p) => p.option !== 'Optional');
  const opsets = [{ domain: schema.domain, version: opset }];
  if (schema.domain !== '') opsets.push({ domain: '', version: 13 });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'ptm-lens-op-probe',
    opsetImport: opsets,
    graph: {
      name: 'probe',
      node: [{
        name: 'probe',
        opType: schema.op,
        domain: schema.domain,
        input: inputs.map((p) => `in_${p.name}`),
        output: outputs.map((p) => `out_${p.name}`),
        attribute: schema.requiredAttributes.map((a) => attributeFor(a.name, a.type)),
      }],
      input: inputs.map((p) => ({ name: `in_${p.name}`, type: valueType(p.type) })),
      output: outputs.map((p) => ({ name: `out_${p.name}`, type: valueType(p.type) })),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
