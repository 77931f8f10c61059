import { causeText } from '../../src/advice';
import { handleAction } from '../../src/bot/actions';
import { renderProbe } from '../../src/bot/probe-view';
import type { CheckResult, ProbeReport } from '../../src/contract';
import { supportedLocales, translator, type Locale } from '../../src/i18n';
import { assess } from '../../src/probe/assess';
import type { ProbeRecord, RunnerOutcome } from '../../src/state/probe-store';
import { manyRegions } from '../cards/cases';
import { buttonsOf, cardProblems, codeOf, textOf, type Json } from './cards';
import { comparisonsOf, headlineOf, markdownOf, runnerSections, statesOf } from './probe-helpers';

const login = 'myregistry.azurecr.io';
const regions = manyRegions;
const dataHosts = regions.map((r) => `myregistry.${r}.data.azurecr.io`);
const probeId = '4f0c1c1e-5b4e-4c1a-9d0e-2f6b7a8c9d01';

type Partial = Omit<CheckResult, 'ms' | 'detail'> & { ms?: number; detail?: Record<string, unknown> };
const result = (c: Partial): CheckResult => ({ ms: 23, ...c, detail: { ...c.detail } }) as CheckResult;

/** A report as the probe writes it: these results, assessed by the real finding rules. */
function report(runner: string, checks: Partial[]): ProbeReport {
  const results = checks.map(result);
  return {
    target: { name: 'myregistry', loginServer: login, dataEndpoints: dataHosts },
    runner: { name: runner },
    checks: results,
    ...assess(results, login),
  };
}

const publicAddress = { address: '20.49.1.8', addressClass: 'public', resolver: '168.63.129.16:53' };
const privateAddress = { address: '10.1.2.4', addressClass: 'private', resolver: '10.1.0.4:53' };

/** Every check of the login server and of eight data endpoints: as many results as a probe gives. */
function everything(outcome: {
  login: (id: CheckResult['id']) => Partial | null;
  data: (id: CheckResult['id'], host: string) => Partial | null;
}): Partial[] {
  const ids = ['dns', 'tcp', 'tls', 'challenge', 'token'] as const;
  const loginChecks = ids.map(
    (id): Partial =>
      outcome.login(id) ?? { id, host: login, status: 'pass', detail: { ...publicAddress, status: 401 } },
  );
  const dataChecks = dataHosts.flatMap((host) =>
    (['dns', 'tcp', 'tls', 'data-endpoint'] as const).map(
      (id): Partial =>
        outcome.data(id, host) ?? { id, host, status: 'pass', detail: { ...publicAddress, status: 403 } },
    ),
  );
  return [...loginChecks, ...dataChecks];
}

const healthy = report('bot-host', everything({ login: () => null, data: () => null }));
const vnet = report(
  'vnet-prod-runner-01',
  everything({
    login: (id) =>
      id === 'dns'
        ? { id, host: login, status: 'pass', detail: { ...privateAddress } }
        : id === 'tcp'
          ? {
              id,
              host: login,
              status: 'fail',
              code: 'ETIMEDOUT',
              ms: 5000,
              detail: { ...privateAddress, waitedMs: 5000 },
            }
          : { id, host: login, status: 'skip', detail: { after: 'tcp' } },
    data: (id, host) =>
      id === 'tcp'
        ? {
            id,
            host,
            status: 'fail',
            code: 'ETIMEDOUT',
            ms: 5000,
            detail: { ...privateAddress, waitedMs: 5000 },
          }
        : id === 'dns'
          ? { id, host, status: 'pass', detail: { ...privateAddress } }
          : { id, host, status: 'skip', detail: { after: 'tcp' } },
  }),
);
const longIssuer = 'Contoso Corporate Secure Web Gateway Inspection Intermediate Certification Authority G4';
const office = report(
  'office-proxy-test',
  everything({
    login: (id) =>
      id === 'tls'
        ? {
            id,
            host: login,
            status: 'fail',
            code: 'INTERCEPTED',
            detail: { issuer: longIssuer, issuerOrg: 'Contoso Ltd.' },
          }
        : id === 'challenge' || id === 'token'
          ? { id, host: login, status: 'skip', detail: { after: 'tls' } }
          : null,
    data: (id, host) =>
      id === 'tls'
        ? {
            id,
            host,
            status: 'fail',
            code: 'INTERCEPTED',
            detail: { issuer: longIssuer, issuerOrg: 'Contoso Ltd.' },
          }
        : id === 'data-endpoint'
          ? { id, host, status: 'skip', detail: { after: 'tls' } }
          : null,
  }),
);
const denied = report(
  'github-linux',
  everything({
    login: (id) =>
      id === 'challenge'
        ? {
            id,
            host: login,
            status: 'fail',
            code: 'ACR_DENIED',
            detail: { status: 403, clientIp: '20.7.3.9' },
          }
        : id === 'token'
          ? { id, host: login, status: 'skip', detail: { after: 'challenge' } }
          : null,
    data: (id, host) =>
      id === 'data-endpoint'
        ? { id, host, status: 'fail', code: 'ACR_DENIED', detail: { status: 403, clientIp: '20.7.3.9' } }
        : null,
  }),
);

