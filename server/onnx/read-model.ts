// Reads an ONNX model's structure from its bytes (or a file) without ever opening the
// external data files it may point to. Bad input becomes an OnnxReadError with one clear
// sentence; callers never see a protobuf exception.
import { readFileSync, statSync } from 'node:fs';
import { normalizeDomain, opKey, type OnnxGraph, type OnnxNode, type OnnxValue } from './graph';
import { onnx, toNumber } from './proto';

export class OnnxReadError extends Error {}

/** protobuf messages cannot exceed 2 GiB; larger models keep their weights in external data. */
const MAX_FILE_BYTES = 2 ** 31 - 1;

export function readOnnxFile(path: string): OnnxGraph {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new OnnxReadError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (size > MAX_FILE_BYTES) throw new OnnxReadError(`${path} is ${size} bytes, larger than any ONNX protobuf can be (2 GiB): not an ONNX model file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new OnnxReadError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return readOnnxBytes(bytes);
  } catch (error) {
    if (error instanceof OnnxReadError) throw new OnnxReadError(`${path}: ${error.message}`);
    throw error;
  }
}

export function readOnnxBytes(bytes: Uint8Array): OnnxGraph {
  if (bytes.length === 0) throw new OnnxReadError('the file is empty: not an ONNX model');
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    const reason = (error as Error).message;
    const hint = /index out of range/.test(reason) ? ' (the file looks truncated)' : '';
    throw new OnnxReadError(`not a valid ONNX model${hint}: ${reason}`);
  }
  const irVersion = toNumber(model.irVersion);
  if (!model.graph || irVersion <= 0) {
    throw new OnnxReadError('not an ONNX model: the file decodes to no graph or no IR version');
  }
  const opsets: Record<string, number> = {};
  for (const entry of model.opsetImport ?? []) opsets[normalizeDomain(entry.domain)] = toNumber(entry.version);
  const nodes: OnnxNode[] = [];
  collectNodes(model.graph, undefined, nodes);
  const initializers = measureInitializers(model.graph.initializer ?? []);
  return {
    irVersion,
    opsets,
    producer: { name: model.producerName ?? '', version: model.producerVersion ?? '' },
    nodes,
    inputs: valuesOf(model.graph.input, new Set((model.graph.initializer ?? []).map((t) => t.name ?? ''))),
    outputs: valuesOf(model.graph.output, new Set()),
    initializers,
    functions: (model.functions ?? []).map((f) => opKey({ domain: normalizeDomain(f.domain), opType: f.name ?? '' })),
  };
}

/** Graph nodes in order, each If/Loop/Scan body right after its holder. */
function collectNodes(graph: onnx.IGraphProto, holder: string | undefined, into: OnnxNode[]): void {
  for (const node of graph.node ?? []) {
    const opType = node.opType ?? '';
    const name = node.name || `${opType}_${into.length}`;
    into.push({
      name,
      opType,
      domain: normalizeDomain(node.domain),
      inputs: [...(node.input ?? [])],
      outputs: [...(node.output ?? [])],
      ...(holder ? { subgraph: holder } : {}),
    });
    for (const attribute of node.attribute ?? []) {
      const bodies = [...(attribute.g ? [attribute.g] : []), ...(attribute.graphs ?? [])];
      for (const body of bodies) collectNodes(body, `${name}/${attribute.name ?? ''}`, into);
    }
  }
}

/** Graph inputs, without the initializers that old exporters also list as inputs. */
function valuesOf(values: onnx.IValueInfoProto[] | null | undefined, initializerNames: Set<string>): OnnxValue[] {
  return (values ?? []).filter((v) => !initializerNames.has(v.name ?? '')).map((v) => ({ name: v.name ?? '', ...describeType(v.type) }));
}

function describeType(type: onnx.ITypeProto | null | undefined): Omit<OnnxValue, 'name'> {
  const tensor = type?.tensorType;
  if (!tensor) {
    if (type?.sequenceType) return { type: 'seq' };
    if (type?.mapType) return { type: 'map' };
    return { type: 'unknown' };
  }
  const elem = onnx.TensorProto.DataType[tensor.elemType ?? 0] ?? 'UNDEFINED';
  const result: Omit<OnnxValue, 'name'> = { type: `tensor(${elemTypeName(elem)})` };
  if (tensor.shape) {
    result.shape = (tensor.shape.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined && toNumber(d.dimValue) > 0 ? toNumber(d.dimValue) : null));
  }
  return result;
}

/** ONNX Runtime's spelling: FLOAT -> float, FLOAT16 -> float16, BOOL -> bool. */
function elemTypeName(enumName: string): string {
  return enumName.toLowerCase();
}

const ELEMENT_BYTES: Record<number, number> = {
  1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 14: 8, 15: 16, 16: 2,
};

function measureInitializers(tensors: onnx.ITensorProto[]): OnnxGraph['initializers'] {
  let bytes = 0;
  const external = { count: 0, bytes: 0, files: [] as string[] };
  for (const tensor of tensors) {
    if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      external.count++;
      const entries = new Map((tensor.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
      const location = entries.get('location');
      if (location && !external.files.includes(location)) external.files.push(location);
      const length = Number(entries.get('length'));
      external.bytes += Number.isFinite(length) && length > 0 ? length : elementCount(tensor) * (ELEMENT_BYTES[tensor.dataType ?? 0] ?? 0);
      continue;
    }
    bytes += tensorBytes(tensor);
  }
  return { count: tensors.length, bytes, external };
}

function elementCount(tensor: onnx.ITensorProto): number {
  return (tensor.dims ?? []).reduce<number>((n, d) => n * toNumber(d), 1);
}

function tensorBytes(tensor: onnx.ITensorProto): number {
  if (tensor.rawData && tensor.rawData.length) return tensor.rawData.length;
  if (tensor.stringData?.length) return tensor.stringData.reduce((n, s) => n + s.length, 0);
  // Typed fields: count elements and use the declared element size.
  return elementCount(tensor) * (ELEMENT_BYTES[tensor.dataType ?? 0] ?? 0);
}
