import { createServer as createTcpServer, type AddressInfo } from 'node:net';

import { translator } from '../../src/i18n';
import {
  postActivity,
  startConnector,
  startTestBot,
  type RecordingConnector,
  type TestBot,
} from '../http/harness';
import { buildCheckout, type Checkout } from '../runners/checkout';
import { startFakeGithub, type FakeGithub } from '../runners/github-fake';
import { send, testSecret, until } from '../runners/helpers';
import { runProbeStep, type StepResult } from '../runners/workflow-step';
import { buttonsOf, cardOf, cardProblems, textOf, type Json } from './cards';
import { comparisonsOf, statesOf } from './probe-helpers';
import { live, probeTimeoutMs, startLiveWorld, type LiveWorld, type Service } from './probe-world';
import { message } from './teams';

const t = translator('en');
const pending = t('probe-card:state.pending');
const token = 'github_pat_probe_card_0001';
const repo = 'contoso/acrcheck-probes';
const workflow = 'acrcheck-probe.yml';

let world: LiveWorld;
let checkout: Checkout;
let connector: RecordingConnector;
let vnet: Service;
const githubs: FakeGithub[] = [];
const bots: TestBot[] = [];
const steps: StepResult[] = [];

/** A free port on `host` (the bot's public URL must be known before its configuration is read). */
async function freePort(host: string): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, host, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * The bot with three runners: its own host, the runner service `vnet-prod`, and GitHub Actions through a fake
 * GitHub API whose "workflow" runs the committed probe step (the real CLI) on a runner that sees `github` and posts
 * the signed report back to the bot's `/api/runner-results`.
 */
async function startBot(
  host: string,
  options: { runnerTimeoutMs: number; workflowRuns: boolean },
): Promise<TestBot> {
  const port = await freePort(host);
  const url = `http://${host}:${port}`;
  const github = await startFakeGithub({
    token,
    repo,
    workflow,
    run: async (inputs) => {
      if (!options.workflowRuns) return;
      const context = {
        inputs,
        secrets: { ACRCHECK_RUNNER_SECRET: testSecret },
        vars: { ...world.probeEnv(world.denied), ACRCHECK_PUBLIC_URL: url },
      };
      steps.push(await runProbeStep(checkout.dir, context, { ACRCHECK_SYSTEM_RESOLVER: 'false' }));
    },
  });
  githubs.push(github);
  const env = {
    ...world.probeEnv(world.healthy),
    ACRCHECK_LOCAL_RUNNER: 'true',
    ACRCHECK_RUNNER_SECRET: testSecret,
    ACRCHECK_RUNNERS: `vnet-prod=${vnet.url}`,
    ACRCHECK_PUBLIC_URL: url,
    ACRCHECK_GITHUB_REPO: repo,
    ACRCHECK_GITHUB_WORKFLOW: workflow,
    ACRCHECK_GITHUB_TOKEN: token,
    ACRCHECK_GITHUB_API: github.url,
    ACRCHECK_RUNNER_TIMEOUT_MS: String(options.runnerTimeoutMs),
  };
  const bot = await startTestBot(host, env, { port });
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  [world, checkout] = await Promise.all([startLiveWorld(), buildCheckout()]);
  connector = await startConnector('127.59.0.2');
  vnet = await world.service('vnet-prod', world.healthy);
}, 120_000);

afterAll(async () => {
  for (const bot of bots) await bot.close();
  for (const github of githubs) await github.close();
  await connector?.close();
  await world?.close();
  await checkout?.remove();
});

const isDone = (card: Json | null): boolean => buttonsOf(card).some((b) => b.verb === 'probe.run');

/** Sends `/acrcheck` and returns the card it answered with and the final card the updates filled in. */
async function probeFromChat(bot: TestBot, conversation: string): Promise<{ first: Json; final: Json }> {
  const activity = message(connector.serviceUrl, `/acrcheck ${live.name} westeurope`, { conversation });
  const before = connector.calls.length;
  const { status } = await postActivity(bot, activity);
  expect(status).toBe(200);
  const [reply] = connector.calls.slice(before);
  expect(reply?.method).toBe('POST');
  const updates = (): Json[] =>
    connector.calls
      .filter(
        (c) => c.method === 'PUT' && c.path.startsWith(`/v3/conversations/a:${conversation}/activities/`),
      )
      .map((c) => cardOf(c.body) as Json);
  await until(() => updates().some(isDone), 60_000);
  const final = updates().find(isDone) as Json;
  expect(cardProblems(final)).toEqual([]);
  return { first: cardOf(reply?.body) as Json, final };
}

test('one card fills in with what the bot host, a runner service and a GitHub workflow each saw, and why they differ', async () => {
  const bot = await startBot('127.59.0.1', { runnerTimeoutMs: 60_000, workflowRuns: true });
  const { first, final } = await probeFromChat(bot, 'github-three');
  expect(statesOf(first)).toEqual({ local: pending, 'vnet-prod': pending, github: pending });
  expect(statesOf(final)).toEqual({
    local: t('probe:verdict.healthy'),
    'vnet-prod': t('probe:verdict.healthy'),
    github: t('probe:verdict.unhealthy'),
  });
  const text = textOf(final);
  expect(text).toContain(t('probe-card:runner.github'));
  expect(text).toContain(t('probe-card:runner.reportsAs', { name: 'github-linux' }));
  expect(comparisonsOf(final).join('\n')).toContain(
    t('comparisons:denied-vs-allowed', {
      a: 'github',
      b: 'local',
      clientIp: live.deniedIp,
      host: live.login,
    }),
  );
  // The workflow was dispatched once, for this registry and region, with the bot's results route as callback.
  const github = githubs.at(-1)!;
  expect(github.received).toHaveLength(1);
  expect((github.received[0]?.body as { inputs: Record<string, string> }).inputs).toMatchObject({
    registry: live.login,
    regions: 'westeurope',
    callback_url: `${bot.url}/api/runner-results`,
  });
  await Promise.all(github.runs);
  expect(steps.map((s) => (s.code === 0 ? 0 : s.stderr))).toEqual([0]);
  expect(vnet.jobs()).toBe(1);
}, 90_000);

test('a workflow that never reports is marked timed out after ACRCHECK_RUNNER_TIMEOUT_MS; the others report', async () => {
  const bot = await startBot('127.59.0.3', { runnerTimeoutMs: probeTimeoutMs + 1500, workflowRuns: false });
  const { final } = await probeFromChat(bot, 'github-silent');
  expect(statesOf(final)).toEqual({
    local: t('probe:verdict.healthy'),
    'vnet-prod': t('probe:verdict.healthy'),
    github: t('probe-card:state.timeout'),
  });
  expect(textOf(final)).toContain(t('runners:error.timeout', { runner: 'github' }));
}, 60_000);

test('the results route is served without a body parser: a result that is not signed is refused with 401', async () => {
  const bot = bots[0]!;
  const answer = await send(`${bot.url}/api/runner-results`, {
    body: JSON.stringify({ id: 'x', runner: 'github-linux', report: {} }),
  });
  expect(answer.status).toBe(401);
  expect(answer.json).toMatchObject({ error: expect.stringContaining('X-Acrcheck-Signature') });
});
