import * as restify from 'restify';

import { runnerResultsHandler } from '../../src/http/runner-results';
import { resultsPath } from '../../src/runners/github';
import { createPendingJobs, type PendingJobs } from '../../src/runners/pending';
import { createRunnerResults, maxResultBytes } from '../../src/runners/results';
import { RunnerError, type ProbeJob } from '../../src/runners/runner';
import { signHeaders } from '../../src/runners/signing';
import { contractReport, send, startHttp, testSecret, type HttpServer } from './helpers';

const registry = 'contosoresults.azurecr.io';
let clockMs = 1_900_000_000_000;
const now = (): number => clockMs;

let pending: PendingJobs;
let http: HttpServer;
let url: string;

beforeEach(async () => {
  pending = createPendingJobs({ now });
  const server = restify.createServer();
  server.post(resultsPath, runnerResultsHandler(createRunnerResults({ secret: testSecret, pending, now })));
  http = await startHttp(server.server);
  url = `${http.url}${resultsPath}`;
});
afterEach(() => http.close());

let counter = 0;
function issue(ttlMs = 60_000): { job: ProbeJob; outcome: Promise<unknown> } {
  const job: ProbeJob = { id: `job-${++counter}`, registry, regions: [], timeoutMs: 5000 };
  const waiting = pending.expect(job, 'github', ttlMs);
  const outcome = waiting.result.then(
    (report) => ({ report }),
    (error: unknown) => ({ error }),
  );
  return { job, outcome };
}

function post(
  value: unknown,
  options: { secret?: string; headers?: Record<string, string>; raw?: string } = {},
) {
  const body = Buffer.from(options.raw ?? JSON.stringify(value));
  return send(url, {
    body,
    headers: { ...signHeaders(options.secret ?? testSecret, body, now()), ...options.headers },
  });
}

async function stillWaiting(outcome: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('waiting');
  return (await Promise.race([outcome, new Promise((r) => setTimeout(() => r(marker), 30))])) === marker;
}

