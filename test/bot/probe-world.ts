/**
 * Loopback stand-ins for the places a live probe runs from and what they see: one registry name, answered by
 * two DNS doubles with two registry doubles (a healthy one, and one whose firewall denies the client), runner
 * services built with their factory, and runners that are down or never answer.
 */
import { loadConfig } from '../../src/config';
import { createRunnerServer } from '../../src/http/runner-service';
import { startTcp, startHttp, testSecret, type HttpServer } from '../runners/helpers';
import { startDnsServer, type DnsServer } from '../servers/dns';
import { createPki, type Pki } from '../servers/pki';
import { startRegistry, type RegistryDouble } from '../servers/registry';

/** The registry every live-probe test probes, and what a denying firewall says it saw. */
export const live = {
  name: 'contosolive',
  login: 'contosolive.azurecr.io',
  data: 'contosolive.westeurope.data.azurecr.io',
  deniedIp: '20.7.3.9',
} as const;

/** One vantage point's view of the world: its DNS server and the registry double that name leads to. */
export interface View {
  dns: DnsServer;
  registry: RegistryDouble;
}

/** A runner service on loopback, and how many probe jobs reached it. */
export interface Service {
  url: string;
  jobs(): number;
  close(): Promise<void>;
}

export interface LiveWorld {
  pki: Pki;
  /** The registry answers as ACR does (401 challenge, 403 on the data endpoint). */
  healthy: View;
  /** The registry's firewall turns the client away (403 DENIED for {@link live.deniedIp}). */
  denied: View;
  /** What a probe on a host in `view` is configured with: only that DNS server, the test CA, a short deadline. */
  probeEnv(view: View): Record<string, string>;
  /** A runner service (`createRunnerServer`) whose probes see `view`. */
  service(name: string, view: View): Promise<Service>;
  /** A runner URL where nothing listens any more (connection refused). */
  down(): Promise<string>;
  /** A runner that accepts connections and never answers. */
  silent(): Promise<string>;
  /** A runner that answers every job at once with something that is not a signed report. */
  garbage(): Promise<string>;
  /** DNS questions both views received so far: proof that nothing was probed. */
  queries(): number;
  close(): Promise<void>;
}

/** Short enough for fast tests, long enough for a loaded 2-core machine: a slow runner times out 2 s after it. */
export const probeTimeoutMs = 1500;

async function view(pki: Pki, behaviour: 'healthy' | 'denied'): Promise<View> {
  const registry = await startRegistry(pki, {
    [live.login]: {
      behaviour: behaviour === 'healthy' ? { kind: 'acr' } : { kind: 'denied', clientIp: live.deniedIp },
    },
    [live.data]: {
      behaviour: behaviour === 'healthy' ? { kind: 'data' } : { kind: 'denied', clientIp: live.deniedIp },
    },
  });
  const dns = await startDnsServer({
    [live.login]: { a: [registry.address] },
    [live.data]: { a: [registry.address] },
  });
  return { dns, registry };
}

export async function startLiveWorld(): Promise<LiveWorld> {
  const pki = await createPki();
  const healthy = await view(pki, 'healthy');
  const denied = await view(pki, 'denied');
  const closers: (() => Promise<void>)[] = [];
  const probeEnv = (v: View): Record<string, string> => ({
    ACRCHECK_SYSTEM_RESOLVER: 'false',
    ACRCHECK_DNS_SERVERS: v.dns.server,
    ACRCHECK_CA_FILE: pki.azureRootFile,
    ACRCHECK_PROBE_TIMEOUT_MS: String(probeTimeoutMs),
  });
  const track = (server: HttpServer): HttpServer => {
    closers.push(() => server.close());
    return server;
  };
  return {
    pki,
    healthy,
    denied,
    probeEnv,
    async service(name, v) {
      const lines: string[] = [];
      const config = loadConfig({
        ...probeEnv(v),
        ACRCHECK_RUNNER_NAME: name,
        ACRCHECK_RUNNER_SECRET: testSecret,
      });
      const server = createRunnerServer(config, { env: {}, log: (line) => lines.push(line) });
      const http = track(await startHttp(server.server));
      return {
        url: http.url,
        jobs: () => lines.filter((l) => l.includes('POST /v1/probe')).length,
        close: () => http.close(),
      };
    },
    async down() {
      const closed = await startTcp((socket) => socket.destroy());
      await closed.close();
      return closed.url;
    },
    async silent() {
      return track(await startTcp(() => undefined)).url;
    },
    async garbage() {
      const server = await startHttp((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Welcome to nginx!</body></html>');
      });
      return track(server).url;
    },
    queries: () => healthy.dns.queries.length + denied.dns.queries.length,
    async close() {
      await Promise.all(closers.map((c) => c()));
      await Promise.all([healthy, denied].flatMap((v) => [v.dns.close(), v.registry.close()]));
      await pki.remove();
    },
  };
}
