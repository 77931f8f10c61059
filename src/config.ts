import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';

import { AcrcheckError } from './errors';

/** Defaults for every setting, in one place. */
export const defaults = {
  botPort: 3978,
  runnerPort: 3979,
  probeTimeoutMs: 5000,
  runnerTimeoutMs: 120_000,
  githubApi: 'https://api.github.com',
  githubRef: 'main',
} as const;

export type AppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

/** A DNS server to query directly. */
export interface DnsServer {
  host: string;
  port: number;
}

/** What every probe reads (the bot's in-process runner, the runner service, the CLI). */
export interface ProbeSettings {
  dnsServers: DnsServer[];
  /** Extra trusted roots (PEM text), e.g. a corporate CA; null when none. */
  ca: string | null;
  caFile: string | null;
  timeoutMs: number;
  /** False: ask only `dnsServers`, never the operating system's resolver (getaddrinfo, hosts file). */
  systemResolver: boolean;
}

export interface RemoteRunnerSetting {
  name: string;
  url: string;
}

export interface GithubSettings {
  repo: string;
  workflow: string;
  token: string;
  api: string;
  ref: string;
}

/** The whole configuration, read once from the environment and validated. */
export interface Config {
  /** `PORT` as given; each entry point applies its own default. */
  port: number | null;
  app: { type: AppType; id: string; password: string; tenantId: string };
  probe: ProbeSettings;
  runnerName: string;
  runnerSecret: string | null;
  runners: RemoteRunnerSetting[];
  localRunner: boolean;
  publicUrl: string | null;
  github: GithubSettings | null;
  runnerTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

/**
 * Parses `address[:port]`, `[v6]:port` or a bare IPv6 address; null when malformed or when the host is a name:
 * a DNS server must be given by its IP address (asking DNS where DNS is proves nothing).
 */
export function parseDnsServer(text: string): DnsServer | null {
  const value = text.trim();
  let host = value;
  let port = 53;
  const bracket = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(value);
  if (bracket) {
    host = bracket[1] ?? '';
    port = bracket[2] ? Number(bracket[2]) : 53;
  } else if ((value.match(/:/g) ?? []).length === 1) {
    const [h, p] = value.split(':');
    host = h ?? '';
    if (!p || !/^\d{1,5}$/.test(p)) return null;
    port = Number(p);
  }
  if (!host || port < 1 || port > 65535) return null;
  if (!isIP(host)) return null;
  return { host, port };
}

/**
 * A value as a message may show it: with the user information of a URL (`https://user:secret@host`) or of a
 * `user@host` masked, everything up to the last `@`, so that a configuration error never prints a credential.
 */
export function shownValue(value: string): string {
  const at = value.lastIndexOf('@');
  if (at === -1) return value;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(value)?.[0] ?? '';
  return `${scheme}***${value.slice(at)}`;
}

/**
 * Why `value` is not a base URL the bot can append a path to (`http(s)://host[:port][/path]`, no query, no
 * fragment), as a phrase; null when it is one.
 */
function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'is not an http(s) URL';
  // Checked on the text: `new URL('https://h/?')` keeps an empty query out of `search`, yet the text has one.
  if (value.includes('?') || value.includes('#')) {
    return 'has a query or a fragment; give the base URL only (a path such as https://host/bot is fine)';
  }
  return null;
}

/** Reads variables from one environment, collecting every problem so that all are reported at once. */
interface Reader {
  problems: string[];
  text(name: string): string | null;
  integer(name: string, fallback: number | null, min: number, max: number): number | null;
  flag(name: string, fallback: boolean): boolean;
  /** A base URL without trailing slashes (see {@link baseUrlProblem}); null when unset or bad. */
  url(name: string): string | null;
}

function reader(env: Env): Reader {
  const problems: string[] = [];
  const text = (name: string): string | null => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? null : v.trim();
  };
  return {
    problems,
    text,
    integer(name, fallback, min, max) {
      const v = text(name);
      if (v === null) return fallback;
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
        problems.push(`${name}=${shownValue(v)} is not a whole number between ${min} and ${max}`);
        return fallback;
      }
      return Number(v);
    },
    flag(name, fallback) {
      const v = text(name);
      if (v === null) return fallback;
      if (/^(true|1|yes|on)$/i.test(v)) return true;
      if (/^(false|0|no|off)$/i.test(v)) return false;
      problems.push(`${name}=${shownValue(v)} is not true or false`);
      return fallback;
    },
    url(name) {
      const v = text(name);
      if (v === null) return null;
      const problem = baseUrlProblem(v);
      if (problem) {
        problems.push(`${name}=${shownValue(v)} ${problem}`);
        return null;
      }
      return v.replace(/\/+$/, '');
    },
  };
}

