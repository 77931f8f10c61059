import { execFile } from 'node:child_process';
import { join } from 'node:path';

import type { ProbeReport } from '../../src/contract';
import { translator } from '../../src/i18n';
import { buildCheckout, childEnv, type Checkout } from '../runners/checkout';
import { blackhole, type Blackhole } from '../servers/blackhole';
import { randomLoopback } from '../servers/loopback';
import { createPki, type Pki } from '../servers/pki';
import { startProxy, type TestProxy } from '../servers/proxy';
import { startAcrWorld, type AcrWorld } from '../servers/world';

let checkout: Checkout;
let pki: Pki;
let world: AcrWorld;
const holes: Blackhole[] = [];
const proxies: TestProxy[] = [];

beforeAll(async () => {
  [checkout, pki] = await Promise.all([buildCheckout(), createPki()]);
  world = await startAcrWorld({ pki, timeoutMs: 5000 });
  await world.addRegistry('clihealthy', { region: 'westeurope' });
  await world.addRegistry('clidenied', {
    login: { behaviour: { kind: 'denied', clientIp: '127.88.0.1' } },
    data: null,
  });
  await world.addRegistry('cliproxied', { login: { issuer: 'contoso' }, data: { issuer: 'contoso' } });
  await world.addRegistry('clidropdata', { data: null });
  const dropped = randomLoopback();
  holes.push(await blackhole(dropped));
  world.dns.set('clidropdata.eastus.data.azurecr.io', { a: [dropped] });
  await world.addRegistry('clipe', {
    login: { behaviour: { kind: 'denied' } },
    data: { behaviour: { kind: 'denied' } },
  });
  world.dns.set('clipe.azurecr.io', { cname: 'clipe.privatelink.azurecr.io' });
  world.dns.set('clipe.privatelink.azurecr.io', { cname: 'r1clipe.eastus.cloudapp.azure.com' });
}, 60_000);