function record(outcomes: RunnerOutcome[], finished = true): ProbeRecord {
  const names = [
    ['local', 'local'],
    ['vnet-prod', 'service'],
    ['office', 'service'],
    ['github', 'github'],
  ] as const;
  return {
    id: probeId,
    conversation: 'a:conv',
    reference: {},
    cardId: 'card-1',
    registry: login,
    regions,
    locale: 'en',
    runners: outcomes.map((outcome, i) => ({ name: names[i]![0], kind: names[i]![1], outcome })),
    startedAt: 0,
    finishedAt: finished ? 1 : null,
  };
}

const reported = (r: ProbeReport): RunnerOutcome => ({ state: 'reported', report: r });
const pending: RunnerOutcome = { state: 'pending' };

describe.each(supportedLocales)('the probe card in %s', (locale) => {
  const t = translator(locale);

  test('while probing: every runner pending, the headline counts the reports, no re-run or fix yet', () => {
    const card = renderProbe(record([pending, pending, pending, pending], false), locale);
    expect(cardProblems(card)).toEqual([]);
    expect(Object.values(statesOf(card))).toEqual(Array(4).fill(t('probe-card:state.pending')));
    expect(headlineOf(card)).toBe(t('probe-card:status.running', { done: 0, count: 4 }));
    expect(textOf(card)).toContain(t('runners:pending', { runner: 'vnet-prod' }));
    expect(buttonsOf(card).map((b) => b.verb)).toEqual(['card.show', 'probe.show', 'probe.show']);
  });

  test('one runner: the headline speaks of one place, not of "1 places" and "the others"', () => {
    const card = renderProbe(record([pending], false), locale);
    expect(headlineOf(card)).toBe(t('probe-card:status.runningOne'));
    expect(headlineOf(card)).not.toContain('1');
  });

  test('the biggest card: four runners, eight regions, every check, long findings, still a valid Teams card', () => {
    const card = renderProbe(
      record([reported(healthy), reported(vnet), reported(office), reported(denied)]),
      locale,
    );
    expect(cardProblems(card)).toEqual([]);
    expect(statesOf(card)).toEqual({
      local: t('probe:verdict.healthy'),
      'vnet-prod': t('probe:verdict.unhealthy'),
      office: t('probe:verdict.unhealthy'),
      github: t('probe:verdict.unhealthy'),
    });
    const sections = runnerSections(card);
    expect(sections[1]?.text).toContain(
      t('probe-card:runner.cause', { cause: causeText('vnet-config', locale).title }),
    );
    expect(sections[1]?.text).toContain(t('probe-card:runner.reportsAs', { name: 'vnet-prod-runner-01' }));
    // Every check of every host is on the card (behind the toggle), with its time.
    expect(sections[0]?.text.match(/✓ [^·\n]+ \d+ ms/g)?.length).toBe(5 + 8 * 4);
    expect(comparisonsOf(card).length).toBeGreaterThan(0);
    expect(buttonsOf(card).map((b) => b.verb)).toEqual([
      'probe.run',
      'card.show',
      'card.show',
      'probe.show',
      'probe.show',
    ]);
  });

  test('a runner that could not report says why, with its evidence, while the others show their results', () => {
    const card = renderProbe(
      record([
        reported(healthy),
        { state: 'failed', kind: 'down', detail: 'ECONNREFUSED: connect ECONNREFUSED 127.9.9.9:3979' },
        { state: 'failed', kind: 'timeout', detail: 'no report within 3500 ms' },
        {
          state: 'failed',
          kind: 'garbage',
          detail: 'the answer is not a probe report: verdict is not healthy or unhealthy',
        },
      ]),
      locale,
    );
    expect(cardProblems(card)).toEqual([]);
    expect(statesOf(card)).toEqual({
      local: t('probe:verdict.healthy'),
      'vnet-prod': t('probe-card:state.down'),
      office: t('probe-card:state.timeout'),
      github: t('probe-card:state.garbage'),
    });
    const text = textOf(card);
    expect(text).toContain(t('runners:error.down', { runner: 'vnet-prod' }));
    expect(text).toContain('ECONNREFUSED 127.9.9.9:3979');
    expect(text).toContain(t('runners:error.timeout', { runner: 'office' }));
    expect(headlineOf(card)).toBe(
      [
        t('probe-card:status.healthy', { runners: 'local' }),
        t('probe-card:status.failed', { runners: 'vnet-prod, office, github' }),
      ].join(' · '),
    );
  });
});

