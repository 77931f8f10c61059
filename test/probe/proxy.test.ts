import type { ProbeReport } from '../../src/contract';
import { probe } from '../../src/probe';
import { parseRegistry } from '../../src/target';
import { randomLoopback } from '../servers/loopback';
import { createPki, type Pki } from '../servers/pki';
import { startProxy, type ProxyMode, type TestProxy } from '../servers/proxy';
import { startAcrWorld, type AcrWorld } from '../servers/world';

let pki: Pki;
let world: AcrWorld;
const proxies: TestProxy[] = [];
const login = 'proxiedreg.azurecr.io';
const data = 'proxiedreg.westeurope.data.azurecr.io';

beforeAll(async () => {
  pki = await createPki();
  world = await startAcrWorld({ pki });
  await world.addRegistry('proxiedreg', { region: 'westeurope' });
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await world.close();
  await pki.remove();
});

async function proxy(mode: ProxyMode): Promise<TestProxy> {
  const started = await startProxy({
    mode,
    routes: { [login]: world.registry.address, [data]: world.registry.address },
  });
  proxies.push(started);
  return started;
}

function run(env: Record<string, string>): Promise<ProbeReport> {
  return probe(parseRegistry('proxiedreg', ['westeurope']), { ...world.settings, runnerName: 'test', env });
}

const check = (report: ProbeReport, id: string, host = login) =>
  report.checks.find((c) => c.id === id && c.host === host);

