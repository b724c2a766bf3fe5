// Builds small ONNX models in tests with onnx-proto, the same library the reader uses.
import { onnx } from '../../server/onnx/proto';

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attributes?: onnx.IAttributeProto[];
}

export interface ModelSpec {
  nodes: NodeSpec[];
  inputs: { name: string; shape: (number | string)[]; elemType?: number }[];
  outputs: { name: string; shape?: (number | string)[]; elemType?: number }[];
  initializers?: onnx.ITensorProto[];
  opsets?: Record<string, number>;
  irVersion?: number;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function valueInfo(v: { name: string; shape?: (number | string)[]; elemType?: number }): onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.elemType ?? FLOAT,
        ...(v.shape ? { shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } : {}),
      },
    },
  };
}

export function buildModel(spec: ModelSpec): Uint8Array {
  const opsets = spec.opsets ?? { '': 13 };
  const model = onnx.ModelProto.create({
    irVersion: spec.irVersion ?? 8,
    producerName: 'ptm-lens-test',
    opsetImport: Object.entries(opsets).map(([domain, version]) => ({ domain, version })),
    graph: {
      name: 'test',
      node: spec.nodes.map((n, i) => ({ opType: n.op, domain: n.domain ?? '', input: n.inputs, output: n.outputs, name: n.name ?? `${n.op}_${i}`, attribute: n.attributes ?? [] })),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: spec.initializers ?? [],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** A float tensor stored as raw little-endian bytes. */
export function floatTensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(new Float32Array(values).buffer) };
}

/** MatMul(x, W) + b -> Softmax: the smallest useful model. */
export function softmaxModel(): Uint8Array {
  return buildModel({
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['h'] },
      { op: 'Add', inputs: ['h', 'b'], outputs: ['z'] },
      { op: 'Softmax', inputs: ['z'], outputs: ['y'] },
    ],
    inputs: [{ name: 'x', shape: ['batch', 3] }],
    outputs: [{ name: 'y', shape: ['batch', 2] }],
    initializers: [floatTensor('W', [3, 2], [1, 2, 3, 4, 5, 6]), floatTensor('b', [2], [0.5, -0.5])],
  });
}