/** Throws the one configuration error naming every problem `read` collected; returns when there is none. */
function refuseProblems(read: Reader): void {
  const { problems } = read;
  if (!problems.length) return;
  throw new AcrcheckError('ACRCHECK_BAD_CONFIG', `Bad configuration:\n  ${problems.join('\n  ')}`, {
    problems: problems.join('; '),
  });
}

/** The probe variables, read with `read` (its problems collect there): the one reader of these variables. */
function readProbeSettings(read: Reader): ProbeSettings {
  const dnsServers: DnsServer[] = [];
  for (const part of (read.text('ACRCHECK_DNS_SERVERS') ?? '').split(',').filter((p) => p.trim())) {
    const server = parseDnsServer(part);
    if (server) dnsServers.push(server);
    else
      read.problems.push(
        `ACRCHECK_DNS_SERVERS has a bad entry '${shownValue(part.trim())}' (expected an IP address with an optional port, e.g. 10.0.0.10 or 10.0.0.10:53)`,
      );
  }
  const caFile = read.text('ACRCHECK_CA_FILE');
  let ca: string | null = null;
  if (caFile) {
    try {
      ca = readFileSync(caFile, 'utf8');
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
        read.problems.push(`ACRCHECK_CA_FILE=${caFile} holds no PEM certificate`);
        ca = null;
      }
    } catch (err) {
      read.problems.push(
        `ACRCHECK_CA_FILE=${caFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  const timeoutMs =
    read.integer('ACRCHECK_PROBE_TIMEOUT_MS', defaults.probeTimeoutMs, 100, 120_000) ??
    defaults.probeTimeoutMs;
  const systemResolver = read.flag('ACRCHECK_SYSTEM_RESOLVER', true);
  if (!systemResolver && dnsServers.length === 0) {
    read.problems.push('ACRCHECK_SYSTEM_RESOLVER=false needs ACRCHECK_DNS_SERVERS');
  }
  return { dnsServers, ca, caFile, timeoutMs, systemResolver };
}

/**
 * Reads and validates only what a probe reads (`ACRCHECK_DNS_SERVERS`, `ACRCHECK_CA_FILE`,
 * `ACRCHECK_PROBE_TIMEOUT_MS`, `ACRCHECK_SYSTEM_RESOLVER`), so that `acrcheck probe` is not stopped by a bad
 * bot or runner variable in the shell. {@link loadConfig} reads them the same way.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` whose message names each bad probe variable
 */
export function loadProbeSettings(env: Env = process.env): ProbeSettings {
  const read = reader(env);
  const settings = readProbeSettings(read);
  refuseProblems(read);
  return settings;
}

function readRunnerSecret(read: Reader): string | null {
  const secret = read.text('ACRCHECK_RUNNER_SECRET');
  if (secret !== null && secret.length < 16)
    read.problems.push('ACRCHECK_RUNNER_SECRET must be at least 16 characters');
  return secret;
}

function readRunnerName(read: Reader): string {
  return read.text('ACRCHECK_RUNNER_NAME') ?? hostname();
}

/**
 * Reads only `ACRCHECK_RUNNER_SECRET` (what `post-result` signs with), so that no other variable, however
 * bad, stops a result from being delivered. Null when unset.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` when the secret is shorter than 16 characters
 */
export function loadRunnerSecret(env: Env = process.env): string | null {
  const read = reader(env);
  const secret = readRunnerSecret(read);
  refuseProblems(read);
  return secret;
}

/** What the runner service reads: never the bot's variables. */
export interface RunnerSettings {
  /** `PORT` as given (the runner service defaults to {@link defaults.runnerPort}). */
  port: number | null;
  runnerName: string;
  runnerSecret: string | null;
  probe: ProbeSettings;
}

/**
 * Reads and validates only what the runner service reads (`PORT`, `ACRCHECK_RUNNER_NAME`,
 * `ACRCHECK_RUNNER_SECRET` and the probe variables), so that a bot variable in the same environment (e.g. a bad
 * `MicrosoftAppType`) does not stop it.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` whose message names each bad variable it reads
 */
export function loadRunnerSettings(env: Env = process.env): RunnerSettings {
  const read = reader(env);
  const port = read.integer('PORT', null, 0, 65535);
  const runnerSecret = readRunnerSecret(read);
  const probe = readProbeSettings(read);
  refuseProblems(read);
  return { port, runnerName: readRunnerName(read), runnerSecret, probe };
}

/**
 * Reads and validates every variable in CONTRACT.md §5 (and the few of our own the README lists).
 * Reports every bad variable at once; no message shows a secret or the user information of a URL.
 *
 * @throws AcrcheckError `ACRCHECK_BAD_CONFIG` whose message names each bad variable
 */
export function loadConfig(env: Env = process.env): Config {
  const read = reader(env);
  const { problems, text, integer, flag, url } = read;

  const port = integer('PORT', null, 0, 65535);

  const appId = text('MicrosoftAppId') ?? '';
  const appPassword = text('MicrosoftAppPassword') ?? '';
  const tenantId = text('MicrosoftAppTenantId') ?? '';
  const typeText = text('MicrosoftAppType') ?? 'MultiTenant';
  const type = (['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const).find(
    (t) => t.toLowerCase() === typeText.toLowerCase(),
  );
  if (!type)
    problems.push(
      `MicrosoftAppType=${shownValue(typeText)} is not MultiTenant, SingleTenant or UserAssignedMSI`,
    );
  if (appId) {
    if (type !== 'MultiTenant' && !tenantId)
      problems.push(`MicrosoftAppTenantId is required when MicrosoftAppType=${type}`);
    if (type === 'UserAssignedMSI' && appPassword) {
      problems.push('MicrosoftAppPassword must be empty when MicrosoftAppType=UserAssignedMSI');
    }
    if (type !== 'UserAssignedMSI' && !appPassword) {
      problems.push(
        `MicrosoftAppPassword is required when MicrosoftAppId is set and MicrosoftAppType=${type}`,
      );
    }
  } else if (appPassword) {
    problems.push('MicrosoftAppPassword is set but MicrosoftAppId is empty');
  }

  const probe = readProbeSettings(read);

  const runnerSecret = readRunnerSecret(read);

  const runners: RemoteRunnerSetting[] = [];
  for (const part of (text('ACRCHECK_RUNNERS') ?? '').split(',').filter((p) => p.trim())) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    const target = part.slice(eq + 1).trim();
    const ok = eq > 0 && /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(name) && name !== 'local';
    const urlProblem = baseUrlProblem(target);
    if (!ok || urlProblem) {
      const shown = ok ? `${name}=${shownValue(target)}` : shownValue(part.trim());
      problems.push(
        `ACRCHECK_RUNNERS has a bad entry '${shown}' (expected name=https://host:port${
          ok ? `; the URL ${urlProblem}` : name === 'local' ? '; local is the built-in runner' : ''
        })`,
      );
    } else if (runners.some((r) => r.name === name)) problems.push(`ACRCHECK_RUNNERS names '${name}' twice`);
    else runners.push({ name, url: target.replace(/\/+$/, '') });
  }
  if (runners.length && !runnerSecret) problems.push('ACRCHECK_RUNNERS needs ACRCHECK_RUNNER_SECRET');

  const publicUrl = url('ACRCHECK_PUBLIC_URL');

  let github: GithubSettings | null = null;
  const repo = text('ACRCHECK_GITHUB_REPO');
  const workflow = text('ACRCHECK_GITHUB_WORKFLOW');
  const token = text('ACRCHECK_GITHUB_TOKEN');
  if (repo || workflow || token) {
    if (!repo || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) {
      problems.push(`ACRCHECK_GITHUB_REPO must be owner/repo${repo ? ` (got ${shownValue(repo)})` : ''}`);
    }
    if (!workflow || !/^[A-Za-z0-9_.-]+\.ya?ml$|^\d+$/.test(workflow)) {
      problems.push('ACRCHECK_GITHUB_WORKFLOW must be the workflow file name, e.g. acrcheck-probe.yml');
    }
    if (!token) problems.push('ACRCHECK_GITHUB_TOKEN is required for GitHub runners');
    if (!publicUrl)
      problems.push('ACRCHECK_PUBLIC_URL is required for GitHub runners (results are posted back to it)');
    if (!runnerSecret) problems.push('ACRCHECK_RUNNER_SECRET is required for GitHub runners');
    github = {
      repo: repo ?? '',
      workflow: workflow ?? '',
      token: token ?? '',
      api: url('ACRCHECK_GITHUB_API') ?? defaults.githubApi,
      ref: text('ACRCHECK_GITHUB_REF') ?? defaults.githubRef,
    };
  }

  // The GitHub Actions runner is called `github` on the cards; a runner service of that name would be taken for it.
  if (github && runners.some((r) => r.name === 'github')) {
    problems.push(
      "ACRCHECK_RUNNERS names 'github', which is the GitHub Actions runner's name; choose another",
    );
  }

  const localRunner = flag('ACRCHECK_LOCAL_RUNNER', true);
  const runnerTimeoutMs =
    integer('ACRCHECK_RUNNER_TIMEOUT_MS', defaults.runnerTimeoutMs, 1000, 3_600_000) ??
    defaults.runnerTimeoutMs;

  refuseProblems(read);
  return {
    port,
    app: { type: type ?? 'MultiTenant', id: appId, password: appPassword, tenantId },
    probe,
    runnerName: readRunnerName(read),
    runnerSecret,
    runners,
    localRunner,
    publicUrl,
    github,
    runnerTimeoutMs,
  };
}
