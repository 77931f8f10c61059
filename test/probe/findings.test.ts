import { findingRules } from '../../src/catalogue/findings';
import { probeSymptoms } from '../../src/catalogue/probe-symptoms';
import type { CheckResult } from '../../src/contract';
import { supportedLocales, translator } from '../../src/i18n';
import { assess, findingsOf } from '../../src/probe/assess';
import { renderFinding } from '../../src/probe';
import { loadResources } from '../../src/i18n';

const login = 'myregistry.azurecr.io';
const data = 'myregistry.westeurope.data.azurecr.io';

function result(
  id: CheckResult['id'],
  host: string,
  status: CheckResult['status'],
  code?: string,
  detail: Record<string, unknown> = {},
): CheckResult {
  return { id, host, status, ms: 12, ...(code ? { code } : {}), detail };
}

const ok = {
  dns: result('dns', login, 'pass', undefined, {
    address: '20.1.2.3',
    addressClass: 'public',
    resolver: '10.0.0.10',
    flags: [],
  }),
  tcp: result('tcp', login, 'pass', undefined, { address: '20.1.2.3', addressClass: 'public' }),
  tls: result('tls', login, 'pass', undefined, { issuer: 'Microsoft Azure RSA TLS Issuing CA 03' }),
  challenge: result('challenge', login, 'pass', undefined, { status: 401 }),
  token: result('token', login, 'pass', undefined, { status: 401 }),
};
const healthyLogin = Object.values(ok);

interface Case {
  name: string;
  checks: CheckResult[];
  verdict: 'healthy' | 'unhealthy';
  cause: string | null;
  findings: string[];
}

const cases: Case[] = [
  {
    name: 'everything answers',
    checks: healthyLogin,
    verdict: 'healthy',
    cause: null,
    findings: ['challenge-ok'],
  },
  {
    name: 'the data endpoint times out while the login server works',
    checks: [
      ...healthyLogin,
      result('dns', data, 'pass'),
      result('tcp', data, 'fail', 'ETIMEDOUT', { address: '20.1.2.4', addressClass: 'public' }),
    ],
    verdict: 'unhealthy',
    cause: 'client-firewall',
    findings: ['challenge-ok', 'data-endpoint-blocked'],
  },
  {
    name: 'a private login server address drops packets: the virtual network',
    checks: [
      ok.dns,
      result('tcp', login, 'fail', 'ETIMEDOUT', { address: '10.1.0.4', addressClass: 'private' }),
    ],
    verdict: 'unhealthy',
    cause: 'vnet-config',
    findings: ['tcp-timeout-private'],
  },
  {
    name: 'a private data endpoint address drops packets: the virtual network too',
    checks: [
      ...healthyLogin,
      result('tcp', data, 'fail', 'ETIMEDOUT', { address: '10.1.0.5', addressClass: 'private' }),
    ],
    verdict: 'unhealthy',
    cause: 'vnet-config',
    findings: ['challenge-ok', 'tcp-timeout-private'],
  },
  {
    name: 'a public address drops packets: the client firewall',
    checks: [
      ok.dns,
      result('tcp', login, 'fail', 'ETIMEDOUT', { address: '20.1.2.3', addressClass: 'public' }),
    ],
    verdict: 'unhealthy',
    cause: 'client-firewall',
    findings: ['tcp-timeout'],
  },
  {
    name: '403 DENIED',
    checks: [
      ok.dns,
      ok.tcp,
      ok.tls,
      result('challenge', login, 'fail', 'ACR_DENIED', { clientIp: '203.0.113.7', status: 403 }),
    ],
    verdict: 'unhealthy',
    cause: 'registry-public-access',
    findings: ['acr-denied'],
  },
  {
    name: 'interception',
    checks: [ok.dns, ok.tcp, result('tls', login, 'fail', 'INTERCEPTED', { issuer: 'Contoso Proxy CA' })],
    verdict: 'unhealthy',
    cause: 'client-firewall',
    findings: ['tls-interception'],
  },
  {
    name: 'NXDOMAIN on the login server',
    checks: [result('dns', login, 'fail', 'NXDOMAIN', { resolver: '10.0.0.10' })],
    verdict: 'unhealthy',
    cause: 'vnet-config',
    findings: ['dns-nxdomain'],
  },
  {
    name: 'privatelink in the chain, public answer, then denied',
    checks: [
      result('dns', login, 'warn', undefined, {
        flags: ['privatelink-public'],
        address: '20.1.2.3',
        addressClass: 'public',
      }),
      ok.tcp,
      ok.tls,
      result('challenge', login, 'fail', 'ACR_DENIED', { clientIp: '203.0.113.7' }),
      result('token', login, 'fail', 'ACR_DENIED', { clientIp: '203.0.113.7' }),
    ],
    verdict: 'unhealthy',
    cause: 'vnet-config',
    findings: ['dns-private-expected-public', 'acr-denied', 'acr-denied', 'private-dns-public-path'],
  },
  {
    name: 'privatelink in the chain, public answer, public path open',
    checks: [
      result('dns', login, 'warn', undefined, { flags: ['privatelink-public'] }),
      ok.tcp,
      ok.tls,
      ok.challenge,
      ok.token,
    ],
    verdict: 'healthy',
    cause: null,
    findings: ['dns-private-expected-public', 'challenge-ok'],
  },
  {
    name: 'a private endpoint in use',
    checks: [
      result('dns', login, 'pass', undefined, { flags: ['private-endpoint'], address: '10.1.0.4' }),
      ok.tcp,
      ok.tls,
      ok.challenge,
      ok.token,
    ],
    verdict: 'healthy',
    cause: null,
    findings: ['dns-private-endpoint', 'challenge-ok'],
  },
  {
    name: 'the proxy refuses CONNECT',
    checks: [
      result('proxy', login, 'fail', 'PROXY_403', { proxy: 'http://proxy:3128' }),
      result('dns', login, 'skip', undefined, { via: 'proxy' }),
      result('tls', login, 'skip', undefined, { after: 'proxy' }),
    ],
    verdict: 'unhealthy',
    cause: 'client-firewall',
    findings: ['proxy-denied'],
  },
  {
    name: 'the deadline cut a check short',
    checks: [ok.dns, result('tcp', login, 'fail', 'DEADLINE', { timeoutMs: 5000 })],
    verdict: 'unhealthy',
    cause: null,
    findings: ['deadline'],
  },
  {
    name: 'a check whose budget was too short to tell: inconclusive, no cause',
    checks: [
      ok.dns,
      ok.tcp,
      result('tls', login, 'fail', 'TOO_SHORT', { timedOut: 'ETIMEDOUT', budgetMs: 120, timeoutMs: 300 }),
    ],
    verdict: 'unhealthy',
    cause: null,
    findings: ['deadline-too-short'],
  },
  {
    name: 'the data endpoints went unchecked: healthy, with the caveat',
    checks: [...healthyLogin, result('data-endpoint', login, 'warn', 'NO_REGION', { reason: 'proxy' })],
    verdict: 'healthy',
    cause: null,
    findings: ['challenge-ok', 'data-endpoints-unchecked'],
  },
  {
    name: 'an expired certificate: the clock or a stale proxy certificate, with a fix',
    checks: [ok.dns, ok.tcp, result('tls', login, 'fail', 'CERT_HAS_EXPIRED', { validTo: '2020-01-01' })],
    verdict: 'unhealthy',
    cause: 'client-firewall',
    findings: ['tls-expired'],
  },
  {
    name: 'a failure no specific rule knows still makes the probe unhealthy',
    checks: [ok.dns, ok.tcp, result('tls', login, 'fail', 'ESOMETHINGNEW')],
    verdict: 'unhealthy',
    cause: 'client-firewall',
    findings: ['tls-failed'],
  },
  {
    name: 'dedicated data endpoints off',
    checks: [...healthyLogin, result('dns', data, 'warn', 'NXDOMAIN', { resolver: '10.0.0.10' })],
    verdict: 'healthy',
    cause: null,
    findings: ['challenge-ok', 'data-endpoints-off'],
  },
];

