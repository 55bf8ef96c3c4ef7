/**
 * Which IP addresses facelive may fetch images from. Only globally routable unicast addresses are
 * allowed by default; loopback, private, link-local (169.254.169.254, the cloud metadata
 * service), unique-local, multicast, unspecified, carrier-grade NAT, documentation, 6to4/Teredo/
 * NAT64 and every other special range are refused unless an operator allow-lists a CIDR.
 * IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are judged as the IPv4 address they carry. Of
 * IPv6 only global unicast (2000::/3, minus its special ranges) is allowed: ipaddr.js calls every
 * address it has no name for `unicast`, which would let the deprecated IPv4-compatible form
 * (`[::127.0.0.1]`, which URL parsing writes as `::7f00:1`) and unallocated space through.
 */
import ipaddr from 'ipaddr.js';
import { FaceliveError } from '../errors/catalogue.js';

/** The verdict on one address; `range` is ipaddr.js's range name (`unicast`, `loopback`, `private`, …). */
export interface AddressVerdict {
  readonly allowed: boolean;
  readonly range: string;
}

/** Decides per address; built once from the configured allow-list. */
export interface AddressPolicy {
  check(address: string): AddressVerdict;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseCidr(text: string): Cidr {
  try {
    const [address, bits] = ipaddr.parseCIDR(text);
    // Normalise IPv4-mapped allow-list entries the same way addresses are normalised.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return [address, bits];
  } catch (error) {
    throw new FaceliveError(
      'CONFIG_INVALID',
      { reason: `server.urlFetch.allowCidrs: "${text}" is not a CIDR such as 10.0.0.0/8 or fd00::/8` },
      { cause: error },
    );
  }
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const IPV4_COMPATIBLE_V6 = ipaddr.parseCIDR('::/96');

/** ipaddr.js's range name, except that IPv6 `unicast` outside 2000::/3 gets a refusing name of its own. */
function rangeOf(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  const range = address.range();
  if (address.kind() !== 'ipv6' || range !== 'unicast' || address.match(GLOBAL_UNICAST_V6)) return range;
  return address.match(IPV4_COMPATIBLE_V6) ? 'ipv4Compatible' : 'notGlobalUnicast';
}

/** The address as ipaddr.js sees it, IPv4-mapped IPv6 unwrapped; undefined when it is no IP address. */
function normalise(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return undefined;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) return (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed;
}

/**
 * Builds the policy: an address is allowed when its range is `unicast` (IPv6: global unicast
 * only) or it lies in one of the allow-listed CIDRs. Anything that does not parse as an IP address is refused.
 *
 * @example
 * const policy = createAddressPolicy(['127.0.0.1/32']);
 * policy.check('127.0.0.1'); // { allowed: true, range: 'loopback' }
 * policy.check('169.254.169.254'); // { allowed: false, range: 'linkLocal' }
 */
export function createAddressPolicy(allowCidrs: readonly string[]): AddressPolicy {
  const allowed = allowCidrs.map(parseCidr);
  return {
    check(address) {
      const parsed = normalise(address);
      if (!parsed) return { allowed: false, range: 'invalid' };
      const range = rangeOf(parsed);
      if (range === 'unicast') return { allowed: true, range };
      const listed = allowed.some(([net, bits]) => net.kind() === parsed.kind() && parsed.match(net, bits));
      return { allowed: listed, range };
    },
  };
}

/** Human wording of a range name for error messages ("a loopback address"). */
export function describeRange(range: string): string {
  const words: Record<string, string> = {
    loopback: 'loopback',
    private: 'private',
    linkLocal: 'link-local',
    uniqueLocal: 'unique-local',
    multicast: 'multicast',
    unspecified: 'unspecified',
    broadcast: 'broadcast',
    carrierGradeNat: 'carrier-grade NAT',
    reserved: 'reserved',
    ipv4Compatible: 'deprecated IPv4-compatible IPv6 (::/96)',
    notGlobalUnicast: 'non-global IPv6 (outside 2000::/3)',
    invalid: 'non-IP',
  };
  return words[range] ?? `special-purpose (${range})`;
}
