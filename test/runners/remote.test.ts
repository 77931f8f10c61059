import type { IncomingMessage, ServerResponse } from 'node:http';

import { createRemoteRunner, maxReportBytes } from '../../src/runners/remote';
import type { ProbeJob } from '../../src/runners/runner';
import { createVerifier, signHeaders } from '../../src/runners/signing';
import {
  bodyOf,
  contractReport,
  runnerFailure,
  startHttp,
  startTcp,
  testSecret,
  type HttpServer,
} from './helpers';

const registry = 'contosoremote.azurecr.io';
let counter = 0;
const job = (timeoutMs = 3000): ProbeJob => ({ id: `remote-${++counter}`, registry, regions: [], timeoutMs });

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A runner service that answers each job with `answer(job)`: status, body and whether (and how) to sign it. */
async function service(
  answer: (job: ProbeJob) => {
    status: number;
    body: string;
    sign?: 'ours' | 'other' | 'none';
    repeat?: boolean;
  },
): Promise<HttpServer & { requests: { verified: boolean; job: ProbeJob }[] }> {
  const requests: { verified: boolean; job: ProbeJob }[] = [];
  const verifier = createVerifier(testSecret);
  let last: { status: number; body: Buffer; headers: Record<string, string> } | null = null;
  const http = await startHttp((req: IncomingMessage, res: ServerResponse) => {
    void bodyOf(req).then((raw) => {
      const j = JSON.parse(raw.toString()) as ProbeJob;
      requests.push({ verified: verifier.verify(req.headers, raw).ok, job: j });
      const a = answer(j);
      const body = Buffer.from(a.body);
      const sign = a.sign ?? 'ours';
      const headers = {
        'content-type': 'application/json',
        ...(sign === 'none'
          ? {}
          : signHeaders(sign === 'ours' ? testSecret : 'a-different-secret-xyz', body)),
      };
      const reply = a.repeat && last ? last : { status: a.status, body, headers };
      last = reply;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    });
  });
  servers.push(http);
  return Object.assign(http, { requests });
}

const runner = (url: string) => createRemoteRunner({ name: 'vnet-prod', url, secret: testSecret });
const signal = (): AbortSignal => new AbortController().signal;
const report = (j: ProbeJob) => JSON.stringify({ ...contractReport(registry, 'vnet-prod'), id: j.id });

describe('remote runner: what it sends', () => {
  test('POST /v1/probe with exactly the job, signed with the shared secret; a signed report for the job comes back', async () => {
    const s = await service((j) => ({ status: 200, body: report(j) }));
    const j = { ...job(), regions: ['westeurope', 'eastus'] };
    const result = await runner(s.url).run(j, signal());
    expect(result).toMatchObject({
      id: j.id,
      target: { loginServer: registry },
      runner: { name: 'vnet-prod' },
    });
    expect(s.requests).toEqual([{ verified: true, job: j }]);
  });

  test('a base URL with a path (behind a reverse proxy) keeps the path', async () => {
    const s = await service((j) => ({ status: 200, body: report(j) }));
    const paths: string[] = [];
    const proxy = await startHttp((req, res) => {
      paths.push(req.url ?? '');
      void bodyOf(req).then(async (raw) => {
        if (req.url !== '/acrcheck/v1/probe') {
          res.writeHead(404);
          res.end();
          return;
        }
        const upstream = await fetch(`${s.url}/v1/probe`, {
          method: 'POST',
          body: raw,
          headers: req.headers as Record<string, string>,
        });
        const headers: Record<string, string> = {};
        upstream.headers.forEach((value, name) => (headers[name] = value));
        delete headers['content-length'];
        res.writeHead(upstream.status, headers);
        res.end(Buffer.from(await upstream.arrayBuffer()));
      });
    });
    servers.push(proxy);
    const j = job();
    expect((await runner(`${proxy.url}/acrcheck/`).run(j, signal())).id).toBe(j.id);
    expect(paths).toEqual(['/acrcheck/v1/probe']);
  });
});

