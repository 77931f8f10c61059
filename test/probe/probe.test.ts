import type { ProbeReport } from '../../src/contract';
import { isAcrcheckError } from '../../src/errors';
import { probe, renderFinding, type ProbeOptions } from '../../src/probe';
import { parseRegistry } from '../../src/target';
import { blackhole, type Blackhole } from '../servers/blackhole';
import { startDnsServer } from '../servers/dns';
import { randomLoopback } from '../servers/loopback';
import { createPki, type Pki } from '../servers/pki';
import { startPlainHttp, startTarpit } from '../servers/registry';
import { startAcrWorld, type AcrWorld } from '../servers/world';

let pki: Pki;
let world: AcrWorld;
const holes: Blackhole[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pki = await createPki();
  world = await startAcrWorld({ pki });
});

afterAll(async () => {
  await Promise.all(holes.map((h) => h.remove()));
  await Promise.all(closers.map((c) => c()));
  await world.close();
  await pki.remove();
});

function options(extra: Partial<ProbeOptions> = {}): ProbeOptions {
  return { ...world.settings, runnerName: 'test', env: {}, ...extra };
}

async function run(
  name: string,
  extra: Partial<ProbeOptions> = {},
  regions: string[] = [],
): Promise<ProbeReport> {
  return probe(parseRegistry(name, regions), options(extra));
}

/**
 * How far past its deadline a probe may settle here: the grace the loop allows plus room for a busy CI machine.
 * It only proves that nothing hangs; how fast the verdict comes is measured by `npm run bench`.
 */
const slack = 1000;

const check = (report: ProbeReport, id: string, host?: string) =>
  report.checks.find((c) => c.id === id && (host === undefined || c.host === host));
const findingIds = (report: ProbeReport): string[] => (report.findings ?? []).map((f) => f.id);

