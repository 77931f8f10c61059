import { comparisonRules, type ComparisonId } from '../../src/catalogue/comparisons';
import type { CheckResult, ProbeReport } from '../../src/contract';
import { supportedLocales, translator } from '../../src/i18n';
import { compareReports, renderComparison, type RunnerReport } from '../../src/probe/compare';

const login = 'myregistry.azurecr.io';
const data = 'myregistry.westeurope.data.azurecr.io';

type Check = Omit<CheckResult, 'host' | 'ms' | 'detail'> & { host?: string; ms?: number; detail?: object };

/** A report as the probe writes it, from the results that matter for a comparison. */
function report(checks: Check[]): ProbeReport {
  const results = checks.map(
    (c): CheckResult => ({ host: login, ms: 12, ...c, detail: { ...c.detail } }) as CheckResult,
  );
  const unhealthy = results.some((c) => c.status === 'fail');
  return {
    target: { name: 'myregistry', loginServer: login, dataEndpoints: [data] },
    runner: { name: 'whatever-it-calls-itself' },
    checks: results,
    verdict: unhealthy ? 'unhealthy' : 'healthy',
    causes: [],
    summary: '',
  };
}

const publicDns = (address = '20.49.1.8'): Check => ({
  id: 'dns',
  status: 'pass',
  detail: { address, addressClass: 'public', resolver: '168.63.129.16:53' },
});
const privateDns: Check = {
  id: 'dns',
  status: 'pass',
  detail: { address: '10.1.2.4', addressClass: 'private', resolver: '10.1.0.4:53' },
};
const answered: Check[] = [
  { id: 'tcp', status: 'pass', detail: { address: '20.49.1.8', addressClass: 'public' } },
  { id: 'tls', status: 'pass', detail: { issuer: 'Microsoft Azure RSA TLS Issuing CA 03' } },
  { id: 'challenge', status: 'pass', detail: { status: 401 } },
];
const healthy = (address?: string): ProbeReport =>
  report([
    publicDns(address),
    ...answered,
    { id: 'tcp', host: data, status: 'pass', detail: {} },
    { id: 'data-endpoint', host: data, status: 'pass', detail: { status: 403 } },
  ]);

const cases: {
  name: string;
  reports: RunnerReport[];
  expected: { id: ComparisonId; runners: [string, string]; says: string[] }[];
}[] = [
  {
    name: 'the bot reaches the registry publicly; the VNet resolves the private endpoint and its packets are dropped',
    reports: [
      { runner: 'local', report: healthy() },
      {
        runner: 'vnet-prod',
        report: report([
          privateDns,
          {
            id: 'tcp',
            status: 'fail',
            code: 'ETIMEDOUT',
            ms: 5000,
            detail: { address: '10.1.2.4', addressClass: 'private' },
          },
          { id: 'challenge', status: 'skip', detail: { after: 'tcp' } },
        ]),
      },
    ],
    expected: [
      { id: 'private-endpoint-blocked', runners: ['local', 'vnet-prod'], says: ['401', '10.1.2.4'] },
      { id: 'private-vs-public', runners: ['vnet-prod', 'local'], says: ['10.1.2.4', '20.49.1.8'] },
    ],
  },
  {
    name: "the registry's firewall lets one egress address in and turns the other away",
    reports: [
      {
        runner: 'github',
        report: report([
          publicDns(),
          answered[0]!,
          answered[1]!,
          {
            id: 'challenge',
            status: 'fail',
            code: 'ACR_DENIED',
            detail: { status: 403, clientIp: '20.7.3.9' },
          },
        ]),
      },
      { runner: 'local', report: healthy() },
    ],
    expected: [{ id: 'denied-vs-allowed', runners: ['github', 'local'], says: ['20.7.3.9'] }],
  },
  {
    name: 'a public path that one runner cannot open',
    reports: [
      { runner: 'local', report: healthy() },
      {
        runner: 'onprem',
        report: report([
          publicDns(),
          {
            id: 'tcp',
            status: 'fail',
            code: 'ECONNRESET',
            detail: { address: '20.49.1.8', addressClass: 'public' },
          },
        ]),
      },
    ],
    expected: [{ id: 'path-blocked', runners: ['local', 'onprem'], says: ['20.49.1.8', 'ECONNRESET'] }],
  },
  {
    name: 'only one runner sees a TLS-inspecting issuer',
    reports: [
      {
        runner: 'office',
        report: report([
          publicDns(),
          answered[0]!,
          { id: 'tls', status: 'fail', code: 'INTERCEPTED', detail: { issuer: 'Contoso Proxy CA' } },
        ]),
      },
      { runner: 'local', report: healthy() },
    ],
    expected: [{ id: 'tls-inspection-only', runners: ['office', 'local'], says: ['Contoso Proxy CA'] }],
  },
  {
    name: 'one runner goes through a proxy that refuses the tunnel',
    reports: [
      { runner: 'local', report: healthy() },
      {
        runner: 'branch',
        report: report([
          { id: 'dns', status: 'skip', detail: { via: 'proxy' } },
          { id: 'proxy', status: 'fail', code: 'PROXY_403', detail: { proxy: 'http://proxy.contoso:3128' } },
        ]),
      },
    ],
    expected: [
      { id: 'proxy-blocked', runners: ['branch', 'local'], says: ['http://proxy.contoso:3128', 'PROXY_403'] },
    ],
  },
  {
    name: "one runner's DNS server does not know the name",
    reports: [
      {
        runner: 'vnet-prod',
        report: report([
          { id: 'dns', status: 'fail', code: 'SERVFAIL', detail: { resolver: '10.1.0.4:53' } },
        ]),
      },
      { runner: 'local', report: healthy() },
    ],
    expected: [{ id: 'dns-fails-only', runners: ['vnet-prod', 'local'], says: ['SERVFAIL', '10.1.0.4:53'] }],
  },
  {
    name: 'the login server answers both, the data endpoint only one',
    reports: [
      {
        runner: 'build-agent',
        report: report([
          publicDns(),
          ...answered,
          { id: 'tcp', host: data, status: 'fail', code: 'ETIMEDOUT', detail: { address: '20.60.1.1' } },
        ]),
      },
      { runner: 'local', report: healthy() },
    ],
    expected: [{ id: 'data-endpoint-only', runners: ['build-agent', 'local'], says: [data, 'ETIMEDOUT'] }],
  },
  {
    name: 'something else is wrong on one side only',
    reports: [
      { runner: 'local', report: healthy() },
      {
        runner: 'lab',
        report: report([
          publicDns(),
          answered[0]!,
          answered[1]!,
          { id: 'challenge', status: 'fail', code: 'NOT_ACR', detail: { status: 200 } },
        ]),
      },
    ],
    expected: [{ id: 'verdicts-differ', runners: ['lab', 'local'], says: [login] }],
  },
  {
    name: 'two healthy runners sent to different addresses (another replica)',
    reports: [
      { runner: 'local', report: healthy('20.49.1.8') },
      { runner: 'github', report: healthy('40.74.2.2') },
    ],
    expected: [{ id: 'addresses-differ', runners: ['local', 'github'], says: ['20.49.1.8', '40.74.2.2'] }],
  },
  {
    name: 'runners that agree',
    reports: [
      { runner: 'local', report: healthy() },
      { runner: 'github', report: healthy() },
    ],
    expected: [],
  },
];