afterAll(async () => {
  await Promise.all([...holes.map((h) => h.remove()), ...proxies.map((p) => p.close())]);
  await world.close();
  await Promise.all([pki.remove(), checkout.remove()]);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// The CLI loads every command at start; another command's import chain (restify → spdy → http-deceiver) makes
// Node print a DEP0111 deprecation warning on standard error. That noise is not this command's output.
const nodeWarning = /^\(node:\d+\) \[DEP\d+\]|^\(Use `node --trace-deprecation/;

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(checkout.dir, 'dist', 'cli.js'), 'probe', ...args],
      { env: childEnv({ ...world.cliEnv, ...env }), timeout: 20_000 },
      (err, stdout, stderr) =>
        resolve({
          code: err ? Number((err as { code?: unknown }).code ?? 1) : 0,
          stdout,
          stderr: stderr
            .split('\n')
            .filter((line) => !nodeWarning.test(line))
            .join('\n'),
        }),
    );
  });
}

async function json(args: string[], env: Record<string, string> = {}): Promise<ProbeReport> {
  const run = await cli([...args, '--json'], env);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as ProbeReport;
}

describe('acrcheck probe --json gives the right verdict and cause', () => {
  test('a healthy registry', async () => {
    const report = await json(['clihealthy']);
    expect(report).toMatchObject({
      target: {
        name: 'clihealthy',
        loginServer: 'clihealthy.azurecr.io',
        dataEndpoints: ['clihealthy.westeurope.data.azurecr.io'],
      },
      runner: { name: 'local' },
      verdict: 'healthy',
      causes: [],
      summary: 'clihealthy.azurecr.io answers the registry challenge (401 with a Bearer realm).',
    });
  });

  test('for each situation, quickly, all at once', async () => {
    const cases = [
      ['clidenied', [], 'registry-public-access', 'acr-denied'],
      ['cliproxied', [], 'client-firewall', 'tls-interception'],
      ['clidropdata', ['--timeout', '3000'], 'client-firewall', 'data-endpoint-blocked'],
      ['nosuchcliregistry', [], 'vnet-config', 'dns-nxdomain'],
      ['clipe.azurecr.io', [], 'vnet-config', 'private-dns-public-path'],
    ] as const;
    const started = Date.now();
    const reports = await Promise.all(cases.map(([registry, extra]) => json([registry, ...extra])));
    expect(Date.now() - started).toBeLessThan(15_000);
    reports.forEach((report, i) => {
      const [registry, , cause, finding] = cases[i]!;
      expect({
        registry,
        verdict: report.verdict,
        cause: report.causes[0]?.id,
        has: report.causes[0]?.findings.includes(finding),
      }).toEqual({
        registry,
        verdict: 'unhealthy',
        cause,
        has: true,
      });
    });
  });

  test('a proxy refusing CONNECT is a proxy verdict', async () => {
    const proxy = await startProxy({ mode: 'deny-403' });
    proxies.push(proxy);
    const report = await json(['clihealthy', '--region', 'westeurope'], { HTTPS_PROXY: proxy.url });
    expect(report.checks.find((c) => c.id === 'proxy')).toMatchObject({ status: 'fail', code: 'PROXY_403' });
    expect(report.causes[0]).toMatchObject({ id: 'client-firewall', findings: ['proxy-denied'] });
  });

  test('flags override the environment', async () => {
    const report = await json(
      ['clihealthy', '--dns-server', world.dns.server, '--ca-file', pki.azureRootFile, '--timeout', '2500'],
      {
        ACRCHECK_DNS_SERVERS: `${randomLoopback()}:53`,
        ACRCHECK_CA_FILE: pki.contosoRootFile,
      },
    );
    expect(report.verdict).toBe('healthy');
    expect(report.checks[0]?.detail.resolver).toBe(world.dns.server);
  });

  test('--region takes regions as people write them, and names the one meant for a slip', async () => {
    const report = await json(['clihealthy', '--region', 'West Europe']);
    expect(report.target.dataEndpoints).toEqual(['clihealthy.westeurope.data.azurecr.io']);
    const slip = await cli(['clihealthy', '--region', 'westeurop', '--locale', 'de']);
    expect(slip.code).toBe(2);
    expect(slip.stderr).toContain(
      translator('de')('errors:ACRCHECK_NOT_ACR_HOST.region-typo', {
        input: 'westeurop',
        suggestion: 'westeurope',
      }),
    );
  });

  test('--region probes the data endpoints named', async () => {
    const report = await json(['clihealthy', '--region', 'westeurope', '--region', 'northeurope']);
    expect(report.target.dataEndpoints).toEqual([
      'clihealthy.westeurope.data.azurecr.io',
      'clihealthy.northeurope.data.azurecr.io',
    ]);
    expect(report.findings?.map((f) => f.id)).toContain('data-endpoints-off');
  });
});

test('refusals and bad usage exit 2 with one line on standard error, before any packet leaves', async () => {
  const cases = [
    ['evil.example'],
    ['127.0.0.1'],
    ['myregistry.azurecr.io:443'],
    ['user@myregistry.azurecr.io'],
    ['myregistry.azurecr.io.evil.example'],
    ['clihealthy', '--region', 'west_europe'],
    ['clihealthy', '--region', 'westeurop'],
    [],
    ['clihealthy', 'other'],
    ['clihealthy', '--timeout', 'soon'],
    ['clihealthy', '--timeout', '10'],
    ['clihealthy', '--dns-server', 'not a server'],
    ['clihealthy', '--dns-server', 'localhost'],
    ['clihealthy', '--dns-server', 'dns.corp.example:53'],
    ['clihealthy', '--ca-file', '/nonexistent/ca.pem'],
    ['clihealthy', '--ca-file', '/etc/hostname'],
    ['clihealthy', '--no-such-flag'],
    ['clihealthy', '--locale', 'fr'],
  ];
  const queries = world.dns.queries.length;
  const runs = await Promise.all(cases.map((args) => cli(args)));
  runs.forEach((run, i) => {
    const lines = run.stderr.trim().split('\n');
    expect({
      args: cases[i],
      code: run.code,
      stdout: run.stdout,
      lines: lines.length,
      prefix: lines[0]?.startsWith('acrcheck probe: '),
    }).toEqual({
      args: cases[i],
      code: 2,
      stdout: '',
      lines: 1,
      prefix: true,
    });
  });
  expect(world.dns.queries.length).toBe(queries);
});

test("a refused registry is refused in the reader's language; regions are taken in any case", async () => {
  const [de, zh, en, upper] = await Promise.all([
    cli(['good', '--locale', 'de']),
    cli(['good'], { LC_ALL: 'zh_TW.UTF-8' }),
    cli(['good']),
    json(['clihealthy', '--region', 'WestEurope', '--region', ' EASTUS ']),
  ]);
  expect(de).toMatchObject({ code: 2, stdout: '' });
  expect(de.stderr.trim()).toBe(
    `acrcheck probe: ${translator('de')('errors:ACRCHECK_NOT_ACR_HOST.name', { input: 'good' })}`,
  );
  expect(zh.stderr.trim()).toBe(
    `acrcheck probe: ${translator('zh-TW')('errors:ACRCHECK_NOT_ACR_HOST.name', { input: 'good' })}`,
  );
  expect(en.stderr.trim()).toBe(
    "acrcheck probe: 'good' is not a valid registry name. A registry's name has 5 to 50 letters and digits (myregistry); its login server adds the Azure domain (myregistry.azurecr.io).",
  );
  expect(upper.target.dataEndpoints).toEqual([
    'clihealthy.westeurope.data.azurecr.io',
    'clihealthy.eastus.data.azurecr.io',
  ]);
});

describe('the readable report', () => {
  test('in English by default: checks, findings, verdict, causes and the fix', async () => {
    const run = await cli(['clidenied', '--region', 'eastus']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Probe of clidenied.azurecr.io from local');
    expect(run.stdout).toMatch(/failed\s+Registry challenge\s+clidenied\.azurecr\.io\s+\d+ ms\s+ACR_DENIED/);
    expect(run.stdout).toContain('403 DENIED for the client IP 127.88.0.1');
    expect(run.stdout).toContain('Verdict: unhealthy');
    // Causes read as the diagnose report's do: ranked, with a percentage, never the raw id and score.
    expect(run.stdout).toMatch(/^ {2}1\. .+ \(\d{1,3}\s?%\)$/m);
    expect(run.stdout).not.toMatch(/\(registry-public-access, [\d.]+\)/);
    expect(run.stdout).toMatch(/What to do: .+/);
    // Commands sit under their step as `$ command`, a command's further lines indented beneath it.
    expect(run.stdout).toMatch(/^ {7}\$ az acr .*clidenied/m);
    expect(run.stdout).not.toMatch(/^--/m);
  });

  test('a bad bot variable in the shell does not stop a probe; a bad probe variable does', async () => {
    const ok = await cli(['clihealthy'], { MicrosoftAppType: 'Sometimes', PORT: 'eighty' });
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' });
    const bad = await cli(['clihealthy'], {
      ACRCHECK_PROBE_TIMEOUT_MS: 'soon',
      MicrosoftAppType: 'Sometimes',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ACRCHECK_PROBE_TIMEOUT_MS=soon');
    expect(bad.stderr).not.toContain('MicrosoftAppType');
  });

  test('in German from LANG', async () => {
    const run = await cli(['clidenied', '--region', 'eastus'], { LANG: 'de_DE.UTF-8' });
    expect(run.stdout).toContain('Prüfung von clidenied.azurecr.io aus local');
    expect(run.stdout).toContain('Ergebnis: gestört');
    expect(run.stdout).toContain('Client-IP 127.88.0.1');
    expect(run.stdout).toContain('Was zu tun ist');
  });

  test('an empty LC_ALL is passed over, as the shell does: German from LANG', async () => {
    const run = await cli(['clihealthy'], { LC_ALL: '', LANG: 'de_DE.UTF-8' });
    expect(run.stdout).toContain('Prüfung von clihealthy.azurecr.io aus local');
  });

  test('in Traditional Chinese from --locale', async () => {
    const run = await cli(['clihealthy', '--locale', 'zh-TW'], { LANG: 'de_DE.UTF-8' });
    expect(run.stdout).toContain('從 local 檢測 clihealthy.azurecr.io');
    expect(run.stdout).toContain('結果：正常');
    expect(run.stdout).toContain('回應了登錄挑戰');
  });

  test('in Traditional Chinese the fix and the hosts to allow are headed with full-width colons', async () => {
    const run = await cli(['clidenied', '--region', 'eastus', '--locale', 'zh-TW']);
    expect(run.stdout).toMatch(/^處理方式：\S/m);
    expect(run.stdout).not.toMatch(/^(處理方式|防火牆或 Proxy 必須允許的主機): /m);
    // Documentation links read as diagnose's do: title, a full-width colon, the address.
    expect(run.stdout).toMatch(/^ {2}- \S.*：https:\/\/learn\.microsoft\.com\/zh-tw\//m);
  });
});
