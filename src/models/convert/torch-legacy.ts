/**
 * Reads a state dict saved by PyTorch's legacy (non-zip) `torch.save`: five pickles (magic
 * number, protocol version, system info, the state dict whose tensors name their storages by
 * persistent id, the list of storage keys), then each storage's raw little-endian data preceded
 * by its int64 element count. Only float32 and int64 storages of contiguous tensors are needed
 * for the models facelive converts; anything else is refused with the reason.
 */
import { readPickle, type PickleClasses, type PickleGlobal, type PickleResult, type PickleValue } from './pickle-reader.js';

/** PyTorch's legacy magic number (`torch/serialization.py` MAGIC_NUMBER). */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

/** A tensor of the state dict: float32 values, row-major. */
export interface Float32Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A malformed or unsupported `.pth` file. */
export class TorchFileError extends Error {
  override readonly name = 'TorchFileError';
}

const STORAGE_ELEMENT_BYTES: Record<string, number> = { FloatStorage: 4, LongStorage: 8 };

interface StorageRef {
  readonly kind: 'storage';
  readonly key: string;
  readonly type: string;
  readonly elements: number;
}

interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: number[];
  readonly stride: number[];
}

const asNumber = (v: PickleValue, what: string): number => {
  if (typeof v !== 'number') throw new TorchFileError(`${what} is not an integer`);
  return v;
};

const asIntList = (v: PickleValue, what: string): number[] => {
  if (!Array.isArray(v)) throw new TorchFileError(`${what} is not a tuple`);
  return v.map((x, i) => asNumber(x, `${what}[${i}]`));
};

/** The globals a legacy state dict uses; anything else in the file is refused. */
const CLASSES: PickleClasses = {
  'collections OrderedDict': { call: () => new Map() },
  'torch._utils _rebuild_tensor_v2': {
    call: ([storage, offset, shape, stride]) => {
      if ((storage as StorageRef)?.kind !== 'storage') throw new TorchFileError('a tensor without a storage');
      const tensor: TensorRef = {
        kind: 'tensor',
        storage: storage as StorageRef,
        offset: asNumber(offset, 'storage offset'),
        shape: asIntList(shape, 'tensor size'),
        stride: asIntList(stride, 'tensor stride'),
      };
      return tensor;
    },
  },
};

/** `('storage', <torch XStorage>, key, location, size[, view_metadata])` → a storage reference. */
function loadStorageRef(id: PickleValue): PickleValue {
  if (!Array.isArray(id) || id[0] !== 'storage') throw new TorchFileError('a persistent id that is not a storage');
  const [, type, key, , elements] = id;
  const typeName = (type as PickleGlobal | null)?.kind === 'global' ? (type as PickleGlobal).name : '';
  if (!(typeName in STORAGE_ELEMENT_BYTES)) throw new TorchFileError(`storage type ${typeName || String(type)} is not supported`);
  if (typeof key !== 'string') throw new TorchFileError('a storage key that is not a string');
  const ref: StorageRef = { kind: 'storage', key, type: typeName, elements: asNumber(elements, 'storage size') };
  return ref;
}

function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && stride[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

/**
 * Reads every float32 tensor of a legacy `.pth` state dict, by key as saved (a `module.`
 * prefix from `nn.DataParallel` is kept; the caller decides). Integer tensors (such as batch
 * norms' `num_batches_tracked`) are skipped.
 *
 * @example
 * const weights = readLegacyStateDict(await readFile('2.7_80x80_MiniFASNetV2.pth'));
 * weights.get('module.conv1.conv.weight')?.shape; // [32, 3, 3, 3]
 */
export function readLegacyStateDict(bytes: Uint8Array): Map<string, Float32Tensor> {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) throw new TorchFileError('a zip-format torch.save file; only the legacy format is supported');
  let magic: PickleResult;
  try {
    magic = readPickle(bytes, 0, { classes: {} });
  } catch (error) {
    throw new TorchFileError(`not a legacy torch.save file (wrong magic number: ${(error as Error).message})`, { cause: error });
  }
  if (magic.value !== LEGACY_MAGIC) throw new TorchFileError('not a legacy torch.save file (wrong magic number)');
  const protocol = readPickle(bytes, magic.end, { classes: {} });
  if (protocol.value !== PROTOCOL_VERSION) throw new TorchFileError(`protocol version ${String(protocol.value)}, expected ${PROTOCOL_VERSION}`);
  const sysInfo = readPickle(bytes, protocol.end, { classes: {} });
  if (!(sysInfo.value instanceof Map) || sysInfo.value.get('little_endian') !== true) {
    throw new TorchFileError('the file was not saved on a little-endian machine');
  }
  const stateDict = readPickle(bytes, sysInfo.end, { classes: CLASSES, persistentLoad: loadStorageRef });
  if (!(stateDict.value instanceof Map)) throw new TorchFileError('the saved object is not a state dict');
  const keys = readPickle(bytes, stateDict.end, { classes: {} });
  if (!Array.isArray(keys.value)) throw new TorchFileError('the storage key list is missing');

  const tensors = [...stateDict.value].map(([name, value]) => {
    if (typeof name !== 'string' || (value as TensorRef | null)?.kind !== 'tensor') {
      throw new TorchFileError(`state dict entry ${String(name)} is not a tensor`);
    }
    return [name, value as TensorRef] as const;
  });
  const storageTypes = new Map(tensors.map(([, t]) => [t.storage.key, t.storage.type]));

  // Storages follow in the order of the key list, each as an int64 count and then its data.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const storages = new Map<string, Float32Array>();
  let p = keys.end;
  for (const key of keys.value) {
    if (typeof key !== 'string' || !storageTypes.has(key)) throw new TorchFileError(`storage ${String(key)} is not used by any tensor`);
    if (p + 8 > bytes.length) throw new TorchFileError(`storage ${key}: the file ends before its size`);
    const elements = Number(view.getBigInt64(p, true));
    const width = STORAGE_ELEMENT_BYTES[storageTypes.get(key)!];
    p += 8;
    if (elements < 0 || p + elements * width > bytes.length) throw new TorchFileError(`storage ${key}: the file ends inside its data`);
    if (width === 4) {
      // Copied, so the data is 4-byte aligned and does not pin the file's buffer.
      const data = new Float32Array(elements);
      new Uint8Array(data.buffer).set(bytes.subarray(p, p + elements * 4));
      storages.set(key, data);
    }
    p += elements * width;
  }
  if (p !== bytes.length) throw new TorchFileError(`${bytes.length - p} unexpected bytes after the last storage`);

  const result = new Map<string, Float32Tensor>();
  for (const [name, tensor] of tensors) {
    if (tensor.storage.type !== 'FloatStorage') continue;
    const storage = storages.get(tensor.storage.key);
    if (!storage) throw new TorchFileError(`tensor ${name}: storage ${tensor.storage.key} is not in the file`);
    if (!isContiguous(tensor.shape, tensor.stride)) throw new TorchFileError(`tensor ${name} is not contiguous`);
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (tensor.offset + count > storage.length) throw new TorchFileError(`tensor ${name} reaches past its storage`);
    result.set(name, { shape: tensor.shape, data: storage.subarray(tensor.offset, tensor.offset + count) });
  }
  return result;
}
