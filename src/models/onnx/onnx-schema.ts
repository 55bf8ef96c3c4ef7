/**
 * The ONNX protobuf schema as a protobufjs JSON descriptor.
 *
 * Origin: onnx/onnx `onnx/onnx.proto` (Apache-2.0, Copyright (c) ONNX Project Contributors),
 * release 1.10.2 (IR version 8). Message, field and enum names and numbers are transcribed from
 * it unchanged, camel-cased as protobufjs names them; comments and the ONNX-ML `opaque_type` are
 * left out. It is proto2: repeated numbers are unpacked except where onnx.proto says
 * `[packed = true]` (the typed data fields of TensorProto). Fields are listed in field-number
 * order so that encoding writes them in the order protobuf's C++ library does, which lets a
 * decoded model re-encode to the same bytes (test/unit/onnx-proto.test.ts checks this on real
 * files).
 */

type FieldJson = { type: string; id: number; edition: 'proto2'; rule?: 'repeated'; options?: { packed: boolean } };
type MessageJson = {
  edition?: 'proto2';
  fields: Record<string, FieldJson>;
  oneofs?: Record<string, { oneof: string[] }>;
  nested?: Record<string, MessageJson | EnumJson>;
};
type EnumJson = { values: Record<string, number> };

// protobufjs reads JSON descriptors as proto3 unless told otherwise; onnx.proto is proto2, which
// matters for presence (a field set to its default is still written) and for packing.
const one = (type: string, id: number): FieldJson => ({ type, id, edition: 'proto2' });
const many = (type: string, id: number): FieldJson => ({ type, id, edition: 'proto2', rule: 'repeated' });
const packed = (type: string, id: number): FieldJson => ({ ...many(type, id), options: { packed: true } });

const DATA_TYPE: EnumJson = {
  values: {
    UNDEFINED: 0,
    FLOAT: 1,
    UINT8: 2,
    INT8: 3,
    UINT16: 4,
    INT16: 5,
    INT32: 6,
    INT64: 7,
    STRING: 8,
    BOOL: 9,
    FLOAT16: 10,
    DOUBLE: 11,
    UINT32: 12,
    UINT64: 13,
    COMPLEX64: 14,
    COMPLEX128: 15,
    BFLOAT16: 16,
  },
};

const ATTRIBUTE_TYPE: EnumJson = {
  values: {
    UNDEFINED: 0,
    FLOAT: 1,
    INT: 2,
    STRING: 3,
    TENSOR: 4,
    GRAPH: 5,
    SPARSE_TENSOR: 11,
    TYPE_PROTO: 13,
    FLOATS: 6,
    INTS: 7,
    STRINGS: 8,
    TENSORS: 9,
    GRAPHS: 10,
    SPARSE_TENSORS: 12,
    TYPE_PROTOS: 14,
  },
};

