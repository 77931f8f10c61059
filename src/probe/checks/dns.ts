import { promises as dns } from 'node:dns';

import { clouds } from '../../catalogue/clouds';
import { isRegionName } from '../../target';
import { resolved, unusualClasses, type ResolvedAddress } from '../addresses';
import type { Check, Outcome } from '../check';
import { formatServer, type ProbeEnv, type SystemLookup } from '../env';
import { aborted } from '../net';
import { probeLimits } from '../plan';

/** What one resolver answered for a host. `code` is set when it gave no address. */
interface Answer {
  resolver: string;
  ms: number;
  chain: string[];
  addresses: ResolvedAddress[];
  code?: string;
  nxdomainAt?: string;
}

const privateZones: readonly string[] = clouds.flatMap((c) => (c.privateZone ? [c.privateZone] : []));

/** Names in a CNAME chain that tell the region a registry's traffic goes to. */
const regionHints = [
  /^[^.]+\.([a-z0-9]+)\.cloudapp\.azure\.com$/,
  /^[^.]+\.([a-z0-9]+)\.cloudapp\.chinacloudapi\.cn$/,
  /^[^.]+\.([a-z0-9]+)\.cloudapp\.usgovcloudapi\.net$/,
  /^[^.]+\.([a-z0-9]+)\.data\.privatelink\./,
] as const;

/** Codes c-ares and getaddrinfo give, as the probe reports them. */
const dnsCodes: Readonly<Record<string, string>> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NODATA',
  ESERVFAIL: 'SERVFAIL',
  ETIMEOUT: 'TIMEOUT',
  ECANCELLED: 'TIMEOUT',
  // Nothing listens on the server's port (ICMP port unreachable): not the REFUSED answer of a server that is there.
  ECONNREFUSED: 'ECONNREFUSED',
  EREFUSED: 'REFUSED',
};

function dnsCode(err: unknown): string {
  const code = String((err as NodeJS.ErrnoException).code ?? 'ERROR');
  return dnsCodes[code] ?? code;
}

function inPrivateZone(name: string): boolean {
  return (
    privateZones.some((zone) => name === zone || name.endsWith(`.${zone}`)) ||
    name.split('.').includes('privatelink')
  );
}

/** The region a CNAME chain routes to (`…<region>.cloudapp.azure.com`), or null. */
export function regionOf(chain: readonly string[]): string | null {
  for (const name of chain) {
    for (const hint of regionHints) {
      const region = hint.exec(name)?.[1];
      if (region && isRegionName(region)) return region;
    }
  }
  return null;
}

