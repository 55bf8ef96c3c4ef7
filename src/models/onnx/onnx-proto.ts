/**
 * Reads and writes ONNX model files (protobuf `onnx.ModelProto`) with protobufjs and the
 * vendored schema, so a model can be decoded, edited in memory and encoded again. Used to write
 * the models facelive converts; other code may use it to adjust a graph before handing the bytes
 * to onnxruntime (`InferenceSession.create(bytes)`).
 *
 * Decoded messages are plain editable objects: a field absent from the file is absent from the
 * object (reading it gives the proto default). 64-bit integers (`dims`, `ints`, `i`, …) decode
 * as {@link Int64} values; use {@link int64ToNumber} to read them. When encoding, plain numbers
 * are accepted wherever an int64 goes.
 */
import protobuf from 'protobufjs';
import { FaceliveError } from '../../errors/catalogue.js';
import { ONNX_SCHEMA } from './onnx-schema.js';

/** A 64-bit integer as protobufjs decodes it (a `long` object), or a plain number. */
export type Int64 = number | { readonly low: number; readonly high: number; readonly unsigned: boolean; toNumber(): number };

/** `TensorProto.DataType` values facelive uses. */
export const TensorDataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

/** `AttributeProto.AttributeType` values. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9 } as const;

export interface TensorProto {
  dims?: Int64[];
  dataType?: number;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: Int64[];
  name?: string;
  rawData?: Uint8Array;
  doubleData?: number[];
  docString?: string;
  [field: string]: unknown;
}

export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  [field: string]: unknown;
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  attribute?: AttributeProto[];
  docString?: string;
  domain?: string;
}

export interface TensorShapeDimension {
  dimValue?: Int64;
  dimParam?: string;
  denotation?: string;
}

export interface TypeProto {
  tensorType?: { elemType?: number; shape?: { dim?: TensorShapeDimension[] } };
  denotation?: string;
  [field: string]: unknown;
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  docString?: string;
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  docString?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
  [field: string]: unknown;
}

export interface OperatorSetIdProto {
  domain?: string;
  version?: Int64;
}

export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

export interface ModelProto {
  irVersion?: Int64;
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: Int64;
  docString?: string;
  graph?: GraphProto;
  opsetImport?: OperatorSetIdProto[];
  metadataProps?: StringStringEntryProto[];
  [field: string]: unknown;
}

const modelType = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');

/**
 * Decodes an ONNX model file. Bytes that are not a ModelProto throw `MODEL_LOAD_FAILED` naming
 * `what` (a file name or model id).
 *
 * @example
 * const model = decodeModel(await readFile('yunet_s_dynamic.onnx'));
 * console.log(model.graph?.node?.length, model.opsetImport?.[0]?.version);
 */
export function decodeModel(bytes: Uint8Array, what = 'ONNX model'): ModelProto {
  try {
    return modelType.decode(bytes) as unknown as ModelProto;
  } catch (error) {
    throw new FaceliveError('MODEL_LOAD_FAILED', { modelId: what, reason: `not an ONNX ModelProto: ${(error as Error).message}` }, { cause: error });
  }
}

/**
 * Encodes a ModelProto (as decoded, or built from plain objects) to ONNX file bytes. The same
 * object always gives the same bytes: fields are written in field-number order, repeated fields
 * in array order.
 *
 * @example
 * const model = decodeModel(bytes);
 * model.graph!.node = model.graph!.node!.filter((n) => n.opType !== 'Identity');
 * const session = await ort.InferenceSession.create(encodeModel(model));
 */
export function encodeModel(model: ModelProto): Uint8Array {
  const problem = modelType.verify(model);
  if (problem) throw new FaceliveError('INTERNAL_ERROR', {}, { cause: new Error(`invalid ONNX ModelProto: ${problem}`) });
  return modelType.encode(model).finish();
}

/** An int64 field as a JavaScript number; throws beyond ±2^53, where a number would be wrong. */
export function int64ToNumber(value: Int64 | undefined): number {
  if (value === undefined) return 0;
  const n = typeof value === 'number' ? value : value.toNumber();
  if (!Number.isSafeInteger(n)) throw new RangeError(`int64 value ${String(value)} is not a safe JavaScript integer`);
  return n;
}

/**
 * The dims of a tensor input or output: numbers, or the names of dynamic sizes (`''` for a
 * dynamic size without a name). Decoded messages carry proto defaults on their prototype, so
 * presence is read from own properties.
 *
 * @example
 * tensorDims(decodeModel(bytes).graph!.input![0]); // ['N', 3, 80, 80]
 */
export function tensorDims(info: ValueInfoProto): (number | string)[] {
  return (info.type?.tensorType?.shape?.dim ?? []).map((d) =>
    Object.hasOwn(d, 'dimValue') ? int64ToNumber(d.dimValue) : Object.hasOwn(d, 'dimParam') ? (d.dimParam as string) : '',
  );
}
