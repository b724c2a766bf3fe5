// The ONNX protobuf messages, decoded and encoded by onnx-proto (protobufjs): the single
// place that touches the wire format, so nothing else parses bytes by hand.
import { onnx } from 'onnx-proto';

export { onnx };

/** int64 fields arrive as numbers or as protobufjs Long objects. */
export function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