const messages: Record<string, MessageJson | EnumJson> = {
  AttributeProto: {
    fields: {
      name: one('string', 1),
      f: one('float', 2),
      i: one('int64', 3),
      s: one('bytes', 4),
      t: one('TensorProto', 5),
      g: one('GraphProto', 6),
      floats: many('float', 7),
      ints: many('int64', 8),
      strings: many('bytes', 9),
      tensors: many('TensorProto', 10),
      graphs: many('GraphProto', 11),
      docString: one('string', 13),
      tp: one('TypeProto', 14),
      typeProtos: many('TypeProto', 15),
      type: one('AttributeType', 20),
      refAttrName: one('string', 21),
      sparseTensor: one('SparseTensorProto', 22),
      sparseTensors: many('SparseTensorProto', 23),
    },
    nested: { AttributeType: ATTRIBUTE_TYPE },
  },
  ValueInfoProto: { fields: { name: one('string', 1), type: one('TypeProto', 2), docString: one('string', 3) } },
  NodeProto: {
    fields: {
      input: many('string', 1),
      output: many('string', 2),
      name: one('string', 3),
      opType: one('string', 4),
      attribute: many('AttributeProto', 5),
      docString: one('string', 6),
      domain: one('string', 7),
    },
  },
  TrainingInfoProto: {
    fields: {
      initialization: one('GraphProto', 1),
      algorithm: one('GraphProto', 2),
      initializationBinding: many('StringStringEntryProto', 3),
      updateBinding: many('StringStringEntryProto', 4),
    },
  },
  ModelProto: {
    fields: {
      irVersion: one('int64', 1),
      producerName: one('string', 2),
      producerVersion: one('string', 3),
      domain: one('string', 4),
      modelVersion: one('int64', 5),
      docString: one('string', 6),
      graph: one('GraphProto', 7),
      opsetImport: many('OperatorSetIdProto', 8),
      metadataProps: many('StringStringEntryProto', 14),
      trainingInfo: many('TrainingInfoProto', 20),
      functions: many('FunctionProto', 25),
    },
  },
  StringStringEntryProto: { fields: { key: one('string', 1), value: one('string', 2) } },
  TensorAnnotation: { fields: { tensorName: one('string', 1), quantParameterTensorNames: many('StringStringEntryProto', 2) } },
  GraphProto: {
    fields: {
      node: many('NodeProto', 1),
      name: one('string', 2),
      initializer: many('TensorProto', 5),
      docString: one('string', 10),
      input: many('ValueInfoProto', 11),
      output: many('ValueInfoProto', 12),
      valueInfo: many('ValueInfoProto', 13),
      quantizationAnnotation: many('TensorAnnotation', 14),
      sparseInitializer: many('SparseTensorProto', 15),
    },
  },
  TensorProto: {
    fields: {
      dims: many('int64', 1),
      dataType: one('int32', 2),
      segment: one('Segment', 3),
      floatData: packed('float', 4),
      int32Data: packed('int32', 5),
      stringData: many('bytes', 6),
      int64Data: packed('int64', 7),
      name: one('string', 8),
      rawData: one('bytes', 9),
      doubleData: packed('double', 10),
      uint64Data: packed('uint64', 11),
      docString: one('string', 12),
      externalData: many('StringStringEntryProto', 13),
      dataLocation: one('DataLocation', 14),
    },
    nested: {
      DataType: DATA_TYPE,
      Segment: { fields: { begin: one('int64', 1), end: one('int64', 2) } },
      DataLocation: { values: { DEFAULT: 0, EXTERNAL: 1 } },
    },
  },
  SparseTensorProto: { fields: { values: one('TensorProto', 1), indices: one('TensorProto', 2), dims: many('int64', 3) } },
  TensorShapeProto: {
    fields: { dim: many('Dimension', 1) },
    nested: {
      Dimension: {
        fields: { dimValue: one('int64', 1), dimParam: one('string', 2), denotation: one('string', 3) },
        oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
      },
    },
  },
  TypeProto: {
    fields: {
      tensorType: one('Tensor', 1),
      sequenceType: one('Sequence', 4),
      mapType: one('Map', 5),
      denotation: one('string', 6),
      sparseTensorType: one('SparseTensor', 8),
      optionalType: one('Optional', 9),
    },
    oneofs: { value: { oneof: ['tensorType', 'sequenceType', 'mapType', 'sparseTensorType', 'optionalType'] } },
    nested: {
      Tensor: { fields: { elemType: one('int32', 1), shape: one('TensorShapeProto', 2) } },
      Sequence: { fields: { elemType: one('TypeProto', 1) } },
      Map: { fields: { keyType: one('int32', 1), valueType: one('TypeProto', 2) } },
      Optional: { fields: { elemType: one('TypeProto', 1) } },
      SparseTensor: { fields: { elemType: one('int32', 1), shape: one('TensorShapeProto', 2) } },
    },
  },
  OperatorSetIdProto: { fields: { domain: one('string', 1), version: one('int64', 2) } },
  FunctionProto: {
    fields: {
      name: one('string', 1),
      input: many('string', 4),
      output: many('string', 5),
      attribute: many('string', 6),
      node: many('NodeProto', 7),
      docString: one('string', 8),
      opsetImport: many('OperatorSetIdProto', 9),
      domain: one('string', 10),
    },
  },
};

function asProto2(types: Record<string, MessageJson | EnumJson>): Record<string, MessageJson | EnumJson> {
  return Object.fromEntries(
    Object.entries(types).map(([name, t]) => [name, 'fields' in t ? { ...t, edition: 'proto2', nested: t.nested && asProto2(t.nested) } : t]),
  );
}

/** The descriptor, rooted at package `onnx`, for `protobuf.Root.fromJSON`. */
export const ONNX_SCHEMA = { nested: { onnx: { nested: asProto2(messages) } } } as const;
