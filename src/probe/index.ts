import { AcrcheckError } from '../errors';
import type { ProbeReport, Registry } from '../contract';
import { classifyHost, dataEndpoint } from '../target';
import { assess } from './assess';
import { CheckLoop, type Check, type Deadline, type HostRole, type HostTarget } from './check';
import { checksByRole } from './checks';
import { regionHint } from './checks/dns';
import { createEnv, type ProbeEnv, type ProbeOptions } from './env';
import { budgetShare, budgets, startDeadline } from './plan';

export { renderFinding } from './assess';
export type { ProbeOptions, SystemLookup } from './env';

/** The region from DNS while the registry itself is reached through the proxy, bounded by the DNS budget. */
async function hintBehindProxy(
  host: string,
  env: ProbeEnv,
  deadline: Deadline,
  timeoutMs: number,
): Promise<string | null> {
  const budgetMs = Math.max(1, Math.min(Math.round(timeoutMs * budgetShare.dns), deadline.remaining()));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), budgetMs);
  const onDeadline = (): void => controller.abort();
  deadline.signal.addEventListener('abort', onDeadline, { once: true });
  try {
    return await regionHint(host, env, budgetMs, controller.signal);
  } finally {
    clearTimeout(timer);
    deadline.signal.removeEventListener('abort', onDeadline);
  }
}

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
 * every region given, or of the region its CNAME chain routes to when none was given (dns, tcp, tls, `GET /`;
 * behind a proxy DNS is asked for that region only), through the configured proxy when one applies. When no
 * data endpoint can be named while the login server answers, a `data-endpoint` warning (`NO_REGION`) says so.
 * Checks run concurrently under one deadline. Never throws for network failures and settles within
 * `options.timeoutMs` plus a small margin.
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
  const viaProxy = env.route(login.host).kind === 'proxy';
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
      const region = viaProxy
        ? await hintBehindProxy(login.host, env, deadline, options.timeoutMs)
        : (await loop.result(login.host, 'dns'))?.detail.region;
      if (typeof region === 'string') {
        const host = dataEndpoint(login.host, region);
        dataEndpoints.push(host);
        loop.add(target(host, 'data', region), checksFor('data'));
      }
    }
    const checks = await loop.settle();
    const challenge = checks.find((c) => c.id === 'challenge' && c.host === login.host);
    if (!dataEndpoints.length && (challenge?.status === 'pass' || challenge?.status === 'warn')) {
      // The login server answers, but where layers come from went unchecked: say so, never a plain "healthy".
      checks.push({
        id: 'data-endpoint',
        host: login.host,
        status: 'warn',
        code: 'NO_REGION',
        ms: 0,
        detail: { reason: viaProxy ? 'proxy' : 'dns' },
      });
    }
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
