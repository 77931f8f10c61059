import type { CheckResult, ProbeReport } from '../../src/contract';
import type { ProbeJob, Runner } from '../../src/runners/runner';
import { runnerFailure } from './helpers';
import { registries, startWorld, type World } from './world';

/** A runner under test, built against the doubles, and how to take it down. */
export interface Harness {
  runner: Runner;
  /** The `runner.name` its reports carry. */
  reportName: string;
  /** Requests the runner's own transport saw (dispatches, service calls), to prove a refusal sent nothing. */
  sent?: () => number;
  close(): Promise<void>;
}

let counter = 0;
function job(registry: string, regions: string[] = []): ProbeJob {
  return { id: `suite-${process.pid}-${++counter}`, registry, regions, timeoutMs: 3000 };
}

function check(report: ProbeReport, id: CheckResult['id'], host: string): CheckResult {
  const found = report.checks.find((c) => c.id === id && c.host === host);
  if (!found)
    throw new Error(
      `no ${id} check of ${host} in ${JSON.stringify(report.checks.map((c) => `${c.id} ${c.host}`))}`,
    );
  return found;
}

/**
 * The one suite every runner passes (STYLE.md §11): real probes against the loopback doubles, through whatever
 * the runner puts between the bot and the probe (nothing, signed HTTP, a GitHub workflow and its callback).
 */
export function describeRunner(name: string, make: (world: World) => Promise<Harness>): void {
  describe(`runner: ${name}`, () => {
    let world: World;
    let harness: Harness;
    const signal = (): AbortSignal => new AbortController().signal;

    beforeAll(async () => {
      world = await startWorld();
      harness = await make(world);
    }, 60_000);
    afterAll(async () => {
      await harness?.close();
      await world?.close();
    });

    test('a healthy registry: a healthy report of the login server and the data endpoint, for this job, from this runner', async () => {
      const j = job(registries.healthy, ['westeurope']);
      const report = await harness.runner.run(j, signal());
      expect(report).toMatchObject({
        id: j.id,
        runner: { name: harness.reportName },
        target: {
          name: 'contosohealthy',
          loginServer: registries.healthy,
          dataEndpoints: [registries.healthyData],
        },
        verdict: 'healthy',
        causes: [],
      });
      for (const id of ['tcp', 'tls', 'challenge'] as const)
        expect(check(report, id, registries.healthy).status).toBe('pass');
      expect(check(report, 'challenge', registries.healthy).detail).toMatchObject({ status: 401 });
      expect(check(report, 'data-endpoint', registries.healthyData).status).toBe('pass');
    });

    test('a name that does not resolve: unhealthy, the DNS check failing with NXDOMAIN', async () => {
      const report = await harness.runner.run(job(registries.missing), signal());
      expect(report.verdict).toBe('unhealthy');
      expect(check(report, 'dns', registries.missing)).toMatchObject({ status: 'fail', code: 'NXDOMAIN' });
      expect(report.causes.length).toBeGreaterThan(0);
    });

    test("the registry's firewall: unhealthy, ACR's denial as evidence, its public access rules as the cause", async () => {
      const report = await harness.runner.run(job(registries.denied), signal());
      expect(report.verdict).toBe('unhealthy');
      expect(check(report, 'challenge', registries.denied)).toMatchObject({
        status: 'fail',
        code: 'ACR_DENIED',
      });
      expect(report.causes[0]?.id).toBe('registry-public-access');
    });

    test('two jobs at once: each report answers its own job', async () => {
      const a = job(registries.healthy);
      const b = job(registries.denied);
      const [ra, rb] = await Promise.all([harness.runner.run(a, signal()), harness.runner.run(b, signal())]);
      expect([ra.id, ra.target.loginServer, ra.verdict]).toEqual([a.id, registries.healthy, 'healthy']);
      expect([rb.id, rb.target.loginServer, rb.verdict]).toEqual([b.id, registries.denied, 'unhealthy']);
    });

    test.each([
      ['another domain', 'registry.contoso.com'],
      ['a look-alike suffix', 'contosohealthy.azurecr.io.evil.example'],
      ['an IP address', '127.0.0.1'],
    ])('a job for %s is refused, and nothing is sent anywhere', async (_what, registry) => {
      const before = { traffic: world.traffic(), sent: harness.sent?.() };
      const error = await runnerFailure(harness.runner.run(job(registry), signal()));
      expect(error).toMatchObject({ runner: harness.runner.name, kind: 'refused' });
      expect({ traffic: world.traffic(), sent: harness.sent?.() }).toEqual(before);
    });

    test('a job cancelled while it runs: timeout, at once', async () => {
      const controller = new AbortController();
      const started = Date.now();
      // A registry whose DNS never answers: the probe is still running when the job is cancelled.
      const running = harness.runner.run(job(registries.quiet), controller.signal);
      setTimeout(() => controller.abort(), 20);
      expect(await runnerFailure(running)).toMatchObject({ runner: harness.runner.name, kind: 'timeout' });
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });
}
