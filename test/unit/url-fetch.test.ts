/**
 * Safe URL fetching: the refusal table of the issue (each URL with its code), the address policy
 * per range, redirects re-checked per hop, DNS answers checked at connect time, the connected
 * socket's address checked, byte cap and deadlines. Every refusal of a non-loopback address must
 * happen before any connection is attempted: a spy on `net.Socket#connect` proves that no socket
 * ever targets anything but loopback (this machine's tests may only talk to loopback).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { createImageFetcher, type ImageFetchOptions } from '../../src/net/fetch-image.js';
import { AddressRefusedError, guardedConnector, type ResolveAll } from '../../src/net/guarded-connector.js';
import { FaceliveError, type ErrorCode } from '../../src/errors/catalogue.js';
import { startImageHost, testImages, type ImageHost, type TestImages } from '../helpers/http-server.js';

const OPTIONS: ImageFetchOptions = { allowCidrs: [], connectTimeoutMs: 1_000, totalTimeoutMs: 700, maxBytes: 1_000_000, maxRedirects: 3 };

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof FaceliveError, `not a catalogue error: ${String(error)}`);
    return error.code;
  }
}

/**
 * Records every socket connect attempt in this process that could reach a non-loopback address:
 * an IP literal outside loopback, or a host name resolved without a custom (guarded) lookup.
 */
function spyOnConnects(): { suspicious: string[]; restore(): void } {
  const suspicious: string[] = [];
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const [first] = args;
    const options = (Array.isArray(first) ? first[0] : first) as { host?: string; lookup?: unknown; path?: string } | number;
    const host = typeof options === 'object' && options ? (options.host ?? 'localhost') : String(args[1] ?? 'localhost');
    const guarded = typeof options === 'object' && typeof options?.lookup === 'function';
    const isPipe = typeof options === 'object' && Boolean(options?.path);
    if (!isPipe && (net.isIP(host) ? !LOOPBACK.test(host) : !guarded && host !== 'localhost')) suspicious.push(host);
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return { suspicious, restore: () => (net.Socket.prototype.connect = original) };
}

const LOOPBACK = /^(127\.|::1$)/;