describe('check results become the right verdict, cause and findings', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const assessment = assess(c.checks, login);
    expect(assessment.verdict).toBe(c.verdict);
    expect(assessment.causes[0]?.id ?? null).toBe(c.cause);
    expect(assessment.findings.map((f) => f.id).sort()).toEqual([...c.findings].sort());
    if (c.verdict === 'healthy') expect(assessment.causes).toEqual([]);
  });
});

test('causes are ranked best first, scored to one, each with the findings that raised it', () => {
  const { causes } = assess(
    [
      result('dns', login, 'warn', undefined, { flags: ['privatelink-public'] }),
      ok.tcp,
      ok.tls,
      result('challenge', login, 'fail', 'ACR_DENIED', { clientIp: '203.0.113.7' }),
    ],
    login,
  );
  expect(causes.map((c) => c.id)).toEqual(['vnet-config', 'registry-public-access']);
  expect(causes[0]?.findings).toEqual(['dns-private-expected-public', 'private-dns-public-path']);
  expect(causes[1]?.findings).toEqual(['acr-denied']);
  expect(causes.reduce((s, c) => s + c.score, 0)).toBeCloseTo(1, 1);
  expect(causes[0]!.score).toBeGreaterThan(causes[1]!.score);
});

test('a finding keeps its evidence: the check, host, code and the facts behind it', () => {
  const [finding] = findingsOf([
    result('challenge', login, 'fail', 'ACR_DENIED', { clientIp: '203.0.113.7', status: 403 }),
  ]);
  expect(finding).toEqual({
    id: 'acr-denied',
    cause: 'registry-public-access',
    host: login,
    params: {
      host: login,
      ms: 12,
      check: 'challenge',
      code: 'ACR_DENIED',
      clientIp: '203.0.113.7',
      status: 403,
    },
    evidence: 'challenge myregistry.azurecr.io: fail ACR_DENIED clientIp=203.0.113.7 status=403 (12 ms)',
  });
});

