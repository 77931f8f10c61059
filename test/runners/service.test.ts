import { PassThrough } from 'node:stream';

import { request } from 'undici';

import { main } from '../../src/cli/main';
import { loadConfig } from '../../src/config';
import { AcrcheckError } from '../../src/errors';
import { createRunnerServer } from '../../src/http/runner-service';
import { packageVersion } from '../../src/paths';
import type { ProbeReport } from '../../src/contract';
import { createRemoteRunner } from '../../src/runners/remote';
import { maxJobBytes } from '../../src/runners/service';
import { createVerifier, signHeaders } from '../../src/runners/signing';
import { startDnsServer, type DnsServer } from '../servers/dns';
import { send, startHttp, testSecret, until, type HttpServer } from './helpers';

// Only a DNS double here: names resolve nowhere, so a probe that runs ends at DNS (NXDOMAIN). The full probe
// through the service process is in runners.test.ts.
const registry = 'contososervice.azurecr.io';
let dns: DnsServer;
let http: HttpServer;

beforeAll(async () => {
  dns = await startDnsServer({});
  const config = loadConfig({
    ACRCHECK_SYSTEM_RESOLVER: 'false',
    ACRCHECK_DNS_SERVERS: dns.server,
    ACRCHECK_PROBE_TIMEOUT_MS: '2000',
    ACRCHECK_RUNNER_SECRET: testSecret,
    ACRCHECK_RUNNER_NAME: 'vnet-prod',
  });
  http = await startHttp(createRunnerServer(config, { env: {} }).server);
});
afterAll(async () => {
  await http.close();
  await dns.close();
});

let counter = 0;
const job = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: `svc-${++counter}`,
  registry,
  regions: ['westeurope'],
  timeoutMs: 2000,
  ...overrides,
});

function probe(body: Buffer | string, headers?: Record<string, string>) {
  const raw = Buffer.from(body);
  return send(`${http.url}/v1/probe`, { body: raw, headers: headers ?? signHeaders(testSecret, raw) });
}

describe('runner service (CONTRACT.md §6)', () => {
  test('GET /healthz: 200 with the runner name and the package version, unsigned', async () => {
    const answer = await send(`${http.url}/healthz`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ name: 'vnet-prod', version: packageVersion() });
    expect(answer.headers['x-acrcheck-signature']).toBeUndefined();
  });

  test('HEAD /healthz: 200 like GET, without a body', async () => {
    const response = await request(`${http.url}/healthz`, { method: 'HEAD' });
    const raw = await response.body.text();
    expect(response.statusCode).toBe(200);
    expect(raw).toBe('');
  });

  test('POST /v1/probe: 200, signed over the exact bytes sent, the probe --json object with the job id and this runner', async () => {
    const j = job();
    const answer = await probe(JSON.stringify(j));
    expect(answer.status).toBe(200);
    expect(createVerifier(testSecret).verify(answer.headers, answer.raw)).toEqual({ ok: true });
    expect(answer.json).toMatchObject({
      id: j.id,
      runner: { name: 'vnet-prod' },
      target: {
        name: 'contososervice',
        loginServer: registry,
        dataEndpoints: ['contososervice.westeurope.data.azurecr.io'],
      },
      verdict: 'unhealthy',
      checks: expect.arrayContaining([
        expect.objectContaining({ id: 'dns', host: registry, status: 'fail', code: 'NXDOMAIN' }),
      ]),
    });
    expect(dns.queries.some((q) => q.name === registry)).toBe(true);
  });

  const body = (): Buffer => Buffer.from(JSON.stringify(job()));
  test.each([
    ['no signature headers', (b: Buffer) => ({ body: b, headers: {} })],
    ['the wrong secret', (b: Buffer) => ({ body: b, headers: signHeaders('someone-elses-secret-123', b) })],
    [
      'a timestamp six minutes old',
      (b: Buffer) => ({ body: b, headers: signHeaders(testSecret, b, Date.now() - 360_000) }),
    ],
    [
      'a tampered body',
      (b: Buffer) => ({
        body: Buffer.from(b.toString().replace('westeurope', 'eastus')),
        headers: signHeaders(testSecret, b),
      }),
    ],
  ])('401 for %s, and no probe runs', async (_name, forge) => {
    const before = dns.queries.length;
    const { body: sent, headers } = forge(body());
    const answer = await probe(sent, headers);
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ error: expect.stringMatching(/\w/) });
    expect(dns.queries.length).toBe(before);
  });

  test('401 for a replayed request, and the replay runs no probe', async () => {
    const b = body();
    const headers = signHeaders(testSecret, b);
    expect((await probe(b, headers)).status).toBe(200);
    const before = dns.queries.length;
    const replay = await probe(b, headers);
    expect(replay.status).toBe(401);
    expect(replay.json).toEqual({ error: expect.stringContaining('replay') });
    expect(dns.queries.length).toBe(before);
  });

  test.each([
    ['not JSON', '{"id": '],
    ['not an object', '["contososervice.azurecr.io"]'],
    ['a job without an id', JSON.stringify(job({ id: undefined }))],
    ['a job id with a space', JSON.stringify(job({ id: 'a b' }))],
    ['regions that are not a list', JSON.stringify(job({ regions: 'westeurope' }))],
    ['a region that is not a region name', JSON.stringify(job({ regions: ['west europe'] }))],
    ['a timeout of 0', JSON.stringify(job({ timeoutMs: 0 }))],
    ['a timeout of ten minutes', JSON.stringify(job({ timeoutMs: 600_000 }))],
    ['a registry in another domain', JSON.stringify(job({ registry: 'registry.contoso.com' }))],
    [
      'a look-alike registry suffix',
      JSON.stringify(job({ registry: 'contososervice.azurecr.io.contoso.com' })),
    ],
    ['an IP address', JSON.stringify(job({ registry: '10.1.2.4' }))],
    ['a registry with a port', JSON.stringify(job({ registry: 'contososervice.azurecr.io:8443' }))],
  ])('400 for %s, before any packet leaves', async (_name, text) => {
    const before = dns.queries.length;
    const answer = await probe(text);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: expect.stringMatching(/\w/) });
    expect(dns.queries.length).toBe(before);
  });

  test('413 for a body larger than a job can be', async () => {
    const answer = await probe(JSON.stringify(job({ pad: 'x'.repeat(maxJobBytes) })));
    expect(answer.status).toBe(413);
  });

  test('refuses to start without ACRCHECK_RUNNER_SECRET, saying so', () => {
    expect(() => createRunnerServer(loadConfig({}))).toThrow(AcrcheckError);
    expect(() => createRunnerServer(loadConfig({}))).toThrow(/ACRCHECK_RUNNER_SECRET/);
  });

  test('`acrcheck runner` without the secret: exit 2 and one line naming the variable', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await main(['runner', '--host', '127.0.0.1', '--port', '0'], {
      stdin: new PassThrough(),
      stdout,
      stderr,
      env: {},
    });
    expect(code).toBe(2);
    expect(err).toMatch(/^acrcheck runner: .*ACRCHECK_RUNNER_SECRET/);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});

