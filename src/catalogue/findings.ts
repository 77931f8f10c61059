import type { CauseId, CheckId, CheckStatus } from '../contract';

/**
 * `problem` makes a probe unhealthy; `notice` is worth knowing but not a failure; `ok` states what works
 * (the healthy summary comes from it).
 */
export type FindingSeverity = 'problem' | 'notice' | 'ok';

/** Which check results raise a finding. Every field given must hold. */
export interface ResultMatch {
  check?: CheckId | readonly CheckId[];
  /** `login`: the login server; `data`: a regional data endpoint. */
  role?: 'login' | 'data';
  status: readonly CheckStatus[];
  codes?: readonly string[];
  /** The result's `detail.flags` holds this observation (each flag raises its finding besides the status one). */
  flag?: string;
  /** The result's `detail.addressClass` is (`private: true`) or is not (`false`) a private address. */
  private?: boolean;
}

/** Raised once when every finding in `all` and at least one in `any` (when given) were raised. */
export interface CompoundMatch {
  all: readonly string[];
  any?: readonly string[];
}

/**
 * A finding rule. The sentence is `probe:findings.<id>`, interpolated with `host`, `ms`, `code` and the
 * result's `detail` fields named in `params` (lists joined with ", "); the same fields make the evidence.
 */
export interface FindingRule {
  id: string;
  match: ResultMatch | CompoundMatch;
  cause: CauseId | null;
  /** How strongly it points at its cause; causes are ranked by the sum over their findings. */
  weight: number;
  severity: FindingSeverity;
  params: readonly string[];
}

const http = ['challenge', 'token', 'data-endpoint'] as const;
const anyFail = ['fail'] as const;

/**
 * Every finding rule. Per check result, the first rule without a `flag` that matches raises its finding
 * (so specific rules come before the general ones at the end of each group); every matching `flag` rule
 * raises its own; compound rules are checked last, against the findings raised so far.
 */