describe('comparisons between runners', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, { reports, expected }) => {
    const found = compareReports(reports);
    expect(found.map((c) => ({ id: c.id, runners: c.runners }))).toEqual(
      expected.map(({ id, runners }) => ({ id, runners })),
    );
    for (const [i, want] of expected.entries()) {
      const comparison = found[i]!;
      for (const locale of supportedLocales) {
        const sentence = renderComparison(comparison, locale);
        expect(sentence).not.toMatch(/\{\{|\}\}/);
        for (const text of [...comparison.runners, ...want.says]) expect(sentence).toContain(text);
      }
      // The evidence names both runners and what each saw.
      expect(comparison.evidence).toContain(`${comparison.runners[0]}: `);
      expect(comparison.evidence).toContain(`; ${comparison.runners[1]}: `);
    }
  });

  test.each(supportedLocales)(
    'in %s a resolver is named in words: this machine’s resolver, or the DNS server with its address',
    (locale) => {
      const t = translator(locale);
      const failing = (resolver: string): RunnerReport => ({
        runner: 'vnet-prod',
        report: report([{ id: 'dns', status: 'fail', code: 'EAI_AGAIN', detail: { resolver } }]),
      });
      const [system] = compareReports([failing('system'), { runner: 'local', report: healthy() }]);
      const [server] = compareReports([failing('10.1.0.4:53'), { runner: 'local', report: healthy() }]);
      expect(renderComparison(system!, locale)).toContain(t('probe:resolvers.system'));
      expect(renderComparison(system!, locale)).not.toMatch(/\bsystem\b/);
      expect(renderComparison(server!, locale)).toContain(
        t('probe:resolvers.server', { server: '10.1.0.4:53' }),
      );
    },
  );

  test('every rule has a case above', () => {
    const covered = new Set(cases.flatMap((c) => c.expected.map((e) => e.id)));
    expect(comparisonRules.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test('three runners: each pair is compared, at most once per topic, in the order the runners were given', () => {
    const denied = report([
      publicDns(),
      answered[0]!,
      answered[1]!,
      { id: 'challenge', status: 'fail', code: 'ACR_DENIED', detail: { clientIp: '20.7.3.9' } },
    ]);
    const found = compareReports([
      { runner: 'local', report: healthy() },
      { runner: 'vnet-prod', report: healthy('20.49.1.9') },
      { runner: 'github', report: denied },
    ]);
    expect(found.map((c) => `${c.id} ${c.runners.join('/')}`)).toEqual([
      'addresses-differ local/vnet-prod',
      'denied-vs-allowed github/local',
      'denied-vs-allowed github/vnet-prod',
      'addresses-differ vnet-prod/github',
    ]);
  });

  test('a report from another host that lacks a value a sentence needs raises nothing rather than a broken sentence', () => {
    const withoutAddress = report([
      privateDns,
      { id: 'tcp', status: 'fail', code: 'ETIMEDOUT', detail: { addressClass: 'private' } },
    ]);
    const found = compareReports([
      { runner: 'local', report: healthy() },
      { runner: 'vnet-prod', report: withoutAddress },
    ]);
    expect(found.map((c) => c.id)).toEqual(['verdicts-differ', 'private-vs-public']);
  });
});
