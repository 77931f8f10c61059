import type { IncomingMessage, ServerResponse } from 'node:http';

import { readRawBody } from '../../src/http/raw-body';
import { createGithubRunner } from '../../src/runners/github';
import { createLocalRunner } from '../../src/runners/local';
import { createPendingJobs } from '../../src/runners/pending';
import { createRemoteRunner } from '../../src/runners/remote';
import { createRunnerResults, maxResultBytes, type RunnerResults } from '../../src/runners/results';
import { buildCheckout, type Checkout } from './checkout';
import { startFakeGithub } from './github-fake';
import { startHttp, testSecret } from './helpers';
import { startServiceProcess } from './service-process';
import { describeRunner } from './suite';
import { runProbeStep, type StepResult } from './workflow-step';

let checkout: Checkout;
beforeAll(async () => {
  checkout = await buildCheckout();
}, 120_000);
afterAll(() => checkout?.remove());

/** The bot's results route without restify (restify patches Node's ServerResponse for the whole process). */
function resultsRoute(results: RunnerResults) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void readRawBody(req, maxResultBytes).then((raw) => {
      const reply = raw ? results.handle(raw, req.headers) : { status: 413, body: { error: 'too large' } };
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  };
}

describeRunner('local (in the bot process)', async (world) => ({
  runner: createLocalRunner({ settings: world.config.probe, env: {} }),
  reportName: 'local',
  close: async () => undefined,
}));

describeRunner('runner service (its own process, signed HTTP)', async (world) => {
  const service = await startServiceProcess(checkout.dir, {
    ...world.env,
    ACRCHECK_RUNNER_NAME: 'vnet-prod',
    // A bot variable the runner never reads: however wrong, it must not stop the service.
    MicrosoftAppType: 'Bogus',
  });
  return {
    runner: createRemoteRunner({ name: 'vnet-prod', url: service.url, secret: testSecret }),
    reportName: 'vnet-prod',
    close: async () => {
      expect(await service.stop()).toBe(0);
      expect(service.output()).toMatch(
        /POST \/v1\/probe 200 \d+ ms job suite-\S+ contosohealthy\.azurecr\.io: healthy/,
      );
      // restify's dependency warns about process.binding on load; operators cannot act on it.
      expect(service.output()).not.toContain('DEP0111');
    },
  };
});

describeRunner(
  'GitHub Actions (fake GitHub API, the committed workflow step, the real CLI)',
  async (world) => {
    const pending = createPendingJobs();
    const bot = await startHttp(resultsRoute(createRunnerResults({ secret: testSecret, pending })));
    const steps: StepResult[] = [];
    const github = await startFakeGithub({
      token: 'github_pat_suite',
      repo: 'contoso/acrcheck',
      workflow: 'acrcheck-probe.yml',
      run: async (inputs) => {
        const context = {
          inputs,
          secrets: { ACRCHECK_RUNNER_SECRET: testSecret },
          vars: {
            ACRCHECK_PUBLIC_URL: bot.url,
            ACRCHECK_DNS_SERVERS: world.dns.server,
            ACRCHECK_CA_FILE: world.pki.azureRootFile,
            ACRCHECK_PROBE_TIMEOUT_MS: '3000',
          },
        };
        steps.push(await runProbeStep(checkout.dir, context, { ACRCHECK_SYSTEM_RESOLVER: 'false' }));
      },
    });
    const runner = createGithubRunner({
      settings: {
        repo: 'contoso/acrcheck',
        workflow: 'acrcheck-probe.yml',
        token: 'github_pat_suite',
        api: github.url,
        ref: 'main',
      },
      publicUrl: bot.url,
      pending,
      timeoutMs: 30_000,
    });
    return {
      runner,
      reportName: 'github-linux',
      sent: () => github.received.length,
      close: async () => {
        await github.close();
        await bot.close();
        const failed = steps.filter(
          (s) => s.code !== 0 && !s.stderr.includes('was not issued or has expired'),
        );
        expect(failed).toEqual([]);
      },
    };
  },
);
