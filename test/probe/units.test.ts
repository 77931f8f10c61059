import { setFlagsFromString } from 'node:v8';
import { rootCertificates } from 'node:tls';
import { runInNewContext } from 'node:vm';

import { classify } from '../../src/probe/addresses';
import { CheckLoop, type Check, type HostTarget } from '../../src/probe/check';
import { parseChallenge } from '../../src/probe/checks/challenge';
import { regionOf } from '../../src/probe/checks/dns';
import { createEnv, noProxyMatch, proxySetting, trustWith } from '../../src/probe/env';
import { deniedClientIp } from '../../src/probe/http';
import { errorCode } from '../../src/probe/net';
import { budgets, startDeadline } from '../../src/probe/plan';

describe('address classes', () => {
  test.each([
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12::1', 'private'],
    ['127.4.5.6', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['20.62.128.38', 'public'],
    ['172.32.0.1', 'public'],
    ['2603:1030::1', 'public'],
  ])('%s is %s', (address, expected) => expect(classify(address)).toBe(expected));
});

describe('proxy settings', () => {
  test.each([
    [
      { HTTPS_PROXY: 'http://proxy:3128' },
      { variable: 'HTTPS_PROXY', display: 'http://proxy:3128', ok: true },
    ],
    [
      { https_proxy: 'http://a:3128', HTTPS_PROXY: 'http://b:3128' },
      { variable: 'https_proxy', display: 'http://a:3128', ok: true },
    ],
    [
      { HTTPS_PROXY: 'proxy.contoso.com:8080' },
      { variable: 'HTTPS_PROXY', display: 'http://proxy.contoso.com:8080', ok: true },
    ],
    [
      { HTTPS_PROXY: 'http://user:pw@proxy:3128' },
      { variable: 'HTTPS_PROXY', display: 'http://proxy:3128', ok: true },
    ],
    [
      { HTTPS_PROXY: 'socks5://proxy:1080' },
      { variable: 'HTTPS_PROXY', display: 'socks5://proxy:1080', ok: false },
    ],
    [
      { HTTPS_PROXY: 'user:p@ss@proxy:99999' },
      { variable: 'HTTPS_PROXY', display: 'proxy:99999', ok: false },
    ],
    [
      { https_proxy: 'socks5://user:pw@proxy:1080' },
      { variable: 'https_proxy', display: 'socks5://proxy:1080', ok: false },
    ],
    [{ HTTP_PROXY: 'http://proxy:3128' }, null],
    [{ HTTPS_PROXY: '  ' }, null],
  ])('%j', (env, expected) => {
    const setting = proxySetting(env);
    expect(
      setting && { variable: setting.variable, display: setting.display, ok: setting.url !== null },
    ).toEqual(expected);
  });

  test.each([
    ['myregistry.azurecr.io', '.azurecr.io', '.azurecr.io'],
    ['myregistry.azurecr.io', '*.azurecr.io', '*.azurecr.io'],
    ['myregistry.azurecr.io', 'azurecr.io', 'azurecr.io'],
    ['myregistry.azurecr.io', 'localhost, myregistry.azurecr.io', 'myregistry.azurecr.io'],
    ['myregistry.azurecr.io', 'myregistry.azurecr.io:443', 'myregistry.azurecr.io:443'],
    ['myregistry.azurecr.io', 'myregistry.azurecr.io:5000', null],
    ['myregistry.azurecr.io', '*', '*'],
    ['myregistry.azurecr.io', 'registry.azurecr.io', null],
    ['myregistry.azurecr.io', 'cr.io', null],
    ['myregistry.azurecr.io', '', null],
  ])('NO_PROXY: %s with %j', (host, noProxy, expected) => expect(noProxyMatch(host, noProxy)).toBe(expected));
});

describe('error codes', () => {
  const err = (props: Record<string, unknown>, cause?: unknown): Error =>
    Object.assign(new Error(String(props.message ?? 'x')), props, { cause });
  test.each([
    [err({ code: 'ECONNREFUSED' }), 'ECONNREFUSED'],
    [err({ code: 'UND_ERR_CONNECT_TIMEOUT' }), 'ETIMEDOUT'],
    [err({ code: 'UND_ERR_HEADERS_TIMEOUT' }), 'ETIMEDOUT'],
    [err({ name: 'AbortError' }), 'ETIMEDOUT'],
    [err({ code: 'UND_ERR_SOCKET', message: 'other side closed' }), 'ECONNRESET'],
    [err({ code: 'EPROTO', message: 'SSL routines:ssl3_get_record:wrong version number' }), 'NOT_TLS'],
    [err({ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }), 'NOT_TLS'],
    [err({ message: 'fetch failed' }, err({ code: 'ENETUNREACH' })), 'ENETUNREACH'],
    [err({ code: 'CERT_HAS_EXPIRED' }), 'CERT_HAS_EXPIRED'],
    ['nonsense', 'ERROR'],
  ])('%s → %s', (error, code) => expect(errorCode(error)).toBe(code));
});

describe('the registry challenge', () => {
  test.each([
    [
      'Bearer realm="https://r.azurecr.io/oauth2/token",service="r.azurecr.io"',
      { scheme: 'bearer', params: { realm: 'https://r.azurecr.io/oauth2/token', service: 'r.azurecr.io' } },
    ],
    [
      'Basic realm="x", Bearer realm="https://r.azurecr.io/oauth2/token",service="r.azurecr.io",scope="repository:a:pull"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://r.azurecr.io/oauth2/token',
          service: 'r.azurecr.io',
          scope: 'repository:a:pull',
        },
      },
    ],
    [
      'Basic realm="Azure Container Registry"',
      { scheme: 'basic', params: { realm: 'Azure Container Registry' } },
    ],
    ['', null],
  ])('%s', (header, expected) => expect(parseChallenge(header)).toEqual(expected));

  test.each([
    [
      `{"errors":[{"code":"DENIED","message":"client with IP '203.0.113.7' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}]}`,
      '203.0.113.7',
    ],
    [
      `{"errors":[{"code":"DENIED","message":"client with IP \\u00272001:db8::7\\u0027 is not allowed access."}]}`,
      '2001:db8::7',
    ],
    ['{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}', null],
    ['<html>client with IP 1.2.3.4 is not allowed access</html>', '1.2.3.4'],
    ['<html>Forbidden</html>', null],
  ])('DENIED body %s', (body, ip) => expect(deniedClientIp({ status: 403, headers: {}, body })).toBe(ip));
});

