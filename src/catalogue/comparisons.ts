import type { CauseId, CheckId, CheckStatus } from '../contract';

/** One check result a runner's report must hold. Every field given must hold. */
export interface CheckMatch {
  check: CheckId | readonly CheckId[];
  /** `login` (the default): the login server; `data`: any data endpoint. */
  role?: 'login' | 'data';
  status: readonly CheckStatus[];
  codes?: readonly string[];
  /** The result's `detail.addressClass` (`public`, `private`, `loopback`…). */
  addressClass?: readonly string[];
}

/** What one runner saw: its verdict (when given) and a result for each match. */
export interface Side {
  verdict?: 'healthy' | 'unhealthy';
  checks: readonly CheckMatch[];
}

/** A value of a matched result: `host`, `code`, `ms` or a `detail` field, of side `a` or `b`, match number `index`. */
export type ValueRef = readonly ['a' | 'b', number, string];

/**
 * What two runners disagree about. Each pair of runners gets at most one comparison per topic: `path` (whether
 * and how the registry is reached) and `dns` (what the name resolves to).
 */
export type ComparisonTopic = 'path' | 'dns';

/**
 * A comparison rule: runner `a` saw one thing, runner `b` another. The sentence is `comparisons:<id>`,
 * interpolated with `a`, `b`, `host` (a's first matched host, else the login server) and `params`.
 */
export interface ComparisonRule {
  id: string;
  topic: ComparisonTopic;
  a: Side;
  b: Side;
  /** Values that must differ between the two (both present). */
  differ?: readonly (readonly [number, string])[];
  /** The cause the difference points at; null when it only explains. */
  cause: CauseId | null;
  params: Readonly<Record<string, ValueRef>>;
}

const answered = ['pass', 'warn'] as const;

/**
 * Every comparison rule. For each pair of runners and each topic, the first rule (in this order) that holds in
 * either direction is raised: specific rules first, the general one last.
 */
export const comparisonRules = [
  {
    id: 'private-endpoint-blocked',
    topic: 'path',
    a: { checks: [{ check: 'challenge', status: answered }] },
    b: { checks: [{ check: 'tcp', status: ['fail'], codes: ['ETIMEDOUT'], addressClass: ['private'] }] },
    cause: 'vnet-config',
    params: { status: ['a', 0, 'status'], address: ['b', 0, 'address'] },
  },
  {
    id: 'denied-vs-allowed',
    topic: 'path',
    a: { checks: [{ check: 'challenge', status: ['fail'], codes: ['ACR_DENIED'] }] },
    b: { checks: [{ check: 'challenge', status: answered }] },
    cause: 'registry-public-access',
    params: { clientIp: ['a', 0, 'clientIp'] },
  },
  {
    id: 'path-blocked',
    topic: 'path',
    a: { checks: [{ check: 'challenge', status: answered }] },
    b: { checks: [{ check: 'tcp', status: ['fail'] }] },
    cause: 'client-firewall',
    params: { status: ['a', 0, 'status'], address: ['b', 0, 'address'], code: ['b', 0, 'code'] },
  },
  {
    id: 'tls-inspection-only',
    topic: 'path',
    a: {
      checks: [{ check: 'tls', status: ['fail', 'warn'], codes: ['INTERCEPTED', 'INTERCEPTED_TRUSTED'] }],
    },
    b: { checks: [{ check: 'tls', status: ['pass'] }] },
    cause: 'client-firewall',
    params: { issuer: ['a', 0, 'issuer'] },
  },
  {
    id: 'proxy-blocked',
    topic: 'path',
    a: { checks: [{ check: 'proxy', status: ['fail'] }] },
    b: { checks: [{ check: 'challenge', status: answered }] },
    cause: 'client-firewall',
    params: { proxy: ['a', 0, 'proxy'], code: ['a', 0, 'code'] },
  },
  {
    id: 'dns-fails-only',
    topic: 'path',
    a: { checks: [{ check: 'dns', status: ['fail'] }] },
    b: { checks: [{ check: 'dns', status: answered }] },
    cause: 'vnet-config',
    params: { code: ['a', 0, 'code'], resolver: ['a', 0, 'resolver'] },
  },
  {
    id: 'data-endpoint-only',
    topic: 'path',
    a: {
      checks: [
        { check: 'challenge', status: answered },
        { check: ['tcp', 'tls', 'data-endpoint'], role: 'data', status: ['fail'] },
      ],
    },
    b: { checks: [{ check: 'data-endpoint', role: 'data', status: answered }] },
    cause: 'client-firewall',
    params: { endpoint: ['a', 1, 'host'], code: ['a', 1, 'code'] },
  },
  {
    id: 'verdicts-differ',
    topic: 'path',
    a: { verdict: 'unhealthy', checks: [] },
    b: { verdict: 'healthy', checks: [] },
    cause: null,
    params: {},
  },

  {
    id: 'private-vs-public',
    topic: 'dns',
    a: { checks: [{ check: 'dns', status: answered, addressClass: ['private'] }] },
    b: { checks: [{ check: 'dns', status: answered, addressClass: ['public'] }] },
    cause: null,
    params: { privateAddress: ['a', 0, 'address'], publicAddress: ['b', 0, 'address'] },
  },
  {
    id: 'addresses-differ',
    topic: 'dns',
    a: { checks: [{ check: 'dns', status: answered }] },
    b: { checks: [{ check: 'dns', status: answered }] },
    differ: [[0, 'address']],
    cause: null,
    params: { addressA: ['a', 0, 'address'], addressB: ['b', 0, 'address'] },
  },
] as const satisfies readonly ComparisonRule[];

/** Every comparison id; each is also the locale key `comparisons:<id>`. */
export type ComparisonId = (typeof comparisonRules)[number]['id'];
