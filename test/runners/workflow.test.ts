import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { main } from '../../src/cli/main';
import type { ProbeReport } from '../../src/contract';
import { readRawBody } from '../../src/http/raw-body';
import { createPendingJobs, type PendingJobs } from '../../src/runners/pending';
import { createRunnerResults, maxResultBytes } from '../../src/runners/results';
import { createVerifier } from '../../src/runners/signing';
import { startDnsServer, type DnsServer } from '../servers/dns';
import { buildCheckout, type Checkout } from './checkout';
import { bodyOf, contractReport, startHttp, testSecret, type HttpServer } from './helpers';
import { probeStep, readWorkflow, runProbeStep, type RunContext } from './workflow-step';

describe('the committed workflow (.github/workflows/acrcheck-probe.yml)', () => {
  const workflow = readWorkflow();
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  test('declares exactly the four inputs of CONTRACT.md §6, as strings; only regions may be empty', () => {
    const inputs = workflow.on.workflow_dispatch.inputs as Record<
      string,
      { type: string; required?: boolean }
    >;
    expect(Object.keys(inputs)).toEqual(['registry', 'regions', 'job_id', 'callback_url']);
    for (const input of Object.values(inputs)) expect(input.type).toBe('string');
    expect(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.required ?? false]))).toEqual({
      registry: true,
      regions: false,
      job_id: true,
      callback_url: true,
    });
  });

  test('no input is ever pasted into shell code: every run: is free of expressions', () => {
    for (const step of steps) if (step.run) expect(step.run).not.toContain('${{');
  });

  test('the probe step gets the inputs and the repository secret as environment variables', () => {
    expect(probeStep().env).toMatchObject({
      REGISTRY: '${{ inputs.registry }}',
      REGIONS: '${{ inputs.regions }}',
      JOB_ID: '${{ inputs.job_id }}',
      CALLBACK_URL: '${{ inputs.callback_url }}',
      ACRCHECK_RUNNER_SECRET: '${{ secrets.ACRCHECK_RUNNER_SECRET }}',
    });
  });

  test('checks out, sets up Node 20, installs, builds, then probes; runs-on defaults to ubuntu-latest', () => {
    const index = (predicate: (s: (typeof steps)[number]) => boolean): number => steps.findIndex(predicate);
    const order = [
      index((s) => s.uses?.startsWith('actions/checkout@') ?? false),
      index((s) => s.uses?.startsWith('actions/setup-node@') ?? false),
      index((s) => s.run === 'npm ci'),
      index((s) => s.run === 'npm run build'),
      index((s) => s === probeStep(workflow)),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(steps[order[1]!]!.with).toMatchObject({ 'node-version': 20 });
    const runsOn = Object.values(workflow.jobs)[0]!['runs-on'];
    expect(runsOn).toContain('vars.ACRCHECK_RUNS_ON');
    expect(runsOn).toContain("'ubuntu-latest'");
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });
});

