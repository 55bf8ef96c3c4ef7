/**
 * A small, safe reader for Python pickles: the opcodes of protocol 2 that PyTorch's legacy
 * `torch.save` emits, nothing that executes code. `GLOBAL` names resolve only through the
 * caller's {@link PickleClasses} table (an unknown name is an error, never an import), and
 * persistent ids go to the caller's `persistentLoad`.
 */

/** A Python `GLOBAL` reference (`module.name`) that the caller's table did not turn into a value. */
export interface PickleGlobal {
  readonly kind: 'global';
  readonly module: string;
  readonly name: string;
}

/** A value made by a caller's {@link PickleClass}: any object tagged with a `kind`. */
export interface PickleObject {
  readonly kind: string;
}

/** Python values as this reader produces them. */
export type PickleValue = null | boolean | number | bigint | string | Uint8Array | PickleValue[] | Map<PickleValue, PickleValue> | PickleGlobal | PickleObject;

/** What `REDUCE` (a call) and `BUILD` (setting state) do for one allowed global. */
export interface PickleClass {
  /** `callable(*args)`. */
  call(args: readonly PickleValue[]): PickleValue;
  /** `obj.__setstate__(state)`; the default ignores the state. */
  build?(target: PickleValue, state: PickleValue): void;
}

/** Allowed globals by `"module name"`. */
export type PickleClasses = Readonly<Record<string, PickleClass>>;

export interface PickleReadOptions {
  readonly classes: PickleClasses;
  /** Resolves a `BINPERSID` id (PyTorch: a storage reference tuple). */
  readonly persistentLoad?: (id: PickleValue) => PickleValue;
}

/** Result of {@link readPickle}: the value and where the next pickle starts. */
export interface PickleResult {
  readonly value: PickleValue;
  readonly end: number;
}

/** A malformed or unsupported pickle; the message names the opcode and offset. */
export class PickleError extends Error {
  override readonly name = 'PickleError';
}

const MARK = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

const OP = {
  PROTO: 0x80,
  STOP: 0x2e,
  MARK: 0x28,
  NONE: 0x4e,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  BININT: 0x4a,
  BININT1: 0x4b,
  BININT2: 0x4d,
  LONG1: 0x8a,
  BINFLOAT: 0x47,
  BINUNICODE: 0x58,
  SHORT_BINUNICODE: 0x8c,
  EMPTY_DICT: 0x7d,
  EMPTY_LIST: 0x5d,
  EMPTY_TUPLE: 0x29,
  TUPLE: 0x74,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  APPEND: 0x61,
  APPENDS: 0x65,
  SETITEM: 0x73,
  SETITEMS: 0x75,
  BINPUT: 0x71,
  LONG_BINPUT: 0x72,
  BINGET: 0x68,
  LONG_BINGET: 0x6a,
  GLOBAL: 0x63,
  REDUCE: 0x52,
  BUILD: 0x62,
  BINPERSID: 0x51,
} as const;

/** Decodes a little-endian two's-complement integer of any length (pickle LONG1). */
function signedLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  if (bytes.length > 0 && bytes[bytes.length - 1] & 0x80) value -= 1n << BigInt(8 * bytes.length);
  return value;
}

/**
 * Reads one pickle starting at `offset` and returns its value and end offset (a file may hold
 * several pickles back to back, as PyTorch's legacy format does).
 *
 * @example
 * const magic = readPickle(bytes, 0, { classes: {} }); // { value: 119547037146038801333356n, end: 15 }
 */