describe('remote runner: a runner that cannot report', () => {
  test('nothing listens at its address: down', async () => {
    const closed = await startHttp(() => undefined);
    await closed.close();
    const error = await runnerFailure(runner(closed.url).run(job(), signal()));
    expect(error).toMatchObject({ runner: 'vnet-prod', kind: 'down' });
    expect(error.detail).toContain('ECONNREFUSED');
  });

  test('it accepts the connection and never answers: timeout, within the job time plus the margin', async () => {
    const tarpit = await startTcp(() => undefined);
    servers.push(tarpit);
    const started = Date.now();
    const error = await runnerFailure(runner(tarpit.url).run(job(300), signal()));
    const took = Date.now() - started;
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(took).toBeGreaterThanOrEqual(2250);
    expect(took).toBeLessThan(4000);
  });

  test('it speaks something that is not HTTP: garbage', async () => {
    const junk = await startTcp((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    servers.push(junk);
    expect(await runnerFailure(runner(junk.url).run(job(), signal()))).toMatchObject({ kind: 'garbage' });
  });

  test.each([
    [
      'an unsigned report',
      (j: ProbeJob) => ({ status: 200, body: report(j), sign: 'none' as const }),
      /signature/,
    ],
    [
      'a report signed with another secret',
      (j: ProbeJob) => ({ status: 200, body: report(j), sign: 'other' as const }),
      /signature/,
    ],
    ['signed text that is not JSON', () => ({ status: 200, body: '<html>ok</html>' }), /not JSON/],
    ['signed JSON that is not a report', () => ({ status: 200, body: '{"ok":true}' }), /not a probe report/],
    [
      'a signed report for another job',
      () => ({ status: 200, body: JSON.stringify({ ...contractReport(registry), id: 'remote-other' }) }),
      /remote-other/,
    ],
    [
      'a signed report of another registry',
      (j: ProbeJob) => ({
        status: 200,
        body: JSON.stringify({ ...contractReport('contosoelse.azurecr.io'), id: j.id }),
      }),
      /contosoelse/,
    ],
    ['a 500', () => ({ status: 500, body: '{"error":"boom"}' }), /500.*boom/],
    [
      'a report larger than the limit',
      (j: ProbeJob) => ({
        status: 200,
        body: JSON.stringify({ ...contractReport(registry), id: j.id, pad: 'x'.repeat(maxReportBytes) }),
      }),
      /larger/,
    ],
  ])('it answers %s: garbage', async (_name, answer, detail) => {
    const s = await service(answer);
    const error = await runnerFailure(runner(s.url).run(job(), signal()));
    expect(error).toMatchObject({ runner: 'vnet-prod', kind: 'garbage' });
    expect(error.detail).toMatch(detail);
  });

  test('it replays an earlier signed answer: garbage (the signature was already accepted)', async () => {
    let first = true;
    const s = await service((j) => {
      const reply = { status: 200, body: report(j), repeat: !first };
      first = false;
      return reply;
    });
    const remote = runner(s.url);
    await remote.run(job(), signal());
    const error = await runnerFailure(remote.run(job(), signal()));
    expect(error).toMatchObject({ kind: 'garbage' });
    expect(error.detail).toContain('replay');
  });

  test.each([
    [400, 'refused', /refused the job: 'x' is not an Azure/],
    [401, 'refused', /refused our signature/],
    [503, 'down', /503/],
  ])('it answers %d: %s', async (status, kind, detail) => {
    const s = await service(() => ({
      status,
      body: JSON.stringify({ error: "'x' is not an Azure container registry" }),
      sign: 'none',
    }));
    const error = await runnerFailure(runner(s.url).run(job(), signal()));
    expect(error).toMatchObject({ kind });
    expect(error.detail).toMatch(detail);
  });
});
