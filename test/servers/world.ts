import type { ProbeSettings } from '../../src/config';
import { startDnsServer, type DnsServer } from './dns';
import { createPki, type Pki } from './pki';
import { startRegistry, type Behaviour, type RegistryDouble, type SiteOptions } from './registry';

/** A loopback stand-in for Azure: a test PKI, a DNS server and the registry double, wired together. */
export interface AcrWorld {
  readonly pki: Pki;
  readonly dns: DnsServer;
  readonly registry: RegistryDouble;
  /** Probe settings that ask only this world's DNS server and trust only its Azure-like root besides Node's. */
  readonly settings: ProbeSettings;
  /** The same as environment variables, for the built CLI (`node dist/cli.js probe …`). */
  readonly cliEnv: Record<string, string>;
  /**
   * Adds a registry: `<name>.azurecr.io` CNAME `r1<name>.<region>.cloudapp.azure.com` → the double, and
   * `<name>.<region>.data.azurecr.io` → the double, answering as a healthy ACR unless told otherwise.
   * Returns the login server.
   */
  addRegistry(
    name: string,
    options?: { region?: string; login?: Partial<SiteOptions>; data?: Partial<SiteOptions> | null },
  ): Promise<string>;
  close(): Promise<void>;
}

const healthy: Behaviour = { kind: 'acr' };

/**
 * Starts a world. Pass a `pki` to share one across worlds (creating one runs `openssl` a few times); a PKI
 * made here is removed by `close()`.
 */
export async function startAcrWorld(options: { pki?: Pki; timeoutMs?: number } = {}): Promise<AcrWorld> {
  const pki = options.pki ?? (await createPki());
  const dns = await startDnsServer();
  const registry = await startRegistry(pki);
  const settings: ProbeSettings = {
    dnsServers: [{ host: dns.address, port: dns.port }],
    ca: pki.azureRoot,
    caFile: pki.azureRootFile,
    timeoutMs: options.timeoutMs ?? 3000,
    systemResolver: false,
  };
  return {
    pki,
    dns,
    registry,
    settings,
    cliEnv: {
      ACRCHECK_SYSTEM_RESOLVER: 'false',
      ACRCHECK_DNS_SERVERS: dns.server,
      ACRCHECK_CA_FILE: pki.azureRootFile,
      ACRCHECK_PROBE_TIMEOUT_MS: String(settings.timeoutMs),
    },
    async addRegistry(name, { region = 'eastus', login = {}, data = {} } = {}) {
      const loginServer = `${name}.azurecr.io`;
      const edge = `r1${name}.${region}.cloudapp.azure.com`;
      dns.set(loginServer, { cname: edge });
      dns.set(edge, { a: [registry.address] });
      await registry.site(loginServer, { behaviour: healthy, ...login });
      if (data) {
        const dataHost = `${name}.${region}.data.azurecr.io`;
        dns.set(dataHost, { a: [registry.address] });
        await registry.site(dataHost, { behaviour: { kind: 'data' }, ...data });
      }
      return loginServer;
    },
    async close() {
      await Promise.all([dns.close(), registry.close()]);
      if (!options.pki) await pki.remove();
    },
  };
}