test.each(supportedLocales)(
  'resolvers that disagree are named in words in %s, never by their data label',
  (locale) => {
    const [finding] = findingsOf([
      result('dns', login, 'warn', undefined, {
        flags: ['resolvers-disagree'],
        comparison: 'system → 127.0.0.1; 10.0.0.10:53 → 20.1.2.3',
      }),
    ]).filter((f) => f.id === 'dns-resolvers-disagree');
    const t = translator(locale);
    const sentence = renderFinding(finding!, locale);
    expect(sentence).toContain(`${t('probe:resolvers.system')} → 127.0.0.1`);
    expect(sentence).toContain(`${t('probe:resolvers.server', { server: '10.0.0.10:53' })} → 20.1.2.3`);
    expect(sentence).not.toMatch(/\bsystem →/);
  },
);

test.each(supportedLocales)(
  'a check that ran out of time is named as the report names it, in %s',
  (locale) => {
    const t = translator(locale);
    const [finding] = findingsOf([result('data-endpoint', login, 'fail', 'DEADLINE', { timeoutMs: 5000 })]);
    expect(finding?.id).toBe('deadline');
    const sentence = renderFinding(finding!, locale);
    expect(sentence).toContain(t('probe:checks.data-endpoint'));
    expect(sentence).not.toContain('data-endpoint');
  },
);

test.each(supportedLocales)(
  'a finding this version has no sentence for (a newer runner’s) reads as its evidence in %s',
  (locale) => {
    const evidence = 'dns myregistry.azurecr.io: warn DNSSEC_BOGUS (12 ms)';
    const sentence = renderFinding(
      { id: 'dns-dnssec-bogus', cause: 'vnet-config', params: { host: login }, evidence },
      locale,
    );
    expect(sentence).toBe(evidence);
  },
);

describe('every finding reads well in every language', () => {
  const resources = loadResources();
  const values: Record<string, string | number> = {
    host: login,
    ms: 1500,
    check: 'tcp',
    code: 'ETIMEDOUT',
    timeoutMs: 5000,
    proxy: 'http://proxy.contoso.com:3128',
    variable: 'HTTPS_PROXY',
    status: 403,
    noProxy: '.contoso.com',
    nxdomainAt: 'myregistry.privatelink.azurecr.io',
    resolver: '10.0.0.10:53',
    address: '10.1.0.4',
    chain: 'a, b',
    comparison: 'system → 10.1.0.4; 10.0.0.10:53 → 20.1.2.3',
    failedAddresses: '2603:1::1 (ENETUNREACH)',
    issuer: 'Contoso Proxy CA',
    issuerOrg: 'Contoso',
    validTo: '2026-01-01T00:00:00.000Z',
    validFrom: '2026-01-01T00:00:00.000Z',
    san: '*.contoso.com',
    reason: 'SELF_SIGNED_CERT_IN_CHAIN',
    clientIp: '203.0.113.7',
    answer: 'Access blocked',
    correlationId: 'abc',
    retryAfter: '10',
    realm: 'https://x/oauth2/token',
    service: 'x',
    region: 'westeurope',
    waitedMs: 1500,
    budgetMs: 120,
  };
  test.each(findingRules.map((r) => [r.id]))('%s', (id) => {
    for (const locale of supportedLocales) {
      expect(typeof (resources[locale]?.probe as { findings: Record<string, string> }).findings[id]).toBe(
        'string',
      );
      const sentence = renderFinding({ id, cause: null, params: values, evidence: '' }, locale);
      expect(sentence).not.toMatch(/\{\{|findings\./);
      expect(sentence.length).toBeGreaterThan(20);
    }
  });

  test('every sentence uses only values its rule provides', () => {
    for (const rule of findingRules) {
      const sentence = (resources.en?.probe as { findings: Record<string, string> }).findings[rule.id] ?? '';
      const used = [...sentence.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
      const compoundParams = 'all' in rule.match ? ['host'] : [];
      const provided = ['host', 'ms', 'check', 'code', ...rule.params, ...compoundParams];
      expect({ id: rule.id, missing: used.filter((u) => !provided.includes(u ?? '')) }).toEqual({
        id: rule.id,
        missing: [],
      });
    }
  });

  test('no locale has a finding sentence without a rule', () => {
    const ids = new Set<string>(findingRules.map((r) => r.id));
    for (const locale of supportedLocales) {
      const keys = Object.keys((resources[locale]?.probe as { findings: Record<string, string> }).findings);
      expect(keys.filter((k) => !ids.has(k))).toEqual([]);
    }
  });
});

test('every DNS failure a probe can find opens the fix for a name that does not resolve', () => {
  const dnsProblems = findingRules.filter(
    (r) =>
      r.id.startsWith('dns-') && r.severity === 'problem' && r.cause !== null && !r.id.includes('private'),
  );
  expect(dnsProblems.length).toBeGreaterThan(5);
  const table: Partial<Record<string, string>> = probeSymptoms;
  for (const rule of dnsProblems)
    expect({ id: rule.id, symptom: table[rule.id] }).toEqual({ id: rule.id, symptom: 'dns-lookup' });
});