test.each([
  [['r.azurecr.io', 'r0318eus-az.eastus.cloudapp.azure.com'], 'eastus'],
  [
    ['r.azurecr.io', 'r.privatelink.azurecr.io', 'eus1.fe.azcr.io', 'x.westeurope.cloudapp.azure.com'],
    'westeurope',
  ],
  [['r.azurecr.cn', 'x.chinaeast2.cloudapp.chinacloudapi.cn'], 'chinaeast2'],
  [['r.azurecr.io', 'r.privatelink.azurecr.io'], null],
  [['r.azurecr.io'], null],
])('region from the CNAME chain %j', (chain, region) => expect(regionOf(chain)).toBe(region));

test('an extra CA is parsed once and shared by every probe, not once per connection', () => {
  const ca = rootCertificates[0] ?? '';
  const settings = { dnsServers: [], ca, caFile: '/ca.pem', timeoutMs: 1000, systemResolver: false };
  const first = createEnv({ ...settings, runnerName: 'a', env: {} });
  const second = createEnv({ ...settings, runnerName: 'b', env: {} });
  expect(first.secureContext).toBeDefined();
  expect(second.secureContext).toBe(first.secureContext);
  expect(trustWith(ca)).toBe(first.secureContext);
  expect(createEnv({ ...settings, ca: null, runnerName: 'c', env: {} }).secureContext).toBeUndefined();
});

