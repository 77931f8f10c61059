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

test('through a proxy that tunnels: healthy, and the client does not resolve the registry itself', async () => {
  const p = await proxy('tunnel');
  const queries = world.dns.queries.length;
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
  expect(world.dns.queries.length).toBe(queries);
  expect(p.connects.map((c) => c.target)).toEqual(expect.arrayContaining([`${login}:443`, `${data}:443`]));
  for (const c of p.connects) expect(c.headers['user-agent']).toMatch(/^acrcheck\//);
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
