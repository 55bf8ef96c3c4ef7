import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { decodeImage } from '../../src/engine/decode/decode-image.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../../src/engine/decode/limits.js';
import { sniffFormat } from '../../src/engine/decode/sniff-format.js';
import type { DecodedImage, RgbFrame } from '../../src/engine/types.js';
import { FaceliveError, type ErrorCode } from '../../src/errors/catalogue.js';
import {
  DECODE_EXPECTATIONS,
  FIXTURE_DESCRIPTIONS,
  FIXTURE_NAMES,
  QUADRANT_COLOURS,
  encodeBmp,
  makeFixtures,
  quadrantFrame,
  type FixtureName,
} from '../fixtures/make-fixtures.js';
import { PAD_DEV_DIR, requireDir } from '../helpers/paths.js';

let fixtures: Record<FixtureName, Uint8Array>;

before(async () => {
  fixtures = await makeFixtures();
});

/** Runs decodeImage and returns the error it throws, failing unless it is a FaceliveError. */
async function decodeError(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<FaceliveError> {
  try {
    await decodeImage(bytes, limits);
  } catch (error) {
    assert.ok(error instanceof FaceliveError, `expected a FaceliveError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected decodeImage to throw');
}

async function decodeFixture(name: FixtureName): Promise<DecodedImage> {
  return decodeImage(fixtures[name], DEFAULT_DECODE_LIMITS);
}

function pixelAt(frame: RgbFrame, x: number, y: number): [number, number, number] {
  const offset = (y * frame.width + x) * 3;
  return [frame.data[offset], frame.data[offset + 1], frame.data[offset + 2]];
}

function assertNear(actual: readonly number[], expected: readonly number[], tolerance: number, label: string): void {
  const close = actual.every((value, index) => Math.abs(value - expected[index]) <= tolerance);
  assert.ok(close, `${label}: got ${actual.join(',')}, expected ${expected.join(',')} ± ${tolerance}`);
}

/** Centre pixel of each quadrant, so JPEG ringing at the borders does not matter. */
function assertQuadrants(frame: RgbFrame, tolerance: number): void {
  const [left, right] = [Math.floor(frame.width / 4), Math.floor((frame.width * 3) / 4)];
  const [top, bottom] = [Math.floor(frame.height / 4), Math.floor((frame.height * 3) / 4)];
  assertNear(pixelAt(frame, left, top), QUADRANT_COLOURS.topLeft, tolerance, 'top left');
  assertNear(pixelAt(frame, right, top), QUADRANT_COLOURS.topRight, tolerance, 'top right');
  assertNear(pixelAt(frame, left, bottom), QUADRANT_COLOURS.bottomLeft, tolerance, 'bottom left');
  assertNear(pixelAt(frame, right, bottom), QUADRANT_COLOURS.bottomRight, tolerance, 'bottom right');
}

describe('decodeImage: fixture table', () => {
  for (const name of FIXTURE_NAMES) {
    const expected = DECODE_EXPECTATIONS[name];
    const outcome = expected.ok ? `${expected.format} ${expected.width}x${expected.height}` : expected.code;
    test(`${name} (${FIXTURE_DESCRIPTIONS[name]}) → ${outcome}`, async () => {
      const bytes = fixtures[name];
      if (!expected.ok) {
        const error = await decodeError(bytes);
        assert.equal(error.code, expected.code);
        for (const [key, value] of Object.entries(expected.params)) assert.equal(error.params[key], value, `params.${key}`);
        return;
      }
      const { frame, format, encodedBytes } = await decodeImage(bytes, DEFAULT_DECODE_LIMITS);
      assert.equal(format, expected.format);
      assert.equal(encodedBytes, bytes.byteLength);
      assert.deepEqual([frame.width, frame.height], [expected.width, expected.height]);
      assert.equal(frame.data.length, frame.width * frame.height * 3);
      assert.ok(frame.data instanceof Uint8Array);
    });
  }
});

describe('decodeImage: check order and limits', () => {
  test('the byte limit is checked before the format', async () => {
    const error = await decodeError(fixtures.gif, { ...DEFAULT_DECODE_LIMITS, maxEncodedBytes: 16 });
    assert.equal(error.code, 'IMAGE_SIZE_EXCEEDED');
    assert.deepEqual(error.params, { bytes: fixtures.gif.byteLength, maxBytes: 16 });
  });

  test('the format is checked before the dimensions (a 1x1 GIF is unsupported, not too small)', async () => {
    const { default: sharp } = await import('sharp');
    const tinyGif = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    assert.equal((await decodeError(tinyGif)).code, 'IMAGE_FORMAT_UNSUPPORTED');
  });

  test('limits are the caller’s: a smaller long side or pixel count refuses the 128x96 JPEG', async () => {
    const error = await decodeError(fixtures['jpeg-rgb'], { ...DEFAULT_DECODE_LIMITS, maxLongSideJpeg: 127 });
    assert.deepEqual(error.params, { width: 128, height: 96, maxLongSide: 127, maxPixels: DEFAULT_DECODE_LIMITS.maxPixelsJpeg, format: 'jpeg' });
    const byPixels = await decodeError(fixtures['jpeg-rgb'], { ...DEFAULT_DECODE_LIMITS, maxPixelsJpeg: 128 * 96 - 1 });
    assert.equal(byPixels.code, 'IMAGE_RESOLUTION_EXCEEDED');
  });

  test('the JPEG limits do not apply to other formats', async () => {
    const limits = { ...DEFAULT_DECODE_LIMITS, maxLongSideJpeg: 10, maxPixelsJpeg: 10 };
    assert.equal((await decodeImage(fixtures['png-rgb'], limits)).format, 'png');
  });

  test('limits apply to the stored dimensions; the frame has the oriented ones', async () => {
    // Stored 200x100: a 100 px short side passes minShortSide 100 either way round, and a
    // maxLongSide of 200 must compare with the stored width, not the oriented height.
    const limits = { ...DEFAULT_DECODE_LIMITS, maxLongSideJpeg: 200, minShortSide: 100 };
    const { frame } = await decodeImage(fixtures['jpeg-exif-orientation-6'], limits);
    assert.deepEqual([frame.width, frame.height], [100, 200]);
  });

  for (const bomb of ['png-bomb-8000x8000', 'png-bomb-16500x16500', 'jpeg-header-8193x8193'] as const) {
    test(`${bomb} is refused from its header, fast and without allocating pixels`, async () => {
      const rssBefore = process.memoryUsage().rss;
      const started = performance.now();
      const error = await decodeError(fixtures[bomb]);
      const elapsedMs = performance.now() - started;
      const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
      assert.equal(error.code, 'IMAGE_RESOLUTION_EXCEEDED');
      assert.ok(fixtures[bomb].byteLength < 64 * 1024, 'the bomb is small');
      assert.ok(elapsedMs < 500, `refused in ${elapsedMs.toFixed(0)} ms`);
      assert.ok(rssGrowthMb < 100, `rss grew by ${rssGrowthMb.toFixed(0)} MB`);
    });
  }
});

describe('decodeImage: frames larger than maxDecodedPixels are decoded downscaled', () => {
  const small = { ...DEFAULT_DECODE_LIMITS, maxDecodedPixels: 50 * 25 };

  test('the frame keeps the aspect ratio within the pixel budget; the original size is reported', async () => {
    const decoded = await decodeImage(fixtures['jpeg-rgb'], small);
    assert.deepEqual([decoded.frame.width, decoded.frame.height], [40, 30]);
    assert.ok(decoded.frame.width * decoded.frame.height <= small.maxDecodedPixels);
    assert.equal(decoded.frame.data.length, 40 * 30 * 3);
    assert.deepEqual(decoded.original, { width: 128, height: 96 });
    assertQuadrants(decoded.frame, 8);
  });

  test('EXIF orientation is applied to the downscaled frame and to the reported original size', async () => {
    const decoded = await decodeImage(fixtures['jpeg-exif-orientation-6'], { ...small, minShortSide: 1 });
    assert.deepEqual(decoded.original, { width: 100, height: 200 });
    assert.deepEqual([decoded.frame.width, decoded.frame.height], [25, 50]);
    assertNear(pixelAt(decoded.frame, 12, 5), [255, 0, 0], 12, 'top');
    assertNear(pixelAt(decoded.frame, 12, 45), [0, 0, 255], 12, 'bottom');
  });

  test('images within the budget are decoded at their own size (the default budget is 16 Mi px)', async () => {
    const decoded = await decodeImage(fixtures['jpeg-12000x64'], DEFAULT_DECODE_LIMITS);
    assert.deepEqual([decoded.frame.width, decoded.frame.height], [12_000, 64]);
    assert.deepEqual(decoded.original, { width: 12_000, height: 64 });
    assert.equal(DEFAULT_DECODE_LIMITS.maxDecodedPixels, 4096 * 4096);
  });
});

describe('decodeImage: pixels', () => {
  test('lossless formats reproduce the synthetic quadrants exactly', async () => {
    const lossless = ['png-rgb', 'webp', 'bmp-24', 'bmp-24-top-down', 'bmp-24-pixel-gap', 'bmp-32-v5', 'bmp-8-palette'] as const;
    for (const name of lossless) {
      const { frame } = await decodeFixture(name);
      const expected = quadrantFrame(frame.width, frame.height);
      assert.ok(Buffer.from(frame.data).equals(Buffer.from(expected.data)), `${name}: pixels differ from the source`);
    }
  });

  test('BMP channel order and row order: R,G,B in place, first row is the top row', async () => {
    for (const name of ['bmp-24', 'bmp-24-top-down'] as const) {
      const { frame } = await decodeFixture(name);
      assert.deepEqual(pixelAt(frame, 0, 0), [...QUADRANT_COLOURS.topLeft], name);
      assert.deepEqual(pixelAt(frame, frame.width - 1, frame.height - 1), [...QUADRANT_COLOURS.bottomRight], name);
      assert.deepEqual(pixelAt(frame, 0, frame.height - 1), [...QUADRANT_COLOURS.bottomLeft], name);
    }
  });

  test('JPEG quadrants land where they were drawn', async () => {
    assertQuadrants((await decodeFixture('jpeg-rgb')).frame, 6);
  });

  test('EXIF orientation 6: 200x100 stored becomes 100x200, the left (red) half on top', async () => {
    const { frame } = await decodeFixture('jpeg-exif-orientation-6');
    assert.deepEqual([frame.width, frame.height], [100, 200]);
    assertNear(pixelAt(frame, 50, 20), [255, 0, 0], 8, 'top');
    assertNear(pixelAt(frame, 50, 180), [0, 0, 255], 8, 'bottom');
    assertNear(pixelAt(frame, 5, 50), [255, 0, 0], 8, 'top left');
    assertNear(pixelAt(frame, 95, 150), [0, 0, 255], 8, 'bottom right');
  });

  test('greyscale and grey+alpha come out as three identical channels', async () => {
    for (const name of ['jpeg-grey', 'png-grey', 'png-grey-alpha'] as const) {
      const { frame } = await decodeFixture(name);
      for (let pixel = 0; pixel < frame.width * frame.height; pixel++) {
        const [r, g, b] = [frame.data[pixel * 3], frame.data[pixel * 3 + 1], frame.data[pixel * 3 + 2]];
        assert.ok(r === g && g === b, `${name}: pixel ${pixel} is ${r},${g},${b}`);
      }
    }
    // The gradient survives exactly in PNG: value = 2x + y.
    const { frame } = await decodeFixture('png-grey');
    assert.deepEqual(pixelAt(frame, 10, 5), [25, 25, 25]);
  });

  test('CMYK pure red decodes to plausible RGB red', async () => {
    const { frame } = await decodeFixture('jpeg-cmyk');
    const [r, g, b] = pixelAt(frame, 32, 32);
    assert.ok(r > 180 && g < 60 && b < 60, `got ${r},${g},${b}`);
  });

  test('alpha is dropped, not composited: colours under alpha 0 and 128 are kept', async () => {
    assertQuadrants((await decodeFixture('png-rgba')).frame, 0);
  });

  test('16-bit PNG becomes 8-bit: 65535 → 255, 32896 → 128, 0 → 0', async () => {
    const { frame } = await decodeFixture('png-16bit');
    for (let pixel = 0; pixel < frame.width * frame.height; pixel++) {
      assert.deepEqual([...frame.data.subarray(pixel * 3, pixel * 3 + 3)], [255, 128, 0]);
    }
  });
});

describe('decodeImage: BMP variants bmp-ts gets wrong are refused', () => {
  const quadrants = quadrantFrame(98, 66);

  test('RLE4, and RLE8 (fixture)', async () => {
    const bytes = encodeBmp(quadrants, { bitsPerPixel: 8, compression: 2 });
    const error = await decodeError(bytes);
    assert.deepEqual(error.params, { format: 'bmp', reason: 'RLE-compressed BMP is not supported' });
  });

  test('4-bit of odd width', async () => {
    // Header patched to claim 4 bits per pixel at width 97: refused before bmp-ts reads pixels.
    const bytes = Buffer.from(encodeBmp(quadrants, { bitsPerPixel: 8 }));
    bytes.writeInt32LE(97, 18);
    bytes.writeUInt16LE(4, 28);
    assert.equal((await decodeError(bytes)).params.reason, '4-bit BMP of odd width is not supported');
  });

  test('OS/2 core header, odd bit depths, JPEG-in-BMP, text starting with "BM"', async () => {
    const core = Buffer.from(encodeBmp(quadrants, { bitsPerPixel: 24 }));
    core.writeUInt32LE(12, 14);
    const twoBit = Buffer.from(encodeBmp(quadrants, { bitsPerPixel: 24 }));
    twoBit.writeUInt16LE(2, 28);
    const jpegInBmp = Buffer.from(encodeBmp(quadrants, { bitsPerPixel: 24 }));
    jpegInBmp.writeUInt32LE(4, 30);
    const text = new TextEncoder().encode('BM is how this sentence starts, but it is no bitmap at all.');
    for (const bytes of [core, twoBit, jpegInBmp, text]) {
      const error = await decodeError(bytes);
      assert.equal(error.code, 'IMAGE_DECODE_FAILED');
      assert.equal(error.params.format, 'bmp');
    }
  });

  test('a pixel offset that points inside the palette', async () => {
    const bytes = Buffer.from(encodeBmp(quadrants, { bitsPerPixel: 8 }));
    bytes.writeUInt32LE(60, 10);
    assert.equal((await decodeError(bytes)).code, 'IMAGE_DECODE_FAILED');
  });
});

describe('decodeImage: hostile bytes', () => {
  const IMAGE_CODES = new Set<ErrorCode>([
    'IMAGE_EMPTY',
    'IMAGE_SIZE_EXCEEDED',
    'IMAGE_FORMAT_UNSUPPORTED',
    'IMAGE_DECODE_FAILED',
    'IMAGE_RESOLUTION_EXCEEDED',
    'IMAGE_RESOLUTION_TOO_SMALL',
  ]);

  test('truncated and bit-flipped copies of every decodable fixture fail only with IMAGE_* errors', async () => {
    const decodable = FIXTURE_NAMES.filter((name) => DECODE_EXPECTATIONS[name].ok && fixtures[name].byteLength < 64 * 1024);
    for (const name of decodable) {
      const original = fixtures[name];
      const variants: Uint8Array[] = [];
      for (const fraction of [0.02, 0.1, 0.3, 0.5, 0.8, 0.99]) variants.push(original.subarray(0, Math.floor(original.length * fraction)));
      for (let seed = 1; seed <= 6; seed++) {
        const flipped = new Uint8Array(original);
        for (let flip = 0; flip < 8; flip++) {
          const index = (seed * 7919 + flip * 104729) % flipped.length;
          flipped[index] ^= 0xff;
        }
        variants.push(flipped);
      }
      for (const [index, bytes] of variants.entries()) {
        try {
          const { frame } = await decodeImage(bytes, DEFAULT_DECODE_LIMITS);
          assert.equal(frame.data.length, frame.width * frame.height * 3);
        } catch (error) {
          assert.ok(error instanceof FaceliveError, `${name} variant ${index}: ${String(error)}`);
          assert.ok(IMAGE_CODES.has(error.code), `${name} variant ${index}: ${error.code} (${String(error.cause)})`);
        }
      }
    }
  });

  test('error messages are short and name no library internals', async () => {
    for (const name of FIXTURE_NAMES.filter((fixture) => !DECODE_EXPECTATIONS[fixture].ok)) {
      const error = await decodeError(fixtures[name]);
      assert.ok(error.clientSafe);
      assert.ok(error.message.length < 120, `${name}: ${error.message}`);
      assert.doesNotMatch(error.message, /vips|libpng|libjpeg|\/|\\/i, name);
    }
  });

  test('a foreign decoder error is kept as the cause', async () => {
    const error = await decodeError(fixtures['jpeg-truncated']);
    assert.ok(error.cause instanceof Error);
  });
});

describe('sniffFormat', () => {
  const bytes = (...values: (number | string)[]): Uint8Array =>
    new Uint8Array(values.flatMap((value) => (typeof value === 'string' ? [...value].map((char) => char.charCodeAt(0)) : [value])));

  const cases: [string, Uint8Array, string, boolean][] = [
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe1), 'jpeg', true],
    ['PNG', bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a), 'png', true],
    ['BMP', bytes('BM', 0, 0), 'bmp', true],
    ['WebP', bytes('RIFF', 0, 0, 0, 0, 'WEBP'), 'webp', true],
    ['RIFF that is not WebP (WAV)', bytes('RIFF', 0, 0, 0, 0, 'WAVE'), 'unknown', false],
    ['GIF', bytes('GIF89a'), 'gif', false],
    ['TIFF little-endian', bytes('II', 0x2a, 0), 'tiff', false],
    ['TIFF big-endian', bytes('MM', 0, 0x2a), 'tiff', false],
    ['AVIF', bytes(0, 0, 0, 0x1c, 'ftypavif'), 'avif', false],
    ['HEIC', bytes(0, 0, 0, 0x18, 'ftypheic'), 'heif', false],
    ['two bytes of JPEG', bytes(0xff, 0xd8), 'unknown', false],
    ['nothing', bytes(), 'unknown', false],
  ];
  for (const [label, input, format, supported] of cases) {
    test(`${label} → ${format}`, () => {
      assert.deepEqual(sniffFormat(input), { supported, format });
    });
  }
});

describe('decodeImage: real images from the shared development set', () => {
  test('no JPEG, PNG or WebP of pad-dev fails to decode (failOn does not refuse camera files)', async () => {
    const imagesDir = requireDir(path.join(PAD_DEV_DIR, 'images'), 'pad-dev images');
    const files = readdirSync(imagesDir, { recursive: true, encoding: 'utf8' }).filter((file) => /\.(jpe?g|png|webp)$/i.test(file));
    assert.ok(files.length > 0);
    const failures: string[] = [];
    for (const file of files) {
      try {
        await decodeImage(readFileSync(path.join(imagesDir, file)), DEFAULT_DECODE_LIMITS);
      } catch (error) {
        // A few set images are legitimately outside the size limits; only decode failures count.
        if (!(error instanceof FaceliveError) || error.code === 'IMAGE_DECODE_FAILED' || error.code === 'INTERNAL_ERROR') {
          failures.push(`${file}: ${String(error)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });
});
