/**
 * Constructors for the ONNX messages a graph is made of (tensors, attributes, nodes, value
 * infos), producing the plain objects {@link encodeModel} writes. Tensor data is stored as
 * little-endian `raw_data` whatever the host, so the same numbers always give the same bytes.
 */
import { AttributeType, TensorDataType, type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto } from './onnx-proto.js';

/** A float32 initializer (`raw_data`, little-endian). */
export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): TensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new RangeError(`tensor ${name}: ${values.length} values for dims [${dims.join(', ')}]`);
  const raw = new Uint8Array(count * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < count; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dims: [...dims], dataType: TensorDataType.FLOAT, rawData: raw };
}

/** An int64 initializer (`raw_data`, little-endian), e.g. a shape for Reshape. */
export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): TensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims: [...dims], dataType: TensorDataType.INT64, rawData: raw };
}

/** Node attributes by kind. */
export const attribute = {
  int: (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: [...ints] }),
  float: (name: string, f: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f }),
  string: (name: string, s: string): AttributeProto => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(s) }),
};

/** One operator application. `domain` is left out: the default ONNX domain. */
export function node(
  opType: string,
  name: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: readonly AttributeProto[] = [],
): NodeProto {
  return { input: [...inputs], output: [...outputs], name, opType, ...(attributes.length > 0 && { attribute: [...attributes] }) };
}

/** A graph input or output: a float32 tensor whose string dims are named dynamic sizes. */
export function floatValueInfo(name: string, dims: readonly (number | string)[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: TensorDataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