test('"Show the fix" opens the diagnosis card for the cause that explains the difference, with the address the registry saw', () => {
  const card = renderProbe(record([reported(healthy), reported(denied)]), 'de');
  const fix = buttonsOf(card).find((b) => b.title === translator('de')('probe-card:buttons.fix'));
  expect(fix).toBeDefined();
  const outcome = handleAction({ verb: fix!.verb, data: fix!.data, locale: 'en' });
  if (!('card' in outcome)) throw new Error('expected a card');
  expect(outcome.placement).toBe('new');
  const text = textOf(outcome.card);
  expect(text).toContain(causeText('registry-public-access', 'de').title);
  expect(codeOf(outcome.card).join('\n')).toContain('20.7.3.9');
  expect(text).toContain('vnet-prod: challenge myregistry.azurecr.io fail ACR_DENIED');
  // The evidence is what the probe saw, labelled so, and stays so when the card changes language.
  expect(text).toContain(translator('de')('cards:diagnosis.probeEvidence'));
  expect(text).not.toContain(translator('de')('cards:diagnosis.evidence'));
  const english = buttonsOf(outcome.card).find((b) => b.title === translator('en')('common:language.en'));
  const translated = handleAction({ verb: english!.verb, data: english!.data, locale: 'de' });
  if (!('card' in translated)) throw new Error('expected a card');
  expect(textOf(translated.card)).toContain(translator('en')('cards:diagnosis.probeEvidence'));
});