describe('runner service under load', () => {
  let busy: HttpServer;
  const gates: (() => void)[] = [];
  const started: { id: string; timeoutMs: number }[] = [];
  beforeAll(async () => {
    const config = loadConfig({
      ACRCHECK_SYSTEM_RESOLVER: 'false',
      ACRCHECK_DNS_SERVERS: dns.server,
      ACRCHECK_RUNNER_SECRET: testSecret,
      ACRCHECK_RUNNER_NAME: 'vnet-busy',
    });
    // The probe is held until the test lets it go, so that turns are taken for as long as the test wants.
    const held = (registry: { loginServer: string }, options: { timeoutMs: number }): Promise<ProbeReport> =>
      new Promise((resolve) => {
        started.push({ id: registry.loginServer, timeoutMs: options.timeoutMs });
        gates.push(() =>
          resolve({
            target: { name: 'contososervice', loginServer: registry.loginServer, dataEndpoints: [] },
            runner: { name: 'vnet-busy' },
            checks: [],
            verdict: 'healthy',
            causes: [],
            summary: 'held',
          }),
        );
      });
    busy = await startHttp(
      createRunnerServer(config, { env: {}, probe: held, limits: { concurrentProbes: 1, waitingProbes: 1 } })
        .server,
    );
  });
  afterAll(() => busy.close());

  const post = (j: Record<string, unknown>) => {
    const raw = Buffer.from(JSON.stringify(j));
    return send(`${busy.url}/v1/probe`, { body: raw, headers: signHeaders(testSecret, raw) });
  };

  test('runs a few probes at once; the next waits its turn and runs in the time it has left; a full line gets a clear 503', async () => {
    const first = post(job({ timeoutMs: 10_000 }));
    await until(() => started.length === 1);
    const second = post(job({ timeoutMs: 10_000 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toHaveLength(1);
    const third = await post(job({ timeoutMs: 10_000 }));
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBe('5');
    expect(third.json).toEqual({
      error: expect.stringMatching(/^busy: runner 'vnet-busy' has 1 probes running and 1 waiting/),
    });
    gates.shift()?.();
    expect((await first).status).toBe(200);
    await until(() => started.length === 2);
    expect(started[1]!.timeoutMs).toBeLessThanOrEqual(10_000 - 250);
    gates.shift()?.();
    expect((await second).status).toBe(200);
  });

  test('a job that waits longer than half its time gets the 503, and the bot reads it as busy, not down', async () => {
    const first = post(job({ timeoutMs: 10_000 }));
    await until(() => started.length === 3);
    const remote = createRemoteRunner({ name: 'vnet-busy', url: busy.url, secret: testSecret });
    const at = Date.now();
    const failure = await remote
      .run({ id: 'svc-busy-1', registry, regions: [], timeoutMs: 600 }, new AbortController().signal)
      .then(
        () => null,
        (err: unknown) => err as { kind: string; detail: string },
      );
    expect(Date.now() - at).toBeGreaterThanOrEqual(280);
    expect(failure).toMatchObject({
      kind: 'timeout',
      detail: expect.stringContaining('busy with other probes'),
    });
    gates.shift()?.();
    expect((await first).status).toBe(200);
  });
});