export const findingRules = [
  {
    id: 'deadline-too-short',
    match: { status: anyFail, codes: ['TOO_SHORT'] },
    cause: null,
    weight: 0.3,
    severity: 'problem',
    params: ['budgetMs', 'timeoutMs'],
  },
  {
    id: 'deadline',
    match: { status: ['fail', 'skip'], codes: ['DEADLINE'] },
    cause: null,
    weight: 0.2,
    severity: 'problem',
    params: ['timeoutMs'],
  },

  {
    id: 'proxy-denied',
    match: { check: 'proxy', status: anyFail, codes: ['PROXY_403'] },
    cause: 'client-firewall',
    weight: 1,
    severity: 'problem',
    params: ['proxy', 'variable'],
  },
  {
    id: 'proxy-auth',
    match: { check: 'proxy', status: anyFail, codes: ['PROXY_407'] },
    cause: 'client-firewall',
    weight: 1,
    severity: 'problem',
    params: ['proxy'],
  },
  {
    id: 'proxy-scheme',
    match: { check: ['proxy', 'tls'], status: anyFail, codes: ['PROXY_SCHEME'] },
    cause: 'client-firewall',
    weight: 1,
    severity: 'problem',
    params: ['proxy', 'variable'],
  },
  {
    id: 'proxy-eof',
    match: { check: ['proxy', 'tls'], status: anyFail, codes: ['PROXY_EOF'] },
    cause: 'client-firewall',
    weight: 0.9,
    severity: 'problem',
    params: ['proxy'],
  },
  {
    id: 'proxy-bad-url',
    match: { check: 'proxy', status: anyFail, codes: ['PROXY_BAD_URL'] },
    cause: 'client-firewall',
    weight: 0.8,
    severity: 'problem',
    params: ['proxy', 'variable'],
  },
  {
    id: 'proxy-refused',
    match: { check: 'proxy', status: anyFail, codes: ['PROXY_REFUSED'] },
    cause: 'client-firewall',
    weight: 0.9,
    severity: 'problem',
    params: ['proxy', 'status'],
  },
  {
    id: 'proxy-bypassed',
    match: { check: 'proxy', status: ['skip'], codes: ['NO_PROXY'] },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: ['proxy', 'noProxy'],
  },
  {
    id: 'proxy-unreachable',
    match: { check: 'proxy', status: anyFail },
    cause: 'client-firewall',
    weight: 0.8,
    severity: 'problem',
    params: ['proxy'],
  },

  {
    id: 'dns-private-record-missing',
    match: { check: 'dns', status: anyFail, codes: ['NXDOMAIN_PRIVATE'] },
    cause: 'vnet-config',
    weight: 0.9,
    severity: 'problem',
    params: ['nxdomainAt', 'resolver'],
  },
  {
    id: 'data-endpoints-off',
    match: { check: 'dns', role: 'data', status: ['warn'], codes: ['NXDOMAIN'] },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: ['resolver'],
  },
  {
    id: 'dns-nxdomain',
    match: { check: 'dns', status: anyFail, codes: ['NXDOMAIN'] },
    cause: 'vnet-config',
    weight: 0.8,
    severity: 'problem',
    params: ['resolver'],
  },
  {
    id: 'dns-nodata',
    match: { check: 'dns', status: anyFail, codes: ['NODATA'] },
    cause: 'vnet-config',
    weight: 0.6,
    severity: 'problem',
    params: ['resolver'],
  },
  {
    id: 'dns-servfail',
    match: { check: 'dns', status: anyFail, codes: ['SERVFAIL'] },
    cause: 'vnet-config',
    weight: 0.7,
    severity: 'problem',
    params: ['resolver'],
  },
  {
    id: 'dns-no-answer',
    match: { check: 'dns', status: anyFail, codes: ['EAI_AGAIN'] },
    cause: 'vnet-config',
    weight: 0.6,
    severity: 'problem',
    params: ['resolver'],
  },
  {
    id: 'dns-timeout',
    match: { check: 'dns', status: anyFail, codes: ['TIMEOUT'] },
    cause: 'vnet-config',
    weight: 0.6,
    severity: 'problem',
    params: ['resolver'],
  },
  {
    id: 'dns-server-unreachable',
    match: { check: 'dns', status: anyFail, codes: ['ECONNREFUSED'] },
    cause: 'vnet-config',
    weight: 0.6,
    severity: 'problem',
    params: ['resolver'],
  },
  {
    id: 'dns-refused',
    match: { check: 'dns', status: anyFail, codes: ['REFUSED'] },
    cause: 'vnet-config',
    weight: 0.6,
    severity: 'problem',
    params: ['resolver'],
  },
  {
    id: 'dns-failed',
    match: { check: 'dns', status: anyFail },
    cause: 'vnet-config',
    weight: 0.5,
    severity: 'problem',
    params: ['resolver'],
  },
  {
    id: 'dns-private-expected-public',
    match: { check: 'dns', status: ['pass', 'warn'], flag: 'privatelink-public' },
    cause: 'vnet-config',
    weight: 0.5,
    severity: 'notice',
    params: ['address', 'chain', 'resolver'],
  },
  {
    id: 'dns-private-endpoint',
    match: { check: 'dns', status: ['pass', 'warn'], flag: 'private-endpoint' },
    cause: null,
    weight: 0,
    severity: 'ok',
    params: ['address'],
  },
  {
    id: 'dns-unusual-address',
    match: { check: 'dns', status: ['pass', 'warn'], flag: 'unusual-address' },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: ['address', 'resolver'],
  },
  {
    id: 'dns-resolvers-disagree',
    match: { check: 'dns', status: ['pass', 'warn', 'fail'], flag: 'resolvers-disagree' },
    cause: 'vnet-config',
    weight: 0.3,
    severity: 'notice',
    params: ['comparison'],
  },

  {
    id: 'tcp-timeout-private',
    match: { check: 'tcp', status: anyFail, codes: ['ETIMEDOUT'], private: true },
    cause: 'vnet-config',
    weight: 0.9,
    severity: 'problem',
    params: ['address', 'waitedMs'],
  },
  {
    id: 'data-endpoint-blocked',
    match: { check: ['tcp', 'data-endpoint'], role: 'data', status: anyFail, codes: ['ETIMEDOUT'] },
    cause: 'client-firewall',
    weight: 0.9,
    severity: 'problem',
    params: ['address', 'waitedMs'],
  },
  {
    id: 'tcp-timeout',
    match: { check: 'tcp', status: anyFail, codes: ['ETIMEDOUT'] },
    cause: 'client-firewall',
    weight: 0.8,
    severity: 'problem',
    params: ['address', 'waitedMs'],
  },
  {
    id: 'tcp-refused',
    match: { check: 'tcp', status: anyFail, codes: ['ECONNREFUSED'] },
    cause: 'client-firewall',
    weight: 0.6,
    severity: 'problem',
    params: ['address'],
  },
  {
    id: 'tcp-reset',
    match: { check: 'tcp', status: anyFail, codes: ['ECONNRESET'] },
    cause: 'client-firewall',
    weight: 0.7,
    severity: 'problem',
    params: ['address'],
  },
  {
    id: 'tcp-unreachable',
    match: { check: 'tcp', status: anyFail, codes: ['ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL'] },
    cause: 'vnet-config',
    weight: 0.6,
    severity: 'problem',
    params: ['address'],
  },
  {
    id: 'tcp-failed',
    match: { check: 'tcp', status: anyFail },
    cause: 'client-firewall',
    weight: 0.5,
    severity: 'problem',
    params: ['address'],
  },
  {
    id: 'tcp-partial',
    match: { check: 'tcp', status: ['warn'] },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: ['failedAddresses', 'address'],
  },

  {
    id: 'tls-interception',
    match: { check: 'tls', status: anyFail, codes: ['INTERCEPTED'] },
    cause: 'client-firewall',
    weight: 1,
    severity: 'problem',
    params: ['issuer', 'issuerOrg'],
  },
  {
    id: 'tls-not-tls',
    match: { check: 'tls', status: anyFail, codes: ['NOT_TLS'] },
    cause: 'client-firewall',
    weight: 0.8,
    severity: 'problem',
    params: ['address'],
  },
  {
    id: 'data-endpoint-reset',
    match: { check: 'tls', role: 'data', status: anyFail, codes: ['ECONNRESET'] },
    cause: 'client-firewall',
    weight: 0.9,
    severity: 'problem',
    params: ['address'],
  },
  {
    id: 'tls-reset',
    match: { check: 'tls', status: anyFail, codes: ['ECONNRESET'] },
    cause: 'client-firewall',
    weight: 0.9,
    severity: 'problem',
    params: ['address'],
  },
  {
    id: 'tls-timeout',
    match: { check: 'tls', status: anyFail, codes: ['ETIMEDOUT'] },
    cause: 'client-firewall',
    weight: 0.7,
    severity: 'problem',
    params: ['address'],
  },
  {
    id: 'tls-expired',
    match: { check: 'tls', status: anyFail, codes: ['CERT_HAS_EXPIRED'] },
    cause: 'client-firewall',
    weight: 0.5,
    severity: 'problem',
    params: ['validTo', 'issuer'],
  },
  {
    id: 'tls-not-yet-valid',
    match: { check: 'tls', status: anyFail, codes: ['CERT_NOT_YET_VALID'] },
    cause: 'client-firewall',
    weight: 0.5,
    severity: 'problem',
    params: ['validFrom'],
  },
  {
    id: 'tls-name-mismatch',
    match: { check: 'tls', status: anyFail, codes: ['ERR_TLS_CERT_ALTNAME_INVALID'] },
    cause: 'client-firewall',
    weight: 0.6,
    severity: 'problem',
    params: ['san', 'issuer'],
  },
  {
    id: 'tls-untrusted',
    match: { check: 'tls', status: anyFail, codes: ['UNTRUSTED'] },
    cause: 'client-firewall',
    weight: 0.6,
    severity: 'problem',
    params: ['issuer', 'reason'],
  },
  {
    id: 'tls-failed',
    match: { check: 'tls', status: anyFail },
    cause: 'client-firewall',
    weight: 0.5,
    severity: 'problem',
    params: ['address'],
  },
  {
    id: 'tls-interception-trusted',
    match: { check: 'tls', status: ['warn'], codes: ['INTERCEPTED_TRUSTED'] },
    cause: 'client-firewall',
    weight: 0.4,
    severity: 'notice',
    params: ['issuer', 'issuerOrg'],
  },
  {
    id: 'tls-expiring',
    match: { check: 'tls', status: ['warn'], codes: ['EXPIRING_SOON'] },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: ['validTo'],
  },

  {
    id: 'acr-denied',
    match: { check: http, status: anyFail, codes: ['ACR_DENIED'] },
    cause: 'registry-public-access',
    weight: 0.9,
    severity: 'problem',
    params: ['clientIp', 'status'],
  },
  {
    id: 'not-acr',
    match: { check: http, status: anyFail, codes: ['NOT_ACR'] },
    cause: 'client-firewall',
    weight: 0.8,
    severity: 'problem',
    params: ['status', 'answer'],
  },
  {
    id: 'server-error',
    match: { check: http, status: anyFail, codes: ['SERVER_ERROR'] },
    cause: null,
    weight: 0.3,
    severity: 'problem',
    params: ['status', 'correlationId'],
  },
  {
    id: 'throttled',
    match: { check: http, status: ['warn'], codes: ['THROTTLED'] },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: ['retryAfter'],
  },
  {
    id: 'http-timeout',
    match: { check: http, status: anyFail, codes: ['ETIMEDOUT'] },
    cause: 'client-firewall',
    weight: 0.6,
    severity: 'problem',
    params: [],
  },
  {
    id: 'http-failed',
    match: { check: http, status: anyFail },
    cause: 'client-firewall',
    weight: 0.5,
    severity: 'problem',
    params: [],
  },
  {
    id: 'challenge-odd',
    match: { check: 'challenge', status: ['warn'] },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: ['realm', 'service'],
  },
  {
    id: 'challenge-ok',
    match: { check: 'challenge', status: ['pass'] },
    cause: null,
    weight: 0,
    severity: 'ok',
    params: ['correlationId'],
  },
  {
    id: 'anonymous-pull',
    match: { check: 'token', status: ['pass'], codes: ['ANONYMOUS_PULL'] },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: [],
  },
  {
    id: 'data-endpoints-unchecked',
    match: { check: 'data-endpoint', status: ['warn'], codes: ['NO_REGION'] },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: ['reason'],
  },
  {
    id: 'data-endpoint-odd',
    match: { check: 'data-endpoint', status: ['warn'], codes: ['UNEXPECTED_STATUS'] },
    cause: null,
    weight: 0,
    severity: 'notice',
    params: ['status'],
  },
  {
    id: 'data-endpoint-ok',
    match: { check: 'data-endpoint', status: ['pass'] },
    cause: null,
    weight: 0,
    severity: 'ok',
    params: ['region'],
  },

  {
    id: 'private-dns-public-path',
    match: {
      all: ['dns-private-expected-public'],
      any: ['acr-denied', 'tcp-timeout', 'data-endpoint-blocked'],
    },
    cause: 'vnet-config',
    weight: 1,
    severity: 'problem',
    params: [],
  },
] as const satisfies readonly FindingRule[];

/** Every finding id; each is also the locale key `probe:findings.<id>`. */
export type FindingId = (typeof findingRules)[number]['id'];