export function readPickle(bytes: Uint8Array, offset: number, options: PickleReadOptions): PickleResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8', { fatal: true });
  const stack: StackItem[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();
  const builders = new Map<PickleValue, PickleClass>();
  let p = offset;

  const fail = (what: string): never => {
    throw new PickleError(`pickle at byte ${p}: ${what}`);
  };
  const need = (n: number): number => {
    if (p + n > bytes.length) fail(`needs ${n} more bytes, the data ends at ${bytes.length}`);
    const at = p;
    p += n;
    return at;
  };
  const pop = (): PickleValue => {
    const item = stack.pop();
    if (item === undefined || item === MARK) fail('stack underflow');
    return item as PickleValue;
  };
  const popMark = (): PickleValue[] => {
    const at = marks.pop();
    if (at === undefined) fail('no mark on the stack');
    return stack.splice(at as number) as PickleValue[];
  };
  const top = (): PickleValue => {
    const item = stack[stack.length - 1];
    if (item === undefined || item === MARK) fail('stack underflow');
    return item as PickleValue;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) fail('unterminated text line');
    const value = text.decode(bytes.subarray(p, end));
    p = end + 1;
    return value;
  };
  const setItems = (target: PickleValue, items: PickleValue[]): void => {
    if (!(target instanceof Map)) fail('SETITEM(S) on something that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) (target as Map<PickleValue, PickleValue>).set(items[i], items[i + 1]);
  };
  const append = (target: PickleValue, items: PickleValue[]): void => {
    if (!Array.isArray(target)) fail('APPEND(S) on something that is not a list');
    (target as PickleValue[]).push(...items);
  };

  for (;;) {
    const op = bytes[need(1)];
    switch (op) {
      case OP.PROTO:
        if (bytes[need(1)] > 2) fail(`protocol ${bytes[p - 1]} is not supported (only 2)`);
        break;
      case OP.STOP:
        if (stack.length !== 1) fail(`STOP with ${stack.length} items on the stack`);
        return { value: pop(), end: p };
      case OP.MARK:
        marks.push(stack.length);
        break;
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.BININT:
        stack.push(view.getInt32(need(4), true));
        break;
      case OP.BININT1:
        stack.push(bytes[need(1)]);
        break;
      case OP.BININT2:
        stack.push(view.getUint16(need(2), true));
        break;
      case OP.LONG1: {
        const n = bytes[need(1)];
        const at = need(n);
        stack.push(signedLittleEndian(bytes.subarray(at, at + n)));
        break;
      }
      case OP.BINFLOAT:
        stack.push(view.getFloat64(need(8), false));
        break;
      case OP.BINUNICODE: {
        const n = view.getUint32(need(4), true);
        const at = need(n);
        stack.push(text.decode(bytes.subarray(at, at + n)));
        break;
      }
      case OP.SHORT_BINUNICODE: {
        const n = bytes[need(1)];
        const at = need(n);
        stack.push(text.decode(bytes.subarray(at, at + n)));
        break;
      }
      case OP.EMPTY_DICT:
        stack.push(new Map());
        break;
      case OP.EMPTY_LIST:
      case OP.EMPTY_TUPLE:
        stack.push([]);
        break;
      case OP.TUPLE:
        stack.push(popMark());
        break;
      case OP.TUPLE1:
        stack.push([pop()]);
        break;
      case OP.TUPLE2: {
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case OP.TUPLE3: {
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case OP.APPEND: {
        const item = pop();
        append(top(), [item]);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        append(top(), items);
        break;
      }
      case OP.SETITEM: {
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case OP.BINPUT:
        memo.set(bytes[need(1)], top());
        break;
      case OP.LONG_BINPUT:
        memo.set(view.getUint32(need(4), true), top());
        break;
      case OP.BINGET:
      case OP.LONG_BINGET: {
        const key = op === OP.BINGET ? bytes[need(1)] : view.getUint32(need(4), true);
        if (!memo.has(key)) fail(`memo key ${key} is not set`);
        stack.push(memo.get(key) as PickleValue);
        break;
      }
      case OP.GLOBAL: {
        const module = line();
        const name = line();
        stack.push({ kind: 'global', module, name } satisfies PickleGlobal);
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callable = pop() as PickleGlobal;
        const qualified = `${callable?.module} ${callable?.name}`;
        const cls = callable?.kind === 'global' ? options.classes[qualified] : undefined;
        if (!cls) fail(`calls ${qualified}, which this reader does not allow`);
        if (!Array.isArray(args)) fail('REDUCE arguments are not a tuple');
        const value = (cls as PickleClass).call(args as PickleValue[]);
        if (value !== null && typeof value === 'object') builders.set(value, cls as PickleClass);
        stack.push(value);
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const target = top();
        builders.get(target)?.build?.(target, state);
        break;
      }
      case OP.BINPERSID: {
        if (!options.persistentLoad) fail('a persistent id, but no persistentLoad was given');
        stack.push(options.persistentLoad!(pop()));
        break;
      }
      default:
        fail(`opcode 0x${op.toString(16)} is not supported`);
    }
  }
}