describe('URL fetching', () => {
  let images: TestImages;
  let host: ImageHost;
  let spy: ReturnType<typeof spyOnConnects>;

  before(async () => {
    images = await testImages();
    host = await startImageHost(images);
    spy = spyOnConnects();
  });
  after(async () => {
    spy?.restore();
    await host?.close();
    assert.deepEqual(spy.suspicious, [], 'a connection was attempted that could reach a non-loopback address');
  });

  test('refusal table (no allow-list): each URL and its code', async () => {
    const fetcher = createImageFetcher(OPTIONS);
    const table: [string, ErrorCode][] = [
      ['http://127.0.0.1/a.jpg', 'URL_ADDRESS_REFUSED'],
      [`http://127.0.0.1:${host.port}/live.jpg`, 'URL_ADDRESS_REFUSED'],
      ['http://localhost/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[::1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://10.0.0.1/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://10.255.255.254:8080/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://172.16.0.1/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://172.31.255.1/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://192.168.1.1/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://169.254.169.254/latest/meta-data/', 'URL_ADDRESS_REFUSED'],
      ['http://[::ffff:127.0.0.1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[::ffff:169.254.169.254]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://2130706433/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://0x7f.0.0.1/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://0.0.0.0/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[::]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[fd00::1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[fe80::1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://224.0.0.1/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[ff02::1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://100.64.0.1/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[64:ff9b::a00:1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[::127.0.0.1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[::169.254.169.254]/latest/meta-data/', 'URL_ADDRESS_REFUSED'],
      ['http://[::a00:1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[4000::1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[fec0::1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['http://[100::1]/a.jpg', 'URL_ADDRESS_REFUSED'],
      ['ftp://example.com/a.jpg', 'URL_SCHEME_UNSUPPORTED'],
      ['file:///etc/passwd', 'URL_SCHEME_UNSUPPORTED'],
      ['gopher://127.0.0.1:6379/_INFO', 'URL_SCHEME_UNSUPPORTED'],
      ['not a url', 'URL_INVALID'],
      ['http://user:pass@example.com/a.jpg', 'URL_INVALID'],
    ];
    try {
      for (const [url, code] of table) assert.equal(await codeOf(fetcher.fetch(url, 'imageUrl')), code, url);
    } finally {
      await fetcher.close();
    }
  });

  test('refusal table (loopback test host allow-listed): redirect, oversize, slow, loop, status', async () => {
    const fetcher = createImageFetcher({ ...OPTIONS, allowCidrs: ['127.0.0.1/32'], maxBytes: 200_000 });
    const table: [string, ErrorCode | 'ok'][] = [
      ['/live.jpg', 'ok'],
      ['/redirect/live', 'ok'],
      ['/redirect/metadata', 'URL_ADDRESS_REFUSED'],
      ['/big', 'URL_TOO_LARGE'],
      ['/big-declared', 'URL_TOO_LARGE'],
      ['/slow', 'URL_TIMEOUT'],
      ['/redirect/loop', 'URL_REDIRECT_LIMIT'],
      ['/missing', 'URL_HTTP_STATUS'],
    ];
    try {
      for (const [path, code] of table) assert.equal(await codeOf(fetcher.fetch(host.url(path), 'imageUrl')), code, path);
      assert.ok(Buffer.from(await fetcher.fetch(host.url('/live.jpg'), 'imageUrl')).equals(images.live));
      // The allow-list is exact: other loopback addresses stay refused.
      assert.equal(await codeOf(fetcher.fetch(`http://127.0.0.2:${host.port}/live.jpg`, 'imageUrl')), 'URL_ADDRESS_REFUSED');
      assert.equal(await codeOf(fetcher.fetch(`http://[::1]:${host.port}/live.jpg`, 'imageUrl')), 'URL_ADDRESS_REFUSED');
    } finally {
      await fetcher.close();
    }
  });

  test('error messages name the host and range but not the resolved address', async () => {
    const fetcher = createImageFetcher(OPTIONS, async () => [{ address: '10.1.2.3', family: 4 }]);
    try {
      await fetcher.fetch('http://images.internal.example/a.jpg', 'Url');
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(error instanceof FaceliveError);
      assert.equal(error.code, 'URL_ADDRESS_REFUSED');
      assert.match(error.message, /images\.internal\.example.*private/);
      assert.doesNotMatch(error.message, /10\.1\.2\.3/);
    } finally {
      await fetcher.close();
    }
  });

  test('a host with any refused record is refused, before connecting', async () => {
    const fetcher = createImageFetcher(OPTIONS, async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '192.168.0.10', family: 4 },
    ]);
    try {
      assert.equal(await codeOf(fetcher.fetch('http://mixed.example/a.jpg', 'imageUrl')), 'URL_ADDRESS_REFUSED');
    } finally {
      await fetcher.close();
    }
  });

  test('DNS is checked again at connect time (rebinding between check and connect is refused)', async () => {
    let calls = 0;
    // First answer (the pre-check) is the allow-listed test host; the connect-time answer rebinds.
    const rebinding: ResolveAll = async () => (calls++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '127.0.0.2', family: 4 }]);
    const fetcher = createImageFetcher({ ...OPTIONS, allowCidrs: ['127.0.0.1/32'] }, rebinding);
    try {
      assert.equal(await codeOf(fetcher.fetch(`http://rebind.test:${host.port}/live.jpg`, 'imageUrl')), 'URL_ADDRESS_REFUSED');
      assert.equal(calls, 2);
    } finally {
      await fetcher.close();
    }
  });

  test("the connected socket's address is checked (IP literals skip DNS)", async () => {
    const connect = guardedConnector(createAddressPolicy([]), async () => [], 1_000);
    const error = await new Promise<Error | null>((resolve) =>
      connect({ hostname: '127.0.0.1', protocol: 'http:', port: String(host.port) }, (...args) => resolve(args[0])),
    );
    assert.ok(error instanceof AddressRefusedError, String(error));
    assert.equal(error.range, 'loopback');
  });

  test('address policy: ranges, IPv4-mapped, allow-list', () => {
    const strict = createAddressPolicy([]);
    const cases: [string, boolean, string][] = [
      ['93.184.216.34', true, 'unicast'],
      ['2606:2800:220:1:248:1893:25c8:1946', true, 'unicast'],
      ['127.0.0.1', false, 'loopback'],
      ['::1', false, 'loopback'],
      ['10.0.0.1', false, 'private'],
      ['172.16.0.1', false, 'private'],
      ['192.168.0.1', false, 'private'],
      ['169.254.169.254', false, 'linkLocal'],
      ['fe80::1', false, 'linkLocal'],
      ['fc00::1', false, 'uniqueLocal'],
      ['224.0.0.1', false, 'multicast'],
      ['ff02::1', false, 'multicast'],
      ['0.0.0.0', false, 'unspecified'],
      ['::', false, 'unspecified'],
      ['::ffff:127.0.0.1', false, 'loopback'],
      ['::ffff:10.0.0.1', false, 'private'],
      ['::ffff:93.184.216.34', true, 'unicast'],
      // IPv6: global unicast only.
      // ipaddr.js reads the dotted spelling as the IPv4 address it carries; URLs arrive as ::7f00:1.
      ['::127.0.0.1', false, 'loopback'],
      ['::7f00:1', false, 'ipv4Compatible'],
      ['::5db8:d822', false, 'ipv4Compatible'],
      ['::1:0:0:1', false, 'notGlobalUnicast'],
      ['4000::1', false, 'notGlobalUnicast'],
      ['e000::1', false, 'notGlobalUnicast'],
      ['fec0::1', false, 'deprecatedSiteLocal'],
      ['2001:db8::1', false, 'reserved'],
      ['2a00:1450:4001:82a::200e', true, 'unicast'],
      ['not-an-ip', false, 'invalid'],
    ];
    for (const [address, allowed, range] of cases) assert.deepEqual(strict.check(address), { allowed, range }, address);
    const listed = createAddressPolicy(['10.1.0.0/16', 'fd00::/8', '::ffff:192.168.5.0/120']);
    assert.equal(listed.check('10.1.2.3').allowed, true);
    assert.equal(listed.check('10.2.0.1').allowed, false);
    assert.equal(listed.check('fd12::1').allowed, true);
    assert.equal(listed.check('192.168.5.7').allowed, true);
    assert.throws(() => createAddressPolicy(['10.0.0.0/33']), /allowCidrs/);
  });
});