describe('a healthy registry', () => {
  let report: ProbeReport;
  beforeAll(async () => {
    await world.addRegistry('healthyreg', { region: 'westeurope' });
    report = await run('healthyreg');
  });

  test('is healthy, with the challenge as the summary', () => {
    expect(report.verdict).toBe('healthy');
    expect(report.causes).toEqual([]);
    expect(report.summary).toBe(
      'healthyreg.azurecr.io answers the registry challenge (401 with a Bearer realm).',
    );
  });

  test('discovers the region from the CNAME chain and probes its data endpoint', () => {
    expect(report.target.dataEndpoints).toEqual(['healthyreg.westeurope.data.azurecr.io']);
    expect(check(report, 'dns', 'healthyreg.azurecr.io')?.detail.chain).toEqual([
      'healthyreg.azurecr.io',
      'r1healthyreg.westeurope.cloudapp.azure.com',
    ]);
    expect(check(report, 'data-endpoint')).toMatchObject({
      host: 'healthyreg.westeurope.data.azurecr.io',
      status: 'pass',
    });
    expect(findingIds(report)).toContain('data-endpoint-ok');
  });

  test('reports every check, timed, in a fixed order', () => {
    expect(report.checks.map((c) => `${c.id} ${c.host}`)).toEqual([
      'dns healthyreg.azurecr.io',
      'tcp healthyreg.azurecr.io',
      'tls healthyreg.azurecr.io',
      'challenge healthyreg.azurecr.io',
      'token healthyreg.azurecr.io',
      'dns healthyreg.westeurope.data.azurecr.io',
      'tcp healthyreg.westeurope.data.azurecr.io',
      'tls healthyreg.westeurope.data.azurecr.io',
      'data-endpoint healthyreg.westeurope.data.azurecr.io',
    ]);
    for (const c of report.checks) expect(c.ms).toBeGreaterThanOrEqual(0);
  });

  test('shows the chain, the Azure-like issuer, TTLs and the correlation id', () => {
    expect(check(report, 'tls')?.detail).toMatchObject({
      issuer: 'Microsoft Azure RSA TLS Issuing CA 03',
      root: 'DigiCert Global Root G2',
      sanMatch: true,
      authorized: true,
    });
    expect(check(report, 'dns')?.detail.ttl).toBe(60);
    expect(check(report, 'challenge')?.detail.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('calls the loopback answer unusual, without failing', () => {
    expect(check(report, 'dns')?.status).toBe('warn');
    expect(findingIds(report)).toContain('dns-unusual-address');
  });

  test('identifies itself and sends no credentials', () => {
    const seen = world.registry.requests.filter((r) => r.host.startsWith('healthyreg'));
    expect(seen.map((r) => r.path.split('?')[0]).sort()).toEqual(['/', '/oauth2/token', '/v2/']);
    for (const r of seen) {
      expect(r.headers['user-agent']).toMatch(/^acrcheck\/\d+\.\d+\.\d+/);
      expect(r.headers.authorization).toBeUndefined();
      expect(r.sni).toBe(r.host);
    }
  });
});

describe('the situations a probe must name', () => {
  test('login server fine, data endpoint times out: the firewall misses the data endpoint rule', async () => {
    await world.addRegistry('dropdata', { data: null });
    const dropped = randomLoopback();
    holes.push(await blackhole(dropped));
    world.dns.set('dropdata.eastus.data.azurecr.io', { a: [dropped] });
    const started = Date.now();
    const report = await run('dropdata', { timeoutMs: 2500 });
    expect(Date.now() - started).toBeLessThan(2500 + slack);
    expect(check(report, 'challenge')?.status).toBe('pass');
    expect(check(report, 'tcp', 'dropdata.eastus.data.azurecr.io')).toMatchObject({
      status: 'fail',
      code: 'ETIMEDOUT',
    });
    expect(report.verdict).toBe('unhealthy');
    expect(report.causes[0]).toMatchObject({ id: 'client-firewall', findings: ['data-endpoint-blocked'] });
    expect(report.summary).toMatch(
      /^The data endpoint dropdata\.eastus\.data\.azurecr\.io did not answer within \d+ ms/,
    );
  });

  test('403 DENIED: the registry public access rules, with the client IP ACR saw', async () => {
    await world.addRegistry('deniedreg', {
      login: { behaviour: { kind: 'denied', clientIp: '127.77.0.9' } },
      data: { behaviour: { kind: 'denied', clientIp: '127.77.0.9' } },
    });
    const report = await run('deniedreg');
    expect(check(report, 'challenge')).toMatchObject({ status: 'fail', code: 'ACR_DENIED' });
    expect(report.causes[0]?.id).toBe('registry-public-access');
    const denied = report.findings?.find((f) => f.id === 'acr-denied');
    expect(denied?.params.clientIp).toBe('127.77.0.9');
    expect(report.summary).toContain('403 DENIED for the client IP 127.77.0.9');
  });

  test('a certificate from "Contoso Proxy CA": a TLS-inspecting proxy', async () => {
    await world.addRegistry('inspected', { login: { issuer: 'contoso' }, data: { issuer: 'contoso' } });
    const report = await run('inspected');
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', code: 'INTERCEPTED' });
    expect(check(report, 'tls')?.detail.issuer).toBe('Contoso Proxy CA');
    expect(check(report, 'challenge')?.status).toBe('skip');
    expect(report.causes[0]?.id).toBe('client-firewall');
    expect(report.summary).toContain('issued by Contoso Proxy CA');
  });

  test('the same proxy CA, trusted through --ca-file: still named, as a warning', async () => {
    await world.addRegistry('trustedproxy', { login: { issuer: 'contoso' }, data: null });
    world.dns.set('trustedproxy.eastus.data.azurecr.io', { rcode: 'NXDOMAIN' });
    const report = await run('trustedproxy', { ca: pki.contosoRoot });
    expect(check(report, 'tls')).toMatchObject({ status: 'warn', code: 'INTERCEPTED_TRUSTED' });
    expect(report.verdict).toBe('healthy');
    expect(findingIds(report)).toContain('tls-interception-trusted');
  });

  test('packets dropped at the login server: the firewall, within the deadline, with the time waited', async () => {
    const dropped = randomLoopback();
    holes.push(await blackhole(dropped));
    world.dns.set('droplogin.azurecr.io', { a: [dropped] });
    const started = Date.now();
    const report = await run('droplogin', { timeoutMs: 2500 });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2500 + slack);
    const tcp = check(report, 'tcp');
    expect(tcp).toMatchObject({ status: 'fail', code: 'ETIMEDOUT', detail: { address: dropped } });
    expect(tcp?.ms).toBeGreaterThanOrEqual(400);
    expect(check(report, 'tls')?.status).toBe('skip');
    expect(report.causes[0]?.id).toBe('client-firewall');
    expect(findingIds(report)).toContain('tcp-timeout');
  });

  test('NXDOMAIN on the login server: a wrong name or DNS', async () => {
    const report = await run('nosuchreg');
    expect(check(report, 'dns')).toMatchObject({ status: 'fail', code: 'NXDOMAIN' });
    expect(check(report, 'tcp')?.status).toBe('skip');
    expect(report.causes[0]?.id).toBe('vnet-config');
    expect(report.summary).toMatch(
      /nosuchreg\.azurecr\.io does not exist .*Check the registry name for typos/,
    );
    expect(report.target.dataEndpoints).toEqual([]);
  });

  test('privatelink in the chain but a public answer, and the public path denied: private DNS', async () => {
    await world.addRegistry('pepublic', {
      login: { behaviour: { kind: 'denied' } },
      data: { behaviour: { kind: 'denied' } },
    });
    world.dns.set('pepublic.azurecr.io', { cname: 'pepublic.privatelink.azurecr.io' });
    world.dns.set('pepublic.privatelink.azurecr.io', { cname: 'eus1.fe.azcr.io' });
    world.dns.set('eus1.fe.azcr.io', { cname: 'r1pepublic.eastus.cloudapp.azure.com' });
    const report = await run('pepublic');
    expect(check(report, 'dns')?.detail.flags).toContain('privatelink-public');
    expect(report.causes[0]?.id).toBe('vnet-config');
    expect(findingIds(report)).toEqual(
      expect.arrayContaining(['dns-private-expected-public', 'acr-denied', 'private-dns-public-path']),
    );
  });

  test('privatelink zone without the record: private DNS', async () => {
    world.dns.set('pemissing.azurecr.io', { cname: 'pemissing.privatelink.azurecr.io' });
    const report = await run('pemissing');
    expect(check(report, 'dns')).toMatchObject({
      status: 'fail',
      code: 'NXDOMAIN_PRIVATE',
      detail: { nxdomainAt: 'pemissing.privatelink.azurecr.io' },
    });
    expect(report.causes[0]?.id).toBe('vnet-config');
  });

  test('NXDOMAIN on a data endpoint: dedicated data endpoints are off, storage must be reachable', async () => {
    await world.addRegistry('nodataep', { data: null });
    const report = await run('nodataep');
    expect(check(report, 'dns', 'nodataep.eastus.data.azurecr.io')).toMatchObject({
      status: 'warn',
      code: 'NXDOMAIN',
    });
    expect(report.verdict).toBe('healthy');
    const off = report.findings?.find((f) => f.id === 'data-endpoints-off');
    expect(off && renderFinding(off, 'en')).toContain('*.blob.core.windows.net');
  });

  test.each([
    ['SERVFAIL', { rcode: 'SERVFAIL' as const }, 'SERVFAIL', 'dns-servfail'],
    ['a DNS server that never answers', { silent: true }, 'TIMEOUT', 'dns-timeout'],
  ])('%s on the login server', async (_label, record, code, finding) => {
    const name = `dnsfail${code.toLowerCase()}`;
    world.dns.set(`${name}.azurecr.io`, record);
    const started = Date.now();
    const report = await run(name, { timeoutMs: 2500 });
    expect(Date.now() - started).toBeLessThan(2500 + slack);
    expect(check(report, 'dns')).toMatchObject({ status: 'fail', code });
    expect(findingIds(report)).toContain(finding);
    expect(report.causes[0]?.id).toBe('vnet-config');
  });

  test.each([
    ['an HTML block page', { kind: 'html' as const }, 403, 'Access blocked'],
    ['another web server', { kind: 'not-registry' as const }, 200, 'text/html'],
    [
      'Azure Firewall 470',
      { kind: 'status' as const, status: 470, body: 'Action: Deny. Reason: No rule matched.' },
      470,
      'text/plain',
    ],
  ])('%s instead of the registry: something in between', async (_label, behaviour, status, answer) => {
    const name = `between${status}`;
    await world.addRegistry(name, { login: { behaviour }, data: null });
    const report = await run(name, {}, ['eastus']);
    expect(check(report, 'challenge')).toMatchObject({
      status: 'fail',
      code: 'NOT_ACR',
      detail: { status, answer },
    });
    expect(report.causes[0]?.id).toBe('client-firewall');
    expect(findingIds(report)).toContain('not-acr');
  });

  test('something that does not speak TLS on 443', async () => {
    const plain = await startPlainHttp();
    closers.push(plain.close);
    world.dns.set('plainreg.azurecr.io', { a: [plain.address] });
    const report = await run('plainreg');
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', code: 'NOT_TLS' });
    expect(findingIds(report)).toContain('tls-not-tls');
  });

  test('nothing listening: refused', async () => {
    world.dns.set('closedreg.azurecr.io', { a: [randomLoopback()] });
    const report = await run('closedreg');
    expect(check(report, 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    expect(findingIds(report)).toContain('tcp-refused');
  });

  test('a TLS handshake that stalls times out within the deadline', async () => {
    const tarpit = await startTarpit();
    closers.push(tarpit.close);
    world.dns.set('stallreg.azurecr.io', { a: [tarpit.address] });
    const started = Date.now();
    const report = await run('stallreg', { timeoutMs: 2500 });
    expect(Date.now() - started).toBeLessThan(2500 + slack);
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', code: 'ETIMEDOUT' });
    expect(findingIds(report)).toContain('tls-timeout');
  });

  test('a deadline too short to tell: inconclusive, never blamed on the network', async () => {
    const tarpit = await startTarpit();
    closers.push(tarpit.close);
    world.dns.set('shortreg.azurecr.io', { a: [tarpit.address] });
    const report = await run('shortreg', { timeoutMs: 300 });
    expect(check(report, 'tls')).toMatchObject({
      status: 'fail',
      code: 'TOO_SHORT',
      detail: { timedOut: 'ETIMEDOUT', budgetMs: 120, timeoutMs: 300 },
    });
    expect(report.verdict).toBe('unhealthy');
    expect(report.causes).toEqual([]);
    expect(findingIds(report)).toContain('deadline-too-short');
    expect(report.findings?.filter((f) => f.cause !== null)).toEqual([]);
    expect(report.summary).toMatch(/^Inconclusive: the TLS check of shortreg\.azurecr\.io had only 120 ms/);
  });

  test('an HTTP answer that never comes', async () => {
    await world.addRegistry('hangreg', { login: { behaviour: { kind: 'hang' } }, data: null });
    const report = await run('hangreg', { timeoutMs: 2000 }, ['eastus']);
    expect(check(report, 'challenge')).toMatchObject({ status: 'fail', code: 'ETIMEDOUT' });
    expect(findingIds(report)).toContain('http-timeout');
  });

  test('an expired certificate', async () => {
    await world.addRegistry('expiredreg', { login: { expired: true }, data: null });
    const report = await run('expiredreg', {}, ['eastus']);
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', code: 'CERT_HAS_EXPIRED' });
    expect(findingIds(report)).toContain('tls-expired');
    expect(report.causes).toEqual([{ id: 'client-firewall', score: 1, findings: ['tls-expired'] }]);
    expect(report.summary).toContain('Check the clock first');
  });

  test('a certificate for other names', async () => {
    await world.addRegistry('wrongsan', { login: { names: ['other.example.com'] }, data: null });
    const report = await run('wrongsan', {}, ['eastus']);
    expect(check(report, 'tls')).toMatchObject({ status: 'fail', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(check(report, 'tls')?.detail.san).toEqual(['other.example.com']);
    expect(findingIds(report)).toContain('tls-name-mismatch');
  });

  test('429 from the registry: throttled, not a network failure', async () => {
    await world.addRegistry('busyreg', {
      login: {
        behaviour: {
          kind: 'status',
          status: 429,
          body: '{"errors":[{"code":"TOOMANYREQUESTS"}]}',
          contentType: 'application/json',
        },
      },
    });
    const report = await run('busyreg');
    expect(check(report, 'challenge')).toMatchObject({ status: 'warn', code: 'THROTTLED' });
    expect(report.verdict).toBe('healthy');
    expect(findingIds(report)).toContain('throttled');
  });

  test('anonymous pull on: healthy, noted', async () => {
    await world.addRegistry('anonreg', { login: { behaviour: { kind: 'acr', anonymousPull: true } } });
    const report = await run('anonreg');
    expect(report.verdict).toBe('healthy');
    expect(check(report, 'token')).toMatchObject({ status: 'pass', code: 'ANONYMOUS_PULL' });
    expect(JSON.stringify(report)).not.toMatch(/access_token/);
  });
});

describe('resolvers', () => {
  test('systemResolver false never calls the system resolver', async () => {
    await world.addRegistry('nosystem');
    const lookup = jest.fn(async () => [{ address: '127.0.0.1', family: 4 as const }]);
    const report = await run('nosystem', { lookup });
    expect(lookup).not.toHaveBeenCalled();
    expect(check(report, 'dns')?.detail.resolver).toBe(world.dns.server);
  });

  test('the system answer wins, and a hosts-file override is reported', async () => {
    await world.addRegistry('hostsfile');
    const closed = randomLoopback();
    const lookup = jest.fn(async () => [{ address: closed, family: 4 as const }]);
    const report = await run('hostsfile', { systemResolver: true, lookup });
    expect(lookup).toHaveBeenCalledWith('hostsfile.azurecr.io');
    expect(check(report, 'dns')?.detail).toMatchObject({ resolver: 'system', addresses: [closed] });
    expect(check(report, 'dns')?.detail.flags).toContain('resolvers-disagree');
    expect(check(report, 'tcp')).toMatchObject({
      status: 'fail',
      code: 'ECONNREFUSED',
      detail: { address: closed },
    });
    expect(findingIds(report)).toEqual(expect.arrayContaining(['dns-resolvers-disagree', 'tcp-refused']));
  });

  test('two DNS servers that disagree (split DNS): the first answer is used, the other reported', async () => {
    await world.addRegistry('splitdns');
    const other = await startDnsServer({ 'splitdns.azurecr.io': { a: [randomLoopback()] } });
    closers.push(other.close);
    const report = await run('splitdns', {
      dnsServers: [...world.settings.dnsServers, { host: other.address, port: other.port }],
    });
    expect(report.verdict).toBe('healthy');
    const dns = check(report, 'dns');
    expect(dns?.detail.resolver).toBe(world.dns.server);
    expect((dns?.detail.answers as unknown[]).length).toBe(2);
    expect(dns?.detail.flags).toContain('resolvers-disagree');
    expect(String(dns?.detail.comparison)).toContain(other.server);
  });

  test("the system resolver's temporary failure is named as such, not as the registry's", async () => {
    const lookup = jest.fn(async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN tempfail.azurecr.io'), { code: 'EAI_AGAIN' });
    });
    const report = await run('tempfail', { systemResolver: true, dnsServers: [], lookup });
    expect(check(report, 'dns')).toMatchObject({ status: 'fail', code: 'EAI_AGAIN' });
    const finding = report.findings?.find((f) => f.id === 'dns-no-answer');
    expect(finding && renderFinding(finding, 'en')).toMatch(
      /^tempfail\.azurecr\.io could not be resolved: the probing machine's resolver reports a temporary failure/,
    );
    expect(finding && renderFinding(finding, 'de')).toContain('System-Resolver des prüfenden Rechners');
    expect(finding && renderFinding(finding, 'zh-TW')).toContain('執行探測的電腦上的系統解析器回報');
  });

  test('a DNS server is named by its address in what the probe found', async () => {
    world.dns.set('nosuchname.azurecr.io', { rcode: 'NXDOMAIN' });
    const report = await run('nosuchname');
    const finding = report.findings?.find((f) => f.id === 'dns-nxdomain');
    expect(finding && renderFinding(finding, 'en')).toContain(
      `(NXDOMAIN from DNS server ${world.dns.server})`,
    );
  });

  test('a DNS server address where nothing listens is told apart from a REFUSED answer', async () => {
    const nobody = randomLoopback();
    world.dns.set('refusedname.azurecr.io', { rcode: 'REFUSED' });
    const [unreachable, refused] = await Promise.all([
      run('refusedname', { dnsServers: [{ host: nobody, port: 53 }] }),
      run('refusedname'),
    ]);
    expect(check(unreachable, 'dns')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    expect(findingIds(unreachable)).toContain('dns-server-unreachable');
    expect(unreachable.summary).toContain(`nothing listens for DNS at DNS server ${nobody}:53`);
    expect(check(refused, 'dns')).toMatchObject({ status: 'fail', code: 'REFUSED' });
    expect(findingIds(refused)).toContain('dns-refused');
  });

  test('the system resolver agreeing with the DNS server is healthy', async () => {
    await world.addRegistry('agreeing');
    const lookup = async (): Promise<{ address: string; family: 4 }[]> => [
      { address: world.registry.address, family: 4 },
    ];
    const report = await run('agreeing', { systemResolver: true, lookup });
    expect(report.verdict).toBe('healthy');
    expect(check(report, 'dns')?.detail.flags).not.toContain('resolvers-disagree');
  });
});

describe('refusals before any packet leaves', () => {
  test.each([
    [{ name: 'evil', loginServer: 'evil.example', dataEndpoints: [] }],
    [
      {
        name: 'myregistry',
        loginServer: 'myregistry.azurecr.io',
        dataEndpoints: ['otherreg.westeurope.data.azurecr.io'],
      },
    ],
    [{ name: 'myregistry', loginServer: 'myregistry.azurecr.io', dataEndpoints: ['evil.example'] }],
    [{ name: 'myregistry', loginServer: 'myregistry.westeurope.data.azurecr.io', dataEndpoints: [] }],
    [{ name: 'myregistry', loginServer: 'MyRegistry.azurecr.io', dataEndpoints: [] }],
  ])('%j', async (registry) => {
    const before = world.dns.queries.length;
    let caught: unknown;
    try {
      await probe(registry, options());
    } catch (err) {
      caught = err;
    }
    expect(isAcrcheckError(caught) && caught.code).toBe('ACRCHECK_NOT_ACR_HOST');
    expect(world.dns.queries.length).toBe(before);
  });
});

test('an outside abort ends the probe at once, with every check accounted for', async () => {
  const dropped = randomLoopback();
  holes.push(await blackhole(dropped));
  world.dns.set('abortreg.azurecr.io', { a: [dropped] });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const started = Date.now();
  const report = await run('abortreg', { timeoutMs: 5000, signal: controller.signal });
  expect(Date.now() - started).toBeLessThan(200 + slack);
  expect(check(report, 'tcp')).toMatchObject({ status: 'fail', code: 'ETIMEDOUT' });
  expect(report.verdict).toBe('unhealthy');
});
