/**
 * The pickle reader on pickles written by CPython 3 (`pickle.dumps(..., protocol=2)`, hex below):
 * values come out as Python wrote them, globals resolve only through the allow-list (a pickle
 * that calls `os.system` is refused, not run), and malformed input is a PickleError naming the
 * offset. The legacy torch loader refuses what is not a legacy torch.save file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PickleError, readPickle, type PickleValue } from '../../src/models/convert/pickle-reader.js';
import { readLegacyStateDict, TorchFileError } from '../../src/models/convert/torch-legacy.js';

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

/** {'a': [1, 300, 70000, (3, 'x')], 'b': True, 'c': None, 'big': 2**70, 'neg': -5, 'f': 1.5, 'é': 'ü'} */
const PLAIN =
  '80027d71002858010000006171015d7102284b014d2c014a701101004b0358010000007871038671046558010000006271058858010000006371064e580300000062696771078a0900000000000000004058030000006e656771084afbffffff5801000000667109473ff80000000000005802000000c3a9710a5802000000c3bc710b752e';
/** collections.OrderedDict([('w', 1)]) */
const ORDERED_DICT = '800263636f6c6c656374696f6e730a4f726465726564446963740a71002952710158010000007771024b01732e';
/** An object whose __reduce__ is (os.system, ('echo pwned',)). */
const SYSTEM_CALL = '800263706f7369780a73797374656d0a7100580a0000006563686f2070776e656471018571025271032e';

describe('readPickle', () => {
  test('reads the values CPython wrote, and where the pickle ends', () => {
    const bytes = hex(PLAIN);
    const { value, end } = readPickle(bytes, 0, { classes: {} });
    assert.equal(end, bytes.length);
    const expected = new Map<PickleValue, PickleValue>([
      ['a', [1, 300, 70000, [3, 'x']]],
      ['b', true],
      ['c', null],
      ['big', 2n ** 70n],
      ['neg', -5],
      ['f', 1.5],
      ['é', 'ü'],
    ]);
    assert.deepEqual(value, expected);
  });

  test('reads one pickle of several back to back', () => {
    const bytes = hex(PLAIN + ORDERED_DICT);
    const first = readPickle(bytes, 0, { classes: {} });
    const second = readPickle(bytes, first.end, { classes: { 'collections OrderedDict': { call: () => new Map() } } });
    assert.deepEqual(second.value, new Map([['w', 1]]));
    assert.equal(second.end, bytes.length);
  });

  test('refuses a global that is not allowed instead of calling it', () => {
    assert.throws(
      () => readPickle(hex(SYSTEM_CALL), 0, { classes: {} }),
      (error: unknown) => {
        assert.ok(error instanceof PickleError);
        assert.match(error.message, /calls posix system, which this reader does not allow/);
        return true;
      },
    );
    assert.throws(() => readPickle(hex(ORDERED_DICT), 0, { classes: {} }), /calls collections OrderedDict/);
  });

  test('malformed input names the offset', () => {
    assert.throws(() => readPickle(hex(PLAIN).subarray(0, 40), 0, { classes: {} }), /pickle at byte \d+: needs \d+ more bytes/);
    assert.throws(() => readPickle(hex('800263'), 0, { classes: {} }), /unterminated text line/);
    assert.throws(() => readPickle(hex('8002ff'), 0, { classes: {} }), /opcode 0xff is not supported/);
    assert.throws(() => readPickle(hex('8005'), 0, { classes: {} }), /protocol 5 is not supported/);
    assert.throws(() => readPickle(hex('80024e4e2e'), 0, { classes: {} }), /STOP with 2 items/);
  });
});

describe('readLegacyStateDict', () => {
  test('refuses a zip-format torch.save file and bytes that are not a pickle', () => {
    assert.throws(
      () => readLegacyStateDict(hex(`504b0304${'00'.repeat(40)}`)),
      (error: unknown) => error instanceof TorchFileError && /zip-format/.test(error.message),
    );
    assert.throws(() => readLegacyStateDict(Buffer.from('MIT License\n\nCopyright')), /not a legacy torch\.save file/);
    assert.throws(() => readLegacyStateDict(hex(PLAIN)), /wrong magic number/);
  });
});
