import { loadConfig } from '../../src/config';
import { supportedLocales, translator } from '../../src/i18n';
import { createRunners, runnerErrorKinds } from '../../src/runners';
import { createPendingJobs } from '../../src/runners/pending';
import { contractReport, testSecret } from './helpers';

describe('createRunners (CONTRACT.md §5)', () => {
  test('the embedded default: only the local runner, and no results route without a secret', () => {
    const set = createRunners(loadConfig({}));
    expect(set.runners.map((r) => r.name)).toEqual(['local']);
    expect(set.results).toBeNull();
  });

  test('local, then each ACRCHECK_RUNNERS entry in order, then github; results accepted with the secret', () => {
    const set = createRunners(
      loadConfig({
        ACRCHECK_RUNNER_SECRET: testSecret,
        ACRCHECK_RUNNERS: 'vnet-prod=https://runner.contoso.example:3979,onprem=http://127.0.0.1:3979',
        ACRCHECK_PUBLIC_URL: 'https://bot.contoso.example',
        ACRCHECK_GITHUB_REPO: 'contoso/acrcheck',
        ACRCHECK_GITHUB_WORKFLOW: 'acrcheck-probe.yml',
        ACRCHECK_GITHUB_TOKEN: 'github_pat_x',
      }),
    );
    expect(set.runners.map((r) => r.name)).toEqual(['local', 'vnet-prod', 'onprem', 'github']);
    expect(set.results).not.toBeNull();
  });

  test('ACRCHECK_LOCAL_RUNNER=false: no probe from the bot host', () => {
    const set = createRunners(
      loadConfig({
        ACRCHECK_LOCAL_RUNNER: 'false',
        ACRCHECK_RUNNER_SECRET: testSecret,
        ACRCHECK_RUNNERS: 'vnet-prod=https://runner.contoso.example:3979',
      }),
    );
    expect(set.runners.map((r) => r.name)).toEqual(['vnet-prod']);
  });

  test('the results route and the GitHub runner share the pending jobs', async () => {
    const set = createRunners(loadConfig({ ACRCHECK_RUNNER_SECRET: testSecret }));
    const waiting = set.pending.expect(
      { id: 'cfg-1', registry: 'contosocfg.azurecr.io', regions: [], timeoutMs: 1000 },
      'github',
      10_000,
    );
    expect(set.pending.resolve('cfg-1', contractReport('contosocfg.azurecr.io'))).toBe(true);
    await expect(waiting.result).resolves.toMatchObject({ target: { loginServer: 'contosocfg.azurecr.io' } });
  });
});

describe('pending jobs', () => {
  test('a second job with the same id is a bug, not a silent overwrite', () => {
    const pending = createPendingJobs();
    pending.expect(
      { id: 'dup', registry: 'contosodup.azurecr.io', regions: [], timeoutMs: 1000 },
      'github',
      10_000,
    );
    expect(() =>
      pending.expect(
        { id: 'dup', registry: 'contosodup.azurecr.io', regions: [], timeoutMs: 1000 },
        'github',
        10_000,
      ),
    ).toThrow(/already pending/);
  });

  test('memory is bounded: past the limit a job is refused at once; expired jobs make room again', async () => {
    let now = 0;
    const pending = createPendingJobs({ now: () => now, maxPending: 2 });
    const job = (id: string) => ({ id, registry: 'contosomax.azurecr.io', regions: [], timeoutMs: 1000 });
    pending.expect(job('a'), 'github', 1000);
    pending.expect(job('b'), 'github', 1000);
    expect(() => pending.expect(job('c'), 'github', 1000)).toThrow(
      expect.objectContaining({ kind: 'refused' }),
    );
    now = 1000;
    expect(pending.size).toBe(0);
    expect(pending.lookup('a')).toEqual({ state: 'unknown' });
    pending.expect(job('d'), 'github', 1000);
    expect(pending.lookup('d')).toMatchObject({ state: 'waiting' });
  });
});

describe('runner error texts', () => {
  test.each(supportedLocales)('every error kind reads as a sentence naming the runner in %s', (locale) => {
    const t = translator(locale);
    for (const kind of runnerErrorKinds) {
      const text = t(`runners:error.${kind}`, { runner: 'vnet-prod' });
      expect(text).toContain('vnet-prod');
      expect(text).not.toContain('error.');
    }
  });
});
