import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { loadConfig } from '../src/config';
import { createRunnerServer } from '../src/http/runner-service';
import { createPendingJobs } from '../src/runners/pending';
import { createRemoteRunner } from '../src/runners/remote';
import { createRunnerResults } from '../src/runners/results';
import { createVerifier, defaultMaxRemembered, signHeaders } from '../src/runners/signing';
import { startDnsServer } from '../test/servers/dns';
import { listenOnLoopback } from '../test/servers/loopback';
import type { Bench } from './index';

const secret = 'bench-runner-shared-secret-01';

/** A full garbage collection, so that heap sizes compare what is live. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

function row(cells: (string | number)[]): void {
  process.stdout.write(`| ${cells.join(' | ')} |\n`);
}

/** Signature checks, the replay cache at its limit, the results route, and a signed round trip to a runner service. */
export const runnersBench: Bench = {
  name: 'runners',
  async run() {
    row(['measure', 'value', 'target']);
    row(['---', '---', '---']);

    const verifier = createVerifier(secret);
    const messages = Array.from({ length: defaultMaxRemembered }, (_, i) =>
      Buffer.from(`{"id":"bench-${i}","n":${i}}`),
    );
    const signed = messages.map((body) => ({ body, headers: signHeaders(secret, body) }));
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    let start = performance.now();
    for (const m of signed)
      if (!verifier.verify(m.headers, m.body).ok) throw new Error('a signed message was refused');
    const verifyMs = performance.now() - start;
    collect();
    const heapAfter = process.memoryUsage().heapUsed;
    row(['signed messages verified per second', Math.round((signed.length / verifyMs) * 1000), '≥ 20,000']);
    row([
      `replay cache full (${defaultMaxRemembered} live signatures), heap growth`,
      `${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB`,
      '≤ 16 MiB',
    ]);

    const pending = createPendingJobs();
    const results = createRunnerResults({ secret, pending });
    const registry = 'benchresults.azurecr.io';
    const posts = Array.from({ length: 5000 }, (_, i) => {
      const id = `bench-result-${i}`;
      pending.expect({ id, registry, regions: [], timeoutMs: 1000 }, 'github', 60_000);
      const report = {
        target: { name: 'benchresults', loginServer: registry, dataEndpoints: [] },
        runner: { name: 'github-linux' },
        checks: [{ id: 'dns', host: registry, status: 'pass', ms: 1, detail: {} }],
        verdict: 'healthy',
        causes: [],
        summary: 'ok',
      };
      const body = Buffer.from(JSON.stringify({ id, runner: 'github-linux', report }));
      return { body, headers: signHeaders(secret, body) };
    });
    start = performance.now();
    for (const p of posts)
      if (results.handle(p.body, p.headers).status !== 202) throw new Error('a result was refused');
    row([
      'results accepted per second (route logic)',
      Math.round((posts.length / (performance.now() - start)) * 1000),
      '≥ 5,000',
    ]);

    const dns = await startDnsServer({});
    const config = loadConfig({
      ACRCHECK_SYSTEM_RESOLVER: 'false',
      ACRCHECK_DNS_SERVERS: dns.server,
      ACRCHECK_RUNNER_SECRET: secret,
      ACRCHECK_RUNNER_NAME: 'bench',
    });
    const server = createRunnerServer(config, { env: {} });
    const address = await listenOnLoopback(server.server, 0);
    const { port } = server.address() as AddressInfo;
    const remote = createRemoteRunner({ name: 'bench', url: `http://${address}:${port}`, secret });
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await remote.run(
        { id: `bench-rt-${i}`, registry: 'benchmissing.azurecr.io', regions: [], timeoutMs: 2000 },
        new AbortController().signal,
      );
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    row([
      'signed round trip to a runner service (probe ends at NXDOMAIN), p50',
      `${percentile(times, 50).toFixed(1)} ms`,
      '≤ 50 ms',
    ]);
    row(['same, p95', `${percentile(times, 95).toFixed(1)} ms`, '≤ 100 ms']);
    server.close();
    await dns.close();
  },
};