/** Walks the CNAME chain hop by hop, then asks A and AAAA for its end, all from one server. */
async function ask(
  host: string,
  server: string | null,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Answer> {
  const started = performance.now();
  const resolver = new dns.Resolver({ timeout: Math.max(1, timeoutMs), tries: 1 });
  const label = server ?? resolver.getServers()[0] ?? 'system DNS';
  const chain = [host];
  const done = (rest: Omit<Answer, 'resolver' | 'ms' | 'chain'>): Answer => ({
    resolver: label,
    ms: Math.round(performance.now() - started),
    chain,
    ...rest,
  });
  const cancel = (): void => resolver.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    if (server) resolver.setServers([server]);
    let name = host;
    for (let hop = 0; hop < probeLimits.maxCnameHops; hop++) {
      let target: string | undefined;
      try {
        [target] = await resolver.resolveCname(name);
      } catch (err) {
        const code = dnsCode(err);
        if (code === 'NODATA') break;
        if (code === 'NXDOMAIN') {
          return done({
            addresses: [],
            code: name !== host && inPrivateZone(name) ? 'NXDOMAIN_PRIVATE' : code,
            nxdomainAt: name,
          });
        }
        return done({ addresses: [], code });
      }
      if (!target || chain.includes(target.toLowerCase())) break;
      name = target.toLowerCase();
      chain.push(name);
    }
    const [v4, v6] = await Promise.allSettled([
      resolver.resolve4(name, { ttl: true }),
      resolver.resolve6(name, { ttl: true }),
    ]);
    const addresses = [
      ...(v4.status === 'fulfilled' ? v4.value : []),
      ...(v6.status === 'fulfilled' ? v6.value : []),
    ].map((r) => resolved(r.address, r.ttl));
    if (addresses.length) return done({ addresses });
    const failure = [v4, v6].find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const code = failure ? dnsCode(failure.reason) : 'NODATA';
    return done({ addresses: [], code, ...(code === 'NXDOMAIN' ? { nxdomainAt: name } : {}) });
  } catch (err) {
    return done({ addresses: [], code: dnsCode(err) });
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** The operating system's answer (getaddrinfo: hosts file, nsswitch), bounded by `signal`. */
async function askSystem(host: string, lookup: SystemLookup, signal: AbortSignal): Promise<Answer> {
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  const answer = lookup(host).then(
    (list): Answer => ({
      resolver: 'system',
      ms: ms(),
      chain: [host],
      addresses: list.map((a) => resolved(a.address)),
    }),
    (err: unknown): Answer => ({
      resolver: 'system',
      ms: ms(),
      chain: [host],
      addresses: [],
      code: dnsCode(err),
    }),
  );
  const timedOut = aborted(signal).then((): Answer => ({
    resolver: 'system',
    ms: ms(),
    chain: [host],
    addresses: [],
    code: 'TIMEOUT',
  }));
  return Promise.race([answer, timedOut]);
}

/**
 * The region a login server's CNAME chain routes to, asked of the first configured DNS server (or the system's
 * servers). Behind a proxy clients need not resolve registry names, but their DNS often can: this is only a hint
 * for which data endpoint to probe through the proxy, never a check. Null when DNS does not tell.
 */
export async function regionHint(
  host: string,
  env: ProbeEnv,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<string | null> {
  const server = env.settings.dnsServers[0];
  const answer = await ask(host, server ? formatServer(server) : null, timeoutMs, signal);
  return regionOf(answer.chain);
}

const list = (addresses: readonly ResolvedAddress[]): string => addresses.map((a) => a.address).join(', ');
const sameSet = (a: readonly ResolvedAddress[], b: readonly ResolvedAddress[]): boolean =>
  list([...a].sort((x, y) => x.address.localeCompare(y.address))) ===
  list([...b].sort((x, y) => x.address.localeCompare(y.address)));

/** Observations beyond the status, each raising its own finding. */
function flagsOf(used: Answer, chainSource: Answer, answers: readonly Answer[]): string[] {
  const flags: string[] = [];
  const chain = chainSource.chain;
  const lastPrivate = chain.reduce((at, name, i) => (inPrivateZone(name) ? i : at), -1);
  if (lastPrivate >= 0 && chainSource.addresses.length) {
    const leftZone = lastPrivate < chain.length - 1;
    const allPublic = chainSource.addresses.every((a) => a.addressClass === 'public');
    if (leftZone || allPublic) flags.push('privatelink-public');
    else if (used.addresses.some((a) => a.addressClass === 'private')) flags.push('private-endpoint');
  }
  if (used.addresses.some((a) => unusualClasses.includes(a.addressClass))) flags.push('unusual-address');
  const answered = answers.filter((a) => a.addresses.length);
  const denied = answers.some(
    (a) => a.code === 'NXDOMAIN' || a.code === 'NXDOMAIN_PRIVATE' || a.code === 'NODATA',
  );
  const disagree =
    (answered.length > 0 && denied) ||
    answered.some((a) => !sameSet(a.addresses, answered[0]?.addresses ?? []));
  if (disagree) flags.push('resolvers-disagree');
  return flags;
}

const warnFlags: readonly string[] = ['privatelink-public', 'unusual-address', 'resolvers-disagree'];

/**
 * `dns`: the system resolver (what Docker uses, hosts file included) and direct queries to each configured
 * server (the whole CNAME chain, A and AAAA with TTLs), compared. Clients connect to the system's answer
 * when it is used, else to the direct one. Behind a proxy the proxy resolves, so this check steps aside.
 */
export const dnsCheck: Check = {
  id: 'dns',
  needs: [],
  async run({ target, env, signal, budgetMs }): Promise<Outcome> {
    if (target.route.kind === 'proxy')
      return { status: 'skip', detail: { via: 'proxy', proxy: target.route.proxy.display } };
    const servers = env.settings.dnsServers.slice(0, probeLimits.maxDnsServers).map(formatServer);
    if (!servers.length && !env.systemLookup)
      return { status: 'fail', code: 'NO_DNS_SERVER', detail: { resolver: null } };
    const [system, ...direct] = await Promise.all([
      env.systemLookup ? askSystem(target.host, env.systemLookup, signal) : null,
      ...(servers.length ? servers : [null]).map((server) => ask(target.host, server, budgetMs, signal)),
    ]);
    const answers = [...(system ? [system] : []), ...direct];
    const firstDirect = direct.find((a) => a.addresses.length) ?? direct[0];
    if (!firstDirect) throw new Error('no direct DNS answer');
    const used = system ?? firstDirect;
    const chainSource = direct.find((a) => a.chain.length > 1 || a.addresses.length) ?? firstDirect;
    const flags = flagsOf(used, chainSource, answers).filter(
      (f) => used.addresses.length || f === 'resolvers-disagree',
    );
    const region = regionOf(chainSource.chain);
    const ttls = chainSource.addresses.flatMap((a) => (a.ttl === undefined ? [] : [a.ttl]));
    const detail: Record<string, unknown> = {
      resolver: used.resolver,
      server: firstDirect.resolver,
      addresses: used.addresses.map((a) => a.address),
      chain: chainSource.chain,
      region,
      flags,
      answers: answers.map((a) => ({
        resolver: a.resolver,
        ms: a.ms,
        chain: a.chain,
        addresses: a.addresses.map((x) => ({
          address: x.address,
          family: x.family,
          addressClass: x.addressClass,
          ...(x.ttl === undefined ? {} : { ttl: x.ttl }),
        })),
        ...(a.code ? { code: a.code } : {}),
        ...(a.nxdomainAt ? { nxdomainAt: a.nxdomainAt } : {}),
      })),
    };
    if (ttls.length) detail.ttl = Math.min(...ttls);
    if (flags.includes('resolvers-disagree')) {
      // `renderFinding` names each resolver in words: keep the `<resolver> → <answer>; …` shape.
      detail.comparison = answers.map((a) => `${a.resolver} → ${list(a.addresses) || a.code}`).join('; ');
    }
    const first = used.addresses[0];
    if (first) {
      detail.address = first.address;
      detail.addressClass = first.addressClass;
      return {
        status: flags.some((f) => warnFlags.includes(f)) ? 'warn' : 'pass',
        detail,
        facts: { addresses: used.addresses, region },
      };
    }
    const privateMiss = direct.find((a) => a.code === 'NXDOMAIN_PRIVATE');
    const failure = privateMiss ?? used;
    const code = failure.code ?? 'NODATA';
    const nxdomainAt = failure.nxdomainAt ?? (code === 'NXDOMAIN' ? target.host : null);
    if (nxdomainAt) detail.nxdomainAt = nxdomainAt;
    const endpointsOff = target.role === 'data' && code === 'NXDOMAIN';
    return { status: endpointsOff ? 'warn' : 'fail', code, detail, facts: { addresses: [], region } };
  },
};