describe('the check loop', () => {
  const env = createEnv({
    dnsServers: [],
    ca: null,
    caFile: null,
    timeoutMs: 1000,
    systemResolver: false,
    runnerName: 't',
    env: {},
  });
  const target: HostTarget = {
    host: 'myregistry.azurecr.io',
    role: 'login',
    region: null,
    route: { kind: 'direct', proxy: null },
  };
  const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  afterAll(() => env.close());

  test('orders results, waits for needs, passes facts on, skips after a failure', async () => {
    const order: string[] = [];
    const checks: Check[] = [
      {
        id: 'dns',
        needs: [],
        run: async () => (
          await wait(30),
          order.push('dns'),
          { status: 'pass', detail: {}, facts: { region: 'eastus' } }
        ),
      },
      { id: 'proxy', needs: [], run: async () => (order.push('proxy'), { status: 'pass', detail: {} }) },
      {
        id: 'tcp',
        needs: ['dns'],
        run: async ({ facts }) => (
          order.push('tcp'),
          { status: 'fail', code: 'X', detail: { region: facts.region } }
        ),
      },
      { id: 'tls', needs: ['tcp'], run: async () => (order.push('tls'), { status: 'pass', detail: {} }) },
    ];
    const deadline = startDeadline(1000);
    const loop = new CheckLoop(env, deadline, budgets(1000));
    loop.add(target, checks);
    const results = await loop.settle();
    deadline.clear();
    expect(order).toEqual(['proxy', 'dns', 'tcp']);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['dns', 'pass'],
      ['proxy', 'pass'],
      ['tcp', 'fail'],
      ['tls', 'skip'],
    ]);
    expect(results[2]?.detail).toEqual({ region: 'eastus' });
    expect(results[3]?.detail).toEqual({ after: 'tcp' });
    expect(results[0]!.ms).toBeGreaterThanOrEqual(25);
  });

  test("a check's own budget ends it while the deadline is far off, even after garbage collection", async () => {
    // nodejs/node#57736: `AbortSignal.any([…, AbortSignal.timeout()])` lets the timeout be collected on Node 20.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let aborted: unknown = null;
    const checks: Check[] = [
      {
        id: 'tcp',
        needs: [],
        run: ({ signal }) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () => {
              aborted = signal.reason;
              resolve({ status: 'fail', code: 'ETIMEDOUT', detail: {} });
            });
          }),
      },
    ];
    const deadline = startDeadline(60_000);
    const loop = new CheckLoop(env, deadline, {
      timeoutMs: 60_000,
      share: { ...budgets(60_000).share, tcp: 0.005 },
      graceMs: 5_000,
    });
    loop.add(target, checks);
    const collector = setInterval(gc, 50);
    const started = Date.now();
    const results = await loop.settle();
    clearInterval(collector);
    deadline.clear();
    expect(results[0]).toMatchObject({ id: 'tcp', status: 'fail', code: 'ETIMEDOUT' });
    expect((aborted as Error | null)?.name).toBe('TimeoutError');
    // Before the loop's cut-off (budget + grace) would have ended it as DEADLINE, with its sockets left open.
    expect(Date.now() - started).toBeLessThan(300 + 5_000);
  });

  test('an abort whose error names no code reads as the check timing out, not as ERROR', async () => {
    const checks: Check[] = [
      {
        id: 'dns',
        needs: [],
        run: ({ signal }) =>
          new Promise((resolve) => {
            signal.addEventListener('abort', () =>
              resolve({ status: 'fail', code: errorCode(new Error('x')), detail: {} }),
            );
          }),
      },
    ];
    const deadline = startDeadline(200);
    const loop = new CheckLoop(env, deadline, { ...budgets(200), conclusiveMs: 0 });
    loop.add(target, checks);
    const results = await loop.settle();
    deadline.clear();
    expect(results[0]).toMatchObject({ status: 'fail', code: 'ETIMEDOUT' });
  });

  test('cuts off a check that ignores its budget, and skips what the deadline left no time for', async () => {
    const checks: Check[] = [
      { id: 'dns', needs: [], run: () => new Promise(() => undefined) },
      { id: 'tcp', needs: ['dns'], run: async () => ({ status: 'pass', detail: {} }) },
    ];
    const deadline = startDeadline(300);
    const loop = new CheckLoop(env, deadline, {
      timeoutMs: 300,
      share: { ...budgets(300).share, dns: 1 },
      graceMs: 50,
    });
    loop.add(target, checks);
    const started = Date.now();
    const results = await loop.settle();
    deadline.clear();
    expect(Date.now() - started).toBeLessThan(300 + 1000);
    expect(results[0]).toMatchObject({ id: 'dns', status: 'fail', code: 'DEADLINE' });
    expect(results[1]).toMatchObject({ id: 'tcp', status: 'skip' });
  });
});
