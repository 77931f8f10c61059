import * as restify from 'restify';
import { request } from 'undici';

import type { GithubSettings } from '../../src/config';
import { runnerResultsHandler } from '../../src/http/runner-results';
import { createGithubRunner, resultsPath } from '../../src/runners/github';
import { createPendingJobs, type PendingJobs } from '../../src/runners/pending';
import { createRunnerResults } from '../../src/runners/results';
import type { ProbeJob, Runner } from '../../src/runners/runner';
import { signHeaders } from '../../src/runners/signing';
import { declaredInputs, startFakeGithub, type FakeGithub, type FakeGithubOptions } from './github-fake';
import { contractReport, runnerFailure, send, startHttp, testSecret, type HttpServer } from './helpers';

const token = 'github_pat_test_0123456789';
const repo = 'contoso/acrcheck-probes';
const workflow = 'acrcheck-probe.yml';
const registry = 'contosogithub.azurecr.io';

let pending: PendingJobs;
let bot: HttpServer;
let github: FakeGithub | null = null;

beforeEach(async () => {
  pending = createPendingJobs();
  const server = restify.createServer();
  server.post(resultsPath, runnerResultsHandler(createRunnerResults({ secret: testSecret, pending })));
  bot = await startHttp(server.server);
});
afterEach(async () => {
  await github?.close();
  github = null;
  await bot.close();
});

/** The workflow's last step as the tests play it: post a signed result to the callback URL it was given. */
function postBack(report: (inputs: Record<string, string>) => unknown, runner = 'github-linux') {
  return async (inputs: Record<string, string>): Promise<void> => {
    const body = Buffer.from(JSON.stringify({ id: inputs.job_id, runner, report: report(inputs) }));
    const response = await request(inputs.callback_url!, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signHeaders(testSecret, body) },
    });
    await response.body.dump();
  };
}

async function setup(
  options: Partial<FakeGithubOptions> = {},
  runnerOptions: { timeoutMs?: number; api?: string; token?: string } = {},
): Promise<Runner> {
  github = await startFakeGithub({ token, repo, workflow, ...options });
  const settings: GithubSettings = {
    repo,
    workflow,
    token: runnerOptions.token ?? token,
    api: runnerOptions.api ?? github.url,
    ref: 'release',
  };
  return createGithubRunner({
    settings,
    publicUrl: bot.url,
    pending,
    timeoutMs: runnerOptions.timeoutMs ?? 10_000,
  });
}

let counter = 0;
const job = (overrides: Partial<ProbeJob> = {}): ProbeJob => ({
  id: `gh-job-${++counter}`,
  registry,
  regions: ['westeurope', 'eastus'],
  timeoutMs: 3000,
  ...overrides,
});

/** Posts a signed result for job `id` to the bot's results route, as a workflow does; resolves the status. */
async function postResult(id: string): Promise<number> {
  const body = Buffer.from(JSON.stringify({ id, runner: 'github-linux', report: contractReport(registry) }));
  return (await send(`${bot.url}${resultsPath}`, { body, headers: signHeaders(testSecret, body) })).status;
}

