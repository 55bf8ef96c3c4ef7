/**
 * The connection side of safe URL fetching: a DNS lookup that refuses forbidden addresses before
 * any connection is attempted (so no packet ever goes to them, and DNS rebinding between a check
 * and the connect is impossible: the checked address is the one connected to), and an undici
 * connector that checks the peer address of every established socket once more.
 */
import dns from 'node:dns';
import type { LookupFunction, Socket } from 'node:net';
import { buildConnector } from 'undici';
import type { AddressPolicy } from './address-policy.js';

/** Raised (inside undici's error chain) when a host resolves to, or connected to, a refused address. */
export class AddressRefusedError extends Error {
  readonly code = 'FACELIVE_ADDRESS_REFUSED';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${host} resolves to refused address ${address} (${range})`);
    this.name = 'AddressRefusedError';
  }
}

/** Resolves every address of a host (A and AAAA), in resolver order. */
export type ResolveAll = (hostname: string) => Promise<readonly dns.LookupAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts applies), all addresses. */
export const systemResolveAll: ResolveAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * A `net.connect` lookup that resolves through `resolveAll` and fails with
 * {@link AddressRefusedError} when any address of the host is refused, so that a host mixing an
 * allowed and a refused record cannot be used to reach the refused one.
 */
export function guardedLookup(policy: AddressPolicy, resolveAll: ResolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        for (const candidate of addresses) {
          const verdict = policy.check(candidate.address);
          if (!verdict.allowed) return callback(new AddressRefusedError(hostname, candidate.address, verdict.range), '', 0);
        }
        if (usable.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`no ${family ? `IPv${family} ` : ''}address for ${hostname}`);
          error.code = 'ENOTFOUND';
          return callback(error, '', 0);
        }
        if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [...usable]);
        callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/**
 * An undici connector whose sockets resolve hosts through {@link guardedLookup} and whose peer
 * address is checked after connecting (this also covers IP-literal hosts, which skip lookup).
 */
export function guardedConnector(policy: AddressPolicy, resolveAll: ResolveAll, connectTimeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: connectTimeoutMs, lookup: guardedLookup(policy, resolveAll) });
  return (options, callback) => {
    connect(options, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('connect failed'), null);
      const peer = (socket as Socket).remoteAddress ?? '';
      const verdict = policy.check(peer);
      if (!verdict.allowed) {
        socket.destroy();
        return callback(new AddressRefusedError(options.hostname, peer, verdict.range), null);
      }
      callback(null, socket);
    });
  };
}
