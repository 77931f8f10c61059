import { loadConfig, type Config } from '../../src/config';
import { startDnsServer, type DnsServer } from '../servers/dns';
import { createPki, type Pki } from '../servers/pki';
import { startRegistry, type RegistryDouble } from '../servers/registry';
import { testSecret } from './helpers';

/** The registries of the runner tests and what they do. */
export const registries = {
  /** Answers like ACR: a 401 challenge on its login server, a 403 on its data endpoint in westeurope. */
  healthy: 'contosohealthy.azurecr.io',
  healthyData: 'contosohealthy.westeurope.data.azurecr.io',
  /** Its name does not resolve (NXDOMAIN). */
  missing: 'contosomissing.azurecr.io',
  /** The registry's firewall: 403 DENIED for the client's address. */
  denied: 'contosodenied.azurecr.io',
  /** Its DNS question is never answered: a probe of it runs until its DNS budget ends. */
  quiet: 'contosoquiet.azurecr.io',
} as const;

/**
 * Loopback doubles for every runner test: a DNS server that answers the registries above with the address of
 * a TLS registry double signed by a test CA. Probes see only these (no system resolver, no proxy).
 */
export interface World {
  pki: Pki;
  dns: DnsServer;
  registry: RegistryDouble;
  /** The environment a runner host is given: probe settings pointing only at the doubles, and the secret. */
  env: Record<string, string>;
  config: Config;
  /** Packets the doubles saw so far (DNS questions plus HTTP requests), to prove a refusal sent none. */
  traffic(): number;
  close(): Promise<void>;
}

/** Starts the doubles (a few hundred ms of openssl). */
export async function startWorld(): Promise<World> {
  const pki = await createPki();
  const registry = await startRegistry(pki, {
    [registries.healthy]: { behaviour: { kind: 'acr' } },
    [registries.healthyData]: { behaviour: { kind: 'data' } },
    [registries.denied]: { behaviour: { kind: 'denied' } },
  });
  const dns = await startDnsServer({
    [registries.healthy]: { a: [registry.address] },
    [registries.healthyData]: { a: [registry.address] },
    [registries.denied]: { a: [registry.address] },
    [registries.quiet]: { silent: true },
  });
  const env = {
    ACRCHECK_SYSTEM_RESOLVER: 'false',
    ACRCHECK_DNS_SERVERS: dns.server,
    ACRCHECK_CA_FILE: pki.azureRootFile,
    ACRCHECK_PROBE_TIMEOUT_MS: '3000',
    ACRCHECK_RUNNER_SECRET: testSecret,
  };
  return {
    pki,
    dns,
    registry,
    env,
    config: loadConfig(env),
    traffic: () => dns.queries.length + registry.requests.length,
    close: async () => {
      await Promise.all([registry.close(), dns.close()]);
      await pki.remove();
    },
  };
}