test('through a proxy that tunnels: healthy; DNS only tells the region, every connection goes through the proxy', async () => {
  const p = await proxy('tunnel');
  const report = await run({ HTTPS_PROXY: p.url });
  expect(report.verdict).toBe('healthy');
  expect(check(report, 'proxy')).toMatchObject({
    status: 'pass',
    detail: { proxy: p.url, variable: 'HTTPS_PROXY' },
  });
  expect(check(report, 'dns')).toMatchObject({ status: 'skip', detail: { via: 'proxy' } });
  expect(check(report, 'tcp')?.status).toBe('skip');
  expect(check(report, 'tls')).toMatchObject({
    status: 'pass',
    detail: { via: 'proxy', issuer: 'Microsoft Azure RSA TLS Issuing CA 03' },
  });
  expect(check(report, 'challenge')?.status).toBe('pass');
  expect(check(report, 'data-endpoint', data)?.status).toBe('pass');
  expect(p.connects.map((c) => c.target)).toEqual(expect.arrayContaining([`${login}:443`, `${data}:443`]));
  for (const c of p.connects) expect(c.headers['user-agent']).toMatch(/^acrcheck\//);
});

describe('a proxy that lets the login server through but not the data endpoint', () => {
  let loginOnly: TestProxy;
  beforeAll(async () => {
    await world.addRegistry('halfproxied', { region: 'westeurope' });
    world.dns.set('halfnoregion.azurecr.io', { a: [world.registry.address] });
    await world.registry.site('halfnoregion.azurecr.io', { behaviour: { kind: 'acr' } });
    loginOnly = await startProxy({
      mode: 'tunnel',
      routes: {
        'halfproxied.azurecr.io': world.registry.address,
        'halfnoregion.azurecr.io': world.registry.address,
      },
    });
    proxies.push(loginOnly);
  });
  const probeHalf = (name: string, regions: string[] = []) =>
    probe(parseRegistry(name, regions), {
      ...world.settings,
      runnerName: 'test',
      env: { HTTPS_PROXY: loginOnly.url },
    });

  test('without --region: the region comes from DNS, and the blocked data endpoint is named', async () => {
    const report = await probeHalf('halfproxied');
    const dataHost = 'halfproxied.westeurope.data.azurecr.io';
    expect(report.target.dataEndpoints).toEqual([dataHost]);
    expect(check(report, 'challenge', 'halfproxied.azurecr.io')?.status).toBe('pass');
    expect(check(report, 'proxy', dataHost)).toMatchObject({ status: 'fail', code: 'PROXY_REFUSED' });
    expect(report.verdict).toBe('unhealthy');
    expect(report.causes[0]).toMatchObject({ id: 'client-firewall', findings: ['proxy-refused'] });
  });

  test('when DNS cannot tell the region either: never a plain "healthy", but a warning to give --region', async () => {
    const report = await probeHalf('halfnoregion');
    expect(report.target.dataEndpoints).toEqual([]);
    expect(check(report, 'data-endpoint', 'halfnoregion.azurecr.io')).toMatchObject({
      status: 'warn',
      code: 'NO_REGION',
      detail: { reason: 'proxy' },
    });
    expect(report.findings?.map((f) => f.id)).toContain('data-endpoints-unchecked');
    expect(report.summary).toContain('The data endpoints of halfnoregion.azurecr.io were not checked');
    expect(report.summary).toContain('--region');
  });

  test('with --region the data endpoint is probed through the proxy and found blocked', async () => {
    const report = await probeHalf('halfnoregion', ['eastus']);
    expect(check(report, 'proxy', 'halfnoregion.eastus.data.azurecr.io')).toMatchObject({
      status: 'fail',
      code: 'PROXY_REFUSED',
    });
    expect(report.verdict).toBe('unhealthy');
    expect(report.causes[0]?.id).toBe('client-firewall');
  });
});

test.each([
  ['deny-403', 'PROXY_403', 'proxy-denied'],
  ['deny-407', 'PROXY_407', 'proxy-auth'],
  ['eof', 'PROXY_EOF', 'proxy-eof'],
] as const)(
  'a proxy that answers CONNECT with %s: a proxy verdict, not a registry one',
  async (mode, code, finding) => {
    const p = await proxy(mode);
    const requests = world.registry.requests.length;
    const report = await run({ https_proxy: p.url });
    expect(check(report, 'proxy')).toMatchObject({ status: 'fail', code });
    expect(check(report, 'tls')?.status).toBe('skip');
    expect(check(report, 'challenge')?.status).toBe('skip');
    expect(report.causes[0]).toMatchObject({ id: 'client-firewall' });
    expect(report.causes[0]?.findings).toContain(finding);
    expect(report.findings?.filter((f) => f.cause !== null && f.cause !== 'client-firewall')).toEqual([]);
    expect(world.registry.requests.length).toBe(requests);
  },
);

test('an https:// proxy URL for a plain-HTTP proxy: the wrong scheme', async () => {
  const p = await proxy('tunnel');
  const report = await run({ HTTPS_PROXY: p.url.replace('http://', 'https://') });
  expect(check(report, 'proxy')).toMatchObject({ status: 'fail', code: 'PROXY_SCHEME' });
  expect(report.summary).toContain('with https://, but that proxy speaks plain HTTP');
});

test('a proxy that is not there', async () => {
  const report = await run({ HTTPS_PROXY: `http://${randomLoopback()}:3128` });
  expect(check(report, 'proxy')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
  expect(report.findings?.map((f) => f.id)).toContain('proxy-unreachable');
});

test('NO_PROXY sends the registry around the proxy, and says so', async () => {
  const p = await proxy('deny-403');
  const report = await run({ HTTPS_PROXY: p.url, NO_PROXY: 'localhost,.azurecr.io' });
  expect(check(report, 'proxy')).toMatchObject({
    status: 'skip',
    code: 'NO_PROXY',
    detail: { noProxy: '.azurecr.io' },
  });
  expect(report.verdict).toBe('healthy');
  expect(report.findings?.map((f) => f.id)).toContain('proxy-bypassed');
  expect(p.connects).toEqual([]);
});

test('proxy credentials are sent to the proxy and never shown', async () => {
  const p = await proxy('tunnel');
  const report = await run({ HTTPS_PROXY: p.url.replace('http://', 'http://alice:s3cret@') });
  expect(report.verdict).toBe('healthy');
  expect(JSON.stringify(report)).not.toContain('s3cret');
  expect(p.connects[0]?.headers['proxy-authorization']).toBe(
    `Basic ${Buffer.from('alice:s3cret').toString('base64')}`,
  );
});

test('without a proxy in the environment there is no proxy check', async () => {
  const report = await run({ HTTP_PROXY: 'http://127.9.9.9:1' });
  expect(report.checks.some((c) => c.id === 'proxy')).toBe(false);
  expect(report.verdict).toBe('healthy');
});
