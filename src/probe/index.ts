import { AcrcheckError } from '../errors';
import type { ProbeReport, Registry } from '../contract';
import { classifyHost, dataEndpoint } from '../target';
import { assess } from './assess';
import { CheckLoop, type Check, type HostRole, type HostTarget } from './check';
import { checksByRole } from './checks';
import { createEnv, type ProbeOptions } from './env';
import { budgets, startDeadline } from './plan';

export { renderFinding } from './assess';
export type { ProbeOptions, SystemLookup } from './env';

function refuse(host: string): never {
  throw new AcrcheckError(
    'ACRCHECK_NOT_ACR_HOST',
    `'${host.slice(0, 80)}' is not an Azure container registry (name)`,
    {
      input: host.slice(0, 80),
      reason: 'name',
    },
  );
}

/**
 * Probes a registry from here: its login server (dns, tcp, tls, challenge, token) and the data endpoint of
 * every region given, or of the region its CNAME chain routes to when none was given (dns, tcp, tls, `GET /`),
 * through the configured proxy when one applies. Checks run concurrently under one deadline.
 * Never throws for network failures and settles within `options.timeoutMs` plus a small margin.
 *
 * @throws AcrcheckError `ACRCHECK_NOT_ACR_HOST` before any packet leaves when a host is not an Azure registry host
 */
export async function probe(registry: Registry, options: ProbeOptions): Promise<ProbeReport> {
  const login = classifyHost(registry.loginServer);
  if (login?.kind !== 'login' || login.host !== registry.loginServer) refuse(registry.loginServer);
  const given = registry.dataEndpoints.map((host) => {
    const parsed = classifyHost(host);
    if (parsed?.kind !== 'data' || parsed.loginServer !== login.host || parsed.host !== host) refuse(host);
    return parsed;
  });

  const env = createEnv(options);
  const deadline = startDeadline(options.timeoutMs, options.signal);
  const loop = new CheckLoop(env, deadline, budgets(options.timeoutMs));
  const withProxy = env.route(login.host).proxy !== null;
  const checksFor = (role: HostRole): readonly Check[] =>
    checksByRole[role].filter((c) => withProxy || c.id !== 'proxy');
  const target = (host: string, role: HostRole, region: string | null): HostTarget => ({
    host,
    role,
    region,
    route: env.route(host),
  });
  const dataEndpoints = given.map((d) => d.host);

  try {
    loop.add(target(login.host, 'login', null), checksFor('login'));
    for (const d of given) loop.add(target(d.host, 'data', d.region), checksFor('data'));
    if (!given.length) {
      const region = (await loop.result(login.host, 'dns'))?.detail.region;
      if (typeof region === 'string') {
        const host = dataEndpoint(login.host, region);
        dataEndpoints.push(host);
        loop.add(target(host, 'data', region), checksFor('data'));
      }
    }
    const checks = await loop.settle();
    const { verdict, causes, summary, findings } = assess(checks, login.host);
    return {
      target: { name: registry.name, loginServer: login.host, dataEndpoints },
      runner: { name: options.runnerName },
      checks,
      verdict,
      causes,
      summary,
      findings,
    };
  } finally {
    deadline.clear();
    await env.close();
  }
}