describe('GitHub Actions runner', () => {
  test('the committed workflow declares exactly the inputs the protocol sends', () => {
    expect(Object.keys(declaredInputs()).sort()).toEqual(['callback_url', 'job_id', 'regions', 'registry']);
  });

  test('dispatches workflow_dispatch exactly as CONTRACT.md §6 says, then reports what the workflow posts back', async () => {
    const runner = await setup({ run: postBack((inputs) => contractReport(inputs.registry!)) });
    const j = job();
    const report = await runner.run(j, new AbortController().signal);
    expect(report).toMatchObject({
      id: j.id,
      runner: { name: 'github-linux' },
      target: { loginServer: registry },
    });

    expect(github!.received).toHaveLength(1);
    const [dispatch] = github!.received;
    expect(dispatch).toMatchObject({
      method: 'POST',
      path: `/repos/${repo}/actions/workflows/${workflow}/dispatches`,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
      },
    });
    expect(dispatch!.body).toEqual({
      ref: 'release',
      inputs: {
        registry,
        regions: 'westeurope,eastus',
        job_id: j.id,
        callback_url: `${bot.url}/api/runner-results`,
      },
      return_run_details: true,
    });
  });

  test('no regions: the regions input is empty', async () => {
    const runner = await setup({ run: postBack((inputs) => contractReport(inputs.registry!)) });
    await runner.run(job({ regions: [] }), new AbortController().signal);
    expect((github!.received[0]!.body as { inputs: { regions: string } }).inputs.regions).toBe('');
  });

  test('an older GitHub Enterprise Server that rejects return_run_details: the dispatch is repeated without it, and later ones never ask', async () => {
    const runner = await setup({
      flavour: 'old-ghes',
      run: postBack((inputs) => contractReport(inputs.registry!)),
    });
    await runner.run(job(), new AbortController().signal);
    await runner.run(job(), new AbortController().signal);
    const bodies = github!.received.map((r) => r.body as Record<string, unknown>);
    expect(bodies.map((b) => 'return_run_details' in b)).toEqual([true, false, false]);
    expect(bodies.map((b) => (b.inputs as { job_id: string }).job_id)).toEqual([
      `gh-job-${counter - 1}`,
      `gh-job-${counter - 1}`,
      `gh-job-${counter}`,
    ]);
  });

  test("a token GitHub refuses: refused, with GitHub's words; a result posted later for that job is 404", async () => {
    const runner = await setup({}, { token: 'github_pat_wrong' });
    const j = job();
    const error = await runnerFailure(runner.run(j, new AbortController().signal));
    expect(error).toMatchObject({ runner: 'github', kind: 'refused' });
    expect(error.detail).toContain('401');
    expect(error.detail).toContain('Bad credentials');
    expect(await postResult(j.id)).toBe(404);
  });

  test('a workflow file GitHub does not know: refused', async () => {
    github = await startFakeGithub({ token, repo, workflow: 'other.yml' });
    const runner = createGithubRunner({
      settings: { repo, workflow, token, api: github.url, ref: 'main' },
      publicUrl: bot.url,
      pending,
      timeoutMs: 5000,
    });
    expect(await runnerFailure(runner.run(job(), new AbortController().signal))).toMatchObject({
      kind: 'refused',
    });
  });

  test('GitHub unreachable (nothing listens): down', async () => {
    const closed = await startHttp(() => undefined);
    await closed.close();
    const runner = await setup({}, { api: closed.url });
    const error = await runnerFailure(runner.run(job(), new AbortController().signal));
    expect(error).toMatchObject({ kind: 'down' });
    expect(error.detail).toContain('ECONNREFUSED');
  });

  test('GitHub having an outage (503): down', async () => {
    const runner = await setup({ answer: { status: 503, body: '{"message":"Service Unavailable"}' } });
    expect(await runnerFailure(runner.run(job(), new AbortController().signal))).toMatchObject({
      kind: 'down',
    });
  });

  test('a workflow that never reports: timeout after the configured time, naming the run; its late result is 404', async () => {
    const runner = await setup({ run: async () => undefined }, { timeoutMs: 1000 });
    const j = job();
    const started = Date.now();
    const error = await runnerFailure(runner.run(j, new AbortController().signal));
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(error.detail).toMatch(new RegExp(`https://github.com/${repo}/actions/runs/\\d+`));
    expect(await postResult(j.id)).toBe(404);
  });

  test('a workflow that posts a report of another registry: garbage', async () => {
    const runner = await setup({ run: postBack(() => contractReport('contosoelse.azurecr.io')) });
    const error = await runnerFailure(runner.run(job(), new AbortController().signal));
    expect(error).toMatchObject({ kind: 'garbage' });
    expect(error.detail).toContain('contosoelse.azurecr.io');
  });

  test('a job for a host that is not an Azure container registry is refused and never dispatched', async () => {
    const runner = await setup();
    const error = await runnerFailure(
      runner.run(job({ registry: 'registry.contoso.com' }), new AbortController().signal),
    );
    expect(error).toMatchObject({ kind: 'refused' });
    expect(github!.received).toHaveLength(0);
  });

  test('a cancelled wait: timeout at once', async () => {
    const runner = await setup({ run: async () => undefined });
    const controller = new AbortController();
    const running = runner.run(job(), controller.signal);
    setTimeout(() => controller.abort(), 100);
    expect(await runnerFailure(running)).toMatchObject({ kind: 'timeout' });
  });
});
