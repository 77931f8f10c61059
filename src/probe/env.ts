import { promises as dns } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

import { Agent, ProxyAgent, type Dispatcher } from 'undici';

import type { ProbeSettings } from '../config';
import { packageVersion } from '../paths';
import type { ResolvedAddress } from './addresses';
import type { HostTarget, ProxySetting, Route } from './check';

/** The operating system's resolver as the probe uses it: what `dns.lookup(host, { all: true })` answers. */
export type SystemLookup = (hostname: string) => Promise<{ address: string; family: 4 | 6 }[]>;

/** The probe's options (pinned in the BRIEF): settings from `loadConfig`, plus where it runs from. */
export interface ProbeOptions extends ProbeSettings {
  runnerName: string;
  signal?: AbortSignal;
  /** The "system resolver"; default `dns.promises.lookup(host, { all: true })`. Never called when `systemResolver` is false. */
  lookup?: SystemLookup;
  /** Where `HTTPS_PROXY`/`NO_PROXY` come from; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** What every check shares during one probe: settings, resolvers, trust, proxy and HTTP connections. */
export interface ProbeEnv {
  readonly settings: ProbeSettings;
  readonly userAgent: string;
  /** Null when the probe must not ask the operating system (`systemResolver: false`). */
  readonly systemLookup: SystemLookup | null;
  /** Trusted roots as every TLS connection uses them: undefined for Node's own, else Node's plus the extra CA. */
  readonly secureContext: SecureContext | undefined;
  /** Resolves a configured name (the proxy's) the way this probe may: system resolver or direct servers. */
  readonly lookup: LookupFunction;
  /** The route to `host`: direct, or through the proxy the environment names. */
  route(host: string): Route;
  /** One HTTP dispatcher per host, pinned to `address` (direct) or tunnelling through the proxy. */
  dispatcher(target: HostTarget, address: ResolvedAddress | null, timeoutMs: number): Dispatcher;
  /** Closes every connection the probe opened. */
  close(): Promise<void>;
}

const defaultLookup: SystemLookup = async (hostname) =>
  (await dns.lookup(hostname, { all: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

const secureContexts = new Map<string, SecureContext>();
const maxSecureContexts = 8;

/**
 * Node's roots plus `ca`, parsed once per CA text and shared by every connection of every probe: passing `ca`
 * to each `tls.connect` makes OpenSSL parse some 140 roots per handshake, which stalls handshakes under load.
 */
export function trustWith(ca: string): SecureContext {
  let context = secureContexts.get(ca);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ca] });
    if (secureContexts.size >= maxSecureContexts) secureContexts.clear();
    secureContexts.set(ca, context);
  }
  return context;
}

/** Reads `https_proxy`/`HTTPS_PROXY` the way Docker and Go do (plain `host:port` means `http://`). */
export function proxySetting(env: Record<string, string | undefined>): ProxySetting | null {
  const variable = ['https_proxy', 'HTTPS_PROXY'].find((name) => env[name]?.trim());
  if (!variable) return null;
  const value = (env[variable] ?? '').trim();
  let url: URL | null = null;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') url = null;
  } catch {
    url = null;
  }
  // Never show credentials, also not those of a value that is no URL (`user:pw@proxy:99999`).
  const display = url
    ? `${url.protocol}//${url.host}`
    : value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/]*@/i, '$1');
  return { variable, display, url };
}

/**
 * The `NO_PROXY` entry that sends `host` around the proxy, or null. Entries are host names or domains
 * (`.example.com`, `*.example.com`, `example.com` all cover sub-domains), optionally with `:443`; `*` covers all.
 */
export function noProxyMatch(host: string, noProxy: string): string | null {
  for (const raw of noProxy.split(/[\s,]+/).filter(Boolean)) {
    if (raw === '*') return raw;
    const portMatch = /^(.+):(\d+)$/.exec(raw);
    if (portMatch && portMatch[2] !== '443') continue;
    const entry = (portMatch?.[1] ?? raw).replace(/^\*?\./, '').toLowerCase();
    if (host === entry || host.endsWith(`.${entry}`)) return raw;
  }
  return null;
}

/** Builds the environment of one probe. */
export function createEnv(options: ProbeOptions): ProbeEnv {
  const settings: ProbeSettings = {
    dnsServers: options.dnsServers,
    ca: options.ca,
    caFile: options.caFile,
    timeoutMs: options.timeoutMs,
    systemResolver: options.systemResolver,
  };
  const source = options.env ?? process.env;
  const proxy = proxySetting(source);
  const noProxy = (source.no_proxy ?? source.NO_PROXY ?? '').trim();
  const systemLookup = settings.systemResolver ? (options.lookup ?? defaultLookup) : null;
  const secureContext = settings.ca ? trustWith(settings.ca) : undefined;
  const userAgent = `acrcheck/${packageVersion()}`;
  const dispatchers = new Map<string, Dispatcher>();

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    const answer = systemLookup
      ? systemLookup(hostname)
      : directLookup(hostname, settings.dnsServers[0] ? formatServer(settings.dnsServers[0]) : null);
    answer.then(
      (addresses) => {
        const first = addresses[0];
        if (!first) {
          callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
        } else if (lookupOptions.all) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };

  return {
    settings,
    userAgent,
    systemLookup,
    secureContext,
    lookup,
    route(host) {
      if (!proxy) return { kind: 'direct', proxy: null };
      const bypass = noProxyMatch(host, noProxy);
      return bypass ? { kind: 'direct', proxy, bypass } : { kind: 'proxy', proxy };
    },
    dispatcher(target, address, timeoutMs) {
      const existing = dispatchers.get(target.host);
      if (existing) return existing;
      let dispatcher: Dispatcher;
      if (target.route.kind === 'proxy' && target.route.proxy.url) {
        dispatcher = new ProxyAgent({
          uri: target.route.proxy.url.href,
          connections: 1,
          headers: { 'user-agent': userAgent },
          proxyTls: { lookup, timeout: timeoutMs },
          requestTls: { secureContext, servername: target.host, timeout: timeoutMs },
        });
      } else {
        if (!address) throw new Error(`no address to reach ${target.host}`);
        const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
          if (lookupOptions.all) callback(null, [{ address: address.address, family: address.family }]);
          else callback(null, address.address, address.family);
        };
        dispatcher = new Agent({
          connections: 1,
          connect: { lookup: pinned, secureContext, servername: target.host, timeout: timeoutMs },
        });
      }
      dispatchers.set(target.host, dispatcher);
      return dispatcher;
    },
    async close() {
      await Promise.all([...dispatchers.values()].map((d) => d.destroy()));
      dispatchers.clear();
    },
  };
}

/** `host:port` as `Resolver.setServers` takes it (`[v6]:port` for IPv6). */
export function formatServer(server: { host: string; port: number }): string {
  return isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

async function directLookup(
  hostname: string,
  server: string | null,
): Promise<{ address: string; family: 4 | 6 }[]> {
  const resolver = new dns.Resolver({ tries: 1 });
  if (server) resolver.setServers([server]);
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
  const addresses = [
    ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
    ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
  ];
  if (!addresses.length && v4.status === 'rejected') throw v4.reason;
  return addresses;
}
