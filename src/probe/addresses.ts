import { BlockList, isIP } from 'node:net';

/** What kind of address a registry name resolved to. `private` covers RFC 1918, CGNAT and IPv6 ULA. */
export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'unspecified';

/** An address a name resolved to, as the checks pass it along. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
  addressClass: AddressClass;
  ttl?: number;
}

const ranges = [
  { addressClass: 'loopback', network: '127.0.0.0', prefix: 8 },
  { addressClass: 'loopback', network: '::1', prefix: 128 },
  { addressClass: 'private', network: '10.0.0.0', prefix: 8 },
  { addressClass: 'private', network: '172.16.0.0', prefix: 12 },
  { addressClass: 'private', network: '192.168.0.0', prefix: 16 },
  { addressClass: 'private', network: '100.64.0.0', prefix: 10 },
  { addressClass: 'private', network: 'fc00::', prefix: 7 },
  { addressClass: 'link-local', network: '169.254.0.0', prefix: 16 },
  { addressClass: 'link-local', network: 'fe80::', prefix: 10 },
  { addressClass: 'unspecified', network: '0.0.0.0', prefix: 8 },
  { addressClass: 'unspecified', network: '::', prefix: 128 },
] as const satisfies readonly {
  addressClass: Exclude<AddressClass, 'public'>;
  network: string;
  prefix: number;
}[];

/** Classes a registry name should never resolve to; reported as findings, never refused (CONTRACT.md §4). */
export const unusualClasses: readonly AddressClass[] = ['loopback', 'link-local', 'unspecified'];

let lists: Map<AddressClass, BlockList> | undefined;

function blockLists(): Map<AddressClass, BlockList> {
  if (lists) return lists;
  lists = new Map();
  for (const range of ranges) {
    const list = lists.get(range.addressClass) ?? new BlockList();
    list.addSubnet(range.network, range.prefix, isIP(range.network) === 6 ? 'ipv6' : 'ipv4');
    lists.set(range.addressClass, list);
  }
  return lists;
}

/** The class of an IP address literal. */
export function classify(address: string): AddressClass {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  for (const [addressClass, list] of blockLists()) if (list.check(address, family)) return addressClass;
  return 'public';
}

/** An address with its family and class. */
export function resolved(address: string, ttl?: number): ResolvedAddress {
  return {
    address,
    family: isIP(address) === 6 ? 6 : 4,
    addressClass: classify(address),
    ...(ttl === undefined ? {} : { ttl }),
  };
}