describe('the probe step, run as Actions runs it, in a built checkout', () => {
  const registry = 'contosowork.azurecr.io';
  let checkout: Checkout;
  let dns: DnsServer;
  let pending: PendingJobs;
  let bot: HttpServer;
  let posts = 0;
  let scratch: string;

  beforeAll(async () => {
    [checkout, dns, scratch] = await Promise.all([
      buildCheckout(),
      startDnsServer({}),
      mkdtemp(join(tmpdir(), 'acrcheck-workflow-')),
    ]);
    pending = createPendingJobs();
    const results = createRunnerResults({ secret: testSecret, pending });
    bot = await startHttp((req: IncomingMessage, res: ServerResponse) => {
      posts++;
      void readRawBody(req, maxResultBytes).then((raw) => {
        const reply = raw ? results.handle(raw, req.headers) : { status: 413, body: {} };
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      });
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([
      checkout?.remove(),
      dns?.close(),
      bot?.close(),
      rm(scratch, { recursive: true, force: true }),
    ]);
  });

  let counter = 0;
  const context = (
    inputs: Partial<Record<string, string>> = {},
    vars: Record<string, string> = {},
  ): RunContext => ({
    inputs: {
      registry,
      regions: '',
      job_id: `wf-${++counter}`,
      callback_url: `${bot.url}/api/runner-results`,
      ...inputs,
    } as Record<string, string>,
    secrets: { ACRCHECK_RUNNER_SECRET: testSecret },
    vars: {
      ACRCHECK_DNS_SERVERS: dns.server,
      ACRCHECK_PROBE_TIMEOUT_MS: '1000',
      ACRCHECK_PUBLIC_URL: bot.url,
      ...vars,
    },
  });
  const machine = { ACRCHECK_SYSTEM_RESOLVER: 'false' };
  const expectJob = (id: string, regions: string[] = []) =>
    pending.expect({ id, registry, regions, timeoutMs: 1000 }, 'github', 60_000).result;

  test('probes the registry and the data endpoint of each region given, and posts the signed report as github-linux', async () => {
    const c = context({ regions: ' westeurope , eastus,' });
    const result = expectJob(c.inputs.job_id!);
    const step = await runProbeStep(checkout.dir, c, machine);
    expect(step).toMatchObject({ code: 0, stderr: '' });
    expect(step.stdout).toContain(`posted the report of job ${c.inputs.job_id}`);
    const report: ProbeReport = await result;
    expect(report).toMatchObject({
      id: c.inputs.job_id,
      runner: { name: 'github-linux' },
      target: {
        loginServer: registry,
        dataEndpoints: ['contosowork.westeurope.data.azurecr.io', 'contosowork.eastus.data.azurecr.io'],
      },
      verdict: 'unhealthy',
    });
    expect(dns.queries.some((q) => q.name === 'contosowork.eastus.data.azurecr.io')).toBe(true);
  });

  test('the repository variable ACRCHECK_RUNNER_NAME names the runner (a self-hosted one in a VNet)', async () => {
    const c = context({}, { ACRCHECK_RUNNER_NAME: 'vnet-prod-actions' });
    const result = expectJob(c.inputs.job_id!);
    expect((await runProbeStep(checkout.dir, c, machine)).code).toBe(0);
    expect((await result).runner.name).toBe('vnet-prod-actions');
  });

  test.each([
    ['a command substitution', '$(touch {marker})'],
    ['backticks', '`touch {marker}`'],
    ['a second command', 'contosowork.azurecr.io; touch {marker}'],
    ['a quote and a command', "contosowork.azurecr.io' && touch {marker} && echo '"],
    ['a flag', '--ca-file=/etc/hostname'],
  ])('a registry input holding %s runs nothing and probes nothing', async (_name, template) => {
    const marker = join(scratch, `pwned-${++counter}`);
    const before = dns.queries.length;
    const step = await runProbeStep(
      checkout.dir,
      context({ registry: template.replace('{marker}', marker) }),
      machine,
    );
    expect(step.code).toBe(2);
    expect(step.stderr).toMatch(/not (an Azure container registry|a valid registry name)|holds characters/);
    expect(existsSync(marker)).toBe(false);
    expect(dns.queries.length).toBe(before);
  });

  test.each<[string, Record<string, string>, Record<string, string>, string]>([
    [
      'a refused registry',
      { registry: 'registry.contoso.example' },
      {},
      "'registry.contoso.example' is not under an Azure container registry domain",
    ],
    ['a registry input that starts with a dash', { registry: '--help' }, {}, "'--help'"],
    [
      'a bad repository variable',
      {},
      { ACRCHECK_PROBE_TIMEOUT_MS: 'soon' },
      'ACRCHECK_PROBE_TIMEOUT_MS=soon',
    ],
  ])(
    '%s: the card hears why at once, instead of waiting for the run to time out',
    async (_name, inputs, variables, reason) => {
      const c = context(inputs, variables);
      const result = expectJob(c.inputs.job_id!);
      const step = await runProbeStep(checkout.dir, c, machine);
      expect(step.code).toBe(2);
      await expect(result).rejects.toMatchObject({
        kind: 'refused',
        detail: expect.stringContaining(reason),
      });
    },
  );

  test('without the repository variable ACRCHECK_PUBLIC_URL: fails clearly and posts nowhere', async () => {
    const before = { posts, queries: dns.queries.length };
    const c = context({}, { ACRCHECK_PUBLIC_URL: '' });
    const step = await runProbeStep(checkout.dir, c, machine);
    expect(step.code).toBe(1);
    expect(step.stderr).toContain('the repository variable ACRCHECK_PUBLIC_URL is not set');
    expect({ posts, queries: dns.queries.length }).toEqual(before);
  });

  test('a job_id input holding a command runs nothing and posts nothing', async () => {
    const marker = join(scratch, `pwned-${++counter}`);
    const before = posts;
    const step = await runProbeStep(checkout.dir, context({ job_id: `x$(touch ${marker})` }), machine);
    expect(step.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
    expect(posts).toBe(before);
  });

  test('without the repository secret: fails at once, saying which secret, before probing', async () => {
    const before = { posts, queries: dns.queries.length };
    const c = { ...context(), secrets: {} };
    const step = await runProbeStep(checkout.dir, c, machine);
    expect(step.code).toBe(1);
    expect(step.stderr).toContain('ACRCHECK_RUNNER_SECRET');
    expect({ posts, queries: dns.queries.length }).toEqual(before);
  });

  test("a callback_url other than the public URL's results route is refused before probing", async () => {
    const before = { posts, queries: dns.queries.length };
    const c = context({ callback_url: 'http://127.0.0.1:9/api/runner-results' });
    const step = await runProbeStep(checkout.dir, c, machine);
    expect(step.code).toBe(1);
    expect(step.stderr).toContain(`${bot.url}/api/runner-results`);
    expect({ posts, queries: dns.queries.length }).toEqual(before);
  });
});

describe('acrcheck post-result', () => {
  const id = 'post-1';
  const registry = 'contosopost.azurecr.io';
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'acrcheck-post-'));
    file = join(dir, 'report.json');
    await writeFile(file, JSON.stringify(contractReport(registry)));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function run(args: string[], env: Record<string, string> = { ACRCHECK_RUNNER_SECRET: testSecret }) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await main(['post-result', ...args], { stdin: new PassThrough(), stdout, stderr, env });
    return { code, out, err };
  }

  /** A results route answering with `statuses` in turn, recording what it received. */
  async function route(statuses: number[]) {
    const received: { verified: boolean; body: unknown }[] = [];
    const verifier = createVerifier(testSecret);
    const http = await startHttp((req, res) => {
      void bodyOf(req).then((raw) => {
        received.push({ verified: verifier.verify(req.headers, raw).ok, body: JSON.parse(raw.toString()) });
        const status = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 202 ? '{"status":"accepted"}' : `{"error":"answer ${status}"}`);
      });
    });
    return { http, received };
  }

  /** Runs `post-result` with the report file, to the results route of `http`. */
  const deliver = (http: HttpServer) =>
    run([`${http.url}/api/runner-results`, '--id', id, '--runner', 'github-linux', '--file', file]);

  test('posts {"id","runner","report"} signed with the secret; 202 → exit 0', async () => {
    const { http, received } = await route([202]);
    const result = await deliver(http);
    await http.close();
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(received).toEqual([
      { verified: true, body: { id, runner: 'github-linux', report: contractReport(registry) } },
    ]);
  });

  test('503 then 202: tries again and delivers', async () => {
    const { http, received } = await route([503, 202]);
    const result = await deliver(http);
    await http.close();
    expect(result.code).toBe(0);
    expect(received.map((r) => r.verified)).toEqual([true, true]);
  });

  test('409: the bot already has this result, exit 0', async () => {
    const { http } = await route([409]);
    const result = await deliver(http);
    await http.close();
    expect(result.code).toBe(0);
    expect(result.out).toContain('already had this result');
  });

  test("401: not delivered, exit 1, the bot's words on one line", async () => {
    const { http, received } = await route([401]);
    const result = await deliver(http);
    await http.close();
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^acrcheck post-result: .* HTTP 401: answer 401\n$/);
    expect(received).toHaveLength(1);
  });

  test.each([
    [
      'a report file that is not a report',
      async () => [
        'http://127.0.0.1:9/x',
        '--id',
        id,
        '--runner',
        'r',
        '--file',
        await writeTemp('{"ok":1}'),
      ],
    ],
    [
      'a job id with a space',
      async () => ['http://127.0.0.1:9/x', '--id', 'a b', '--runner', 'r', '--file', file],
    ],
    [
      'a callback that is not http(s)',
      async () => ['file:///etc/passwd', '--id', id, '--runner', 'r', '--file', file],
    ],
  ])('%s: exit 2 and nothing is sent', async (_name, args) => {
    const result = await run(await args());
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^acrcheck post-result: /);
  });

  test('--error: posts why no probe ran beside a report saying the same; a bad bot variable does not stop it', async () => {
    const { http, received } = await route([202]);
    const result = await run(
      [
        `${http.url}/api/runner-results`,
        '--id',
        id,
        '--runner',
        'github-linux',
        '--registry',
        registry,
        '--error',
        "'evil.example' is not under an Azure container registry domain",
      ],
      { ACRCHECK_RUNNER_SECRET: testSecret, MicrosoftAppType: 'Bogus', ACRCHECK_PROBE_TIMEOUT_MS: 'soon' },
    );
    await http.close();
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(received[0]).toMatchObject({
      verified: true,
      body: {
        id,
        runner: 'github-linux',
        error: { kind: 'refused', detail: "'evil.example' is not under an Azure container registry domain" },
        report: {
          target: { loginServer: registry },
          verdict: 'unhealthy',
          checks: [],
          summary:
            "github-linux could not probe: 'evil.example' is not under an Azure container registry domain",
        },
      },
    });
  });

  test.each([
    ['a runner name with a line break', ['--runner', 'github\nINJECTED: yes', '--file']],
    ['a runner name with a carriage return', ['--runner', 'github\r', '--file']],
    ['--error without --registry', ['--runner', 'r', '--error', 'x', '--file']],
  ])('%s: exit 2 and nothing is sent', async (_name, flags) => {
    const { http, received } = await route([202]);
    const result = await run([`${http.url}/x`, '--id', id, ...flags, file]);
    await http.close();
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^acrcheck post-result: /);
    expect(received).toEqual([]);
  });

  test('without ACRCHECK_RUNNER_SECRET: exit 2, naming it', async () => {
    const result = await run(['http://127.0.0.1:9/x', '--id', id, '--runner', 'r', '--file', file], {});
    expect(result.code).toBe(2);
    expect(result.err).toContain('ACRCHECK_RUNNER_SECRET');
  });

  async function writeTemp(text: string): Promise<string> {
    const path = join(dir, `t-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, text);
    return path;
  }
});