describe('POST /api/runner-results (CONTRACT.md §6)', () => {
  test('202: a signed result for an issued job settles the job with its report, named after the runner that posted it', async () => {
    const { job, outcome } = issue();
    const answer = await post({ id: job.id, runner: 'github-linux', report: contractReport(registry) });
    expect(answer.status).toBe(202);
    const { report } = (await outcome) as {
      report: { id: string; runner: { name: string }; target: { loginServer: string } };
    };
    expect(report).toMatchObject({
      id: job.id,
      runner: { name: 'github-linux' },
      target: { loginServer: registry },
    });
  });

  const forgeries: [string, (body: Buffer) => Record<string, string>, 'tamper' | 'as-signed'][] = [
    ['no signature headers', () => ({}), 'as-signed'],
    [
      'a signature with the wrong secret',
      (b) => signHeaders('not-the-shared-secret!!', b, now()),
      'as-signed',
    ],
    ['a timestamp 10 minutes old', (b) => signHeaders(testSecret, b, now() - 600_000), 'as-signed'],
    ['a tampered body', (b) => signHeaders(testSecret, b, now()), 'tamper'],
  ];
  test.each(forgeries)(
    '401 for %s, and the job still waits for its real result',
    async (_name, sign, tamper) => {
      const { job, outcome } = issue();
      const body = Buffer.from(
        JSON.stringify({ id: job.id, runner: 'github-linux', report: contractReport(registry) }),
      );
      const headers = sign(body);
      const sent =
        tamper === 'tamper'
          ? Buffer.from(
              JSON.stringify({ id: job.id, runner: 'evil', report: contractReport(registry, 'evil') }),
            )
          : body;
      const answer = await send(url, { body: sent, headers });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ error: expect.stringMatching(/\w/) });
      expect(await stillWaiting(outcome)).toBe(true);
      expect(
        (await post({ id: job.id, runner: 'github-linux', report: contractReport(registry) })).status,
      ).toBe(202);
    },
  );

  test('401 for a replay of an accepted result', async () => {
    const { job } = issue();
    const body = Buffer.from(
      JSON.stringify({ id: job.id, runner: 'github-linux', report: contractReport(registry) }),
    );
    const headers = signHeaders(testSecret, body, now());
    expect((await send(url, { body, headers })).status).toBe(202);
    const replay = await send(url, { body, headers });
    expect(replay.status).toBe(401);
    expect(replay.json).toEqual({ error: expect.stringContaining('replay') });
  });

  test('404 for a job id the bot never issued', async () => {
    const answer = await post({
      id: 'job-never-issued',
      runner: 'github-linux',
      report: contractReport(registry),
    });
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ error: expect.stringContaining('job-never-issued') });
  });

  test('404 for a job that has expired', async () => {
    const { job } = issue(1000);
    clockMs += 1001;
    expect(
      (await post({ id: job.id, runner: 'github-linux', report: contractReport(registry) })).status,
    ).toBe(404);
  });

  test('409 for a second result for the same job; the first one stands', async () => {
    const { job, outcome } = issue();
    expect(
      (await post({ id: job.id, runner: 'github-linux', report: contractReport(registry) })).status,
    ).toBe(202);
    const second = await post({
      id: job.id,
      runner: 'github-linux',
      report: { ...contractReport(registry), verdict: 'unhealthy' },
    });
    expect(second.status).toBe(409);
    expect(((await outcome) as { report: { verdict: string } }).report.verdict).toBe('healthy');
  });

  test.each([
    ['not JSON', 'this is not json'],
    ['a JSON array', '[1,2]'],
    ['a result without an id', JSON.stringify({ runner: 'github-linux', report: {} })],
  ])('400 for a body that is %s', async (_name, raw) => {
    const answer = await post(null, { raw });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: expect.stringMatching(/\w/) });
  });

  test.each([
    ['a report without checks', (r: Record<string, unknown>) => ({ ...r, checks: undefined }), /checks/],
    [
      'a check with an unknown status',
      (r: Record<string, unknown>) => ({
        ...r,
        checks: [{ id: 'dns', host: registry, status: 'maybe', ms: 1, detail: {} }],
      }),
      /status/,
    ],
    [
      'a report of another registry',
      (r: Record<string, unknown>) => ({
        ...r,
        target: { name: 'other', loginServer: 'contosoother.azurecr.io', dataEndpoints: [] },
      }),
      /contosoother\.azurecr\.io/,
    ],
  ])(
    '400 for %s, and the waiting job learns that its runner answered garbage',
    async (_name, change, message) => {
      const { job, outcome } = issue();
      const answer = await post({
        id: job.id,
        runner: 'github-linux',
        report: change({ ...contractReport(registry) }),
      });
      expect(answer.status).toBe(400);
      expect((answer.json as { error: string }).error).toMatch(message);
      const { error } = (await outcome) as { error: RunnerError };
      expect(error).toBeInstanceOf(RunnerError);
      expect(error).toMatchObject({ runner: 'github', kind: 'garbage' });
      expect(error.detail).toMatch(message);
    },
  );

  test('202 for a report from a newer runner with a check and a finding this version does not know', async () => {
    const { job, outcome } = issue();
    const newer = contractReport(registry);
    newer.checks = [
      ...newer.checks,
      {
        id: 'ocsp',
        host: registry,
        status: 'warn',
        ms: 12,
        detail: {},
      },
    ];
    newer.findings = [
      ...(newer.findings ?? []),
      { id: 'ocsp-slow', cause: null, host: registry, params: {}, evidence: 'ocsp warn (12 ms)' },
    ];
    expect((await post({ id: job.id, runner: 'github-linux', report: newer })).status).toBe(202);
    const { report } = (await outcome) as { report: typeof newer };
    expect(report.checks.map((c) => c.id)).toContain('ocsp');
  });

  test('400 for a check id that is not shaped like one (it ends up on a card)', async () => {
    const { job } = issue();
    const report = contractReport(registry);
    report.checks = [
      { id: '**[x](https://evil.example)**', host: registry, status: 'pass', ms: 1, detail: {} },
    ];
    const answer = await post({ id: job.id, runner: 'github-linux', report });
    expect(answer.status).toBe(400);
    expect((answer.json as { error: string }).error).toContain('checks[0].id is not a check id');
  });

  test('413 for a body larger than the limit, without reading it all', async () => {
    const { outcome } = issue();
    const answer = await post(null, { raw: `{"pad":"${'x'.repeat(maxResultBytes)}"}` });
    expect(answer.status).toBe(413);
    expect(await stillWaiting(outcome)).toBe(true);
  });
});