describe.each(supportedLocales)('a report this version cannot fully read (%s)', (locale) => {
  const t = translator(locale);

  test("a newer runner's check shows under its own id, beside the checks this version names", () => {
    const newer = report('bot-host', [
      ...everything({ login: () => null, data: () => null }),
      { id: 'ocsp', host: login, status: 'warn', code: 'OCSP_SLOW' },
    ]);
    const card = renderProbe(record([reported(newer)]), locale);
    expect(cardProblems(card)).toEqual([]);
    const text = runnerSections(card)[0]?.text ?? '';
    expect(text).toContain(`⚠ ocsp ${t('probe:status.warn')} OCSP_SLOW 23 ms`);
    expect(text).toContain(t('probe:checks.tcp'));
  });

  test("a report without findings speaks the card's language: the healthy line, or the runner's own summary as evidence", () => {
    const bare = (verdict: ProbeReport['verdict'], summary: string): ProbeReport => ({
      target: { name: 'myregistry', loginServer: login, dataEndpoints: [] },
      runner: { name: 'bot-host' },
      checks: [result({ id: 'dns', host: login, status: verdict === 'healthy' ? 'pass' : 'fail' })],
      verdict,
      causes: verdict === 'healthy' ? [] : [{ id: 'client-firewall', score: 1, findings: [] }],
      summary,
      findings: [],
    });
    const fine = textOf(renderProbe(record([reported(bare('healthy', 'All good in English'))]), locale));
    expect(fine).toContain(t('probe:summary.healthy', { host: login }));
    if (locale !== 'en') expect(fine).not.toContain('All good in English');
    const odd = textOf(
      renderProbe(record([reported(bare('unhealthy', 'quantum flux on port 443'))]), locale),
    );
    expect(odd).toContain(t('probe-card:noFindings'));
    expect(odd).toContain('quantum flux on port 443');
  });
});

test('"Hosts to allow" posts the registry checklist, with the data endpoints of the probed regions', () => {
  const card = renderProbe(record([reported(healthy)]), 'en');
  const checklist = buttonsOf(card).find((b) => b.title === translator('en')('probe-card:buttons.checklist'));
  const outcome = handleAction(
    { verb: checklist!.verb, data: checklist!.data, locale: 'en' },
    { probe: true },
  );
  if (!('card' in outcome)) throw new Error('expected a card');
  expect(codeOf(outcome.card).join('\n')).toContain('myregistry.australiaeast.data.azurecr.io');
  expect(buttonsOf(outcome.card).map((b) => b.verb)).toContain('probe.run');
});

test('every runner healthy: no fix to show, the headline says so in green', () => {
  const card = renderProbe(record([reported(healthy), reported(healthy)]), 'en');
  expect(buttonsOf(card).map((b) => b.title)).not.toContain(translator('en')('probe-card:buttons.fix'));
  expect(headlineOf(card)).toBe(
    translator('en')('probe-card:status.healthy', { runners: 'local, vnet-prod' }),
  );
  expect((card.body[2] as Json).color).toBe('Good');
});

test('what other hosts report is never read as Markdown: no link can be smuggled into the card', () => {
  const evil = report(
    '[click](https://evil.example)',
    everything({
      login: (id) =>
        id === 'tls'
          ? {
              id,
              host: login,
              status: 'fail',
              code: 'INTERCEPTED](https://evil.example)',
              detail: { issuer: '[Sign in](https://evil.example)' },
            }
          : null,
      data: () => null,
    }),
  );
  for (const locale of supportedLocales as readonly Locale[]) {
    const card = renderProbe(record([reported(healthy), reported(evil)]), locale);
    expect(JSON.stringify(card)).toContain('evil.example');
    expect(markdownOf(card).filter((text) => text.includes('evil.example'))).toEqual([]);
  }
});

test.each(supportedLocales)(
  'more runners than a card holds in full (%s): less detail, never over the limit, every runner and its verdict still there',
  (locale) => {
    const t = translator(locale);
    const many = record([reported(healthy), reported(vnet), reported(office), reported(denied)]);
    many.runners = [...many.runners, ...many.runners].map((r, i) => ({ ...r, name: `${r.name}-${i}` }));
    const card = renderProbe(many, locale);
    expect(cardProblems(card)).toEqual([]);
    const states = statesOf(card);
    expect(Object.keys(states)).toHaveLength(8);
    expect(states['vnet-prod-5']).toBe(t('probe:verdict.unhealthy'));
    expect(textOf(card)).toContain(
      t('probe-card:runner.cause', { cause: causeText('client-firewall', locale).title }),
    );
    expect(comparisonsOf(card).length).toBeGreaterThan(0);
  },
);
